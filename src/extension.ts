/**
 * Entry point: builds the parts, registers them, and renews a stored registration
 * in the background. Nothing else happens here.
 */
import * as vscode from 'vscode';
import { createAuthProvider, PROVIDER_ID, PROVIDER_LABEL } from './vscode/authProvider';
import { registerCommands } from './vscode/commands';
import { createServices } from './vscode/services';
import { ExtensionApi, createApi } from './vscode/api';
import { SECTION } from './vscode/settings';
import { createStatusBar } from './vscode/statusBar';

/** Called by VS Code on `onStartupFinished` or the first command. */
export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const services = createServices(context);
  const provider = createAuthProvider(context, services);
  context.subscriptions.push(
    services.log,
    services.registrations,
    provider,
    vscode.authentication.registerAuthenticationProvider(PROVIDER_ID, PROVIDER_LABEL, provider),
    ...registerCommands({ registrations: services.registrations, provider, logger: services.log, showLog: () => services.log.show() }),
    ...createStatusBar(provider),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration(SECTION)) return;
      void services.registrations.renewInBackground();
      provider.reloadInBackground();
    }),
  );
  void services.registrations.renewInBackground();
  return createApi(services, provider, context.extensionMode === vscode.ExtensionMode.Test);
}

/** Nothing to release beyond `context.subscriptions`. */
export function deactivate(): void {}
