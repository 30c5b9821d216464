/**
 * Entry point: builds the parts, registers them, and renews a stored registration in
 * the background. Nothing else happens here (`docs/architecture.md`).
 */
import * as vscode from 'vscode';
import * as l10n from '@vscode/l10n';
import { ExtensionApi, createApi } from './vscode/api';
import { createAuthProvider, PROVIDER_ID } from './vscode/authProvider';
import { createAccountsView } from './vscode/agencies/accountsView';
import { registerCommands } from './vscode/commands/index';
import { createAgencyService, createServices } from './vscode/services';
import { SECTION } from './vscode/settings';
import { SessionEndNotice } from './vscode/sessionEndNotice';
import { createStatusBar } from './vscode/statusBar';
import { tickSettingsSteps } from './vscode/walkthrough';
import type { TestSeams } from './vscode/testSeams';

/** Called by VS Code on `onStartupFinished` or the first command. */
export function activate(context: vscode.ExtensionContext): ExtensionApi {
  if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });
  const seams = testSeamsFor(context);
  const services = createServices(context, seams?.time);
  const provider = createAuthProvider(context, services);
  const agencies = createAgencyService(context, services, provider);
  const sessionEndNotice = new SessionEndNotice({ ...services, provider, logger: services.log });
  context.subscriptions.push(
    services.log,
    services.endpoints,
    provider,
    agencies,
    sessionEndNotice,
    // The label is how VS Code's Accounts menu names the provider, in the display language.
    vscode.authentication.registerAuthenticationProvider(PROVIDER_ID, vscode.l10n.t('IAM Identity Center'), provider),
    ...registerCommands({ endpoints: services.endpoints, provider, agencies, logger: services.log, showLog: () => services.log.show() }),
    ...createStatusBar(provider, agencies),
    ...createAccountsView(agencies, provider),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration(SECTION)) return;
      void services.endpoints.renewInBackground();
      provider.syncInBackground();
      tickSettingsSteps();
    }),
  );
  tickSettingsSteps();
  void services.endpoints.renewInBackground();
  void agencies.restore();
  void sessionEndNotice.schedule();
  const api = createApi(services);
  if (seams) api.testing = seams.hooks({ services, provider, agencies, sessionEndNotice });
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
