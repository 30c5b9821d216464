/**
 * The stored client registration: its SecretStorage record, its expiry rule, and
 * single-flight renewal. Everything that needs the client calls `ensureClient()`.
 */
import { MAX_BELIEVABLE_OFFSET_MS } from './clockSkew';
import { IdentityCenterError, isIdentityCenterError } from './errors';
import { ClientRegistration, RegisterClientInput } from './oidcClient';
import { Clock, Logger, SecretStore } from './ports';
import { LeaseDeps, RenewalLease } from './renewalLease';
import { isJsonObject, optionalServiceUrl, optionalStringArray, requireEpochSeconds, requireString } from './validate';

/** Version of the stored record's format; a record of another version is treated as absent. */
export const RECORD_VERSION = 1;

/** The renewal margin never exceeds this many seconds (one hour). */
export const MAX_RENEWAL_MARGIN_SECONDS = 3600;

/** The renewal margin is this fraction of the secret's lifetime, up to the cap. */
export const RENEWAL_MARGIN_FRACTION = 0.1;

/**
 * Seconds before `expiresAt` at which a registration stops being used: a tenth of its
 * lifetime, capped at one hour. A 90-day secret renews an hour early (long enough for a
 * device-code sign-in started just before to finish); a 60-second secret renews 6 s early.
 */
export function renewalMarginSeconds(registration: Pick<ClientRegistration, 'issuedAt' | 'expiresAt'>): number {
  const lifetime = Math.max(0, registration.expiresAt - registration.issuedAt);
  return Math.min(MAX_RENEWAL_MARGIN_SECONDS, Math.floor(lifetime * RENEWAL_MARGIN_FRACTION));
}

/**
 * Epoch milliseconds, on this computer's clock, from which the registration must be
 * renewed before use: `expiresAt − margin` on the service's clock, moved by the clock
 * offset measured when it was registered.
 */
export function renewalDueAtMs(registration: Pick<ClientRegistration, 'issuedAt' | 'expiresAt' | 'clockOffsetMs'>): number {
  return (registration.expiresAt - renewalMarginSeconds(registration)) * 1000 - (registration.clockOffsetMs ?? 0);
}

/** True while `now < client_secret_expires_at − margin`, with `now` on the service's clock. */
export function isUsable(registration: Pick<ClientRegistration, 'issuedAt' | 'expiresAt' | 'clockOffsetMs'>, nowMs: number): boolean {
  return nowMs < renewalDueAtMs(registration);
}

/** The SecretStorage key of the registration for one endpoint and scope set. */
export function registrationKey(endpoint: string, scopes: readonly string[]): string {
  const scopeSet = [...new Set(scopes)].sort().join(' ');
  return `iamIdentityCenter.registration.v${RECORD_VERSION}|${endpoint.replace(/\/+$/, '')}|${scopeSet}`;
}

/** The JSON text stored for a registration. */
export function serializeRegistration(registration: ClientRegistration): string {
  return JSON.stringify({ version: RECORD_VERSION, ...registration });
}

/** Parses a stored record; throws a `protocol` error when it is corrupt or of another version. */
export function parseStoredRegistration(text: string): ClientRegistration {
  const what = 'The stored registration';
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    throw new IdentityCenterError('protocol', `${what} is not JSON`);
  }
  if (!isJsonObject(record)) throw new IdentityCenterError('protocol', `${what} is not an object`);
  if (record.version !== RECORD_VERSION) throw new IdentityCenterError('protocol', `${what} has an unknown version`);
  const registration: ClientRegistration = {
    endpoint: requireString(record, 'endpoint', what, 2048),
    clientName: requireString(record, 'clientName', what, 4096),
    clientId: requireString(record, 'clientId', what, 1024),
    clientSecret: requireString(record, 'clientSecret', what, 8192),
    issuedAt: requireEpochSeconds(record, 'issuedAt', what),
    expiresAt: requireEpochSeconds(record, 'expiresAt', what),
    authorizationEndpoint: optionalServiceUrl(record, 'authorizationEndpoint', what),
    tokenEndpoint: optionalServiceUrl(record, 'tokenEndpoint', what),
    scopes: optionalStringArray(record, 'scopes', what) ?? [],
  };
  const offset = record.clockOffsetMs;
  if (offset !== undefined) {
    if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || Math.abs(offset) > MAX_BELIEVABLE_OFFSET_MS) {
      throw new IdentityCenterError('protocol', `${what} has an unusable \`clockOffsetMs\``);
    }
    registration.clockOffsetMs = offset;
  }
  return registration;
}

/**
 * The registration as it will read back from storage, or a `protocol` error: only a
 * whole record is ever stored, so a partial one never replaces a good one.
 */
export function wholeRegistration(value: ClientRegistration): ClientRegistration {
  let text: string;
  try {
    text = serializeRegistration(value);
  } catch {
    throw new IdentityCenterError('protocol', 'The registration could not be stored: it is not plain data.');
  }
  return parseStoredRegistration(text);
}

/** The one call the manager needs from the OIDC client. */
export interface ClientRegistrar {
  registerClient(input: RegisterClientInput, signal?: AbortSignal): Promise<ClientRegistration>;
}

/** What a `RegistrationManager` is built from. */
export interface RegistrationManagerDeps {
  endpoint: string;
  scopes: readonly string[];
  registrar: ClientRegistrar;
  store: SecretStore;
  clock: Clock;
  logger: Logger;
  /** Coordinates renewals with other windows sharing the store; absent: this process only. */
  lease?: Omit<LeaseDeps, 'store' | 'clock'>;
}

/** Options for `ensureClient`. */
export interface EnsureClientOptions {
  /** The name to register under when nothing usable is stored and no name is known. */
  clientNameIfNone?: string;
}

/**
 * Owns the registration of one endpoint and scope set: reads it, renews it once for
 * any number of concurrent callers, and writes it only after a fully valid response.
 */
export class RegistrationManager {
  private inflight?: Promise<ClientRegistration>;
  readonly key: string;

  constructor(private readonly deps: RegistrationManagerDeps) {
    this.key = registrationKey(deps.endpoint, deps.scopes);
  }

  /** The stored registration, even when expired; undefined when none or corrupt. */
  async stored(): Promise<ClientRegistration | undefined> {
    let text: string | undefined;
    try {
      text = await this.deps.store.get(this.key);
    } catch (error) {
      throw storageError('read', error);
    }
    if (text === undefined) return undefined;
    try {
      return parseStoredRegistration(text);
    } catch (error) {
      const reason = isIdentityCenterError(error) ? error.message : 'unreadable';
      this.deps.logger.warn(`${reason}: it is ignored and will be replaced by the next registration.`);
      return undefined;
    }
  }

  /**
   * A usable registration: the stored one while `now < expiresAt − margin`, else a new
   * one under the stored name (or `clientNameIfNone`). Concurrent calls share one
   * storage read and at most one `POST /v1/clients`.
   */
  ensureClient(options: EnsureClientOptions = {}): Promise<ClientRegistration> {
    if (!this.inflight) {
      const shared: Promise<ClientRegistration> = this.ensureOnce(options).finally(() => {
        if (this.inflight === shared) this.inflight = undefined;
      });
      this.inflight = shared;
    }
    return this.inflight;
  }

  /**
   * Registers now under `clientName`, replacing the stored registration on success
   * only. Callers of `ensureClient` meanwhile wait for this registration.
   */
  register(clientName: string, signal?: AbortSignal): Promise<ClientRegistration> {
    const previous = this.inflight?.catch(() => undefined);
    const run = (async () => {
      await previous;
      return this.registerNow(clientName, signal);
    })();
    const shared = run.finally(() => {
      if (this.inflight === shared) this.inflight = undefined;
    });
    // The caller handles `run`'s failure; waiters of `shared` handle their own.
    shared.catch(() => undefined);
    this.inflight = shared;
    return run;
  }

  /** Deletes the stored registration. */
  async forget(): Promise<void> {
    try {
      await this.deps.store.delete(this.key);
    } catch (error) {
      throw storageError('delete', error);
    }
  }

  /** Deletes the stored registration if it is still `clientId` (the service rejected it). */
  async dropRejected(clientId: string): Promise<void> {
    const current = await this.stored();
    if (current?.clientId === clientId) {
      this.deps.logger.warn(`The service rejected client ${clientId}; its registration is dropped.`);
      await this.forget();
    }
  }

  private async ensureOnce(options: EnsureClientOptions): Promise<ClientRegistration> {
    const current = await this.stored();
    if (current && isUsable(current, this.deps.clock.now())) return current;
    const clientName = current?.clientName ?? options.clientNameIfNone;
    if (clientName === undefined) {
      throw new IdentityCenterError(
        'configuration',
        `No client is registered for ${this.deps.endpoint}. Run "IAM Identity Center: Register Client" first.`,
      );
    }
    if (current) this.deps.logger.info(`Client ${current.clientId} is due for renewal; registering again as "${clientName}".`);
    if (!this.deps.lease) return this.registerNow(clientName);
    const lease = new RenewalLease(this.key, { ...this.deps.lease, store: this.deps.store, clock: this.deps.clock });
    let renewedElsewhere: ClientRegistration | undefined;
    const acquired = await lease.acquire(async () => {
      const again = await this.stored();
      renewedElsewhere = again && isUsable(again, this.deps.clock.now()) ? again : undefined;
      return renewedElsewhere !== undefined;
    });
    if (!acquired && renewedElsewhere) {
      this.deps.logger.info(`Another window renewed the registration: client ${renewedElsewhere.clientId}.`);
      return renewedElsewhere;
    }
    try {
      return await this.registerNow(clientName);
    } finally {
      await lease.release().catch(() => undefined);
    }
  }

  private async registerNow(clientName: string, signal?: AbortSignal): Promise<ClientRegistration> {
    const issued = await this.deps.registrar.registerClient({ clientName, scopes: [...this.deps.scopes] }, signal);
    const registration = wholeRegistration(issued);
    try {
      await this.deps.store.store(this.key, serializeRegistration(registration));
    } catch (error) {
      throw storageError('save', error);
    }
    this.deps.logger.info(
      `Registered client ${registration.clientId} as "${clientName}"; it expires at ${new Date(registration.expiresAt * 1000).toISOString()}.`,
    );
    return registration;
  }
}

function storageError(action: 'read' | 'save' | 'delete', cause: unknown): IdentityCenterError {
  return new IdentityCenterError(
    'storage',
    `Could not ${action} the client registration in VS Code's secret storage. Retry; if it keeps failing, check that the system keyring is unlocked.`,
    { cause },
  );
}
