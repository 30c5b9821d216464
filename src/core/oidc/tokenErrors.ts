/**
 * The token endpoint's device-flow answers (RFC 8628 §3.5) and a rejected client, in
 * every envelope the service may use: the one classifier the OIDC client reads them
 * with, and the outcome it hands the polling state machine (`PollOutcome`).
 */
import { isJsonObject } from '../common/validate';

/**
 * One token request's answer that lets the device flow go on (the OIDC client's
 * `pollDeviceToken` resolves with it; `signin/deviceFlow.ts` acts on it); every other
 * answer is thrown.
 */
export type PollOutcome<T> = { kind: 'token'; token: T } | { kind: 'pending' } | { kind: 'slowDown' };

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
