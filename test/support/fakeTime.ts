/**
 * Test doubles for time: a clock that moves only when told, and a `Sleep` that moves
 * it at once. Tests that use them never really wait, and can assert exact schedules.
 */
import { IdentityCenterError } from '../../src/core/errors';
import type { Clock, Sleep } from '../../src/core/ports';

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
 * A `Sleep` that advances `clock` by `ms` instantly (after one microtask), and
 * rejects with a `cancelled` error, without moving the clock, when the signal is
 * aborted before or during the sleep. A negative or non-finite `ms` rejects with a
 * `RangeError`, so a schedule bug fails the test rather than passing silently.
 */
export function fakeSleep(clock: FakeClock, options: FakeSleepOptions = {}): Sleep {
  return async (ms, signal) => {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`fakeSleep cannot sleep ${ms} ms`);
    if (signal?.aborted) throw new IdentityCenterError('cancelled', 'Cancelled.', { cause: signal.reason });
    options.record?.push(ms);
    options.onSleep?.(ms, signal);
    await Promise.resolve();
    if (signal?.aborted) throw new IdentityCenterError('cancelled', 'Cancelled.', { cause: signal.reason });
    clock.advance(ms);
  };
}
