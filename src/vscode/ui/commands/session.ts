/**
 * The session's commands: Sign In and Sign Out.
 */
import * as vscode from 'vscode';
import { plainText } from '../../../core/common/displayText';
import { COMMANDS } from '../../commands/ids';
import { formatEnd, SessionSummary } from '../../summaries';
import { isIdentityCenterError } from '../../../core/common/errors';
import { endPortalSessions, forgetAllCredentials } from '../agencyActions';
import { showNotice, showWarning, userMessage } from '../errors';
import { withRelaunchOffer } from '../relaunch';
import { clientNameArgument, CommandDeps, Invocation } from './run';

/** Sign In: the device-code sign-in; concurrent calls share one flow. From the palette, it leads on to Select Account and Agency. */
export async function signIn(deps: CommandDeps, invocation: Invocation): Promise<SessionSummary> {
  const session = await deps.provider.signIn({ interactive: invocation.interactive, clientName: clientNameArgument(invocation) });
  if (invocation.interactive) {
    showNotice(
      'information',
      vscode.l10n.t('Signed in to IAM Identity Center as {0}. The session ends {1}.', plainText(session.account.label), formatEnd(session, deps.agencies.deps.clock.now())),
      [{ label: vscode.l10n.t('Select Account and Agency'), run: () => vscode.commands.executeCommand(COMMANDS.selectAgency) }],
    );
  }
  return { account: plainText(session.account.label), expiresAt: session.expiresAt, scopes: [...session.scopes] };
}

/**
 * Sign Out: takes the agency credentials out of new terminals and ends every session of
 * the current endpoint, whatever else fails; then, best effort, ends the portal session
 * and forgets the stored credentials of every agency used. A failure of those is logged
 * and reported once, and undoes nothing. The client registration and the selection stay.
 * From the palette, Relaunch Terminals is offered for open terminals with credentials.
 */
export async function signOut(deps: CommandDeps, invocation: Invocation): Promise<undefined> {
  deps.agencies.release();
  const sessions = await deps.provider.storedSessions();
  const removal = deps.provider.removeAll().then(
    (count) => ({ count }),
    (error: unknown) => ({ error }),
  );
  const portalFailure = await endPortalSessions(deps.agencies, sessions.map((session) => session.accessToken));
  const forgotten = await forgetAllCredentials(deps.agencies);
  const removed = await removal;
  if ('error' in removed) throw removed.error;
  const problems = [
    ...(portalFailure === undefined ? [] : [vscode.l10n.t('The portal session could not be ended; it ends by itself when it expires. {0}', userMessage(portalFailure))]),
    ...(forgotten
      ? []
      : [vscode.l10n.t('Some stored agency credentials could not be deleted from VS Code\'s secret storage; they are no longer used. Check that the system keyring is unlocked, then sign out again to delete them.')]),
  ];
  if (problems.length > 0) {
    showWarning(vscode.l10n.t('Signed out of IAM Identity Center, with a problem: {0}', problems.join(' ')), isIdentityCenterError(portalFailure) ? portalFailure : undefined);
  } else if (invocation.interactive) {
    const { message, button } = withRelaunchOffer(
      deps.agencies,
      removed.count > 0 ? vscode.l10n.t('Signed out of IAM Identity Center. The client registration is kept.') : vscode.l10n.t('You were not signed in.'),
    );
    showNotice('information', message, [button]);
  }
  return undefined;
}
