/**
 * The real `Sleep`, on the event loop's timers. In its own file so the activation
 * bundle can use it without the device-flow state machine.
 */
import { cancelledError } from './errors';
import type { Sleep } from './ports';

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
