/**
 * Entry point: builds the window's parts, registers them, and lets the window's profile
 * restore its agency and renew what is due, in the background. Nothing else happens here
 * (`docs/architecture.md`).
 */
import * as vscode from 'vscode';
import * as l10n from '@vscode/l10n';
import { createAccountsView } from './vscode/accountsView';
import { createApi, ExtensionApi } from './vscode/api';
import { IdentityCenterAuthProvider, PROVIDER_ID } from './vscode/authProvider';
import { registerCommands } from './vscode/commands/index';
import { registerDebugCredentials } from './vscode/debugCredentials';
import { SessionEndNotice } from './vscode/sessionEndNotice';
import { createStatusBar } from './vscode/statusBar';
import type { TestSeams } from './vscode/testSeams';
import { setStateContext, tickSettingsSteps } from './vscode/walkthrough';
import { createWindow } from './vscode/window';

/** The context key true while the window uses an agency (menus; the walkthrough's step completes on it). */
export const AGENCY_SELECTED_CONTEXT = 'iamIdentityCenter.agencySelected';

/** Called by VS Code on `onStartupFinished`, the first command, a debug session or the terminal profile. */
export function activate(context: vscode.ExtensionContext): ExtensionApi {
  if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });
  const seams = testSeamsFor(context);
  const window = createWindow(context, seams?.time);
  const { instances, settings, lazy, log, terminals } = window;
  const provider = new IdentityCenterAuthProvider({ instances, settings, lazy, setContext: (key, value) => setStateContext(key, value, 'signIn') });
  const sessionEndNotice = new SessionEndNotice({ instances, clock: window.clock, logger: log, lazy });
  context.subscriptions.push(
    log,
    provider,
    sessionEndNotice,
    { dispose: () => instances.dispose() },
    // The label is how VS Code's Accounts menu names the provider, in the display language.
    vscode.authentication.registerAuthenticationProvider(PROVIDER_ID, vscode.l10n.t('IAM Identity Center'), provider),
    ...registerCommands(lazy, () => log.show()),
    ...createStatusBar(instances, settings, lazy),
    ...createAccountsView(instances, settings, lazy),
    registerDebugCredentials(instances, settings),
    vscode.window.registerTerminalProfileProvider('iamIdentityCenter.terminal', { provideTerminalProfile: () => lazy().terminalProfile() }),
    vscode.window.onDidOpenTerminal((terminal) => terminals.opened(terminal)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => terminals.apply()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!settings.affects(event)) return;
      terminals.apply();
      tickSettingsSteps(settings);
      void instances.follow();
    }),
    { dispose: instances.onDidChange(() => setStateContext(AGENCY_SELECTED_CONTEXT, Boolean(instances.windowInstance()?.selection.current()), 'agency')) },
  );
  tickSettingsSteps(settings);
  void instances.follow().then(() => sessionEndNotice.schedule());
  const api = createApi(instances);
  if (seams) api.testing = seams.hooks({ window, provider, sessionEndNotice });
  return api;
}

/** Nothing to release beyond `context.subscriptions`. */
export function deactivate(): void {}

/** The Test-mode seams, loaded only in the development build and only in Test mode. */
function testSeamsFor(context: vscode.ExtensionContext): TestSeams | undefined {
  // A constant condition esbuild drops whole in production, the require with it.
  if (IIC_TEST_HOOKS) {
    if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('./vscode/testSeams') as typeof import('./vscode/testSeams')).createTestSeams();
  }
  return undefined;
}
