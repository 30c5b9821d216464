/**
 * The IAM Identity Center OIDC API on the wire (`docs/api.md`):
 * `POST /v1/clients`, `/v1/device/authorize` and `/v1/tokens`, each request built,
 * sent with the retries its path allows, and its answer checked (`responses.ts`).
 */
import { IdentityCenterError, SettingKey } from '../common/errors';
import * as l10n from '@vscode/l10n';
import { JsonObject, validateClientName } from '../common/validate';
import { estimateClockOffsetMs } from '../registration/clockSkew';
import type { ClientRegistration, RegisterClientInput } from '../registration/model';
import type { TokenSet } from '../sessions/model';
import type { HttpResponse } from '../transport/port';
import { parseJsonBody, safeJson } from '../transport/responseBody';
import { sendServiceRequest, ServiceClientDeps } from '../transport/serviceRequest';
import { DeviceAuthorization, parseDeviceAuthorization } from './deviceAuthorization';
import { errorFromResponse, parseClientInfo, parseTokenInfo, ResponseContext } from './responses';
import { classifyTokenError, type PollOutcome } from './tokenErrors';

/** The grant types this client registers for: the device code, and the authorization code the API requires alongside it. */
export const REGISTERED_GRANT_TYPES = ['authorization_code', 'urn:ietf:params:oauth:grant-type:device_code'] as const;

/** The grant type of the device flow (RFC 8628 §3.4). */
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** What the client needs from its host: the OIDC endpoint, the transport, time and the log. */
export type OidcClientDeps = ServiceClientDeps;

/** A region's own OIDC endpoint, as the Region setting builds it (`https://oidc.{region}.myhuaweicloud.com`). */
const REGION_ENDPOINT = /^https:\/\/oidc\.[a-z0-9-]+\.myhuaweicloud\.com$/;

/** The setting that chose an OIDC endpoint: `region` for a region's own endpoint, else `endpoint`. */
export function oidcEndpointSetting(endpoint: string): SettingKey {
  return REGION_ENDPOINT.test(endpoint) ? 'region' : 'endpoint';
}

export class OidcClient {
  private readonly deps: OidcClientDeps;

  constructor(deps: OidcClientDeps) {
    this.deps = { setting: oidcEndpointSetting(deps.endpoint), ...deps };
  }

  /** `POST /v1/clients`: registers a public client and returns it validated. */
  async registerClient(input: RegisterClientInput, signal?: AbortSignal): Promise<ClientRegistration> {
    const invalid = validateClientName(input.clientName);
    if (invalid) throw new IdentityCenterError('configuration', invalid);
    const response = await this.post('/v1/clients', registrationRequestBody(input), signal);
    if (response.status !== 200) throw errorFromResponse(response, l10n.t('register the client'), this.context([]));
    const receivedAtMs = this.deps.clock.now();
    const registration = parseClientInfo(parseJsonBody(response, l10n.t('The registration response')), input, this.deps.endpoint, receivedAtMs);
    const serviceSentIssuedAt = registration.issuedAt !== Math.floor(receivedAtMs / 1000) ? registration.issuedAt : undefined;
    const clockOffsetMs = estimateClockOffsetMs(receivedAtMs, serviceSentIssuedAt, response.headers.date);
    if (clockOffsetMs !== 0) {
      this.deps.logger.info(`The service's clock is ${Math.round(Math.abs(clockOffsetMs) / 1000)} s ${clockOffsetMs > 0 ? 'ahead of' : 'behind'} this computer's; expiry decisions allow for it.`);
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
    if (response.status !== 200) throw errorFromResponse(response, l10n.t('start the sign-in'), this.context([client.clientSecret]));
    return parseDeviceAuthorization(parseJsonBody(response, l10n.t('The device authorization response')), this.deps.clock.now(), this.deps.endpoint);
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
    if (kind === 'denied') throw new IdentityCenterError('denied', l10n.t('Sign-in was denied in the browser. Sign in again to retry.'), { status: response.status, remedy: 'signIn' });
    if (kind === 'expired') throw new IdentityCenterError('expired', l10n.t('The sign-in code expired before it was approved. Sign in again.'), { status: response.status, remedy: 'signIn' });
    throw errorFromResponse(response, l10n.t('sign in'), this.context([client.clientSecret, deviceCode]));
  }

  /** `POST /v1/tokens` with the refresh-token grant. */
  async refreshToken(client: ClientRegistration, refreshToken: string, signal?: AbortSignal): Promise<TokenSet> {
    const response = await this.post(
      '/v1/tokens',
      { client_id: client.clientId, client_secret: client.clientSecret, grant_type: 'refresh_token', refresh_token: refreshToken },
      signal,
    );
    if (response.status !== 200) {
      throw errorFromResponse(response, l10n.t('refresh the session'), this.context([client.clientSecret, refreshToken]));
    }
    return this.parseTokenResponse(response);
  }

  /** What an error answer is read with: the request's `secrets` to cut out, now, and the endpoint's setting. */
  private context(secrets: readonly string[]): ResponseContext {
    return { secrets, nowMs: this.deps.clock.now(), setting: this.deps.setting };
  }

  private parseTokenResponse(response: HttpResponse): TokenSet {
    return parseTokenInfo(parseJsonBody(response, l10n.t('The token response')), this.deps.clock.now());
  }

  /**
   * Sends a JSON POST (`transport/serviceRequest.ts`), retried when no response arrived
   * or the status is 429 or 5xx on these paths only:
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
    const retried = path === '/v1/clients' || path === '/v1/device/authorize';
    return sendServiceRequest(this.deps, { method: 'POST', path, body, retried, signal });
  }
}

/** The body of `POST /v1/clients`, as the Registering a Client page documents it (`docs/api.md`). */
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
