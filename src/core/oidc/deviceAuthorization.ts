/**
 * The answer of `POST /v1/device/authorize` (RFC 8628 §3.2), checked before a person
 * sees any of it: the user code and verification URI are shown, so only plain ones
 * pass, and the device code's lifetime is made absolute.
 */
import { IdentityCenterError } from '../common/errors';
import * as l10n from '@vscode/l10n';
import { isLoopbackUrl, parseVerificationUri } from '../common/url';
import { isJsonObject, optionalString, optionalWholeNumber, protocolError, requireString, requireWholeNumber } from '../common/validate';

/** RFC 8628 §3.2: the polling interval when the service does not send one. */
export const DEFAULT_POLL_INTERVAL_SECONDS = 5;

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

/** How messages name the response, in the display language. */
function responseName(): string {
  return l10n.t('The device authorization response');
}

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
  const what = responseName();
  if (!isJsonObject(body)) throw protocolError(l10n.t('{0} is not a JSON object', what));

  const deviceCode = requireString(body, 'device_code', what);
  const userCode = requireString(body, 'user_code', what, MAX_USER_CODE_LENGTH);
  // A person compares it with the browser's, and it is shown in notifications: letters
  // and digits in hyphen-separated groups (RFC 8628 §6.1), nothing that could hide,
  // reorder or render as a link.
  if (!USER_CODE_PATTERN.test(userCode)) throw protocolError(l10n.t('{0} has a `user_code` that cannot be shown', what));
  const endpointIsLoopback = endpoint !== undefined && isLoopbackUrl(endpoint);
  const verificationUri = verificationUriAt(body, 'verification_uri', what, endpointIsLoopback);
  if (verificationUri === undefined) throw protocolError(l10n.t('{0} has no `verification_uri` string', what));
  const verificationUriComplete = verificationUriAt(body, 'verification_uri_complete', what, endpointIsLoopback);

  const expiresAtMs = deadlineFrom(requireWholeNumber(body, 'expires_in', what), receivedAtMs);

  let intervalSeconds = optionalWholeNumber(body, 'interval', what) ?? DEFAULT_POLL_INTERVAL_SECONDS;
  if (intervalSeconds === 0) intervalSeconds = DEFAULT_POLL_INTERVAL_SECONDS;
  if (intervalSeconds > MAX_POLL_INTERVAL_SECONDS) {
    throw protocolError(l10n.t('{0} has an `interval` over {1} seconds', what, MAX_POLL_INTERVAL_SECONDS));
  }

  const result: DeviceAuthorization = { deviceCode, userCode, verificationUri, expiresAtMs, intervalSeconds };
  if (verificationUriComplete !== undefined) result.verificationUriComplete = verificationUriComplete;
  return result;
}

/** A verification URI at `body[field]` when present, normalized; a `protocol` error when unsafe. */
function verificationUriAt(body: Record<string, unknown>, field: string, what: string, endpointIsLoopback: boolean): string | undefined {
  const text = optionalString(body, field, what, 2048);
  if (text === undefined) return undefined;
  const normalized = parseVerificationUri(text, endpointIsLoopback);
  if (normalized === undefined) throw protocolError(l10n.t('{0} has a `{1}` that is not a plain https URL of the service', what, field));
  return normalized;
}

function deadlineFrom(expiresIn: number, receivedAtMs: number): number {
  const isEpoch = expiresIn >= EPOCH_SECONDS_THRESHOLD;
  const deadlineMs = isEpoch ? expiresIn * 1000 : receivedAtMs + expiresIn * 1000;
  if (deadlineMs <= receivedAtMs) {
    throw new IdentityCenterError(
      'expired',
      isEpoch
        ? l10n.t('The sign-in code had already expired when it arrived. Check that the computer’s clock is right, then sign in again.')
        : l10n.t('The sign-in code had already expired when it arrived. Sign in again.'),
      { remedy: 'signIn' },
    );
  }
  return Math.min(deadlineMs, receivedAtMs + MAX_DEVICE_CODE_LIFETIME_SECONDS * 1000);
}
