/**
 * The emulated IAM Identity Center OIDC API: `POST /v1/clients` (register a client),
 * `POST /v1/device/authorize` (RFC 8628 device authorization) and `POST /v1/tokens`
 * (device-code and refresh grants), with the clients, device codes and grants they keep.
 */
import { randomBytes } from 'node:crypto';
import type { EmulatorContext } from './settings';
import { huawei, json, type Reply } from './server';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const GRANT_TYPES = ['authorization_code', DEVICE_GRANT];
/** RFC 8628 §6.1: letters only, no vowels, so a code is easy to type and spells nothing. */
const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';

interface Client {
  clientId: string;
  clientSecret: string;
  secretExpiresAt: number;
  scopes: string[];
  revoked: boolean;
}

/** Where a device code stands; `expired` also covers a code whose lifetime ran out on the emulator clock. */
export type DeviceCodeStatus = 'pending' | 'approved' | 'denied' | 'expired' | 'redeemed';

/** A device authorization and what became of it. */
export interface DeviceCode {
  deviceCode: string;
  userCode: string;
  clientId: string;
  scopes: string[];
  expiresAtMs: number;
  intervalSeconds: number;
  lastPollMs?: number;
  status: DeviceCodeStatus;
}

/** Whether the portal API accepts an access token, and if not, why. */
export type AccessTokenState = 'live' | 'unknown' | 'expired' | 'revoked';

interface AccessToken {
  expiresAtMs: number;
  revoked: boolean;
}

interface RefreshGrant {
  clientId: string;
  scopes: string[];
  valid: boolean;
}

/** An error code of `/v1/tokens`, with its AWS spelling and status. */
type TokenErrorCode =
  | 'authorization_pending'
  | 'slow_down'
  | 'expired_token'
  | 'access_denied'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unsupported_grant_type';

const TOKEN_ERRORS: Record<TokenErrorCode, { aws: string; status: number; description: string }> = {
  authorization_pending: { aws: 'AuthorizationPendingException', status: 400, description: 'The user has not yet approved the sign-in.' },
  slow_down: { aws: 'SlowDownException', status: 400, description: 'Polling too fast: wait longer between requests.' },
  expired_token: { aws: 'ExpiredTokenException', status: 400, description: 'The device code has expired.' },
  access_denied: { aws: 'AccessDeniedException', status: 400, description: 'The user denied the sign-in.' },
  invalid_client: { aws: 'InvalidClientException', status: 401, description: 'The client is unknown, revoked, or its secret is wrong or expired.' },
  invalid_grant: { aws: 'InvalidGrantException', status: 400, description: 'The grant is unknown, used, or belongs to another client.' },
  unsupported_grant_type: { aws: 'UnsupportedGrantTypeException', status: 400, description: 'This grant type is not supported.' },
};

/** The OIDC API's state and answers; the emulator routes the three POSTs here and drives the rest through its control methods. */
export class OidcApi {
  private clients = new Map<string, Client>();
  private deviceCodes: DeviceCode[] = [];
  private refreshGrants = new Map<string, RefreshGrant>();
  private accessTokens = new Map<string, AccessToken>();

  constructor(private readonly context: EmulatorContext) {}

  /** The handler of an OIDC API route (`METHOD /path`), or undefined when the route is not one of them. */
  handler(key: string): ((body: Record<string, unknown>, requestId: string) => Reply) | undefined {
    switch (key) {
      case 'POST /v1/clients':
        return (body, requestId) => this.registerClient(body, requestId);
      case 'POST /v1/device/authorize':
        return (body, requestId) => this.startDeviceAuthorization(body, requestId);
      case 'POST /v1/tokens':
        return (body, requestId) => this.createToken(body, requestId);
      default:
        return undefined;
    }
  }

  /** Forgets clients, device codes, refresh grants and access tokens. */
  reset(): void {
    this.clients.clear();
    this.deviceCodes = [];
    this.refreshGrants.clear();
    this.accessTokens.clear();
  }

  /** A new access token, live for `tokenLifetimeSeconds` on the emulator clock. */
  issueAccessToken(): string {
    const token = this.context.issue(`atoken-${hex(16)}`);
    this.accessTokens.set(token, { expiresAtMs: this.context.now() + this.context.settings().tokenLifetimeSeconds * 1000, revoked: false });
    return token;
  }

  /** Whether `token` is a live access token of this emulator. */
  accessTokenState(token: string): AccessTokenState {
    const entry = this.accessTokens.get(token);
    if (!entry) return 'unknown';
    if (entry.revoked) return 'revoked';
    return this.context.now() >= entry.expiresAtMs ? 'expired' : 'live';
  }

  /** Revokes one access token; throws when this emulator did not issue it. */
  revokeAccessToken(token: string): void {
    const entry = this.accessTokens.get(token);
    if (!entry) throw new Error('Unknown access token.');
    entry.revoked = true;
  }

  /** Revokes every access token issued so far; returns how many were not revoked yet. */
  revokeAccessTokens(): number {
    let count = 0;
    for (const entry of this.accessTokens.values()) {
      if (!entry.revoked) count += 1;
      entry.revoked = true;
    }
    return count;
  }

  /** Makes every later request with this client answer 401 `invalid_client`. */
  revokeClient(clientId: string): void {
    const client = this.clients.get(clientId);
    if (!client) throw new Error(`Unknown client id ${clientId}`);
    client.revoked = true;
  }

  /** User codes still waiting for a person, oldest first. */
  pendingUserCodes(): string[] {
    return this.deviceCodes.filter((c) => this.effectiveStatus(c) === 'pending').map((c) => c.userCode);
  }

  /** Moves a device code (the latest pending when none is named) from one of the `from` states to `status`; returns its user code. */
  settle(userCode: string | undefined, status: DeviceCodeStatus, from: DeviceCodeStatus[]): string {
    const code = userCode === undefined ? this.deviceCodes.filter((c) => this.effectiveStatus(c) === 'pending').at(-1) : this.findCode(userCode);
    if (!code) throw new Error(userCode === undefined ? 'No pending device code.' : `Unknown user code ${userCode}.`);
    const current = this.effectiveStatus(code);
    if (!from.includes(current)) throw new Error(`User code ${code.userCode} is ${current}.`);
    code.status = status;
    return code.userCode;
  }

  /** The device code a person typed, ignoring case and separators. */
  findCode(userCode: string): DeviceCode | undefined {
    const wanted = normalizeUserCode(userCode);
    return this.deviceCodes.find((c) => normalizeUserCode(c.userCode) === wanted);
  }

  /** The stored status, with the emulator clock's verdict on expiry applied. */
  effectiveStatus(code: DeviceCode): DeviceCodeStatus {
    if (code.status === 'redeemed' || code.status === 'expired') return code.status;
    return this.context.now() >= code.expiresAtMs ? 'expired' : code.status;
  }

  private registerClient(body: Record<string, unknown>, requestId: string): Reply {
    const invalid = validateRegistration(body);
    if (invalid) return huawei(400, 'IIC.1001', invalid, requestId);
    const issuedAt = Math.floor(this.context.now() / 1000);
    const client: Client = {
      clientId: `cid-${hex(8)}`,
      clientSecret: this.context.issue(`csecret-${hex(16)}`),
      secretExpiresAt: issuedAt + this.context.settings().secretLifetimeSeconds,
      scopes: (body.scopes as string[] | undefined) ?? [],
      revoked: false,
    };
    this.clients.set(client.clientId, client);
    return json(200, {
      client_info: {
        authorization_endpoint: `${this.context.url}/v1/authorize`,
        client_id: client.clientId,
        client_id_issued_at: issuedAt,
        client_secret: client.clientSecret,
        client_secret_expires_at: client.secretExpiresAt,
        token_endpoint: `${this.context.url}/v1/tokens`,
        scopes: client.scopes,
      },
    });
  }

  private startDeviceAuthorization(body: Record<string, unknown>, requestId: string): Reply {
    const missing = firstMissing(body, ['client_id', 'client_secret', 'start_url']);
    if (missing) return huawei(400, 'IIC.1001', `${missing} is required and must be a non-empty string.`, requestId);
    const client = this.authenticate(body);
    if (!client) return json(401, { error: 'invalid_client', error_description: TOKEN_ERRORS.invalid_client.description });
    const { deviceCodeLifetimeSeconds: lifetime, interval, expiresInStyle, verificationUri } = this.context.settings();
    const page = verificationUri ?? `${this.context.url}/device`;
    const now = this.context.now();
    const code: DeviceCode = {
      deviceCode: this.context.issue(`dcode-${hex(16)}`),
      userCode: this.newUserCode(),
      clientId: client.clientId,
      scopes: client.scopes,
      expiresAtMs: now + lifetime * 1000,
      intervalSeconds: interval ?? 5,
      status: 'pending',
    };
    this.deviceCodes.push(code);
    return json(200, {
      device_code: code.deviceCode,
      user_code: code.userCode,
      verification_uri: page,
      verification_uri_complete: `${page}?user_code=${encodeURIComponent(code.userCode)}`,
      expires_in: expiresInStyle === 'epoch' ? Math.floor(now / 1000) + lifetime : lifetime,
      ...(interval === null ? {} : { interval }),
    });
  }

  private createToken(body: Record<string, unknown>, requestId: string): Reply {
    const missing = firstMissing(body, ['client_id', 'client_secret', 'grant_type']);
    if (missing) return huawei(400, 'IIC.1001', `${missing} is required and must be a non-empty string.`, requestId);
    const client = this.authenticate(body);
    if (!client) return this.tokenError('invalid_client', requestId);
    if (body.grant_type === DEVICE_GRANT) {
      if (firstMissing(body, ['device_code'])) return huawei(400, 'IIC.1001', 'device_code is required for the device code grant.', requestId);
      return this.redeemDeviceCode(client, body.device_code as string, requestId);
    }
    if (body.grant_type === 'refresh_token') {
      if (firstMissing(body, ['refresh_token'])) return huawei(400, 'IIC.1001', 'refresh_token is required for the refresh grant.', requestId);
      return this.redeemRefreshToken(client, body.refresh_token as string, requestId);
    }
    return this.tokenError('unsupported_grant_type', requestId);
  }

  private redeemDeviceCode(client: Client, deviceCode: string, requestId: string): Reply {
    const code = this.deviceCodes.find((c) => c.deviceCode === deviceCode);
    if (!code || code.clientId !== client.clientId || code.status === 'redeemed') return this.tokenError('invalid_grant', requestId);
    const now = this.context.now();
    const lastPollMs = code.lastPollMs;
    code.lastPollMs = now;
    switch (this.effectiveStatus(code)) {
      case 'expired':
        return this.tokenError('expired_token', requestId);
      case 'denied':
        return this.tokenError('access_denied', requestId);
      case 'pending':
        // RFC 8628 §3.5: a poll sooner than the interval gets slow_down, and the interval grows by 5 s.
        if (this.context.settings().enforceInterval && lastPollMs !== undefined && now - lastPollMs < code.intervalSeconds * 1000) {
          code.intervalSeconds += 5;
          return this.tokenError('slow_down', requestId);
        }
        return this.tokenError('authorization_pending', requestId);
      default:
        code.status = 'redeemed';
        return this.tokens(client, code.scopes, this.context.settings().issueRefreshTokens);
    }
  }

  private redeemRefreshToken(client: Client, refreshToken: string, requestId: string): Reply {
    const grant = this.refreshGrants.get(refreshToken);
    if (!grant || !grant.valid || grant.clientId !== client.clientId) return this.tokenError('invalid_grant', requestId);
    if (!this.context.settings().rotateRefreshTokens) return this.tokens(client, grant.scopes, false, refreshToken);
    grant.valid = false;
    return this.tokens(client, grant.scopes, true);
  }

  private tokens(client: Client, scopes: string[], newRefreshToken: boolean, keptRefreshToken?: string): Reply {
    const { tokenLifetimeSeconds, user } = this.context.settings();
    const iat = Math.floor(this.context.now() / 1000);
    const exp = iat + tokenLifetimeSeconds;
    const refreshToken = newRefreshToken ? this.context.issue(`rtoken-${hex(16)}`) : (keptRefreshToken ?? null);
    if (newRefreshToken && refreshToken) this.refreshGrants.set(refreshToken, { clientId: client.clientId, scopes, valid: true });
    const idToken = [
      base64url(JSON.stringify({ alg: 'none', typ: 'JWT' })),
      base64url(
        JSON.stringify({
          iss: this.context.url,
          aud: client.clientId,
          sub: user.sub,
          email: user.email,
          name: user.name,
          preferred_username: user.preferredUsername,
          iat,
          exp,
        }),
      ),
      base64url(randomBytes(16)),
    ].join('.');
    return json(200, {
      token_info: {
        access_token: this.issueAccessToken(),
        token_type: 'Bearer',
        expires_in: tokenLifetimeSeconds,
        id_token: this.context.issue(idToken),
        refresh_token: refreshToken,
      },
    });
  }

  private tokenError(code: TokenErrorCode, requestId: string): Reply {
    const { aws, status, description } = TOKEN_ERRORS[code];
    switch (this.context.settings().tokenErrorStyle) {
      case 'aws':
        return json(status, { error: aws, error_description: description });
      case 'huawei':
        return json(status, { error_code: code, error_msg: description, request_id: requestId });
      default:
        return json(status, { error: code, error_description: description });
    }
  }

  /** The client named by `client_id`, when its secret matches and is live. */
  private authenticate(body: Record<string, unknown>): Client | undefined {
    const client = this.clients.get(body.client_id as string);
    if (!client || client.revoked || client.clientSecret !== body.client_secret) return undefined;
    return Math.floor(this.context.now() / 1000) < client.secretExpiresAt ? client : undefined;
  }

  private newUserCode(): string {
    for (;;) {
      const letters = [...randomBytes(8)].map((b) => USER_CODE_ALPHABET[b % USER_CODE_ALPHABET.length]).join('');
      const code = `${letters.slice(0, 4)}-${letters.slice(4)}`;
      if (!this.deviceCodes.some((c) => c.userCode === code)) return code;
    }
  }
}

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

function normalizeUserCode(code: string): string {
  return code.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
}

/** The first of `fields` that is not a non-empty string. */
function firstMissing(body: Record<string, unknown>, fields: string[]): string | undefined {
  return fields.find((f) => typeof body[f] !== 'string' || body[f] === '');
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/**
 * The documented rules for `POST /v1/clients`; the reason a body breaks them, or undefined.
 * (`docs/api.md`, Registering a Client)
 */
function validateRegistration(body: Record<string, unknown>): string | undefined {
  const name = body.client_name;
  if (typeof name !== 'string') return 'client_name is required and must be a string.';
  const length = [...name].length;
  if (length < 1 || length > 1024) return 'client_name must be 1 to 1024 characters long.';
  if (body.client_type !== 'public') return 'client_type must be "public".';
  if (body.token_endpoint_auth_method !== 'client_secret_post') return 'token_endpoint_auth_method must be "client_secret_post".';
  const grants = body.grant_types;
  if (!isStringArray(grants) || grants.length === 0 || !grants.every((g) => GRANT_TYPES.includes(g))) {
    return `grant_types must be a non-empty array of ${GRANT_TYPES.map((g) => `"${g}"`).join(' and/or ')}.`;
  }
  const responses = body.response_types;
  if (!isStringArray(responses) || responses.length === 0 || !responses.every((r) => r === 'code')) return 'response_types must be ["code"].';
  if (body.scopes !== undefined && !isStringArray(body.scopes)) return 'scopes must be an array of strings.';
  return undefined;
}
