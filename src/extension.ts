/**
 * Entry point: builds the parts, registers them, and renews a stored registration
 * in the background. Nothing else happens here.
 */
import * as vscode from 'vscode';
import { registerCommands } from './vscode/commands';
import { createServices } from './vscode/services';
import { ExtensionApi, createApi } from './vscode/api';
import { SECTION } from './vscode/settings';

/** Called by VS Code on `onStartupFinished` or the first command. */
export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const services = createServices(context);
  context.subscriptions.push(
    services.log,
    services.registrations,
    ...registerCommands({ registrations: services.registrations, logger: services.log, showLog: () => services.log.show() }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(SECTION)) void services.registrations.renewInBackground();
    }),
  );
  void services.registrations.renewInBackground();
  return createApi(services, context.extensionMode === vscode.ExtensionMode.Test);
}

/** Nothing to release beyond `context.subscriptions`. */
export function deactivate(): void {}
