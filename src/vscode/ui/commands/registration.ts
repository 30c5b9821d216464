/**
 * The registration's commands: Register Client, Show Client Registration and Forget
 * Client Registration.
 */
import * as vscode from 'vscode';
import { plainText } from '../../../core/common/displayText';
import { validateClientName } from '../../../core/common/validate';
import { defaultClientName } from '../../settings';
import { ClientSummary, formatEnd, summarize } from '../../summaries';
import { showWithRemedy } from '../errors';
import { instanceIfSet, partsOf } from '../instances';
import { instanceFor } from '../signIn';
import { clientNameArgument, Invocation } from './run';

/** Register Client: asks for a name (or takes `clientName`), registers, and replaces the stored registration. */
export async function registerClient(invocation: Invocation): Promise<ClientSummary | undefined> {
  let clientName: string | undefined;
  if (invocation.interactive) {
    clientName = await vscode.window.showInputBox({
      title: vscode.l10n.t('IAM Identity Center: client name'),
      prompt: vscode.l10n.t('The name IAM Identity Center shows for this client (1 to 1024 characters).'),
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
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Registering the client with IAM Identity Center…'), cancellable: true },
    (_progress, token) => {
      const abort = new AbortController();
      const subscription = token.onCancellationRequested(() => abort.abort());
      return instanceFor(invocation.profile, invocation.interactive)
        .then((runtime) => partsOf(runtime).registration.register(name, abort.signal))
        .finally(() => subscription.dispose());
    },
  );
  void vscode.window.showInformationMessage(
    vscode.l10n.t('Registered client "{0}" with IAM Identity Center. Its secret expires {1}; it is renewed automatically.', plainText(registration.clientName), formatEnd(registration)),
  );
  return summarize(registration);
}

/** Show Client Registration: the stored registration, even when expired. */
export async function showClient(invocation: Invocation): Promise<ClientSummary | undefined> {
  const registration = await instanceIfSet(invocation.profile)?.storedRegistration();
  if (invocation.interactive) {
    if (registration) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t(
          'Client {0} ("{1}") at {2}, scopes {3}. Its secret expires {4}.',
          plainText(registration.clientId),
          plainText(registration.clientName),
          plainText(registration.endpoint),
          plainText(registration.scopes.join(', ')),
          formatEnd(registration),
        ),
      );
    } else {
      showWithRemedy('information', vscode.l10n.t('No client is registered for the current settings.'), 'registerClient');
    }
  }
  return registration ? summarize(registration) : undefined;
}

/** Forget Client Registration: deletes the stored registration of the current settings. */
export async function forgetClient(invocation: Invocation): Promise<undefined> {
  const runtime = instanceIfSet(invocation.profile);
  await (runtime && partsOf(runtime).registration.forget());
  const endpoint = runtime?.profile.endpoint;
  if (invocation.interactive) {
    void vscode.window.showInformationMessage(
      endpoint ? vscode.l10n.t('Forgot the client registration for {0}.', endpoint) : vscode.l10n.t('No endpoint is set, so there was nothing to forget.'),
    );
  }
  return undefined;
}

