/**
 * The IAM Identity Center OIDC API on the wire: request bodies, response validation
 * and the mapping of every error envelope to one `IdentityCenterError`.
 */
import { estimateClockOffsetMs } from './clockSkew';
import { classifyTokenError, DeviceAuthorization, namesTokenError, parseDeviceAuthorization, PollOutcome } from './deviceFlow';
import { createTimerSleep } from './timers';
import { IdentityCenterError, redactSecrets } from './errors';
import { HttpResponse, HttpTransport } from './http';
import { Clock, Logger, Sleep } from './ports';
import { DEFAULT_RETRY_POLICY, httpRetryDecision, NO_RETRY, parseRetryAfter, RetryPolicy, withRetry } from './retry';
import {
  isJsonObject,
  JsonObject,
  MAX_EPOCH_SECONDS,
  validateClientName,
  optionalServiceUrl,
  optionalString,
  optionalStringArray,
  optionalWholeNumber,
  parseJson,
  protocolError,
  requireClientId,
  requireObject,
  requireString,
  requireWholeNumber,
} from './validate';

/** Re-exported: the rule is in validate.ts, so the activation bundle has it without this file. */
export { MAX_CLIENT_NAME_LENGTH, validateClientName } from './validate';

/** The grant types this client registers for (the seed's request). */
export const REGISTERED_GRANT_TYPES = ['authorization_code', 'urn:ietf:params:oauth:grant-type:device_code'] as const;


/** A registered client as the service issued it, plus where and under which name. */
export interface ClientRegistration {
  /** Base URL of the OIDC service it was registered with. */
  endpoint: string;
  clientName: string;
  clientId: string;
  clientSecret: string;
  /** Epoch seconds. */
  issuedAt: number;
  /** Epoch seconds. */
  expiresAt: number;
  authorizationEndpoint?: string;
  tokenEndpoint?: string;
  scopes: string[];
  /** The service's clock minus ours when it registered, in ms; absent when negligible. */
  clockOffsetMs?: number;
}

/**
 * A secret the service says never expires (`client_secret_expires_at: 0`) is renewed
 * after this many seconds (90 days, the lifetime the service gives otherwise).
 */
export const NON_EXPIRING_SECRET_RENEWAL_SECONDS = 90 * 24 * 3600;

/** The grant type of the device flow (RFC 8628 §3.4). */
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** Tokens from `POST /v1/tokens`, checked, with the lifetime made absolute. */
export interface TokenSet {
  accessToken: string;
  tokenType: string;
  /** Epoch milliseconds. */
  expiresAtMs: number;
  refreshToken?: string;
  idToken?: string;
}

/** What `registerClient` asks for. */
export interface RegisterClientInput {
  clientName: string;
  scopes: string[];
}

/** What the client needs from its host. */
export interface OidcClientDeps {
  /** Base URL of the OIDC service, already validated (https, or http on loopback). */
  endpoint: string;
  /** Returns the transport; called on first use so the HTTP stack loads lazily. */
  transport: () => HttpTransport;
  clock: Clock;
  logger: Logger;
  /**
   * How `post` retries (see `OidcClient.post`). Absent: `DEFAULT_RETRY_POLICY`, real
   * timers and `Math.random`. Tests give a fake `sleep` and a fixed `random`, or
   * `policy: NO_RETRY` to see a single failure as it is.
   */
  retry?: { policy?: RetryPolicy; sleep?: Sleep; random?: () => number };
}


/** Talks to one OIDC endpoint. */
export class OidcClient {
  constructor(private readonly deps: OidcClientDeps) {}

  /** `POST /v1/clients`: registers a public client and returns it validated. */
  async registerClient(input: RegisterClientInput, signal?: AbortSignal): Promise<ClientRegistration> {
    const invalid = validateClientName(input.clientName);
    if (invalid) throw new IdentityCenterError('configuration', invalid);
    const response = await this.post('/v1/clients', registrationRequestBody(input), signal);
    if (response.status !== 200) throw errorFromResponse(response, 'register the client', { nowMs: this.deps.clock.now() });
    const receivedAtMs = this.deps.clock.now();
    const registration = parseClientInfo(parseJsonBody(response, 'The registration response'), input, this.deps.endpoint, receivedAtMs);
    const serviceSentIssuedAt = registration.issuedAt !== Math.floor(receivedAtMs / 1000) ? registration.issuedAt : undefined;
    const clockOffsetMs = estimateClockOffsetMs(receivedAtMs, serviceSentIssuedAt, response.headers.date);
    if (clockOffsetMs !== 0) {
      this.deps.logger.info(`The service's clock is ${Math.round(clockOffsetMs / 1000)} s ${clockOffsetMs > 0 ? 'ahead of' : 'behind'} this computer's; expiry decisions allow for it.`);
      registration.clockOffsetMs = clockOffsetMs;
    }
    return registration;
  }

  /** `POST /v1/device/authorize`: starts a device-code sign-in for `startUrl`. */
  async startDeviceAuthorization(client: ClientRegistration, startUrl: string, signal?: AbortSignal): Promise<DeviceAuthorization> {
    const response = await this.post(
      '/v1/device/authorize',
      { client_id: client.clientId, client_secret: client.clientSecret, start_url: startUrl },
      signal,
    );
    if (response.status !== 200) throw errorFromResponse(response, 'start the sign-in', { secrets: [client.clientSecret], nowMs: this.deps.clock.now() });
    return parseDeviceAuthorization(parseJsonBody(response, 'The device authorization response'), this.deps.clock.now(), this.deps.endpoint);
  }

  /**
   * One device-code poll of `POST /v1/tokens`: the tokens, or pending / slow down.
   * Denied, expired and rejected-client answers reject with those kinds.
   */
  async pollDeviceToken(client: ClientRegistration, deviceCode: string, signal?: AbortSignal): Promise<PollOutcome<TokenSet>> {
    const response = await this.post(
      '/v1/tokens',
      { client_id: client.clientId, client_secret: client.clientSecret, grant_type: DEVICE_CODE_GRANT, device_code: deviceCode },
      signal,
    );
    // A 200 that carries an error name instead of tokens is that error (see classifyTokenError).
    const kind = classifyTokenError(response.status, safeJson(response));
    if (response.status === 200 && kind === undefined) return { kind: 'token', token: this.parseTokenResponse(response) };
    if (kind === 'pending') return { kind: 'pending' };
    if (kind === 'slowDown') return { kind: 'slowDown' };
    if (kind === 'denied') throw new IdentityCenterError('denied', 'Sign-in was denied in the browser. Run Sign In again to retry.', { status: response.status });
    if (kind === 'expired') throw new IdentityCenterError('expired', 'The sign-in code expired before it was approved. Run Sign In again.', { status: response.status });
    throw errorFromResponse(response, 'sign in', { secrets: [client.clientSecret, deviceCode], nowMs: this.deps.clock.now() });
  }

  /** `POST /v1/tokens` with the refresh-token grant. */
  async refreshToken(client: ClientRegistration, refreshToken: string, signal?: AbortSignal): Promise<TokenSet> {
    const response = await this.post(
      '/v1/tokens',
      { client_id: client.clientId, client_secret: client.clientSecret, grant_type: 'refresh_token', refresh_token: refreshToken },
      signal,
    );
    if (response.status !== 200) {
      throw errorFromResponse(response, 'refresh the session', { secrets: [client.clientSecret, refreshToken], nowMs: this.deps.clock.now() });
    }
    return this.parseTokenResponse(response);
  }

  private parseTokenResponse(response: HttpResponse): TokenSet {
    return parseTokenInfo(parseJsonBody(response, 'The token response'), this.deps.clock.now());
  }

  /**
   * Sends a JSON POST and logs its method, path, status and duration (never the body),
   * retrying per `deps.retry` when no response arrived (`network`, `timeout`; never
   * `cancelled`) or the status is 429 or 5xx, honouring `Retry-After` on 429 and 503.
   *
   * - `/v1/clients` is retried, with a known cost: when the service registered the
   *   client but its answer was lost (a reset mid-body, a timeout after it committed,
   *   a 5xx from a gateway in front of it), the retry registers a second client and
   *   the first is left orphaned on the server, unused until its secret expires. The
   *   API has no idempotency key to prevent that; an orphan is harmless, while failing
   *   a sign-in over a passing network fault is not.
   * - `/v1/device/authorize` is retried: a lost answer only leaves an unused device
   *   code that expires on its own.
   * - `/v1/tokens` (and any other path) is never retried here: device-code polls already retry in the
   *   polling state machine (`pollForToken`), and a repeated refresh after a lost
   *   answer would present a refresh token the service may have rotated away.
   */
  async post(path: string, body: JsonObject, signal?: AbortSignal): Promise<HttpResponse> {
    // Relative to the endpoint, so a private deployment's path prefix (https://host/iam/) is kept.
    const url = new URL(path.replace(/^\/+/, ''), this.deps.endpoint.endsWith('/') ? this.deps.endpoint : `${this.deps.endpoint}/`);
    const { clock, logger } = this.deps;
    const retried = path === '/v1/clients' || path === '/v1/device/authorize';
    const policy = retried ? (this.deps.retry?.policy ?? DEFAULT_RETRY_POLICY) : NO_RETRY;
    const sendOnce = async (): Promise<HttpResponse> => {
      const startedAt = clock.now();
      try {
        const response = await this.deps.transport().send({
          method: 'POST',
          url: url.toString(),
          headers: { 'content-type': 'application/json;charset=UTF-8', accept: 'application/json' },
          body: JSON.stringify(body),
          signal,
        });
        logger.info(`POST ${url.pathname} ${response.status} ${clock.now() - startedAt} ms`);
        return response;
      } catch (error) {
        const kind = error instanceof IdentityCenterError ? error.kind : 'network';
        logger.warn(`POST ${url.pathname} failed (${kind}) after ${clock.now() - startedAt} ms`);
        throw error;
      }
    };
    return withRetry(sendOnce, (outcome) => httpRetryDecision(outcome, clock.now()), policy, {
      clock,
      sleep: this.deps.retry?.sleep ?? createTimerSleep(),
      random: this.deps.retry?.random ?? Math.random,
      signal,
      onRetry: (event) =>
        logger.info(
          `POST ${url.pathname}: ${event.reason}; attempt ${event.attempt + 1} of ${policy.maxAttempts} in ${event.delayMs} ms${event.retryAfter ? ' (Retry-After)' : ''}`,
        ),
    });
  }
}

/** The body of `POST /v1/clients`, exactly as the seed documents it. */
export function registrationRequestBody(input: RegisterClientInput): JsonObject {
  return {
    client_name: input.clientName,
    client_type: 'public',
    token_endpoint_auth_method: 'client_secret_post',
    scopes: input.scopes,
    grant_types: [...REGISTERED_GRANT_TYPES],
    response_types: ['code'],
  };
}

/** Validates a `{ client_info: … }` body into a registration, or throws a `protocol` error. */
export function parseClientInfo(body: unknown, input: RegisterClientInput, endpoint: string, receivedAtMs: number): ClientRegistration {
  const what = 'The registration response';
  if (!isJsonObject(body)) throw protocolError(`${what} is not a JSON object`);
  const info = requireObject(body, 'client_info', what);
  const issuedAt = toEpochSeconds(optionalWholeNumber(info, 'client_id_issued_at', what));
  const sentExpiresAt = toEpochSeconds(requireWholeNumber(info, 'client_secret_expires_at', what));
  if (sentExpiresAt === undefined) throw protocolError(`${what} has no whole-number \`client_secret_expires_at\``);
  if (sentExpiresAt > MAX_EPOCH_SECONDS || (issuedAt ?? 0) > MAX_EPOCH_SECONDS) throw protocolError(`${what} holds a time after the year 9999`);
  const issued = issuedAt ?? Math.floor(receivedAtMs / 1000);
  // RFC 7591 §3.2.1: 0 means the secret does not expire. It is still renewed on a
  // schedule, so a secret never lives forever on this computer.
  const expiresAt = sentExpiresAt === 0 ? issued + NON_EXPIRING_SECRET_RENEWAL_SECONDS : sentExpiresAt;
  if (expiresAt <= issued) throw protocolError(`${what} holds a secret that expired when it was issued`);
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
  const what = 'The token response';
  if (!isJsonObject(body)) throw protocolError(`${what} is not a JSON object`);
  const info = requireObject(body, 'token_info', what);
  const tokenType = optionalString(info, 'token_type', what, 64) ?? 'Bearer';
  if (tokenType.toLowerCase() !== 'bearer') throw protocolError(`${what} has a token type other than Bearer`);
  const expiresIn = requireWholeNumber(info, 'expires_in', what);
  if (expiresIn === 0) throw protocolError(`${what} holds a token that has already expired`);
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

function safeJson(response: HttpResponse): unknown {
  try {
    return JSON.parse(response.body);
  } catch {
    return undefined;
  }
}

/**
 * The service documents epoch seconds; a value only milliseconds can explain
 * (after the year 5000 in seconds) is taken as milliseconds.
 */
function toEpochSeconds(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  return value > 100_000_000_000 ? Math.floor(value / 1000) : value;
}

/** Parses a response body as JSON, or throws a `protocol` error that hints at a proxy page. */
export function parseJsonBody(response: HttpResponse, what: string): unknown {
  if (looksLikeHtml(response)) {
    throw protocolError(`${what} was a web page, not JSON (perhaps from a proxy)`);
  }
  return parseJson(response.body, what);
}

function looksLikeHtml(response: HttpResponse): boolean {
  const type = response.headers['content-type'] ?? '';
  return type.includes('text/html') || /^\s*</.test(response.body.slice(0, 64));
}

/**
 * Error codes worth quoting to a person: Huawei's `IIC.1001`-style codes, OAuth names
 * (`invalid_request`) and AWS-style names (`InvalidRequestException`). Anything else,
 * which could be an echoed secret, is kept out of messages.
 */
const SAFE_CODE = /^(?:[A-Z]{2,8}\.\d{1,6}|[a-z]{2,24}(?:_[a-z]{2,24}){0,4}|(?:[A-Z][a-z]{1,20}){1,6}Exception)$/;

/** The error code a response carries in either envelope, if it is a short token. */
export function serviceErrorCode(body: unknown): string | undefined {
  if (!isJsonObject(body)) return undefined;
  for (const field of ['error_code', 'error']) {
    const value = body[field];
    if (typeof value === 'string' && SAFE_CODE.test(value)) return value;
  }
  return undefined;
}

/** The service's own explanation, with the request's secrets cut out (a service may echo what it got). */
function serviceText(body: unknown, secrets: readonly string[]): string | undefined {
  if (!isJsonObject(body)) return undefined;
  const text = body.error_msg ?? body.error_description;
  return typeof text === 'string' ? redactSecrets(text, secrets).slice(0, 500) : undefined;
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
}

/**
 * Maps a non-200 response to one error: rejected client, throttling, outage, proxy
 * page or a request the service refused. The message says what to do next and
 * never quotes the service's free text (that goes to `serviceText`, for the debug log,
 * with `secrets`, the request's own, cut out).
 */
export function errorFromResponse(response: HttpResponse, action: string, context: ResponseContext = {}): IdentityCenterError {
  const { status } = response;
  const body = looksLikeHtml(response) ? undefined : safeJson(response);
  const code = serviceErrorCode(body);
  const retryAfterMs = parseRetryAfter(response.headers['retry-after'], context.nowMs ?? Number.NaN, response.headers.date);
  const details = { status, code, serviceText: serviceText(body, context.secrets ?? []), retryAfterSeconds: retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000) };
  const label = code ? `${code}, HTTP ${status}` : `HTTP ${status}`;
  if (isRejectedClient(status, body)) {
    return new IdentityCenterError(
      'rejectedClient',
      `IAM Identity Center no longer accepts the registered client (${label}). Run "IAM Identity Center: Register Client", then retry.`,
      details,
    );
  }
  if (body === undefined) {
    return new IdentityCenterError(
      'service',
      `Could not ${action}: the answer (${label}) did not come from IAM Identity Center, perhaps from a proxy. Check iamIdentityCenter.endpoint and your proxy settings, then retry.`,
      details,
    );
  }
  if (status === 429) {
    return new IdentityCenterError('service', `IAM Identity Center is throttling requests (${label}). Wait a minute, then retry.`, details);
  }
  if (status >= 500) {
    return new IdentityCenterError('service', `IAM Identity Center could not ${action} (${label}). The service may be unavailable: retry in a few minutes.`, details);
  }
  if (status === 404) {
    return new IdentityCenterError('configuration', `Could not ${action}: the OIDC API was not found at this endpoint (${label}). Check iamIdentityCenter.endpoint or iamIdentityCenter.region.`, details);
  }
  return new IdentityCenterError(
    'service',
    `IAM Identity Center refused to ${action} (${label}). Check the client name and iamIdentityCenter.scopes, then retry; the log (IAM Identity Center: Show Log) has the service's explanation.`,
    details,
  );
}
