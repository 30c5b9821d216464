/**
 * The registration's commands: Register Client, Show Client Registration and Forget
 * Client Registration.
 */
import * as vscode from 'vscode';
import { plainText } from '../../../core/common/displayText';
import { validateClientName } from '../../../core/common/validate';
import { defaultClientName } from '../../settings';
import { ClientSummary, formatLocalTime, summarize } from '../../summaries';
import { COMMANDS } from '../../commands/ids';
import { clientNameArgument, CommandDeps, Invocation } from './run';

/** Register Client: asks for a name (or takes `clientName`), registers, and replaces the stored registration. */
export async function registerClient(deps: CommandDeps, invocation: Invocation): Promise<ClientSummary | undefined> {
  let clientName: string | undefined;
  if (invocation.interactive) {
    clientName = await vscode.window.showInputBox({
      title: 'IAM Identity Center: client name',
      prompt: 'The name IAM Identity Center shows for this client (1 to 1024 characters).',
      value: defaultClientName(),
      ignoreFocusOut: true,
      validateInput: (value) => validateClientName(value),
    });
    if (clientName === undefined) return undefined;
  } else {
    clientName = clientNameArgument(invocation) ?? defaultClientName();
  }
  const name = clientName;
  const registration = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Registering the client with IAM Identity Center…', cancellable: true },
    (_progress, token) => {
      const abort = new AbortController();
      const subscription = token.onCancellationRequested(() => abort.abort());
      return deps.endpoints
        .current(invocation.interactive)
        .then((clients) => deps.endpoints.register(clients, name, abort.signal))
        .finally(() => subscription.dispose());
    },
  );
  void vscode.window.showInformationMessage(
    `Registered client ${plainText(registration.clientId)}. Its secret expires ${formatLocalTime(registration.expiresAt)}; it will be renewed automatically.`,
  );
  return summarize(registration);
}

/** Show Client Registration: the stored registration, even when expired. */
export async function showClient(deps: CommandDeps, invocation: Invocation): Promise<ClientSummary | undefined> {
  const registration = await deps.endpoints.stored();
  if (invocation.interactive) {
    if (registration) {
      void vscode.window.showInformationMessage(
        `Client ${plainText(registration.clientId)} ("${plainText(registration.clientName)}") at ${plainText(registration.endpoint)}, scopes ${plainText(registration.scopes.join(', '))}. Its secret expires ${formatLocalTime(registration.expiresAt)}.`,
      );
    } else {
      void vscode.window.showInformationMessage('No client is registered for the current settings.', 'Register Client').then((choice) => {
        if (choice) void vscode.commands.executeCommand(COMMANDS.registerClient);
      });
    }
  }
  return registration ? summarize(registration) : undefined;
}

/** Forget Client Registration: deletes the stored registration of the current settings. */
export async function forgetClient(deps: CommandDeps, invocation: Invocation): Promise<undefined> {
  const endpoint = await deps.endpoints.forget();
  if (invocation.interactive) {
    void vscode.window.showInformationMessage(endpoint ? `Forgot the client registration for ${endpoint}.` : 'No endpoint is set, so there was nothing to forget.');
  }
  return undefined;
}
