/**
 * Several VS Code windows on one machine, for unit tests: a secret store they share
 * that tells every window which key changed (as SecretStorage's `onDidChange` does),
 * and sleeps that end only when the test moves the clock past them.
 */
import { strict as assert } from 'node:assert';
import { IdentityCenterError } from '../../src/core/errors';
import type { Sleep } from '../../src/core/ports';
import type { FakeClock } from './fakeTime';
import { MemorySecretStore } from './memoryLogger';

/** A store shared by windows, telling every subscriber which key changed. */
export class SharedStore extends MemorySecretStore {
  private readonly listeners = new Set<(key: string) => void>();
  override async store(key: string, value: string): Promise<void> {
    await super.store(key, value);
    this.listeners.forEach((listener) => listener(key));
  }
  override async delete(key: string): Promise<void> {
    await super.delete(key);
    this.listeners.forEach((listener) => listener(key));
  }
  /** Subscribes to changes; returns the unsubscribe function. */
  onDidChange = (listener: (key: string) => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

/** Sleeps that end only when the test moves the clock past them. */
export class ManualTimers {
  private readonly waiting = new Set<{ at: number; resolve: () => void }>();
  constructor(readonly clock: FakeClock) {}
  /** Sleeps not yet ended. */
  get pending(): number {
    return this.waiting.size;
  }
  /** The longest pending sleep's end, ms from now; 0 when none. */
  get longestPendingMs(): number {
    return Math.max(0, ...[...this.waiting].map((entry) => entry.at - this.clock.now()));
  }
  sleep: Sleep = (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.waiting.delete(entry);
        reject(new IdentityCenterError('cancelled', 'Cancelled.'));
      };
      const entry = {
        at: this.clock.now() + ms,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.waiting.add(entry);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  /** Moves the clock and ends the sleeps it passes. */
  advance(ms: number): void {
    this.clock.advance(ms);
    for (const entry of [...this.waiting]) {
      if (entry.at <= this.clock.now()) {
        this.waiting.delete(entry);
        entry.resolve();
      }
    }
  }
}

/** Lets promises and I/O run until `check` holds (bounded). */
export async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 1));
  assert.ok(check(), `never: ${what}`);
}
