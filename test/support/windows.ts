/**
 * Several VS Code windows on one machine, for unit tests: what each window's lease sees
 * of a secret store they share (which key changed, as SecretStorage's `onDidChange`
 * tells), and sleeps that end only when the test moves the clock past them.
 */
import { strict as assert } from 'node:assert';
import { cancelledError } from '../../src/core/common/errors';
import type { Sleep } from '../../src/core/common/ports';
import type { FakeClock } from './fakeTime';
import type { MemorySecretStore } from './memorySecretStore';

/**
 * The lease's view of a store shared by windows: which key changed, with an unsubscribe
 * function (the core's shape of VS Code's `SecretStorage.onDidChange`).
 */
export function keyChanges(store: MemorySecretStore): (listener: (key: string) => void) => () => void {
  return (listener) => {
    const subscription = store.onDidChange(({ key }) => listener(key));
    return () => subscription.dispose();
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
  /** The earliest pending sleep's end (epoch ms); undefined when none. */
  get nextEndMs(): number | undefined {
    return this.waiting.size > 0 ? Math.min(...[...this.waiting].map((entry) => entry.at)) : undefined;
  }
  /** The longest pending sleep's end, ms from now; 0 when none. */
  get longestPendingMs(): number {
    return Math.max(0, ...[...this.waiting].map((entry) => entry.at - this.clock.now()));
  }
  sleep: Sleep = (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.waiting.delete(entry);
        reject(cancelledError());
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
