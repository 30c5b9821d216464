/**
 * Test doubles for time: a clock that moves only when told, and a `Sleep` that moves
 * it at once. Tests that use them never really wait, and can assert exact schedules.
 */
import { instantSleep } from '../../src/testing/time';
import type { Clock, Sleep } from '../../src/core/common/ports';

/** A `Clock` that stands still until `advance` is called. */
export class FakeClock implements Clock {
  private nowMs: number;

  constructor(startMs = 0) {
    this.nowMs = startMs;
  }

  /** The current fake time, in epoch milliseconds. */
  now(): number {
    return this.nowMs;
  }

  /** Moves the clock forward; refuses to go back, which would hide bugs. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`FakeClock cannot advance by ${ms} ms`);
    this.nowMs += ms;
  }
}

/** Hooks and records for `fakeSleep`. */
export interface FakeSleepOptions {
  /**
   * Called when a sleep starts, before the clock moves: a test may abort the signal
   * here to cancel "during" the sleep (the sleep then rejects and the clock stays).
   */
  onSleep?(ms: number, signal: AbortSignal | undefined): void;
  /** Receives the duration of every sleep that starts, in order. */
  record?: number[];
}

/**
 * A `Sleep` that advances `clock` by `ms` instantly (after one microtask), and records
 * each duration: `instantSleep` (the same one the extension uses in Test mode), which
 * rejects with a `cancelled` error when the signal aborts and with a `RangeError` for a
 * negative or non-finite `ms`.
 */
export function fakeSleep(clock: FakeClock, options: FakeSleepOptions = {}): Sleep {
  return instantSleep((ms) => clock.advance(ms), {
    onSleep: (ms, signal) => {
      options.record?.push(ms);
      options.onSleep?.(ms, signal);
    },
  });
}
