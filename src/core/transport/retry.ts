/**
 * Retrying a request that failed for a passing reason, bounded in attempts and in
 * time. Time, sleeping and randomness are injected, so tests assert exact schedules
 * without waiting.
 *
 * Schedule: after a 429 or 503 that carries `Retry-After` (seconds or an HTTP date),
 * wait exactly that long; a wait longer than `maxRetryAfterMs` ends the retries (the
 * service asked us to stay away, and retrying sooner would not honour it). Otherwise
 * wait with exponential backoff and full jitter: `random() * min(maxDelayMs,
 * baseDelayMs * 2^(retry - 1))` (the AWS Architecture Blog's "full jitter"), which
 * spreads many clients that failed at the same moment. No retry starts when it would
 * begin after `maxTotalMs` from the first attempt.
 */
import { cancelledError } from '../common/errors';
import { Clock, Sleep } from '../common/ports';
import { httpFailureClass, isTransientFailure, parseRetryAfter } from './httpFailure';
import { HttpResponse } from './port';

/** How hard to retry. */
export interface RetryPolicy {
  /** Attempts in all, the first included: 1 means never retry. */
  maxAttempts: number;
  /** Ceiling of the first backoff, in ms; it doubles with each retry. */
  baseDelayMs: number;
  /** Ceiling of any one backoff, in ms. */
  maxDelayMs: number;
  /** Longest `Retry-After` honoured, in ms; a longer one ends the retries. */
  maxRetryAfterMs: number;
  /** Time budget from the start of the first attempt, in ms: no retry starts after it. */
  maxTotalMs: number;
}

/** The policy for registration and device authorization: 3 attempts within 30 s. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 20_000,
  maxTotalMs: 30_000,
});

/** A policy that sends once: for calls that must not repeat, and tests of single failures. */
export const NO_RETRY: Readonly<RetryPolicy> = Object.freeze({ ...DEFAULT_RETRY_POLICY, maxAttempts: 1 });

/** The outcome of one attempt. */
export type AttemptOutcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Whether (and how soon) to try again after an outcome; undefined means do not. */
export interface RetryDecision {
  /** Short, secret-free words for the log, e.g. `HTTP 503` or `network`. */
  reason: string;
  /** The wait the service asked for (`Retry-After`), in ms; absent: back off. */
  retryAfterMs?: number;
}

/** One retry about to happen, for the log. */
export interface RetryEvent {
  /** The attempt that failed (1-based). */
  attempt: number;
  /** The wait before the next attempt, in ms. */
  delayMs: number;
  reason: string;
  /** True when the wait is the service's `Retry-After`. */
  retryAfter: boolean;
}

/** What `withRetry` needs besides the policy. */
export interface RetryContext {
  clock: Clock;
  sleep: Sleep;
  /** A number in [0, 1): `Math.random` in production, fixed in tests. */
  random: () => number;
  /** Cancels the waits and the attempts; a cancelled attempt is never retried. */
  signal?: AbortSignal;
  /** Told about each retry before its wait. */
  onRetry?(event: RetryEvent): void;
}

/**
 * Runs `attempt` until `decide` says stop, the attempts or the time budget run out,
 * or the signal aborts. Resolves with the last value (a retryable HTTP response
 * included, so the caller maps it to its usual error) or rejects with the last error.
 */
export async function withRetry<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  decide: (outcome: AttemptOutcome<T>) => RetryDecision | undefined,
  policy: RetryPolicy,
  context: RetryContext,
): Promise<T> {
  const { clock, sleep, signal } = context;
  const startedAt = clock.now();
  const maxAttempts = Math.max(1, Math.floor(policy.maxAttempts));
  for (let number = 1; ; number++) {
    if (signal?.aborted) throw cancelledError(signal.reason);
    let outcome: AttemptOutcome<T>;
    try {
      outcome = { ok: true, value: await attempt(number) };
    } catch (error) {
      outcome = { ok: false, error };
    }
    const finish = (): T => {
      if (outcome.ok) return outcome.value;
      throw outcome.error;
    };
    if (number >= maxAttempts || signal?.aborted) return finish();
    const decision = decide(outcome);
    if (!decision) return finish();
    const delayMs = retryDelayMs(number, decision, policy, context.random);
    if (delayMs === undefined) return finish();
    if (clock.now() - startedAt + delayMs > policy.maxTotalMs) return finish();
    context.onRetry?.({ attempt: number, delayMs, reason: decision.reason, retryAfter: decision.retryAfterMs !== undefined });
    await sleep(delayMs, signal);
  }
}

/**
 * The wait before the retry that follows failed attempt `attempt`: the service's
 * `Retry-After` when given (undefined when it exceeds the policy's cap), else full
 * jitter over the exponential ceiling.
 */
export function retryDelayMs(attempt: number, decision: RetryDecision, policy: RetryPolicy, random: () => number): number | undefined {
  if (decision.retryAfterMs !== undefined) {
    return decision.retryAfterMs > policy.maxRetryAfterMs ? undefined : Math.max(0, Math.ceil(decision.retryAfterMs));
  }
  return Math.floor(clampUnit(random()) * backoffCeilingMs(attempt, policy));
}

/** The exponential ceiling after failed attempt `attempt`: `min(maxDelayMs, baseDelayMs * 2^(attempt - 1))`. */
export function backoffCeilingMs(attempt: number, policy: RetryPolicy): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
}

/**
 * The usual decision for one HTTP request: retry when no response arrived (a
 * `network` or `timeout` failure, but not a certificate problem, nor `cancelled`,
 * `configuration` or `protocol`), or when the status is not `final` (`httpFailureClass`:
 * 429 or 5xx); `Retry-After` counts on 429 and 503 only. Every other status is an
 * answer, not a hiccup.
 */
export function httpRetryDecision(outcome: AttemptOutcome<HttpResponse>, nowMs: number): RetryDecision | undefined {
  if (!outcome.ok) return isTransientFailure(outcome.error) ? { reason: outcome.error.code ? `${outcome.error.kind}, ${outcome.error.code}` : outcome.error.kind } : undefined;
  const { status, headers } = outcome.value;
  if (httpFailureClass(status) === 'final') return undefined;
  const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(headers['retry-after'], nowMs, headers.date) : undefined;
  return retryAfterMs === undefined ? { reason: `HTTP ${status}` } : { reason: `HTTP ${status}`, retryAfterMs };
}

function clampUnit(value: number): number {
  return Number.isFinite(value) ? Math.min(Math.max(value, 0), 1) : 0;
}
