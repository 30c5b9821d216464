/**
 * The OAuth device authorization grant (RFC 8628) as pure logic: parsing the device
 * authorization response, classifying token-endpoint errors, and the polling state
 * machine. No HTTP here: the caller hands in one `poll` function that makes one token
 * request and maps its answer to a `PollOutcome`.
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
import { cancelledError, IdentityCenterError, isIdentityCenterError, isTransientFailure } from './errors';
/** Re-exported where it used to live. */
export { createTimerSleep } from './timers';
import type { Clock, Logger, Sleep } from './ports';
import { silentLogger } from './ports';
import { isJsonObject, isLoopbackUrl, optionalString, optionalWholeNumber, parseVerificationUri, protocolError, requireString, requireWholeNumber } from './validate';

/** RFC 8628 §3.2: the polling interval when the service does not send one. */
export const DEFAULT_POLL_INTERVAL_SECONDS = 5;

/** RFC 8628 §3.5: how much each `slow_down` raises the interval. */
export const SLOW_DOWN_INCREMENT_SECONDS = 5;

/** An `interval` above this (one hour) is a broken response, not a plan: `protocol` error. */
export const MAX_POLL_INTERVAL_SECONDS = 3600;

/**
 * The longest device-code lifetime honoured (one hour). A longer one (or an epoch
 * deadline far ahead, e.g. one sent in milliseconds) is cut to this: the person has
 * had an hour, and the service's own `expired_token` still ends the flow earlier.
 */
export const MAX_DEVICE_CODE_LIFETIME_SECONDS = 3600;

/**
 * An `expires_in` at or above this (2001-09-09 as epoch seconds; 31 years as a
 * lifetime) can only be an epoch time: it is read as a deadline in epoch seconds.
 */
export const EPOCH_SECONDS_THRESHOLD = 1_000_000_000;

/** A user code longer than this is not something to show a person: `protocol` error. */
export const MAX_USER_CODE_LENGTH = 64;

/** Letters and digits, in groups joined by single hyphens. */
export const USER_CODE_PATTERN = /^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/;

const WHAT = 'The device authorization response';

/** A started device authorization, checked and with its lifetime made absolute. */
export interface DeviceAuthorization {
  /** Secret: sent only in token requests, never logged or shown. */
  deviceCode: string;
  /** Shown to the person, who confirms it in the browser. */
  userCode: string;
  /** Where the person enters the user code: https, or http on loopback. */
  verificationUri: string;
  /** The same page with the user code filled in, when the service sends one. */
  verificationUriComplete?: string;
  /** When the device code stops working, in epoch milliseconds. */
  expiresAtMs: number;
  /** Seconds to wait between polls (at least 1; 5 when the service sent none or 0). */
  intervalSeconds: number;
}

/**
 * Checks the flat 200 body of `POST /v1/device/authorize` and fixes its lifetime.
 *
 * - `interval` absent, null or 0 means 5 s (a 0 would mean polling without pause);
 *   it must otherwise be a whole number of seconds up to 3600, else `protocol`.
 * - `expires_in` below 10^9 is seconds from `receivedAtMs`; from 10^9 on it is a
 *   deadline in epoch seconds (the service's documented quirk). A deadline not in the
 *   future is an `expired` error; a lifetime over one hour is cut to one hour.
 * - `user_code` other than letters and digits in hyphen-joined groups, or longer than
 *   64 characters, is a `protocol` error: it is shown to people.
 * - `verification_uri` (and `verification_uri_complete`) is kept in its normalized
 *   form; one that is not https (http only on loopback, and only when `endpoint` is
 *   on loopback) or normalizes to something other than what was sent is `protocol`.
 *
 * Throws `IdentityCenterError` of kind `protocol` or `expired`; messages never
 * contain a field's value.
 */
export function parseDeviceAuthorization(body: unknown, receivedAtMs: number, endpoint?: string): DeviceAuthorization {
  if (!isJsonObject(body)) throw protocolError(`${WHAT} is not a JSON object`);

  const deviceCode = requireString(body, 'device_code', WHAT);
  const userCode = requireString(body, 'user_code', WHAT, MAX_USER_CODE_LENGTH);
  // A person compares it with the browser's, and it is shown in notifications: letters
  // and digits in hyphen-separated groups (RFC 8628 §6.1), nothing that could hide,
  // reorder or render as a link.
  if (!USER_CODE_PATTERN.test(userCode)) throw protocolError(`${WHAT} has a \`user_code\` that cannot be shown`);
  const endpointIsLoopback = endpoint !== undefined && isLoopbackUrl(endpoint);
  const verificationUri = verificationUriAt(body, 'verification_uri', endpointIsLoopback);
  if (verificationUri === undefined) throw protocolError(`${WHAT} has no \`verification_uri\` string`);
  const verificationUriComplete = verificationUriAt(body, 'verification_uri_complete', endpointIsLoopback);

  const expiresAtMs = deadlineFrom(requireWholeNumber(body, 'expires_in', WHAT), receivedAtMs);

  let intervalSeconds = optionalWholeNumber(body, 'interval', WHAT) ?? DEFAULT_POLL_INTERVAL_SECONDS;
  if (intervalSeconds === 0) intervalSeconds = DEFAULT_POLL_INTERVAL_SECONDS;
  if (intervalSeconds > MAX_POLL_INTERVAL_SECONDS) {
    throw protocolError(`${WHAT} has an \`interval\` over ${MAX_POLL_INTERVAL_SECONDS} seconds`);
  }

  const result: DeviceAuthorization = { deviceCode, userCode, verificationUri, expiresAtMs, intervalSeconds };
  if (verificationUriComplete !== undefined) result.verificationUriComplete = verificationUriComplete;
  return result;
}

/** A verification URI at `body[field]` when present, normalized; a `protocol` error when unsafe. */
function verificationUriAt(body: Record<string, unknown>, field: string, endpointIsLoopback: boolean): string | undefined {
  const text = optionalString(body, field, WHAT, 2048);
  if (text === undefined) return undefined;
  const normalized = parseVerificationUri(text, endpointIsLoopback);
  if (normalized === undefined) throw protocolError(`${WHAT} has a \`${field}\` that is not a plain https URL of the service`);
  return normalized;
}

function deadlineFrom(expiresIn: number, receivedAtMs: number): number {
  const isEpoch = expiresIn >= EPOCH_SECONDS_THRESHOLD;
  const deadlineMs = isEpoch ? expiresIn * 1000 : receivedAtMs + expiresIn * 1000;
  if (deadlineMs <= receivedAtMs) {
    throw new IdentityCenterError(
      'expired',
      isEpoch
        ? 'The sign-in code had already expired when it arrived. Check that the computer’s clock is right, then run Sign In again.'
        : 'The sign-in code had already expired when it arrived. Run Sign In again.',
    );
  }
  return Math.min(deadlineMs, receivedAtMs + MAX_DEVICE_CODE_LIFETIME_SECONDS * 1000);
}

/** What a token-endpoint error means for the device flow. */
export type TokenErrorClass = 'pending' | 'slowDown' | 'expired' | 'denied' | 'rejectedClient';

/** Every spelling of a device-flow error name, matched case-insensitively as a whole word. */
const TOKEN_ERROR_NAME = /\b(authorization_?pending|slow_?down|expired_?token|access_?denied|invalid_?client)(?:exception)?\b/i;

const TOKEN_ERROR_CLASSES: Record<string, TokenErrorClass> = {
  authorizationpending: 'pending',
  slowdown: 'slowDown',
  expiredtoken: 'expired',
  accessdenied: 'denied',
  invalidclient: 'rejectedClient',
};

/** Fields searched for an error name, most specific first. */
const TOKEN_ERROR_FIELDS = ['error', 'error_code', 'error_msg', 'code', 'message'] as const;

/**
 * Recognises the device-flow answers of the token endpoint, whatever the envelope:
 * the OAuth names (`authorization_pending`, `slow_down`, `expired_token`,
 * `access_denied`, `invalid_client`) or the AWS-style ones
 * (`AuthorizationPendingException`, …, with or without `Exception`), in `error`,
 * `error_code` or `error_msg` (as the whole value or a word in it), or one level down
 * in an `error` object. A body that names none, with HTTP 401, is a rejected client.
 * Returns undefined for anything else, which the caller maps to its own error.
 * The body is checked before the status, so a 200 carrying an error name counts too.
 */
export function classifyTokenError(status: number, body: unknown): TokenErrorClass | undefined {
  if (isJsonObject(body)) {
    const found = classifyFields(body) ?? (isJsonObject(body.error) ? classifyFields(body.error) : undefined);
    if (found) return found;
  }
  return status === 401 ? 'rejectedClient' : undefined;
}

/** True when any field searched by `classifyTokenError` (or its nested `error` object) names `wanted`. */
export function namesTokenError(body: unknown, wanted: TokenErrorClass): boolean {
  if (!isJsonObject(body)) return false;
  const objects = isJsonObject(body.error) ? [body, body.error] : [body];
  return objects.some((object) =>
    TOKEN_ERROR_FIELDS.some((field) => {
      const value = object[field];
      if (typeof value !== 'string') return false;
      const names = value.slice(0, 1024).matchAll(new RegExp(TOKEN_ERROR_NAME.source, 'gi'));
      return [...names].some((match) => TOKEN_ERROR_CLASSES[match[1].toLowerCase().replace(/_/g, '')] === wanted);
    }),
  );
}

function classifyFields(object: Record<string, unknown>): TokenErrorClass | undefined {
  for (const field of TOKEN_ERROR_FIELDS) {
    const value = object[field];
    if (typeof value !== 'string') continue;
    const match = TOKEN_ERROR_NAME.exec(value.slice(0, 1024));
    if (match) return TOKEN_ERROR_CLASSES[match[1].toLowerCase().replace(/_/g, '')];
  }
  return undefined;
}

/** One token request's answer that lets the flow go on; every other answer is thrown. */
export type PollOutcome<T> = { kind: 'token'; token: T } | { kind: 'pending' } | { kind: 'slowDown' };

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
 * Polls the token endpoint until the person approves the sign-in (RFC 8628 §3.4, §3.5;
 * the steps are at the top of this file) and resolves with the token.
 *
 * Schedule: the first poll `interval` after the call, then every `interval`; each
 * `slow_down` adds 5 s to the interval for good. After the n-th transient failure in a
 * row the wait is `interval + min(interval * 2^(n-1), maxBackoffMs)`, or the
 * failure's `Retry-After` when longer; success or pending resets n. No poll is made
 * (and no sleep reaches) past `authorization.expiresAtMs`.
 *
 * Rejects with an `IdentityCenterError`: `expired` (lifetime over, or the service said
 * so), `denied`, `cancelled` (signal aborted; no request is sent after that), the last
 * transient failure when too many came in a row, or any other failure of `poll`
 * unchanged.
 */
export async function pollForToken<T>(authorization: DeviceAuthorization, deps: PollDeps<T>, signal?: AbortSignal): Promise<T> {
  const { clock, sleep } = deps;
  const logger = deps.logger ?? silentLogger;
  const maxFailures = Math.max(1, deps.maxConsecutiveTransientFailures ?? DEFAULT_MAX_CONSECUTIVE_TRANSIENT_FAILURES);
  const maxBackoffMs = Math.max(0, deps.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS);
  const expiresAtMs = authorization.expiresAtMs;

  let intervalMs = validInterval(authorization.intervalSeconds) * 1000;
  let waitMs = intervalMs;
  let failures = 0;
  let lastFailure: IdentityCenterError | undefined;

  for (let attempt = 1; ; attempt++) {
    throwIfAborted(signal);

    // Step 2: wait, unless the poll would come after the device code's lifetime.
    if (clock.now() + waitMs > expiresAtMs) {
      logger.debug(`Sign-in: the device code expires before poll ${attempt} would be due; stopping.`);
      throw expiredError(lastFailure);
    }
    try {
      await sleep(waitMs, signal);
    } catch (error) {
      if (signal?.aborted) throw cancelledError(error);
      throw error;
    }
    throwIfAborted(signal);

    // Step 3: poll.
    let outcome: PollOutcome<T>;
    try {
      outcome = await deps.poll(signal);
    } catch (error) {
      if (signal?.aborted) throw cancelledError(error);
      if (isIdentityCenterError(error, 'denied')) {
        logger.debug(`Sign-in poll ${attempt}: denied.`);
        throw new IdentityCenterError('denied', 'Sign-in was denied in the browser. Run Sign In again to retry.', detailsOf(error));
      }
      if (isIdentityCenterError(error, 'expired')) {
        logger.debug(`Sign-in poll ${attempt}: the device code expired.`);
        throw expiredError(error);
      }
      if (!isTransientFailure(error)) {
        logger.debug(`Sign-in poll ${attempt}: failed (${describe(error)}); stopping.`);
        throw error;
      }
      failures++;
      lastFailure = error;
      if (failures >= maxFailures) {
        logger.debug(`Sign-in poll ${attempt}: failed (${describe(error)}), ${failures} times in a row; stopping.`);
        throw error;
      }
      const backoffMs = Math.min(intervalMs * 2 ** (failures - 1), maxBackoffMs);
      waitMs = Math.max(intervalMs + backoffMs, (error.retryAfterSeconds ?? 0) * 1000);
      logger.debug(`Sign-in poll ${attempt}: failed (${describe(error)}); retry ${failures} of ${maxFailures - 1} in ${waitMs / 1000} s.`);
      continue;
    }
    // Aborted while the request was in flight: the caller no longer wants the result.
    throwIfAborted(signal);

    // Step 4: act on the answer.
    switch (outcome.kind) {
      case 'token':
        logger.debug(`Sign-in poll ${attempt}: approved.`);
        return outcome.token;
      case 'pending':
        break;
      case 'slowDown':
        intervalMs += SLOW_DOWN_INCREMENT_SECONDS * 1000;
        break;
      default:
        throw protocolError('the token response could not be understood');
    }
    failures = 0;
    lastFailure = undefined;
    waitMs = intervalMs;
    logger.debug(
      `Sign-in poll ${attempt}: ${outcome.kind === 'pending' ? 'authorization pending' : 'slow down'}; next poll in ${intervalMs / 1000} s.`,
    );
  }
}

function validInterval(seconds: number): number {
  return Number.isFinite(seconds) && seconds >= 1 ? seconds : DEFAULT_POLL_INTERVAL_SECONDS;
}

function describe(error: unknown): string {
  if (!(error instanceof IdentityCenterError)) return 'unexpected error';
  return error.status === undefined ? error.kind : `${error.kind}, HTTP ${error.status}`;
}

function detailsOf(error: IdentityCenterError): { status?: number; code?: string; serviceText?: string; cause: unknown } {
  return { status: error.status, code: error.code, serviceText: error.serviceText, cause: error };
}

function expiredError(cause: IdentityCenterError | undefined): IdentityCenterError {
  if (cause && cause.kind !== 'expired') {
    return new IdentityCenterError(
      'expired',
      'The sign-in code expired while IAM Identity Center could not be reached. Check the network, then run Sign In again.',
      { cause },
    );
  }
  return new IdentityCenterError(
    'expired',
    'The sign-in code expired before sign-in was completed in the browser. Run Sign In again to get a new code.',
    cause ? detailsOf(cause) : {},
  );
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError(signal.reason);
}
