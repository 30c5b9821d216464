/**
 * Warns once, in one window, before a session that cannot be refreshed ends: ten minutes
 * ahead (a tenth of its life for a short one), with a Sign In Again action. A timer
 * follows the sessions; the core decides which are due and claims them across windows.
 */
import * as vscode from 'vscode';
import type { Clock, Logger, SecretStore, Sleep } from '../core/common/ports';
import { MAX_TIMER_MS } from '../core/common/renewalScheduler';
import { SessionEndWarnings } from '../core/sessions/endWarnings';
import type { IdentityCenterAuthProvider } from './authProvider';
import { COMMANDS } from './commands/ids';

/** What the notice is built from. */
export interface SessionEndNoticeDeps {
  provider: IdentityCenterAuthProvider;
  store: SecretStore;
  clock: Clock;
  sleep: Sleep;
  logger: Logger;
  lease: { owner: string; onDidChange: (listener: (key: string) => void) => () => void };
}

/** The timer and the warning. */
export class SessionEndNotice implements vscode.Disposable {
  private timer?: ReturnType<typeof setTimeout>;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly deps: SessionEndNoticeDeps) {
    this.subscription = deps.provider.onDidChangeSessions(() => void this.schedule());
  }

  /** Sets the timer for the next warning (at startup and whenever the sessions change). */
  async schedule(): Promise<void> {
    this.cancel();
    const next = this.warnings()?.nextWarningAtMs(await this.deps.provider.storedSessions().catch(() => []));
    if (next === undefined) return;
    this.timer = setTimeout(() => void this.warnDue(), Math.min(Math.max(0, next - this.deps.clock.now()), MAX_TIMER_MS));
    this.timer.unref?.();
  }

  /** Shows the warnings due now that no window has shown; returns how many this window showed. */
  async warnDue(): Promise<number> {
    const warnings = this.warnings();
    if (!warnings) return 0;
    try {
      const due = await warnings.claimDue(await this.deps.provider.storedSessions());
      for (const session of due) {
        const ends = new Date(session.expiresAt * 1000).toLocaleTimeString();
        const again = vscode.l10n.t('Sign In Again');
        void vscode.window
          .showWarningMessage(vscode.l10n.t('Your IAM Identity Center session ends at {0} and cannot be renewed. Sign in again to stay signed in.', ends), again)
          .then((choice) => {
            if (choice === again) void vscode.commands.executeCommand(COMMANDS.signIn);
          });
      }
      return due.length;
    } catch (error) {
      this.deps.logger.warn(`Could not check for sessions that end soon: ${error instanceof Error ? error.name : 'error'}`);
      return 0;
    } finally {
      void this.schedule();
    }
  }

  /** Stops the timer and the listener. */
  dispose(): void {
    this.cancel();
    this.subscription.dispose();
  }

  private cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The warnings of the sessions record in force, or undefined when no endpoint is set. */
  private warnings(): SessionEndWarnings | undefined {
    const key = this.deps.provider.sessionsKey();
    if (!key) return undefined;
    return new SessionEndWarnings({ key: `${key}|end-warnings`, store: this.deps.store, clock: this.deps.clock, lease: { ...this.deps.lease, sleep: this.deps.sleep } });
  }
}
