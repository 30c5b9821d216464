/**
 * One run of a piece of work for every caller that asks while it runs, so a hundred
 * callers needing a renewal cause one request. Each caller may bring its own
 * cancellation: a caller that gives up stops waiting at once, and the work itself is
 * aborted only when every caller waiting on it has given up.
 */
import { cancelledError } from './errors';

interface Flight<T> {
  promise: Promise<T>;
  controller: AbortController;
  /** Callers still waiting; those without a signal keep it above zero for good. */
  waiting: number;
}

/** Shares one run of async work among concurrent callers. */
export class SingleFlight<T> {
  private current?: Flight<T>;

  /** True while a run is in progress. */
  get running(): boolean {
    return this.current !== undefined;
  }

  /**
   * Joins the run in progress, or starts `work` when there is none. A run every caller
   * gave up on is aborted and about to end: a new caller gets a run of its own, not
   * the others' cancellation.
   */
  run(work: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const live = this.current && !this.current.controller.signal.aborted ? this.current : undefined;
    return this.join(live ?? this.start(work), signal);
  }

  /**
   * Starts `work` once the run in progress (if any) has settled, and makes it the run
   * that later callers of `run` join.
   */
  runNext(work: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const previous = this.current?.promise.catch(() => undefined);
    return this.join(
      this.start(async (workSignal) => {
        await previous;
        return work(workSignal);
      }),
      signal,
    );
  }

  private start(work: (signal: AbortSignal) => Promise<T>): Flight<T> {
    const controller = new AbortController();
    const promise = (async () => work(controller.signal))().finally(() => {
      if (this.current === flight) this.current = undefined;
    });
    const flight: Flight<T> = { promise, controller, waiting: 0 };
    this.current = flight;
    return flight;
  }

  private join(flight: Flight<T>, signal: AbortSignal | undefined): Promise<T> {
    flight.waiting++;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const onAbort = (): void => {
        if (settled) return;
        settled = true;
        flight.waiting--;
        if (flight.waiting === 0) flight.controller.abort(signal?.reason);
        reject(cancelledError(signal?.reason));
      };
      const settle = (action: () => void): void => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        action();
      };
      flight.promise.then(
        (value) => settle(() => resolve(value)),
        (error: unknown) => settle(() => reject(error)),
      );
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** One `SingleFlight` per key (a session id, a record key), dropped when idle. */
export class KeyedSingleFlight<T> {
  private readonly flights = new Map<string, SingleFlight<T>>();

  /** Joins the run in progress for `key`, or starts `work` for it. */
  run(key: string, work: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    let flight = this.flights.get(key);
    if (!flight) {
      flight = new SingleFlight<T>();
      this.flights.set(key, flight);
    }
    const owner = flight;
    const result = owner.run(work, signal);
    const forget = (): void => {
      if (!owner.running && this.flights.get(key) === owner) this.flights.delete(key);
    };
    result.then(forget, forget);
    return result;
  }
}
