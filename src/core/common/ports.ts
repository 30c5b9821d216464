/**
 * The boundaries the core is handed by its host (the VS Code adapter, or a test).
 * Each is small so a test can supply a real-enough one in a few lines.
 */
import { cancelledError } from './errors';

/** Wall-clock time, injected so tests move it instead of sleeping. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** The system clock. */
export const systemClock: Clock = { now: () => Date.now() };

/**
 * Where secrets live: VS Code's SecretStorage in the extension, a Map in tests.
 * Values are opaque strings; the core owns their format.
 */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** A log sink. A `vscode.LogOutputChannel` fits as it is. Never give it a secret. */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A logger that drops everything. */
export const silentLogger: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/**
 * Waits `ms` milliseconds of the injected clock's time, or rejects with a
 * `cancelled` error when `signal` aborts. Tests supply one that moves a fake clock.
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * The real `Sleep`: a timer that is cleared, and the promise rejected with a
 * `cancelled` error, when `signal` aborts.
 */
export function createTimerSleep(): Sleep {
  return (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(cancelledError(signal.reason));
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(cancelledError(signal?.reason));
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, Number.isFinite(ms) ? ms : 0),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    });
}
