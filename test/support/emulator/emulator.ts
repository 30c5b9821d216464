/**
 * A local IAM Identity Center on a loopback port: the OIDC API (client registration,
 * device authorization (RFC 8628), token creation), the portal API its access tokens
 * open (assigned accounts and agencies, agency credentials, logout), the few IAM calls
 * the Huawei Cloud SDK makes with those credentials (each signature checked), a
 * verification page for a person, and a control API (under `/__control/`) through which tests and
 * the demo move its clock, approve sign-ins, inject faults and read what it received
 * and issued. Node's `http` module only, so it runs anywhere the tests run.
 *
 * This file holds the emulator's state and control methods; the parts live beside it:
 * `server.ts` (HTTP, recording, faults), `faults.ts`, `oidcApi.ts`, `portalApi.ts`,
 * `iamApi.ts` with `sdkSignature.ts`, `verificationPage.ts`, `controlApi.ts` and `settings.ts`.
 */
import { controlReply, type ControlTarget } from './controlApi';
import type { Fault, FaultOptions } from './faults';
import { IamApi, type IamRequestRecord } from './iamApi';
import { OidcApi } from './oidcApi';
import { PortalApi, type IssuedCredential } from './portalApi';
import { EmulatorServer, huawei, parseObject, type ApiRequest, type RecordedRequest, type Reply } from './server';
import { cloneSettings, DEFAULT_SETTINGS, validateSettings, type EmulatorContext, type EmulatorSettings } from './settings';
import { verificationDecision, verificationPage } from './verificationPage';

export type { Fault, FaultOptions } from './faults';
export type { RecordedRequest } from './server';
export { PORTAL_ERROR_CODES, type IssuedCredential } from './portalApi';
export { IAM_AUTH_ERROR_CODE, IAM_PROJECT_REGIONS, type IamRequestRecord } from './iamApi';
export type { SignatureRefusal } from './sdkSignature';
export {
  DEFAULT_SETTINGS,
  generatedAccount,
  type CredentialExpirationStyle,
  type EmulatorAccount,
  type EmulatorAgency,
  type EmulatorSettings,
  type EmulatorUser,
  type ExpiresInStyle,
  type LastPageMarker,
  type TokenErrorStyle,
} from './settings';

/** Options of `IdentityCenterEmulator.start`: the port (0, the default, picks a free one), https, and initial settings. */
export interface EmulatorOptions extends Partial<EmulatorSettings> {
  port?: number;
  /** Serve https with this key and certificate (PEM) instead of http; `url` then starts with `https://`. */
  https?: { key: string | Buffer; cert: string | Buffer };
}

/**
 * The emulator. `start()` listens on 127.0.0.1; every control operation is available
 * both as a method here and over HTTP (see `EmulatorControl`) for tests in another process.
 */
export class IdentityCenterEmulator implements ControlTarget {
  /** Base URL, e.g. `http://127.0.0.1:PORT`, to use as the OIDC endpoint and as the portal endpoint. */
  readonly url: string;

  private readonly initialSettings: EmulatorSettings;
  private settings: EmulatorSettings;
  private clockOffsetMs = 0;
  private secrets: string[] = [];
  private readonly oidc: OidcApi;
  private readonly portal: PortalApi;
  private readonly iam: IamApi;

  private constructor(
    private readonly server: EmulatorServer,
    settings: EmulatorSettings,
  ) {
    this.url = server.url;
    this.initialSettings = settings;
    this.settings = cloneSettings(settings);
    const context: EmulatorContext = {
      url: this.url,
      now: () => this.now(),
      settings: () => this.settings,
      issue: (secret) => {
        this.secrets.push(secret);
        return secret;
      },
    };
    this.oidc = new OidcApi(context);
    this.portal = new PortalApi(context, this.oidc);
    this.iam = new IamApi(context, this.portal);
    server.serve({
      now: () => this.now(),
      api: (request) => this.route(request),
      control: (method, url, raw) => controlReply(this, method, url, raw),
    });
  }

  /** Starts an emulator on 127.0.0.1 (`options.port`, or a free port). */
  static async start(options: EmulatorOptions = {}): Promise<IdentityCenterEmulator> {
    const { port = 0, https: tlsOptions, ...rest } = options;
    const settings = { ...cloneSettings(DEFAULT_SETTINGS), ...validateSettings(rest) };
    return new IdentityCenterEmulator(await EmulatorServer.listen(port, tlsOptions), settings);
  }

  /** Stops listening and ends every connection at once, hung and trickling ones included. */
  close(): Promise<void> {
    return this.server.close();
  }

  // ---- control -------------------------------------------------------------------

  /** Requests received on the API, oldest first; only those to `path` when given. */
  requests(path?: string): RecordedRequest[] {
    return this.server.requests(path);
  }

  /** Forgets the recorded requests. */
  clearRequests(): void {
    this.server.clearRequests();
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

  /** Every client secret, device code, token and agency credential part issued since start (`reset` keeps them), for leak scans. */
  issuedSecrets(): string[] {
    return [...this.secrets];
  }

  /** Makes every later request with this client answer 401 `invalid_client`. */
  revokeClient(clientId: string): void {
    this.oidc.revokeClient(clientId);
  }

  /** Approves a pending device code (the latest when none is named); returns its user code. */
  approve(userCode?: string): string {
    return this.oidc.settle(userCode, 'approved', ['pending']);
  }

  /** Denies a pending device code (the latest when none is named); returns its user code. */
  deny(userCode?: string): string {
    return this.oidc.settle(userCode, 'denied', ['pending']);
  }

  /** Expires a device code now (the latest pending when none is named); returns its user code. */
  expire(userCode?: string): string {
    return this.oidc.settle(userCode, 'expired', ['pending', 'approved', 'denied']);
  }

  /** User codes still waiting for a person, oldest first. */
  pendingUserCodes(): string[] {
    return this.oidc.pendingUserCodes();
  }

  /** An access token for the portal API, as if a sign-in had just ended, live for `tokenLifetimeSeconds`. */
  issueAccessToken(): string {
    return this.oidc.issueAccessToken();
  }

  /** Makes the portal API refuse this access token (401); throws when the emulator did not issue it. */
  revokeAccessToken(token: string): void {
    this.oidc.revokeAccessToken(token);
  }

  /** Makes the portal API refuse every access token issued so far (401); returns how many were not revoked yet. */
  revokeAccessTokens(): number {
    return this.oidc.revokeAccessTokens();
  }

  /** Access tokens whose portal session `POST /v1/logout` ended, oldest first. */
  loggedOutAccessTokens(): string[] {
    return this.portal.loggedOutAccessTokens();
  }

  /** Every agency credential issued since start or `reset`, oldest first (its parts also stay in `issuedSecrets`). */
  issuedCredentials(): IssuedCredential[] {
    return this.portal.issuedCredentials();
  }

  /** Every request to the IAM API since start or `reset`, oldest first: whose credentials, accepted or why refused; never a secret. */
  iamRequests(): IamRequestRecord[] {
    return this.iam.requests();
  }

  /** Queues a fault for the next matching API requests. */
  injectFault(fault: Fault, options: FaultOptions = {}): void {
    this.server.injectFault(fault, options);
  }

  /** Drops every queued fault. */
  clearFaults(): void {
    this.server.clearFaults();
  }

  /** Forgets clients, codes, tokens, portal sessions, markers, credentials, requests (IAM's too) and faults; settings back to those given to `start`, clock offset to 0. */
  reset(): void {
    this.settings = cloneSettings(this.initialSettings);
    this.clockOffsetMs = 0;
    this.oidc.reset();
    this.portal.reset();
    this.iam.reset();
    this.server.clearRequests();
    this.server.clearFaults();
  }

  private route(request: ApiRequest): Reply {
    const { method, url, raw, requestId } = request;
    try {
      const key = `${method} ${url.pathname}`;
      if (key === 'GET /device') return verificationPage(this.oidc, this.settings.user, url.searchParams.get('user_code'));
      if (key === 'POST /device/approve') return verificationDecision(this.oidc, raw, 'approved');
      if (key === 'POST /device/deny') return verificationDecision(this.oidc, raw, 'denied');
      const answer = this.portal.handler(key) ?? this.iam.handler(key);
      if (answer) return answer(request);
      const handler = this.oidc.handler(key);
      if (!handler) return huawei(404, 'IIC.404', `No such resource: ${method} ${url.pathname}`, requestId);
      const body = parseObject(raw);
      if (!body) return huawei(400, 'IIC.400', 'The request body must be a JSON object.', requestId);
      return handler(body, requestId);
    } catch (error) {
      return huawei(500, 'IIC.500', `Emulator error: ${error instanceof Error ? error.message : String(error)}`, requestId);
    }
  }
}

function requireFinite(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError(`${name} must be a finite number`);
  return value;
}
