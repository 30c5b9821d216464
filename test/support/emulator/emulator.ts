/**
 * A local IAM Identity Center OIDC service on a loopback port: client registration,
 * device authorization (RFC 8628), token creation, a verification page for a person,
 * and a control API (under `/__control/`) through which tests and the demo move its
 * clock, approve sign-ins, inject faults and read what it received and issued.
 * Node's `http` module only, so it runs anywhere the tests run.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

/** How `/v1/tokens` words its errors: RFC 6749 names, AWS exception names, or the Huawei envelope. */
export type TokenErrorStyle = 'oauth' | 'aws' | 'huawei';

/** How `expires_in` of a device authorization is sent: a lifetime, or (the public example's quirk) a deadline in epoch seconds. */
export type ExpiresInStyle = 'seconds' | 'epoch';

/** The person who signs in; their claims go into every `id_token`. */
export interface EmulatorUser {
  sub: string;
  email: string;
  name: string;
  preferredUsername: string;
}

/** Everything about the emulator's behaviour that tests may change at run time (`configure`). */
export interface EmulatorSettings {
  /** Lifetime of a registered client's secret, in seconds. */
  secretLifetimeSeconds: number;
  /** Lifetime of a device code, in seconds. */
  deviceCodeLifetimeSeconds: number;
  /** The `interval` sent with a device authorization; `null` leaves the field out (clients then poll every 5 s). */
  interval: number | null;
  /** How `expires_in` of a device authorization is sent. */
  expiresInStyle: ExpiresInStyle;
  /** `expires_in` of access tokens, in seconds. */
  tokenLifetimeSeconds: number;
  /** When false, `refresh_token` is `null` in device-code token responses. */
  issueRefreshTokens: boolean;
  /** When true, a refresh grant returns a new refresh token and retires the old one. */
  rotateRefreshTokens: boolean;
  /** How `/v1/tokens` words its errors. */
  tokenErrorStyle: TokenErrorStyle;
  /** When true, polling a pending device code sooner than its interval answers `slow_down`. */
  enforceInterval: boolean;
  /** The signed-in person. */
  user: EmulatorUser;
}

/** The settings a fresh emulator starts with. */
export const DEFAULT_SETTINGS: Readonly<EmulatorSettings> = Object.freeze({
  secretLifetimeSeconds: 90 * 24 * 3600,
  deviceCodeLifetimeSeconds: 600,
  interval: 5,
  expiresInStyle: 'seconds',
  tokenLifetimeSeconds: 3600,
  issueRefreshTokens: true,
  rotateRefreshTokens: true,
  tokenErrorStyle: 'oauth',
  enforceInterval: true,
  user: Object.freeze({
    sub: 'user-0001',
    email: 'test.user@example.com',
    name: 'Test User',
    preferredUsername: 'test.user@example.com',
  }),
});

/** Options of `IdentityCenterEmulator.start`: the port (0, the default, picks a free one), https, and initial settings. */
export interface EmulatorOptions extends Partial<EmulatorSettings> {
  port?: number;
  /** Serve https with this key and certificate (PEM) instead of http; `url` then starts with `https://`. */
  https?: { key: string | Buffer; cert: string | Buffer };
}

/** A misbehaviour the emulator shows instead of (or on the way to) a normal answer. */
export type Fault =
  /** Answer with this status; the body defaults to a Huawei envelope `IIC.<status>`. A non-string body is sent as JSON. */
  | { type: 'status'; status: number; body?: unknown; headers?: Record<string, string>; contentType?: string }
  /** Destroy the socket before any response. */
  | { type: 'reset' }
  /** Handle the request, send the headers and part of the body, then destroy the socket. */
  | { type: 'resetMidBody' }
  /** Never answer; the socket closes when the emulator closes. */
  | { type: 'hang' }
  /** Wait, then handle normally. */
  | { type: 'delay'; ms: number }
  /** Handle normally but send the body `bytesPerTick` bytes every `tickMs`. */
  | { type: 'trickle'; bytesPerTick: number; tickMs: number }
  /** A 200 JSON-shaped body of exactly `bytes` bytes; `chunked` leaves out `Content-Length`. */
  | { type: 'oversized'; bytes: number; chunked?: boolean }
  /** A raw body, e.g. a proxy's HTML error page. Status defaults to 200. */
  | { type: 'body'; status?: number; contentType: string; body: string };

/** Which requests a fault hits: those to `path` (exact, any when absent), the next `times` of them (default 1). */
export interface FaultOptions {
  path?: string;
  times?: number;
}

/** One request the emulator received on its API (control requests are not recorded). */
export interface RecordedRequest {
  method: string;
  /** The path without the query. */
  path: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** Parsed JSON, the raw text when it is not JSON, or `undefined` when empty. */
  body: unknown;
  /** Emulator clock, milliseconds since the epoch. */
  receivedAt: number;
}

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const GRANT_TYPES = ['authorization_code', DEVICE_GRANT];
const MAX_REQUEST_BYTES = 1024 * 1024;
const JSON_TYPE = 'application/json;charset=UTF-8';
const HTML_TYPE = 'text/html; charset=utf-8';
/** RFC 8628 §6.1: letters only, no vowels, so a code is easy to type and spells nothing. */
const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';

/** A response before it is written, so faults can delay, cut or trickle it. */
interface Reply {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

interface Client {
  clientId: string;
  clientSecret: string;
  secretExpiresAt: number;
  scopes: string[];
  revoked: boolean;
}

type DeviceCodeStatus = 'pending' | 'approved' | 'denied' | 'expired' | 'redeemed';

interface DeviceCode {
  deviceCode: string;
  userCode: string;
  clientId: string;
  scopes: string[];
  expiresAtMs: number;
  intervalSeconds: number;
  lastPollMs?: number;
  status: DeviceCodeStatus;
}

interface RefreshGrant {
  clientId: string;
  scopes: string[];
  valid: boolean;
}

interface QueuedFault {
  fault: Fault;
  path?: string;
  remaining: number;
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

/**
 * The emulator. `start()` listens on 127.0.0.1; every control operation is available
 * both as a method here and over HTTP (see `EmulatorControl`) for tests in another process.
 */
export class IdentityCenterEmulator {
  /** Base URL, e.g. `http://127.0.0.1:PORT`, to use as the OIDC endpoint. */
  readonly url: string;

  private readonly initialSettings: EmulatorSettings;
  private settings: EmulatorSettings;
  private clockOffsetMs = 0;
  private clients = new Map<string, Client>();
  private deviceCodes: DeviceCode[] = [];
  private refreshGrants = new Map<string, RefreshGrant>();
  private recorded: RecordedRequest[] = [];
  private secrets: string[] = [];
  private faults: QueuedFault[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closing?: Promise<void>;

  private constructor(
    private readonly server: http.Server | https.Server,
    url: string,
    settings: EmulatorSettings,
  ) {
    this.url = url;
    this.initialSettings = settings;
    this.settings = cloneSettings(settings);
  }

  /** Starts an emulator on 127.0.0.1 (`options.port`, or a free port). */
  static async start(options: EmulatorOptions = {}): Promise<IdentityCenterEmulator> {
    const { port = 0, https: tlsOptions, ...rest } = options;
    const settings = { ...cloneSettings(DEFAULT_SETTINGS), ...validateSettings(rest) };
    const server = tlsOptions ? https.createServer({ key: tlsOptions.key, cert: tlsOptions.cert }) : http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address() as AddressInfo;
    const emulator = new IdentityCenterEmulator(server, `${tlsOptions ? 'https' : 'http'}://127.0.0.1:${address.port}`, settings);
    server.on('connection', (socket: Socket) => emulator.track(socket));
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => void emulator.onRequest(req, res));
    return emulator;
  }

  /** Stops listening and ends every connection at once, hung and trickling ones included. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const timer of this.timers) clearTimeout(timer);
      this.timers.clear();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
      for (const socket of this.sockets) socket.destroy();
    });
    return this.closing;
  }

  // ---- control -------------------------------------------------------------------

  /** Requests received on the API, oldest first; only those to `path` when given. */
  requests(path?: string): RecordedRequest[] {
    return this.recorded.filter((r) => path === undefined || r.path === path).map((r) => structuredClone(r));
  }

  /** Forgets the recorded requests. */
  clearRequests(): void {
    this.recorded = [];
  }

  /** Sets the lifetime of secrets of clients registered from now on. */
  setSecretLifetime(seconds: number): void {
    this.configure({ secretLifetimeSeconds: seconds });
  }

  /** Sets the emulator clock to `Date.now()` plus `seconds` (fractions allowed). */
  setClockOffset(seconds: number): void {
    this.clockOffsetMs = Math.round(requireFinite(seconds, 'seconds') * 1000);
  }

  /** Moves the emulator clock forward by `seconds` (fractions allowed). */
  advanceClock(seconds: number): void {
    this.clockOffsetMs += Math.round(requireFinite(seconds, 'seconds') * 1000);
  }

  /** The emulator clock, milliseconds since the epoch. */
  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** The emulator clock's offset from `Date.now()`, in seconds. */
  clockOffsetSeconds(): number {
    return this.clockOffsetMs / 1000;
  }

  /** Changes some settings; returns all of them. */
  configure(partial: Partial<EmulatorSettings>): EmulatorSettings {
    this.settings = { ...this.settings, ...validateSettings(partial) };
    return this.currentSettings();
  }

  /** The settings in force. */
  currentSettings(): EmulatorSettings {
    return cloneSettings(this.settings);
  }

  /** Every client secret, device code and token issued since start (`reset` keeps them), for leak scans. */
  issuedSecrets(): string[] {
    return [...this.secrets];
  }

  /** Makes every later request with this client answer 401 `invalid_client`. */
  revokeClient(clientId: string): void {
    const client = this.clients.get(clientId);
    if (!client) throw new Error(`Unknown client id ${clientId}`);
    client.revoked = true;
  }

  /** Approves a pending device code (the latest when none is named); returns its user code. */
  approve(userCode?: string): string {
    return this.settle(userCode, 'approved', ['pending']);
  }

  /** Denies a pending device code (the latest when none is named); returns its user code. */
  deny(userCode?: string): string {
    return this.settle(userCode, 'denied', ['pending']);
  }

  /** Expires a device code now (the latest pending when none is named); returns its user code. */
  expire(userCode?: string): string {
    return this.settle(userCode, 'expired', ['pending', 'approved', 'denied']);
  }

  /** User codes still waiting for a person, oldest first. */
  pendingUserCodes(): string[] {
    return this.deviceCodes.filter((c) => this.effectiveStatus(c) === 'pending').map((c) => c.userCode);
  }

  /** Queues a fault for the next matching API requests. */
  injectFault(fault: Fault, options: FaultOptions = {}): void {
    const times = options.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new TypeError('times must be a positive integer');
    if (options.path !== undefined && typeof options.path !== 'string') throw new TypeError('path must be a string');
    this.faults.push({ fault: validateFault(fault), path: options.path, remaining: times });
  }

  /** Drops every queued fault. */
  clearFaults(): void {
    this.faults = [];
  }

  /** Forgets clients, codes, tokens, requests and faults; settings back to those given to `start`, clock offset to 0. */
  reset(): void {
    this.settings = cloneSettings(this.initialSettings);
    this.clockOffsetMs = 0;
    this.clients.clear();
    this.deviceCodes = [];
    this.refreshGrants.clear();
    this.recorded = [];
    this.faults = [];
  }

  // ---- request plumbing --------------------------------------------------------------

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  private later(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', this.url);
    let raw: string;
    try {
      raw = await readBody(req);
    } catch {
      this.send(res, requestId, huawei(413, 'IIC.413', 'The request body is too large.', requestId));
      return;
    }
    if (url.pathname.startsWith('/__control/')) {
      this.send(res, requestId, this.control(req.method ?? 'GET', url, raw));
      return;
    }
    this.recorded.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      headers: flattenHeaders(req.headers),
      body: parseLoosely(raw),
      receivedAt: this.now(),
    });
    const handle = (): Reply => this.route(req.method ?? 'GET', url, raw, requestId);
    const fault = this.takeFault(url.pathname);
    if (fault) this.applyFault(fault, req, res, requestId, handle);
    else this.send(res, requestId, handle());
  }

  private route(method: string, url: URL, raw: string, requestId: string): Reply {
    try {
      const key = `${method} ${url.pathname}`;
      if (key === 'GET /device') return this.verificationPage(url.searchParams.get('user_code'));
      if (key === 'POST /device/approve') return this.verificationDecision(raw, 'approved');
      if (key === 'POST /device/deny') return this.verificationDecision(raw, 'denied');
      const api: Record<string, ((body: Record<string, unknown>, requestId: string) => Reply) | undefined> = {
        'POST /v1/clients': (b, id) => this.registerClient(b, id),
        'POST /v1/device/authorize': (b, id) => this.startDeviceAuthorization(b, id),
        'POST /v1/tokens': (b, id) => this.createToken(b, id),
      };
      const handler = api[key];
      if (!handler) return huawei(404, 'IIC.404', `No such resource: ${method} ${url.pathname}`, requestId);
      const body = parseObject(raw);
      if (!body) return huawei(400, 'IIC.400', 'The request body must be a JSON object.', requestId);
      return handler(body, requestId);
    } catch (error) {
      return huawei(500, 'IIC.500', `Emulator error: ${error instanceof Error ? error.message : String(error)}`, requestId);
    }
  }

  private send(res: http.ServerResponse, requestId: string, reply: Reply): void {
    if (gone(res) || res.headersSent) return;
    const body = Buffer.from(reply.body, 'utf8');
    this.writeHead(res, requestId, reply, body.length);
    res.end(body);
  }

  private writeHead(res: http.ServerResponse, requestId: string, reply: Reply, contentLength?: number): void {
    res.setHeader('Date', new Date(this.now()).toUTCString());
    res.setHeader('X-Request-Id', requestId);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Type', reply.contentType);
    if (contentLength !== undefined) res.setHeader('Content-Length', contentLength);
    for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
    res.writeHead(reply.status);
  }

  private takeFault(path: string): Fault | undefined {
    const index = this.faults.findIndex((f) => f.path === undefined || f.path === path);
    if (index < 0) return undefined;
    const queued = this.faults[index];
    queued.remaining -= 1;
    if (queued.remaining <= 0) this.faults.splice(index, 1);
    return queued.fault;
  }

  private applyFault(fault: Fault, req: http.IncomingMessage, res: http.ServerResponse, requestId: string, handle: () => Reply): void {
    switch (fault.type) {
      case 'status': {
        const body =
          fault.body === undefined
            ? JSON.stringify({ error_code: `IIC.${fault.status}`, error_msg: 'Injected fault.', request_id: requestId })
            : typeof fault.body === 'string'
              ? fault.body
              : JSON.stringify(fault.body);
        this.send(res, requestId, { status: fault.status, contentType: fault.contentType ?? JSON_TYPE, body, headers: fault.headers });
        return;
      }
      case 'body':
        this.send(res, requestId, { status: fault.status ?? 200, contentType: fault.contentType, body: fault.body });
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'resetMidBody': {
        const reply = handle();
        const body = Buffer.from(reply.body, 'utf8');
        this.writeHead(res, requestId, reply, body.length);
        res.write(body.subarray(0, Math.max(1, Math.floor(body.length / 2))), () => req.socket.destroy());
        return;
      }
      case 'hang':
        return;
      case 'delay':
        this.later(fault.ms, () => {
          if (!gone(res)) this.send(res, requestId, handle());
        });
        return;
      case 'trickle':
        this.trickle(res, requestId, handle(), fault.bytesPerTick, fault.tickMs);
        return;
      case 'oversized':
        void this.sendOversized(res, requestId, fault.bytes, fault.chunked ?? false);
        return;
    }
  }

  private trickle(res: http.ServerResponse, requestId: string, reply: Reply, bytesPerTick: number, tickMs: number): void {
    const body = Buffer.from(reply.body, 'utf8');
    this.writeHead(res, requestId, reply, body.length);
    let offset = 0;
    const tick = (): void => {
      if (gone(res)) return;
      const chunk = body.subarray(offset, offset + bytesPerTick);
      offset += chunk.length;
      if (offset >= body.length) res.end(chunk);
      else {
        res.write(chunk);
        this.later(tickMs, tick);
      }
    };
    this.later(tickMs, tick);
  }

  private async sendOversized(res: http.ServerResponse, requestId: string, bytes: number, chunked: boolean): Promise<void> {
    const head = '{"padding":"';
    const tail = '"}';
    const padding = Math.max(0, bytes - head.length - tail.length);
    this.writeHead(res, requestId, { status: 200, contentType: JSON_TYPE, body: '' }, chunked ? undefined : head.length + padding + tail.length);
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const write = (data: string | Buffer): Promise<boolean> =>
      new Promise((resolve) => {
        if (res.destroyed) return resolve(false);
        if (res.write(data)) return resolve(true);
        const done = (): void => {
          res.off('drain', done);
          res.off('close', done);
          resolve(!res.destroyed);
        };
        res.once('drain', done);
        res.once('close', done);
      });
    if (!(await write(head))) return;
    for (let left = padding; left > 0; left -= chunk.length) {
      if (!(await write(left >= chunk.length ? chunk : chunk.subarray(0, left)))) return;
    }
    if (!res.destroyed) res.end(tail);
  }

  // ---- the OIDC API ----------------------------------------------------------------------

  private registerClient(body: Record<string, unknown>, requestId: string): Reply {
    const invalid = validateRegistration(body);
    if (invalid) return huawei(400, 'IIC.1001', invalid, requestId);
    const issuedAt = Math.floor(this.now() / 1000);
    const client: Client = {
      clientId: `cid-${hex(8)}`,
      clientSecret: this.issue(`csecret-${hex(16)}`),
      secretExpiresAt: issuedAt + this.settings.secretLifetimeSeconds,
      scopes: (body.scopes as string[] | undefined) ?? [],
      revoked: false,
    };
    this.clients.set(client.clientId, client);
    return json(200, {
      client_info: {
        authorization_endpoint: `${this.url}/v1/authorize`,
        client_id: client.clientId,
        client_id_issued_at: issuedAt,
        client_secret: client.clientSecret,
        client_secret_expires_at: client.secretExpiresAt,
        token_endpoint: `${this.url}/v1/tokens`,
        scopes: client.scopes,
      },
    });
  }

  private startDeviceAuthorization(body: Record<string, unknown>, requestId: string): Reply {
    const missing = firstMissing(body, ['client_id', 'client_secret', 'start_url']);
    if (missing) return huawei(400, 'IIC.1001', `${missing} is required and must be a non-empty string.`, requestId);
    const client = this.authenticate(body);
    if (!client) return json(401, { error: 'invalid_client', error_description: TOKEN_ERRORS.invalid_client.description });
    const { deviceCodeLifetimeSeconds: lifetime, interval, expiresInStyle } = this.settings;
    const now = this.now();
    const code: DeviceCode = {
      deviceCode: this.issue(`dcode-${hex(16)}`),
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
      verification_uri: `${this.url}/device`,
      verification_uri_complete: `${this.url}/device?user_code=${encodeURIComponent(code.userCode)}`,
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
    const now = this.now();
    const lastPollMs = code.lastPollMs;
    code.lastPollMs = now;
    switch (this.effectiveStatus(code)) {
      case 'expired':
        return this.tokenError('expired_token', requestId);
      case 'denied':
        return this.tokenError('access_denied', requestId);
      case 'pending':
        // RFC 8628 §3.5: a poll sooner than the interval gets slow_down, and the interval grows by 5 s.
        if (this.settings.enforceInterval && lastPollMs !== undefined && now - lastPollMs < code.intervalSeconds * 1000) {
          code.intervalSeconds += 5;
          return this.tokenError('slow_down', requestId);
        }
        return this.tokenError('authorization_pending', requestId);
      default:
        code.status = 'redeemed';
        return this.tokens(client, code.scopes, this.settings.issueRefreshTokens);
    }
  }

  private redeemRefreshToken(client: Client, refreshToken: string, requestId: string): Reply {
    const grant = this.refreshGrants.get(refreshToken);
    if (!grant || !grant.valid || grant.clientId !== client.clientId) return this.tokenError('invalid_grant', requestId);
    if (!this.settings.rotateRefreshTokens) return this.tokens(client, grant.scopes, false, refreshToken);
    grant.valid = false;
    return this.tokens(client, grant.scopes, true);
  }

  private tokens(client: Client, scopes: string[], newRefreshToken: boolean, keptRefreshToken?: string): Reply {
    const iat = Math.floor(this.now() / 1000);
    const exp = iat + this.settings.tokenLifetimeSeconds;
    const user = this.settings.user;
    const refreshToken = newRefreshToken ? this.issue(`rtoken-${hex(16)}`) : (keptRefreshToken ?? null);
    if (newRefreshToken && refreshToken) this.refreshGrants.set(refreshToken, { clientId: client.clientId, scopes, valid: true });
    const idToken = [
      base64url(JSON.stringify({ alg: 'none', typ: 'JWT' })),
      base64url(
        JSON.stringify({
          iss: this.url,
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
        access_token: this.issue(`atoken-${hex(16)}`),
        token_type: 'Bearer',
        expires_in: this.settings.tokenLifetimeSeconds,
        id_token: this.issue(idToken),
        refresh_token: refreshToken,
      },
    });
  }

  private tokenError(code: TokenErrorCode, requestId: string): Reply {
    const { aws, status, description } = TOKEN_ERRORS[code];
    switch (this.settings.tokenErrorStyle) {
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
    return Math.floor(this.now() / 1000) < client.secretExpiresAt ? client : undefined;
  }

  private issue(secret: string): string {
    this.secrets.push(secret);
    return secret;
  }

  private newUserCode(): string {
    for (;;) {
      const letters = [...randomBytes(8)].map((b) => USER_CODE_ALPHABET[b % USER_CODE_ALPHABET.length]).join('');
      const code = `${letters.slice(0, 4)}-${letters.slice(4)}`;
      if (!this.deviceCodes.some((c) => c.userCode === code)) return code;
    }
  }

  /** The stored status, with the emulator clock's verdict on expiry applied. */
  private effectiveStatus(code: DeviceCode): DeviceCodeStatus {
    if (code.status === 'redeemed' || code.status === 'expired') return code.status;
    return this.now() >= code.expiresAtMs ? 'expired' : code.status;
  }

  private findCode(userCode: string): DeviceCode | undefined {
    const wanted = normalizeUserCode(userCode);
    return this.deviceCodes.find((c) => normalizeUserCode(c.userCode) === wanted);
  }

  private settle(userCode: string | undefined, status: DeviceCodeStatus, from: DeviceCodeStatus[]): string {
    const code = userCode === undefined ? this.deviceCodes.filter((c) => this.effectiveStatus(c) === 'pending').at(-1) : this.findCode(userCode);
    if (!code) throw new Error(userCode === undefined ? 'No pending device code.' : `Unknown user code ${userCode}.`);
    const current = this.effectiveStatus(code);
    if (!from.includes(current)) throw new Error(`User code ${code.userCode} is ${current}.`);
    code.status = status;
    return code.userCode;
  }

  // ---- the verification page -------------------------------------------------------------

  private verificationPage(userCode: string | null): Reply {
    if (!userCode) {
      return html(
        200,
        'Authorize a device',
        `<form method="get" action="/device">
<label for="user_code">Code shown in VS Code</label>
<input id="user_code" name="user_code" autocomplete="off" autofocus>
<button id="continue" type="submit">Continue</button>
</form>`,
      );
    }
    const code = this.findCode(userCode);
    if (!code) return html(404, 'Unknown code', `<p id="message">The code ${escapeHtml(userCode)} is not known. Check it and try again.</p><p><a href="/device">Enter a code</a></p>`);
    const status = this.effectiveStatus(code);
    if (status !== 'pending') return html(400, 'Code no longer valid', `<p id="message">The code ${escapeHtml(code.userCode)} is ${status}.</p>`);
    const hidden = `<input type="hidden" name="user_code" value="${escapeHtml(code.userCode)}">`;
    return html(
      200,
      'Authorize a device',
      `<p>Confirm that this code matches the one shown in VS Code:</p>
<p><strong id="user-code">${escapeHtml(code.userCode)}</strong></p>
<p>Signing in as ${escapeHtml(this.settings.user.name)} (${escapeHtml(this.settings.user.email)}).</p>
<form method="post" action="/device/approve">${hidden}<button id="approve" type="submit">Approve</button></form>
<form method="post" action="/device/deny">${hidden}<button id="deny" type="submit">Deny</button></form>`,
    );
  }

  private verificationDecision(raw: string, status: 'approved' | 'denied'): Reply {
    const userCode = new URLSearchParams(raw).get('user_code') ?? '';
    const code = this.findCode(userCode);
    if (!code) return html(404, 'Unknown code', `<p id="message">The code ${escapeHtml(userCode)} is not known.</p>`);
    const current = this.effectiveStatus(code);
    if (current !== 'pending') return html(400, 'Code no longer valid', `<p id="message">The code ${escapeHtml(code.userCode)} is ${current}.</p>`);
    code.status = status;
    return status === 'approved'
      ? html(200, 'Device approved', '<p id="message">Approved. You can close this window and return to VS Code.</p>')
      : html(200, 'Device denied', '<p id="message">Denied. The sign-in in VS Code will stop.</p>');
  }

  // ---- the control API over HTTP ------------------------------------------------------------

  private control(method: string, url: URL, raw: string): Reply {
    try {
      const body = raw.trim() === '' ? {} : parseObject(raw);
      if (!body) return json(400, { error: 'The control request body must be a JSON object.' });
      const result = this.controlAction(`${method} ${url.pathname.slice('/__control'.length)}`, url, body);
      return result === undefined ? json(404, { error: `No control endpoint ${method} ${url.pathname}` }) : json(200, result);
    } catch (error) {
      return json(400, { error: error instanceof Error ? error.message : String(error) });
    }
  }

  private controlAction(key: string, url: URL, body: Record<string, unknown>): unknown {
    const userCode = (): string | undefined => optionalString(body.user_code, 'user_code');
    switch (key) {
      case 'GET /requests':
        return { requests: this.requests(url.searchParams.get('path') ?? undefined) };
      case 'POST /requests/clear':
        this.clearRequests();
        return {};
      case 'GET /settings':
        return this.currentSettings();
      case 'POST /configure':
        return this.configure(body as Partial<EmulatorSettings>);
      case 'GET /clock':
        return this.clockState();
      case 'POST /clock':
        if (body.offsetSeconds !== undefined) this.setClockOffset(body.offsetSeconds as number);
        if (body.advanceSeconds !== undefined) this.advanceClock(body.advanceSeconds as number);
        return this.clockState();
      case 'GET /secrets':
        return { secrets: this.issuedSecrets() };
      case 'POST /clients/revoke':
        this.revokeClient(requireString(body.client_id, 'client_id'));
        return {};
      case 'GET /device/pending':
        return { user_codes: this.pendingUserCodes() };
      case 'POST /device/approve':
        return { user_code: this.approve(userCode()) };
      case 'POST /device/deny':
        return { user_code: this.deny(userCode()) };
      case 'POST /device/expire':
        return { user_code: this.expire(userCode()) };
      case 'POST /faults':
        this.injectFault(body.fault as Fault, { path: optionalString(body.path, 'path'), times: body.times as number | undefined });
        return {};
      case 'POST /faults/clear':
        this.clearFaults();
        return {};
      case 'POST /reset':
        this.reset();
        return {};
      default:
        return undefined;
    }
  }

  private clockState(): { nowMs: number; offsetSeconds: number } {
    return { nowMs: this.now(), offsetSeconds: this.clockOffsetSeconds() };
  }
}

// ---- helpers -----------------------------------------------------------------------------

function json(status: number, value: unknown): Reply {
  return { status, contentType: JSON_TYPE, body: JSON.stringify(value) };
}

function huawei(status: number, code: string, message: string, requestId: string): Reply {
  return json(status, { error_code: code, error_msg: message, request_id: requestId });
}

function html(status: number, title: string, content: string): Reply {
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} - IAM Identity Center emulator</title></head>
<body><h1>${escapeHtml(title)}</h1>
${content}
</body></html>
`;
  return { status, contentType: HTML_TYPE, body };
}

/** True when the client went away, so there is no one left to answer. */
function gone(res: http.ServerResponse): boolean {
  return res.destroyed || res.socket?.destroyed === true;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
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

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        reject(new Error('request body too large'));
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseLoosely(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

function parseObject(raw: string): Record<string, unknown> | undefined {
  const value = parseLoosely(raw);
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/** The first of `fields` that is not a non-empty string. */
function firstMissing(body: Record<string, unknown>, fields: string[]): string | undefined {
  return fields.find((f) => typeof body[f] !== 'string' || body[f] === '');
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** The seed's rules for `POST /v1/clients`; the reason a body breaks them, or undefined. */
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

function requireFinite(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError(`${name} must be a finite number`);
  return value;
}

function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new TypeError(`${name} must be a non-empty string`);
  return value;
}

function optionalString(value: unknown, name: string): string | undefined {
  return value === undefined || value === null ? undefined : requireString(value, name);
}

function cloneSettings(settings: Readonly<EmulatorSettings>): EmulatorSettings {
  return { ...settings, user: { ...settings.user } };
}

/** Checks a partial settings object key by key, so a bad value from a control request fails loudly. */
function validateSettings(partial: Partial<EmulatorSettings>): Partial<EmulatorSettings> {
  if (typeof partial !== 'object' || partial === null) throw new TypeError('settings must be an object');
  const nonNegative = (key: string, value: unknown): void => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new TypeError(`${key} must be a number >= 0`);
  };
  const oneOf = (key: string, value: unknown, allowed: string[]): void => {
    if (typeof value !== 'string' || !allowed.includes(value)) throw new TypeError(`${key} must be one of ${allowed.join(', ')}`);
  };
  const boolean = (key: string, value: unknown): void => {
    if (typeof value !== 'boolean') throw new TypeError(`${key} must be a boolean`);
  };
  const checks: Record<keyof EmulatorSettings, (key: string, value: unknown) => void> = {
    secretLifetimeSeconds: nonNegative,
    deviceCodeLifetimeSeconds: nonNegative,
    interval: (key, value) => value === null || nonNegative(key, value),
    expiresInStyle: (key, value) => oneOf(key, value, ['seconds', 'epoch']),
    tokenLifetimeSeconds: nonNegative,
    issueRefreshTokens: boolean,
    rotateRefreshTokens: boolean,
    tokenErrorStyle: (key, value) => oneOf(key, value, ['oauth', 'aws', 'huawei']),
    enforceInterval: boolean,
    user: (key, value) => {
      const user = value as Record<string, unknown> | null;
      if (typeof user !== 'object' || user === null || !['sub', 'email', 'name', 'preferredUsername'].every((k) => typeof user[k] === 'string')) {
        throw new TypeError(`${key} must have string sub, email, name and preferredUsername`);
      }
    },
  };
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(partial)) {
    const check = checks[key as keyof EmulatorSettings];
    if (!check) throw new TypeError(`Unknown setting ${key}`);
    if (value === undefined) continue;
    check(key, value);
    result[key] = key === 'user' ? { ...(value as EmulatorUser) } : value;
  }
  return result as Partial<EmulatorSettings>;
}

/** Checks a fault's shape, since faults also arrive as JSON over the control API. */
function validateFault(fault: Fault): Fault {
  const f = fault as unknown as Record<string, unknown> | null;
  const positive = (key: string): void => {
    if (typeof f?.[key] !== 'number' || !Number.isFinite(f[key]) || (f[key] as number) < 0) throw new TypeError(`fault.${key} must be a number >= 0`);
  };
  const status = (value: unknown): void => {
    if (!Number.isInteger(value) || (value as number) < 100 || (value as number) > 599) throw new TypeError('fault.status must be an HTTP status');
  };
  switch (f?.type) {
    case 'status':
      status(f.status);
      if (f.contentType !== undefined && typeof f.contentType !== 'string') throw new TypeError('fault.contentType must be a string');
      if (f.headers !== undefined && (typeof f.headers !== 'object' || f.headers === null || !Object.values(f.headers).every((v) => typeof v === 'string'))) {
        throw new TypeError('fault.headers must map names to strings');
      }
      break;
    case 'reset':
    case 'resetMidBody':
    case 'hang':
      break;
    case 'delay':
      positive('ms');
      break;
    case 'trickle':
      positive('tickMs');
      if (!Number.isInteger(f.bytesPerTick) || (f.bytesPerTick as number) < 1) throw new TypeError('fault.bytesPerTick must be a positive integer');
      break;
    case 'oversized':
      positive('bytes');
      break;
    case 'body':
      if (f.status !== undefined) status(f.status);
      if (typeof f.contentType !== 'string' || typeof f.body !== 'string') throw new TypeError('fault.contentType and fault.body must be strings');
      break;
    default:
      throw new TypeError(`Unknown fault type ${String(f?.type)}`);
  }
  return structuredClone(fault);
}
