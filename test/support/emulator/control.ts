/**
 * Drives an `IdentityCenterEmulator` over its `/__control/` HTTP API, for tests that
 * run in another process (the VS Code extension host, the demo). Node's `http` only,
 * and only type imports from the emulator, so loading it starts no server.
 */
import * as http from 'node:http';
import type { EmulatorSettings, Fault, FaultOptions, IamRequestRecord, IssuedCredential, RecordedRequest } from './emulator';

/** The emulator clock as the control API reports it. */
export interface EmulatorClock {
  /** Emulator time, milliseconds since the epoch. */
  nowMs: number;
  /** Offset from the emulator host's `Date.now()`, in seconds. */
  offsetSeconds: number;
}

/** A control request the emulator refused, or that never got an answer. */
export class EmulatorControlError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'EmulatorControlError';
  }
}

/** A client for the control API; each method mirrors the emulator method of the same name. */
export class EmulatorControl {
  /** The emulator's base URL, e.g. `http://127.0.0.1:PORT`. */
  readonly url: string;

  constructor(url: string, private readonly timeoutMs = 10_000) {
    this.url = url.replace(/\/+$/, '');
  }

  /** Requests received on the API, oldest first; only those to `path` when given. */
  async requests(path?: string): Promise<RecordedRequest[]> {
    const query = path === undefined ? '' : `?path=${encodeURIComponent(path)}`;
    return (await this.call<{ requests: RecordedRequest[] }>('GET', `/requests${query}`)).requests;
  }

  /** Forgets the recorded requests. */
  async clearRequests(): Promise<void> {
    await this.call('POST', '/requests/clear');
  }

  /** Sets the lifetime of secrets of clients registered from now on. */
  async setSecretLifetime(seconds: number): Promise<void> {
    await this.configure({ secretLifetimeSeconds: seconds });
  }

  /** Sets the emulator clock to its host's `Date.now()` plus `seconds`. */
  setClockOffset(seconds: number): Promise<EmulatorClock> {
    return this.call('POST', '/clock', { offsetSeconds: seconds });
  }

  /** Moves the emulator clock forward by `seconds`. */
  advanceClock(seconds: number): Promise<EmulatorClock> {
    return this.call('POST', '/clock', { advanceSeconds: seconds });
  }

  /** The emulator clock. */
  clock(): Promise<EmulatorClock> {
    return this.call('GET', '/clock');
  }

  /** Changes some settings; resolves to all of them. */
  configure(settings: Partial<EmulatorSettings>): Promise<EmulatorSettings> {
    return this.call('POST', '/configure', settings);
  }

  /** The settings in force. */
  currentSettings(): Promise<EmulatorSettings> {
    return this.call('GET', '/settings');
  }

  /** Every client secret, device code, token and agency credential part issued so far, for leak scans. */
  async issuedSecrets(): Promise<string[]> {
    return (await this.call<{ secrets: string[] }>('GET', '/secrets')).secrets;
  }

  /** Makes every later request with this client answer 401 `invalid_client`. */
  async revokeClient(clientId: string): Promise<void> {
    await this.call('POST', '/clients/revoke', { client_id: clientId });
  }

  /** Approves a pending device code (the latest when none is named); resolves to its user code. */
  approve(userCode?: string): Promise<string> {
    return this.settle('approve', userCode);
  }

  /** Denies a pending device code (the latest when none is named); resolves to its user code. */
  deny(userCode?: string): Promise<string> {
    return this.settle('deny', userCode);
  }

  /** Expires a device code now (the latest pending when none is named); resolves to its user code. */
  expire(userCode?: string): Promise<string> {
    return this.settle('expire', userCode);
  }

  /** User codes still waiting for a person, oldest first. */
  async pendingUserCodes(): Promise<string[]> {
    return (await this.call<{ user_codes: string[] }>('GET', '/device/pending')).user_codes;
  }

  /** An access token for the portal API, as if a sign-in had just ended, live for `tokenLifetimeSeconds`. */
  async issueAccessToken(): Promise<string> {
    return (await this.call<{ access_token: string }>('POST', '/tokens/issue')).access_token;
  }

  /** Makes the portal API refuse this access token (401); rejects when the emulator did not issue it. */
  async revokeAccessToken(token: string): Promise<void> {
    await this.call('POST', '/tokens/revoke', { access_token: token });
  }

  /** Makes the portal API refuse every access token issued so far (401); resolves to how many were not revoked yet. */
  async revokeAccessTokens(): Promise<number> {
    return (await this.call<{ revoked: number }>('POST', '/tokens/revoke', {})).revoked;
  }

  /** Access tokens whose portal session `POST /v1/logout` ended, oldest first. */
  async loggedOutAccessTokens(): Promise<string[]> {
    return (await this.call<{ access_tokens: string[] }>('GET', '/tokens/logged-out')).access_tokens;
  }

  /** Every agency credential issued since start or `reset`, oldest first. */
  async issuedCredentials(): Promise<IssuedCredential[]> {
    return (await this.call<{ credentials: IssuedCredential[] }>('GET', '/credentials')).credentials;
  }

  /** Every request to the IAM API since start or `reset`, oldest first: whose credentials, accepted or why refused; never a secret. */
  async iamRequests(): Promise<IamRequestRecord[]> {
    return (await this.call<{ requests: IamRequestRecord[] }>('GET', '/iam-requests')).requests;
  }

  /** Queues a fault for the next matching API requests. */
  async injectFault(fault: Fault, options: FaultOptions = {}): Promise<void> {
    await this.call('POST', '/faults', { fault, path: options.path, query: options.query, times: options.times });
  }

  /** Drops every queued fault. */
  async clearFaults(): Promise<void> {
    await this.call('POST', '/faults/clear');
  }

  /** Forgets clients, codes, tokens, portal sessions, markers, credentials, requests (IAM's too) and faults; settings back to the start ones, clock offset to 0. */
  async reset(): Promise<void> {
    await this.call('POST', '/reset');
  }

  private async settle(action: 'approve' | 'deny' | 'expire', userCode?: string): Promise<string> {
    return (await this.call<{ user_code: string }>('POST', `/device/${action}`, { user_code: userCode })).user_code;
  }

  private call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
    const target = new URL(`${this.url}/__control${path}`);
    return new Promise<T>((resolve, reject) => {
      const req = http.request(
        target,
        {
          method,
          agent: false,
          timeout: this.timeoutMs,
          headers: payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {},
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown;
            try {
              parsed = JSON.parse(text);
            } catch {
              reject(new EmulatorControlError(`Emulator control ${method} ${path}: not JSON (status ${res.statusCode})`, res.statusCode));
              return;
            }
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve(parsed as T);
            else {
              const reason = (parsed as { error?: unknown } | null)?.error;
              reject(new EmulatorControlError(`Emulator control ${method} ${path} failed (${status}): ${String(reason)}`, status));
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new EmulatorControlError(`Emulator control ${method} ${path} timed out`)));
      req.on('error', (error) =>
        reject(error instanceof EmulatorControlError ? error : new EmulatorControlError(`Emulator control ${method} ${path}: ${error.message}`)),
      );
      req.end(payload);
    });
  }
}
