/**
 * The OIDC API's answers: the registration and token bodies checked into domain values,
 * and every error envelope mapped to one `IdentityCenterError` that says what to do.
 */
import { IdentityCenterError, SettingKey } from '../common/errors';
import * as l10n from '@vscode/l10n';
import { settingLabel } from '../common/settingLabels';
import { MAX_EPOCH_SECONDS, isJsonObject, optionalServiceUrl, optionalString, optionalStringArray, optionalWholeNumber, protocolError, requireClientId, requireObject, requireString, requireWholeNumber } from '../common/validate';
import type { ClientRegistration, RegisterClientInput } from '../registration/model';
import type { TokenSet } from '../sessions/model';
import type { HttpResponse } from '../transport/port';
import { readFailedAnswer, sharedFailureError } from '../transport/httpFailure';
import { namesTokenError } from './tokenErrors';

/**
 * A secret the service says never expires (`client_secret_expires_at: 0`) is renewed
 * after this many seconds (90 days, the lifetime the service gives otherwise).
 */
export const NON_EXPIRING_SECRET_RENEWAL_SECONDS = 90 * 24 * 3600;

/** Validates a `{ client_info: … }` body into a registration, or throws a `protocol` error. */
export function parseClientInfo(body: unknown, input: RegisterClientInput, endpoint: string, receivedAtMs: number): ClientRegistration {
  const what = l10n.t('The registration response');
  if (!isJsonObject(body)) throw protocolError(l10n.t('{0} is not a JSON object', what));
  const info = requireObject(body, 'client_info', what);
  const issuedAt = toEpochSeconds(optionalWholeNumber(info, 'client_id_issued_at', what));
  const sentExpiresAt = toEpochSeconds(requireWholeNumber(info, 'client_secret_expires_at', what));
  if (sentExpiresAt === undefined) throw protocolError(l10n.t('{0} has no whole-number `client_secret_expires_at`', what));
  if (sentExpiresAt > MAX_EPOCH_SECONDS || (issuedAt ?? 0) > MAX_EPOCH_SECONDS) throw protocolError(l10n.t('{0} holds a time after the year 9999', what));
  const issued = issuedAt ?? Math.floor(receivedAtMs / 1000);
  // RFC 7591 §3.2.1: 0 means the secret does not expire. It is still renewed on a
  // schedule, so a secret never lives forever on this computer.
  const expiresAt = sentExpiresAt === 0 ? issued + NON_EXPIRING_SECRET_RENEWAL_SECONDS : sentExpiresAt;
  if (expiresAt <= issued) throw protocolError(l10n.t('{0} holds a secret that expired when it was issued', what));
  return {
    endpoint,
    clientName: input.clientName,
    clientId: requireClientId(info, 'client_id', what),
    clientSecret: requireString(info, 'client_secret', what, 8192),
    issuedAt: issued,
    expiresAt,
    authorizationEndpoint: optionalServiceUrl(info, 'authorization_endpoint', what),
    tokenEndpoint: optionalServiceUrl(info, 'token_endpoint', what),
    scopes: optionalStringArray(info, 'scopes', what) ?? [...input.scopes],
  };
}

/** Validates a `{ token_info: … }` body (RFC 6749 §5.1 fields), or throws a `protocol` error. */
export function parseTokenInfo(body: unknown, receivedAtMs: number): TokenSet {
  const what = l10n.t('The token response');
  if (!isJsonObject(body)) throw protocolError(l10n.t('{0} is not a JSON object', what));
  const info = requireObject(body, 'token_info', what);
  const tokenType = optionalString(info, 'token_type', what, 64) ?? 'Bearer';
  if (tokenType.toLowerCase() !== 'bearer') throw protocolError(l10n.t('{0} has a token type other than Bearer', what));
  const expiresIn = requireWholeNumber(info, 'expires_in', what);
  if (expiresIn === 0) throw protocolError(l10n.t('{0} holds a token that has already expired', what));
  const tokens: TokenSet = {
    accessToken: requireString(info, 'access_token', what, 16384),
    tokenType: 'Bearer',
    expiresAtMs: receivedAtMs + Math.min(expiresIn, 366 * 24 * 3600) * 1000,
  };
  const refreshToken = optionalString(info, 'refresh_token', what, 16384);
  const idToken = optionalString(info, 'id_token', what, 16384);
  if (refreshToken !== undefined) tokens.refreshToken = refreshToken;
  if (idToken !== undefined) tokens.idToken = idToken;
  return tokens;
}

/**
 * The service documents epoch seconds; a value only milliseconds can explain
 * (after the year 5000 in seconds) is taken as milliseconds.
 */
function toEpochSeconds(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  return value > 100_000_000_000 ? Math.floor(value / 1000) : value;
}

/**
 * True when the answer says the client itself is not accepted: HTTP 401, or an
 * `invalid_client` name (any spelling `classifyTokenError` knows) in any field it reads.
 */
export function isRejectedClient(status: number, body: unknown): boolean {
  return status === 401 || namesTokenError(body, 'rejectedClient');
}

/** What `errorFromResponse` may know besides the response. */
export interface ResponseContext {
  /** The request's own secrets, cut out of the service's text. */
  secrets?: readonly string[];
  /** Now on the injected clock, to read a `Retry-After` date against when the response has no `Date`. */
  nowMs?: number;
  /** The setting that chose the endpoint (`region` or `endpoint`), named when the endpoint looks wrong. Absent: `endpoint`. */
  setting?: SettingKey;
}

/**
 * Maps a non-200 response to one error: a rejected client, then what every client maps
 * alike (`sharedFailureError`: a proxy's page, throttling, an outage), then a wrong
 * endpoint (404) or a request the service refused. The message says what to do next and
 * never quotes the service's free text (that goes to `serviceText`, for the debug log,
 * with `secrets`, the request's own, cut out).
 */
export function errorFromResponse(response: HttpResponse, action: string, context: ResponseContext = {}): IdentityCenterError {
  const answer = readFailedAnswer(response, context.secrets ?? [], context.nowMs ?? Number.NaN);
  const { status, body, label, details } = answer;
  const setting = context.setting ?? 'endpoint';
  if (isRejectedClient(status, body)) {
    return new IdentityCenterError(
      'rejectedClient',
      l10n.t('IAM Identity Center no longer accepts the registered client ({0}). Register the client again, then retry.', label),
      { ...details, remedy: 'registerClient' },
    );
  }
  const shared = sharedFailureError(answer, action, setting);
  if (shared) return shared;
  if (status === 404) {
    return new IdentityCenterError(
      'configuration',
      l10n.t('Could not {0}: the OIDC API was not found at this endpoint ({1}). Check the {2} setting.', action, label, settingLabel(setting)),
      { ...details, setting },
    );
  }
  return new IdentityCenterError(
    'service',
    l10n.t('IAM Identity Center refused to {0} ({1}). Check the client name and the Scopes setting, then retry; the log (Show Log) has the service\'s explanation.', action, label),
    { ...details, setting: 'scopes' },
  );
}
