/**
 * The control API over HTTP, under `/__control/`: each endpoint calls one control
 * method of the emulator, so tests in another process (the VS Code extension host, the
 * demo) can do what in-process tests do. `EmulatorControl` is its client.
 */
import type { EmulatorSettings } from './settings';
import type { Fault, FaultOptions } from './faults';
import type { IamRequestRecord } from './iamApi';
import type { IssuedCredential } from './portalApi';
import { json, parseObject, type RecordedRequest, type Reply } from './server';

/** The emulator's control methods that the HTTP API reaches; `IdentityCenterEmulator` implements them. */
export interface ControlTarget {
  requests(path?: string): RecordedRequest[];
  clearRequests(): void;
  currentSettings(): EmulatorSettings;
  configure(partial: Partial<EmulatorSettings>): EmulatorSettings;
  now(): number;
  clockOffsetSeconds(): number;
  setClockOffset(seconds: number): void;
  advanceClock(seconds: number): void;
  issuedSecrets(): string[];
  revokeClient(clientId: string): void;
  pendingUserCodes(): string[];
  approve(userCode?: string): string;
  deny(userCode?: string): string;
  expire(userCode?: string): string;
  issueAccessToken(): string;
  revokeAccessToken(token: string): void;
  revokeAccessTokens(): number;
  loggedOutAccessTokens(): string[];
  issuedCredentials(): IssuedCredential[];
  iamRequests(): IamRequestRecord[];
  injectFault(fault: Fault, options: FaultOptions): void;
  clearFaults(): void;
  reset(): void;
}

/** The answer to a control request: 200 with the result, 404 for an unknown endpoint, 400 when the method threw. */
export function controlReply(target: ControlTarget, method: string, url: URL, raw: string): Reply {
  try {
    const body = raw.trim() === '' ? {} : parseObject(raw);
    if (!body) return json(400, { error: 'The control request body must be a JSON object.' });
    const result = controlAction(target, `${method} ${url.pathname.slice('/__control'.length)}`, url, body);
    return result === undefined ? json(404, { error: `No control endpoint ${method} ${url.pathname}` }) : json(200, result);
  } catch (error) {
    return json(400, { error: error instanceof Error ? error.message : String(error) });
  }
}

function controlAction(target: ControlTarget, key: string, url: URL, body: Record<string, unknown>): unknown {
  const userCode = (): string | undefined => optionalString(body.user_code, 'user_code');
  const clock = (): { nowMs: number; offsetSeconds: number } => ({ nowMs: target.now(), offsetSeconds: target.clockOffsetSeconds() });
  switch (key) {
    case 'GET /requests':
      return { requests: target.requests(url.searchParams.get('path') ?? undefined) };
    case 'POST /requests/clear':
      target.clearRequests();
      return {};
    case 'GET /settings':
      return target.currentSettings();
    case 'POST /configure':
      return target.configure(body as Partial<EmulatorSettings>);
    case 'GET /clock':
      return clock();
    case 'POST /clock':
      if (body.offsetSeconds !== undefined) target.setClockOffset(body.offsetSeconds as number);
      if (body.advanceSeconds !== undefined) target.advanceClock(body.advanceSeconds as number);
      return clock();
    case 'GET /secrets':
      return { secrets: target.issuedSecrets() };
    case 'POST /clients/revoke':
      target.revokeClient(requireString(body.client_id, 'client_id'));
      return {};
    case 'GET /device/pending':
      return { user_codes: target.pendingUserCodes() };
    case 'POST /device/approve':
      return { user_code: target.approve(userCode()) };
    case 'POST /device/deny':
      return { user_code: target.deny(userCode()) };
    case 'POST /device/expire':
      return { user_code: target.expire(userCode()) };
    case 'POST /tokens/issue':
      return { access_token: target.issueAccessToken() };
    case 'POST /tokens/revoke': {
      const token = optionalString(body.access_token, 'access_token');
      if (token === undefined) return { revoked: target.revokeAccessTokens() };
      target.revokeAccessToken(token);
      return { revoked: 1 };
    }
    case 'GET /tokens/logged-out':
      return { access_tokens: target.loggedOutAccessTokens() };
    case 'GET /credentials':
      return { credentials: target.issuedCredentials() };
    case 'GET /iam-requests':
      return { requests: target.iamRequests() };
    case 'POST /faults':
      target.injectFault(body.fault as Fault, { path: optionalString(body.path, 'path'), query: body.query as Record<string, string> | undefined, times: body.times as number | undefined });
      return {};
    case 'POST /faults/clear':
      target.clearFaults();
      return {};
    case 'POST /reset':
      target.reset();
      return {};
    default:
      return undefined;
  }
}

function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new TypeError(`${name} must be a non-empty string`);
  return value;
}

function optionalString(value: unknown, name: string): string | undefined {
  return value === undefined || value === null ? undefined : requireString(value, name);
}
