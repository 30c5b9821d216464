/**
 * The warning that a session which cannot be refreshed ends soon, with Sign In Again:
 * shown by the one window that claims it (see `src/vscode/sessionEndNotice.ts`), and the one that client secrets live too short.
 */
import * as vscode from 'vscode';
import type { InstanceRuntime } from '../../core/instance/runtime';
import { SessionEndWarnings } from '../../core/sessions/endWarnings';
import { host } from './instances';
import { formatEnd } from '../summaries';
import { showWithRemedy } from './errors';

/** Claims the warnings of `runtime`'s sessions due now that no window has shown, shows them, and returns how many. */
export async function warnOfEndingSessions(runtime: InstanceRuntime): Promise<number> {
  const { store, clock, sleep, windowId, onSecretChange } = host();
  const warnings = new SessionEndWarnings({ key: `${runtime.sessionsKey}|end-warnings`, store, clock, lease: { sleep, owner: windowId, onDidChange: onSecretChange } });
  const due = await warnings.claimDue(await runtime.storedSessions());
  for (const session of due) {
    const ends = formatEnd(session, clock.now());
    const message = vscode.l10n.t('Your IAM Identity Center session ends {0} and cannot be renewed. Sign in again to stay signed in.', ends);
    showWithRemedy('warning', message, 'signIn', vscode.l10n.t('Sign In Again'));
  }
  return due.length;
}

/** Warns that the service issues client secrets too short-lived to renew on time. */
export function warnOfShortLivedSecrets(lifetimeMs: number): void {
  void vscode.window.showWarningMessage(
    vscode.l10n.t(
      'IAM Identity Center issues client secrets that expire {0} seconds after they are issued, too soon to renew them on time. The extension renews at most every few minutes, so sign-in may fail. Ask your administrator to check the service\'s client secret lifetime.',
      Math.round(lifetimeMs / 1000),
    ),
  );
}
