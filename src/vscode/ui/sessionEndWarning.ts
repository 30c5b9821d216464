/**
 * The warning that a session which cannot be refreshed ends soon, with Sign In Again:
 * shown by the one window that claims it (see `src/vscode/sessionEndNotice.ts`).
 */
import type { WindowLease } from '../../core/common/lease';
import * as vscode from 'vscode';
import type { Clock, SecretStore, Sleep } from '../../core/common/ports';
import { SessionEndWarnings } from '../../core/sessions/endWarnings';
import type { StoredSession } from '../../core/sessions/model';
import { formatEnd } from '../summaries';
import { showWithRemedy } from './errors';

/** Where the record of warned sessions is, and how to claim it across windows. */
export interface EndingSessionsDeps {
  /** The SecretStorage key of the record of sessions warned about. */
  key: string;
  store: SecretStore;
  clock: Clock;
  sleep: Sleep;
  lease: WindowLease;
}

/** Claims the warnings of `sessions` due now that no window has shown, shows them, and returns how many. */
export async function warnOfEndingSessions(sessions: readonly StoredSession[], deps: EndingSessionsDeps): Promise<number> {
  const warnings = new SessionEndWarnings({ key: deps.key, store: deps.store, clock: deps.clock, lease: { ...deps.lease, sleep: deps.sleep } });
  const due = await warnings.claimDue(sessions);
  for (const session of due) {
    const ends = formatEnd(session, deps.clock.now());
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
