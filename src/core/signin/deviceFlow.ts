/**
 * The polling state machine of the OAuth device authorization grant (RFC 8628). No HTTP
 * here: the caller hands in one `poll` function that makes one token request and maps
 * its answer to a `PollOutcome` (the OIDC client's `pollDeviceToken`).
 *
 * The polling steps:
 *
 *   1. Start (§3.2): the device authorization response gives `interval` (5 s when
 *      absent) and the device code's lifetime (`expires_in`), fixed as `expiresAtMs`.
 *   2. Wait (§3.4): sleep `interval` before the first poll and between polls. If the
 *      next poll would come after `expiresAtMs`, stop with `expired` instead of
 *      sleeping: the device code cannot succeed any more (§3.5 `expired_token`).
 *   3. Poll (§3.4): one token request.
 *   4. Act on the answer (§3.5):
 *      - token: done.
 *      - `authorization_pending`: back to 2 with the same interval.
 *      - `slow_down`: raise the interval by 5 s, for this wait and every later one;
 *        back to 2.
 *      - `access_denied`: stop with `denied`.
 *      - `expired_token`: stop with `expired`.
 *      - a transient failure (network, timeout, 5xx, 429): back to 2, waiting the
 *        interval plus an exponential backoff (or `Retry-After` when longer), until
 *        too many fail in a row; then stop with the last failure.
 *      - anything else (rejected client, other 4xx, protocol): stop with it as is.
 *   Cancel: an aborted signal stops the flow at any step with `cancelled`, and no
 *   further request is sent.
 */
import { cancelledError, FailureDetails, IdentityCenterError, isIdentityCenterError } from '../common/errors';
import * as l10n from '@vscode/l10n';
import type { Clock, Logger, Sleep } from '../common/ports';
import { silentLogger } from '../common/ports';
import { protocolError } from '../common/validate';
import { DEFAULT_POLL_INTERVAL_SECONDS, DeviceAuthorization } from '../oidc/deviceAuthorization';
import type { PollOutcome } from '../oidc/tokenErrors';
import { isTransientFailure } from '../transport/httpFailure';

/** RFC 8628 §3.5: how much each `slow_down` raises the interval. */
export const SLOW_DOWN_INCREMENT_SECONDS = 5;

/** What `pollForToken` is given: one token request, and time. */
export interface PollDeps<T> {
  /**
   * Makes one token request. Resolves with the token, `pending` or `slowDown`; rejects
   * with an `IdentityCenterError` for everything else (`denied`, `expired`,
   * `rejectedClient`, `network`, `timeout`, `service` with `status`, `protocol`,
   * `cancelled`).
   */
  poll(signal?: AbortSignal): Promise<PollOutcome<T>>;
  clock: Clock;
  sleep: Sleep;
  /** Gets one debug line per poll; never a device code or token. */
  logger?: Logger;
  /** Transient failures in a row that end the flow with the last of them (default 5). */
  maxConsecutiveTransientFailures?: number;
  /** Cap of the backoff added to the interval after a transient failure (default 60 s). */
  maxBackoffMs?: number;
}

/** Default for `PollDeps.maxConsecutiveTransientFailures`. */
export const DEFAULT_MAX_CONSECUTIVE_TRANSIENT_FAILURES = 5;

/** Default for `PollDeps.maxBackoffMs`. */
export const DEFAULT_MAX_BACKOFF_MS = 60_000;

/**
 * Polls the token endpoint until the person approves the sign-in, following the steps
 * at the top of this file, and resolves with the token. After the n-th transient
 * failure in a row the wait is `interval + min(interval * 2^(n-1), maxBackoffMs)`, or
 * the failure's `Retry-After` when longer. Rejects with an `IdentityCenterError`:
 * `expired`, `denied`, `cancelled` (no request is sent after it), the last transient
 * failure when too many came in a row, or any other failure of `poll` unchanged.
 */
export async function pollForToken<T>(authorization: DeviceAuthorization, deps: PollDeps<T>, signal?: AbortSignal): Promise<T> {
  const schedule = new PollSchedule(authorization, deps);
  for (let attempt = 1; ; attempt++) {
    await schedule.waitUntilNextPoll(attempt, signal);
    let outcome: PollOutcome<T>;
    try {
      outcome = await deps.poll(signal);
    } catch (error) {
      if (signal?.aborted) throw cancelledError(error);
      schedule.onPollFailure(attempt, error);
      continue;
    }
    // Aborted while the request was in flight: the caller no longer wants the result.
    throwIfAborted(signal);
    if (outcome.kind === 'token') {
      schedule.logger.debug(`Sign-in poll ${attempt}: approved.`);
      return outcome.token;
    }
    schedule.onWaitAnswer(attempt, outcome);
  }
}

/** The polling schedule's state: the interval in force, the next wait, and the failures in a row. */
class PollSchedule<T> {
  readonly logger: Logger;
  private readonly maxFailures: number;
  private readonly maxBackoffMs: number;
  private intervalMs: number;
  private waitMs: number;
  private failures = 0;
  private lastFailure?: IdentityCenterError;

  constructor(
    private readonly authorization: DeviceAuthorization,
    private readonly deps: PollDeps<T>,
  ) {
    this.logger = deps.logger ?? silentLogger;
    this.maxFailures = Math.max(1, deps.maxConsecutiveTransientFailures ?? DEFAULT_MAX_CONSECUTIVE_TRANSIENT_FAILURES);
    this.maxBackoffMs = Math.max(0, deps.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS);
    this.intervalMs = validInterval(authorization.intervalSeconds) * 1000;
    this.waitMs = this.intervalMs;
  }

  /** Step 2: waits for the next poll, or stops with `expired` when it would come after the device code's lifetime. */
  async waitUntilNextPoll(attempt: number, signal: AbortSignal | undefined): Promise<void> {
    throwIfAborted(signal);
    if (this.deps.clock.now() + this.waitMs > this.authorization.expiresAtMs) {
      this.logger.debug(`Sign-in: the device code expires before poll ${attempt} would be due; stopping.`);
      throw expiredError(this.lastFailure);
    }
    try {
      await this.deps.sleep(this.waitMs, signal);
    } catch (error) {
      if (signal?.aborted) throw cancelledError(error);
      throw error;
    }
    throwIfAborted(signal);
  }

  /** Step 4 for a failed poll: stop on denied, expired or a final failure; otherwise back off. */
  onPollFailure(attempt: number, error: unknown): void {
    if (isIdentityCenterError(error, 'denied')) {
      this.logger.debug(`Sign-in poll ${attempt}: denied.`);
      throw new IdentityCenterError('denied', l10n.t('Sign-in was denied in the browser. Sign in again to retry.'), detailsOf(error));
    }
    if (isIdentityCenterError(error, 'expired')) {
      this.logger.debug(`Sign-in poll ${attempt}: the device code expired.`);
      throw expiredError(error);
    }
    if (!isTransientFailure(error)) {
      this.logger.debug(`Sign-in poll ${attempt}: failed (${describeFailure(error)}); stopping.`);
      throw error;
    }
    this.failures++;
    this.lastFailure = error;
    if (this.failures >= this.maxFailures) {
      this.logger.debug(`Sign-in poll ${attempt}: failed (${describeFailure(error)}), ${this.failures} times in a row; stopping.`);
      throw error;
    }
    const backoffMs = Math.min(this.intervalMs * 2 ** (this.failures - 1), this.maxBackoffMs);
    this.waitMs = Math.max(this.intervalMs + backoffMs, (error.retryAfterSeconds ?? 0) * 1000);
    this.logger.debug(`Sign-in poll ${attempt}: failed (${describeFailure(error)}); retry ${this.failures} of ${this.maxFailures - 1} in ${this.waitMs / 1000} s.`);
  }

  /** Step 4 for `pending` or `slowDown`: the failures in a row end, and `slowDown` raises the interval for good. */
  onWaitAnswer(attempt: number, outcome: PollOutcome<T>): void {
    if (outcome.kind === 'slowDown') this.intervalMs += SLOW_DOWN_INCREMENT_SECONDS * 1000;
    else if (outcome.kind !== 'pending') throw protocolError(l10n.t('the token response could not be understood'));
    this.failures = 0;
    this.lastFailure = undefined;
    this.waitMs = this.intervalMs;
    this.logger.debug(`Sign-in poll ${attempt}: ${outcome.kind === 'pending' ? 'authorization pending' : 'slow down'}; next poll in ${this.intervalMs / 1000} s.`);
  }
}

function validInterval(seconds: number): number {
  return Number.isFinite(seconds) && seconds >= 1 ? seconds : DEFAULT_POLL_INTERVAL_SECONDS;
}

function describeFailure(error: unknown): string {
  if (!(error instanceof IdentityCenterError)) return 'unexpected error';
  return error.status === undefined ? error.kind : `${error.kind}, HTTP ${error.status}`;
}

/** The details of a sign-in that must start again: the failure's, and the Sign In remedy. */
function detailsOf(error: IdentityCenterError): FailureDetails {
  return { status: error.status, code: error.code, serviceText: error.serviceText, cause: error, remedy: 'signIn' };
}

function expiredError(cause: IdentityCenterError | undefined): IdentityCenterError {
  if (cause && cause.kind !== 'expired') {
    return new IdentityCenterError(
      'expired',
      l10n.t('The sign-in code expired while IAM Identity Center could not be reached. Check the network, then sign in again.'),
      { cause, remedy: 'signIn' },
    );
  }
  return new IdentityCenterError(
    'expired',
    l10n.t('The sign-in code expired before sign-in was completed in the browser. Sign in again to get a new code.'),
    cause ? detailsOf(cause) : { remedy: 'signIn' },
  );
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError(signal.reason);
}
