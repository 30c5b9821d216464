/**
 * Time that tests control: a clock they move, and sleeps that pass at once by moving
 * it. Used by the unit tests' fakes (`test/support/fakeTime.ts`) and, in Test mode
 * only, by the extension (`src/vscode/testSeams.ts`); the Marketplace bundle has none
 * of it.
 */
import { cancelledError } from '../core/common/errors';
import type { Clock, Sleep } from '../core/common/ports';
import { createTimerSleep } from '../core/common/ports';

/** The system clock, which in-VS-Code tests can move forward. */
export class AdjustableClock implements Clock {
  private offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  /** Moves this clock forward by `ms`. */
  advance(ms: number): void {
    this.offsetMs += ms;
  }
  /** Back to the system time. */
  reset(): void {
    this.offsetMs = 0;
  }
}

/** Hooks of `instantSleep`. */
export interface InstantSleepOptions {
  /**
   * Called when a sleep starts, before the clock moves: a test may abort the signal
   * here to cancel "during" the sleep (the sleep then rejects and the clock stays).
   */
  onSleep?(ms: number, signal: AbortSignal | undefined): void;
  /** What runs before the clock moves: one microtask unless given (a test may let I/O in). */
  yieldTo?: () => Promise<void>;
}

/**
 * A `Sleep` that calls `advance(ms)` at once (after `yieldTo`), and rejects with a
 * `cancelled` error, without advancing, when the signal is aborted before or during
 * the sleep. A negative or non-finite `ms` rejects with a `RangeError`, so a schedule
 * bug fails the test rather than passing silently.
 */
export function instantSleep(advance: (ms: number) => void, options: InstantSleepOptions = {}): Sleep {
  const yieldTo = options.yieldTo ?? (() => Promise.resolve());
  return async (ms, signal) => {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`an instant sleep cannot sleep ${ms} ms`);
    if (signal?.aborted) throw cancelledError(signal.reason);
    options.onSleep?.(ms, signal);
    await yieldTo();
    if (signal?.aborted) throw cancelledError(signal.reason);
    advance(ms);
  };
}

/**
 * A `Sleep` on real timers, or, while `instant.enabled`, one that moves `clock` at once
 * (letting I/O run first), so in-VS-Code sign-in tests never wait for poll intervals.
 */
export function switchableSleep(clock: AdjustableClock, instant: { enabled: boolean }): Sleep {
  const timerSleep = createTimerSleep();
  const instantly = instantSleep((ms) => clock.advance(ms), { yieldTo: () => new Promise((resolve) => setImmediate(resolve)) });
  return (ms, signal) => (instant.enabled ? instantly(ms, signal) : timerSleep(ms, signal));
}
