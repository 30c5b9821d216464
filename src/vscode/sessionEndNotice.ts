/**
 * Warns once, in one window, before a session of the window's profile that cannot be
 * refreshed ends: ten minutes ahead (a tenth of its life for a short one), with Sign In
 * Again. A timer follows the sessions; when it fires, the lazy bundle claims the due
 * warnings across windows (`core/sessions/endWarnings.ts`) and shows them
 * (`src/vscode/ui/sessionEndNotice.ts`).
 */
import type * as vscode from 'vscode';
import type { Clock, Logger } from '../core/common/ports';
import { MAX_TIMER_MS } from '../core/common/renewalScheduler';
import type { InstanceRegistry } from '../core/instance/registry';
import { nextSessionEndWarningAtMs, sessionEndWarningAtMs } from '../core/sessions/model';
import type { LazyBundle } from './lazy';

/** What the notice is built from. */
export interface SessionEndNoticeDeps {
  instances: InstanceRegistry;
  clock: Clock;
  logger: Logger;
  lazy: () => LazyBundle;
}

/** The timer and the warning. */
export class SessionEndNotice implements vscode.Disposable {
  private timer?: ReturnType<typeof setTimeout>;
  private readonly unsubscribe: () => void;
  /** Sessions whose warning this window has already tried to claim: never timed again. */
  private readonly checked = new Set<string>();
  /** Counts `schedule` calls, so only the latest one sets the timer. */
  private generation = 0;
  private disposed = false;

  constructor(private readonly deps: SessionEndNoticeDeps) {
    this.unsubscribe = deps.instances.onDidChange((runtime, change) => {
      if (runtime === deps.instances.windowInstance() && change !== 'agency') void this.schedule();
    });
  }

  /** Sets the timer for the next warning (at startup and whenever the sessions change). */
  async schedule(): Promise<void> {
    const generation = ++this.generation;
    this.cancel();
    const sessions = (await this.deps.instances.windowInstance()?.storedSessions().catch(() => [])) ?? [];
    if (this.disposed || generation !== this.generation) return;
    const now = this.deps.clock.now();
    const next = nextSessionEndWarningAtMs(sessions.filter((session) => !this.checked.has(session.id) && now < session.expiresAt * 1000));
    if (next === undefined) return;
    this.timer = setTimeout(() => void this.warnDue(), Math.min(Math.max(0, next - now), MAX_TIMER_MS));
    this.timer.unref?.();
  }

  /** Shows the warnings due now that no window has shown; returns how many this window showed. */
  async warnDue(): Promise<number> {
    const runtime = this.deps.instances.windowInstance();
    if (!runtime) return 0;
    try {
      const now = this.deps.clock.now();
      // Claimed here or by another window, or failing to claim: either way, not timed again.
      for (const session of await runtime.storedSessions()) if ((sessionEndWarningAtMs(session) ?? Infinity) <= now) this.checked.add(session.id);
      return await this.deps.lazy().warnOfEndingSessions(runtime);
    } catch (error) {
      this.deps.logger.warn(`Could not check for sessions that end soon: ${error instanceof Error ? error.name : 'error'}`);
      return 0;
    } finally {
      void this.schedule();
    }
  }

  /** Stops the timer and the listener. */
  dispose(): void {
    this.disposed = true;
    this.cancel();
    this.unsubscribe();
  }

  private cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
