/**
 * The session's commands: Sign In and Sign Out; and signing out of one session, which
 * VS Code's Accounts menu asks the provider for.
 */
import * as vscode from 'vscode';
import { plainText } from '../../../core/common/displayText';
import { IdentityCenterError, isIdentityCenterError } from '../../../core/common/errors';
import type { InstanceRuntime } from '../../../core/instance/runtime';
import { COMMANDS } from '../../commands/ids';
import { formatEnd, SessionSummary } from '../../summaries';
import { endPortalSessions, forgetAllCredentials } from '../agencyActions';
import { showNotice, showWarning, userMessage } from '../errors';
import { host, partsOf } from '../instances';
import { withRelaunchOffer } from '../relaunch';
import { signIn as signInTo } from '../signIn';
import { clientNameArgument, Invocation } from './run';

/** Sign In: the device-code sign-in; concurrent calls share one flow. From the palette, it leads on to Select Account and Agency. */
export async function signIn(invocation: Invocation): Promise<SessionSummary> {
  const session = await signInTo({ interactive: invocation.interactive, clientName: clientNameArgument(invocation), profile: invocation.profile });
  if (invocation.interactive) {
    showNotice(
      'information',
      vscode.l10n.t('Signed in to IAM Identity Center as {0}. The session ends {1}.', plainText(session.account.label), formatEnd(session, host().clock.now())),
      [{ label: vscode.l10n.t('Select Account and Agency'), run: () => vscode.commands.executeCommand(COMMANDS.selectAgency) }],
    );
  }
  return { account: plainText(session.account.label), expiresAt: session.expiresAt, scopes: [...session.scopes] };
}

/**
 * Sign Out: takes the agency credentials out of the window's new processes and ends every
 * session of the profile, whatever else fails (every other window sees the sessions go
 * and takes its credentials out too); then, best effort, ends the portal session and
 * forgets the stored credentials of every agency used. A failure of those is logged and
 * reported once, and undoes nothing. The client registration and the selection stay.
 * From the palette, Relaunch Terminals is offered for open terminals with credentials.
 */
export async function signOut(invocation: Invocation): Promise<undefined> {
  let runtime: InstanceRuntime;
  try {
    runtime = host().instances.runtime(invocation.profile);
  } catch (error) {
    // A profile with no usable endpoint has no sessions to end.
    if (!isIdentityCenterError(error, 'configuration') || invocation.profile) throw error;
    if (invocation.interactive) void vscode.window.showInformationMessage(vscode.l10n.t('You were not signed in.'));
    return undefined;
  }
  const { count, problems } = await endSessions(runtime);
  if (problems.length > 0) {
    showWarning(vscode.l10n.t('Signed out of IAM Identity Center, with a problem: {0}', problems.map((problem) => problem.text).join(' ')), problems.find((problem) => problem.error)?.error);
  } else if (invocation.interactive) {
    const { message, button } = withRelaunchOffer(
      count > 0 ? vscode.l10n.t('Signed out of IAM Identity Center. The client registration is kept.') : vscode.l10n.t('You were not signed in.'),
    );
    showNotice('information', message, [button]);
  }
  return undefined;
}

/** Signs out of the session `sessionId` of `runtime` (the Accounts menu); the last one going ends the rest as Sign Out does. */
export async function removeSession(runtime: InstanceRuntime, sessionId: string): Promise<void> {
  const others = (await runtime.storedSessions()).filter((session) => session.id !== sessionId);
  if (others.length > 0) {
    await partsOf(runtime).sessions.remove(sessionId);
    return;
  }
  const { problems } = await endSessions(runtime);
  for (const problem of problems) host().log.warn(`Signing out: ${problem.log}`);
}

/** A part of signing out that failed: said to the user once, and logged. */
interface Problem {
  text: string;
  log: string;
  error?: IdentityCenterError;
}

/**
 * Ends every session of `runtime`: credentials out of the window's processes first, the
 * sessions removed whatever else fails, then the portal session and the stored
 * credentials, best effort. Resolves to how many sessions there were and what failed;
 * rejects only when the sessions could not be removed.
 */
async function endSessions(runtime: InstanceRuntime): Promise<{ count: number; problems: Problem[] }> {
  runtime.release();
  const sessions = await runtime.storedSessions();
  const manager = partsOf(runtime).sessions;
  const removal = Promise.all(sessions.map((session) => manager.remove(session.id))).then(
    () => undefined,
    (error: unknown) => ({ error }),
  );
  const portalFailure = await endPortalSessions(runtime, sessions.map((session) => session.accessToken));
  const forgotten = await forgetAllCredentials(runtime);
  const removed = await removal;
  if (removed) throw removed.error;
  const problems: Problem[] = [];
  if (portalFailure !== undefined) {
    problems.push({
      text: vscode.l10n.t('The portal session could not be ended; it ends by itself when it expires. {0}', userMessage(portalFailure)),
      log: 'the portal session could not be ended',
      error: isIdentityCenterError(portalFailure) ? portalFailure : undefined,
    });
  }
  if (!forgotten) {
    problems.push({
      text: vscode.l10n.t('Some stored agency credentials could not be deleted from VS Code\'s secret storage; they are no longer used. Check that the system keyring is unlocked, then sign out again to delete them.'),
      log: 'some stored agency credentials could not be deleted',
    });
  }
  return { count: sessions.length, problems };
}
