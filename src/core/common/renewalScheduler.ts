/**
 * Keeps something that expires renewed while the extension runs: it waits until the
 * current one falls due, renews it, and waits again.
 *
 * A service that issues short-lived things must not get a renewal storm (one-second
 * client secrets would otherwise mean a registration every second, forever). So a
 * renewal never comes sooner than `MIN_RENEWAL_INTERVAL_MS` after the current one was
 * issued; while the service keeps issuing ones that live less than
 * `SHORT_LIFETIME_MS`, that floor doubles each time, up to an hour; and the first such
 * one is reported once. A failed renewal is tried again after
 * `RETRY_AFTER_FAILURE_MS`.
 */
import { isIdentityCenterError } from './errors';
import { Clock, Logger, Sleep } from './ports';

/** The shortest time between an issue and the automatic renewal after it (5 minutes). */
export const MIN_RENEWAL_INTERVAL_MS = 5 * 60_000;

/** The floor grows to at most this (one hour) for a service that keeps issuing short-lived ones. */
export const MAX_RENEWAL_INTERVAL_MS = 60 * 60_000;

/** A lifetime below this (10 minutes) is too short to renew on time: it is reported. */
export const SHORT_LIFETIME_MS = 2 * MIN_RENEWAL_INTERVAL_MS;

/** After a failed renewal, the next try comes this much later (5 minutes). */
export const RETRY_AFTER_FAILURE_MS = 5 * 60_000;

/** The longest single wait: setTimeout's limit (about 24.8 days); longer waits are taken in steps. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The times of one issued thing, on this computer's clock (epoch ms). */
export interface Renewable {
  issuedAtMs: number;
  /** When it must be renewed: its expiry minus the margin. */
  dueAtMs: number;
  expiresAtMs: number;
}

/** What the scheduler is built from. */
export interface RenewalSchedulerDeps {
  /** What is renewed, for the log: "the client registration". */
  what: string;
  clock: Clock;
  sleep: Sleep;
  logger: Logger;
  /** Renews now (or returns the current one when another caller already did). */
  renew(signal: AbortSignal): Promise<Renewable>;
  /** Told once when the service issues something that lives less than `SHORT_LIFETIME_MS`. */
  onShortLifetime?(lifetimeMs: number): void;
}

/** Renews one thing in the background until stopped. */
export class RenewalScheduler {
  private loop?: AbortController;
  private lastIssuedAtMs?: number;
  private shortInARow = 0;
  private reportedShort = false;

  constructor(private readonly deps: RenewalSchedulerDeps) {}

  /** (Re)starts the schedule from `current`; undefined stops it. */
  start(current: Renewable | undefined): void {
    this.stop();
    if (!current) return;
    this.observe(current);
    this.launch(current);
  }

  /** Tries again in `RETRY_AFTER_FAILURE_MS`, after a failure before anything could be scheduled. */
  retryLater(): void {
    this.stop();
    const now = this.deps.clock.now();
    this.launch({ issuedAtMs: this.lastIssuedAtMs ?? now, dueAtMs: now + RETRY_AFTER_FAILURE_MS, expiresAtMs: Number.MAX_SAFE_INTEGER });
  }

  /** Stops the schedule; a renewal in flight is aborted. */
  stop(): void {
    this.loop?.abort();
    this.loop = undefined;
  }

  /** When the next renewal is due (epoch ms), floor included: for tests and the log. */
  nextRenewalAtMs(current: Renewable): number {
    return Math.max(current.dueAtMs, current.issuedAtMs + this.floorMs());
  }

  private launch(first: Renewable): void {
    const loop = new AbortController();
    this.loop = loop;
    void this.run(first, loop.signal);
  }

  private async run(first: Renewable, signal: AbortSignal): Promise<void> {
    let current = first;
    while (!signal.aborted) {
      const atMs = this.nextRenewalAtMs(current);
      const waitMs = atMs - this.deps.clock.now();
      try {
        if (waitMs > 0) {
          await this.deps.sleep(Math.min(waitMs, MAX_TIMER_MS), signal);
          continue;
        }
        const renewed = await this.deps.renew(signal);
        this.observe(renewed);
        // Something still due right after renewing would spin this loop: wait as after a failure.
        current = this.nextRenewalAtMs(renewed) > this.deps.clock.now() ? renewed : this.retryState(renewed);
      } catch (error) {
        if (signal.aborted) return;
        const kind = isIdentityCenterError(error) ? error.kind : 'error';
        this.deps.logger.warn(`Background renewal of ${this.deps.what} failed (${kind}); trying again in ${RETRY_AFTER_FAILURE_MS / 60_000} minutes.`);
        current = this.retryState(current);
      }
    }
  }

  private retryState(current: Renewable): Renewable {
    const now = this.deps.clock.now();
    return { issuedAtMs: current.issuedAtMs, dueAtMs: now + RETRY_AFTER_FAILURE_MS, expiresAtMs: current.expiresAtMs };
  }

  /** Counts issues in a row that live too short, to raise the floor and report once. */
  private observe(current: Renewable): void {
    if (current.issuedAtMs === this.lastIssuedAtMs) return;
    this.lastIssuedAtMs = current.issuedAtMs;
    const lifetimeMs = current.expiresAtMs - current.issuedAtMs;
    if (lifetimeMs >= SHORT_LIFETIME_MS) {
      this.shortInARow = 0;
      return;
    }
    this.shortInARow++;
    if (this.reportedShort) return;
    this.reportedShort = true;
    this.deps.logger.warn(
      `The service issued ${this.deps.what} that expires ${Math.round(lifetimeMs / 1000)} s after it was issued. It is renewed at most every ${MIN_RENEWAL_INTERVAL_MS / 60_000} minutes, less often while this goes on.`,
    );
    this.deps.onShortLifetime?.(lifetimeMs);
  }

  private floorMs(): number {
    return Math.min(MIN_RENEWAL_INTERVAL_MS * 2 ** Math.max(0, this.shortInARow - 1), MAX_RENEWAL_INTERVAL_MS);
  }
}
