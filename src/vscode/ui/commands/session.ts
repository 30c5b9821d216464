/**
 * The session's commands: Sign In and Sign Out.
 */
import * as vscode from 'vscode';
import { plainText } from '../../../core/common/displayText';
import { formatLocalTime, SessionSummary } from '../../summaries';
import { signOutOfPortal } from '../agencyActions';
import { clientNameArgument, CommandDeps, Invocation } from './run';

/** Sign In: the device-code sign-in; concurrent calls share one flow. */
export async function signIn(deps: CommandDeps, invocation: Invocation): Promise<SessionSummary> {
  const session = await deps.provider.signIn({ interactive: invocation.interactive, clientName: clientNameArgument(invocation) });
  if (invocation.interactive) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Signed in to IAM Identity Center as {0}. The session ends {1}.', plainText(session.account.label), formatLocalTime(session.expiresAt)),
    );
  }
  return { account: plainText(session.account.label), expiresAt: session.expiresAt, scopes: [...session.scopes] };
}

/**
 * Sign Out: ends the portal session (best effort), takes the agency credentials out of
 * terminals and forgets them, and ends every session of the current endpoint. The
 * client registration and the agency selection stay.
 */
export async function signOut(deps: CommandDeps, invocation: Invocation): Promise<undefined> {
  const sessions = await deps.provider.storedSessions();
  await signOutOfPortal(deps.agencies, sessions.map((session) => session.accessToken), (line) => deps.logger.info(line));
  const count = await deps.provider.removeAll();
  if (invocation.interactive) {
    void vscode.window.showInformationMessage(
      count > 0 ? vscode.l10n.t('Signed out of IAM Identity Center. The client registration is kept.') : vscode.l10n.t('You were not signed in.'),
    );
  }
  return undefined;
}
