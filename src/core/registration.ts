/**
 * The stored client registration: its SecretStorage record, its expiry rule, and
 * single-flight renewal. Everything that needs the client calls `ensureClient()`.
 */
import { MAX_BELIEVABLE_OFFSET_MS } from './clockSkew';
import { IdentityCenterError, isIdentityCenterError } from './errors';
import { ClientRegistration, RegisterClientInput } from './oidcClient';
import { Clock, Logger, SecretStore } from './ports';
import { LeaseDeps, RenewalLease } from './renewalLease';
import type { Renewable } from './renewalScheduler';
import { SingleFlight } from './singleFlight';
import { isJsonObject, optionalServiceUrl, optionalStringArray, requireClientId, requireEpochSeconds, requireString } from './validate';

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

/** The registration's times for the renewal schedule, on this computer's clock. */
export function renewableOf(registration: Pick<ClientRegistration, 'issuedAt' | 'expiresAt' | 'clockOffsetMs'>): Renewable {
  const offsetMs = registration.clockOffsetMs ?? 0;
  return {
    issuedAtMs: registration.issuedAt * 1000 - offsetMs,
    dueAtMs: renewalDueAtMs(registration),
    expiresAtMs: registration.expiresAt * 1000 - offsetMs,
  };
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
    clientId: requireClientId(record, 'clientId', what),
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
export function roundTripValidated(value: ClientRegistration): ClientRegistration {
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
  /** Stops this caller's wait; the renewal itself stops only when every waiting caller has. */
  signal?: AbortSignal;
}

/**
 * Registrations made without the user asking (renewals) are capped at this many in any
 * hour, across windows and restarts: a service that issues secrets lasting a second
 * must not be answered with a registration every second.
 */
export const MAX_AUTOMATIC_REGISTRATIONS_PER_HOUR = 12;

const HOUR_MS = 3600_000;

/** The code of the error for "nothing stored and no name to register under". */
const NO_CLIENT = 'NO_CLIENT_REGISTERED';

/**
 * Owns the registration of one endpoint and scope set: reads it, renews it once for
 * any number of concurrent callers, and writes it only after a fully valid response.
 */
export class RegistrationManager {
  private readonly flight = new SingleFlight<ClientRegistration>();
  readonly key: string;
  /** When the renewal cap was last logged (epoch ms): once an hour is enough. */
  private capReportedAtMs?: number;

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
  async ensureClient(options: EnsureClientOptions = {}): Promise<ClientRegistration> {
    const { clientNameIfNone, signal } = options;
    try {
      return await this.flight.run((flightSignal) => this.ensureOnce(clientNameIfNone, flightSignal), signal);
    } catch (error) {
      // A caller that knows a name may have joined a run that had none to register under.
      if (clientNameIfNone === undefined || !isIdentityCenterError(error, 'configuration') || error.code !== NO_CLIENT) throw error;
      return this.flight.run((flightSignal) => this.ensureOnce(clientNameIfNone, flightSignal), signal);
    }
  }

  /**
   * Registers now under `clientName`, replacing the stored registration on success
   * only. Callers of `ensureClient` meanwhile wait for this registration. The user
   * asked for it, so the hourly cap on renewals does not apply.
   */
  register(clientName: string, signal?: AbortSignal): Promise<ClientRegistration> {
    return this.flight.runNext((workSignal) => this.registerNow(clientName, workSignal), signal);
  }

  /** Deletes the stored registration, and the count of recent renewals with it. */
  async forget(): Promise<void> {
    try {
      await this.deps.store.delete(this.key);
      await this.deps.store.delete(this.historyKey);
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

  private async ensureOnce(clientNameIfNone: string | undefined, signal: AbortSignal): Promise<ClientRegistration> {
    const current = await this.stored();
    if (current && isUsable(current, this.deps.clock.now())) return current;
    const clientName = current?.clientName ?? clientNameIfNone;
    if (clientName === undefined) {
      throw new IdentityCenterError(
        'configuration',
        `No client is registered for ${this.deps.endpoint}. Run "IAM Identity Center: Register Client" first.`,
        { code: NO_CLIENT },
      );
    }
    if (current) this.deps.logger.info(`Client ${current.clientId} is due for renewal; registering again as "${clientName}".`);
    if (!this.deps.lease) return this.renewNow(clientName, signal);
    const lease = new RenewalLease(this.key, { ...this.deps.lease, store: this.deps.store, clock: this.deps.clock });
    let renewedElsewhere: ClientRegistration | undefined;
    const acquired = await lease.acquire(async () => {
      const again = await this.stored();
      renewedElsewhere = again && isUsable(again, this.deps.clock.now()) ? again : undefined;
      return renewedElsewhere !== undefined;
    }, signal);
    if (!acquired && renewedElsewhere) {
      this.deps.logger.info(`Another window renewed the registration: client ${renewedElsewhere.clientId}.`);
      return renewedElsewhere;
    }
    try {
      return await this.renewNow(clientName, signal);
    } finally {
      await lease.release().catch(() => undefined);
    }
  }

  /** A registration the user did not ask for, within the hourly cap. */
  private async renewNow(clientName: string, signal: AbortSignal): Promise<ClientRegistration> {
    const now = this.deps.clock.now();
    const recent = await this.recentRegistrations(now);
    if (recent.length >= MAX_AUTOMATIC_REGISTRATIONS_PER_HOUR) throw this.capError(recent[0] + HOUR_MS, now);
    return this.registerNow(clientName, signal, recent);
  }

  private async registerNow(clientName: string, signal?: AbortSignal, recent?: number[]): Promise<ClientRegistration> {
    const issued = await this.deps.registrar.registerClient({ clientName, scopes: [...this.deps.scopes] }, signal);
    const registration = roundTripValidated(issued);
    try {
      await this.deps.store.store(this.key, serializeRegistration(registration));
    } catch (error) {
      throw storageError('save', error);
    }
    // Only renewals count toward the cap; losing the count to a failed write is harmless.
    if (recent) await this.deps.store.store(this.historyKey, JSON.stringify([...recent, this.deps.clock.now()])).catch(() => undefined);
    this.deps.logger.info(
      `Registered client ${registration.clientId} as "${clientName}"; it expires at ${new Date(registration.expiresAt * 1000).toISOString()}.`,
    );
    return registration;
  }

  /** Where the times of recent renewals are kept: not secret, but beside the record. */
  private get historyKey(): string {
    return `${this.key}|registrations`;
  }

  /** Times (epoch ms) of the renewals of the last hour, oldest first; a corrupt list reads as none. */
  private async recentRegistrations(nowMs: number): Promise<number[]> {
    let text: string | undefined;
    try {
      text = await this.deps.store.get(this.historyKey);
    } catch (error) {
      throw storageError('read', error);
    }
    let times: unknown;
    try {
      times = text === undefined ? [] : JSON.parse(text);
    } catch {
      times = [];
    }
    if (!Array.isArray(times)) return [];
    return times
      .filter((time): time is number => typeof time === 'number' && Number.isFinite(time) && time > nowMs - HOUR_MS && time <= nowMs)
      .sort((a, b) => a - b)
      .slice(-MAX_AUTOMATIC_REGISTRATIONS_PER_HOUR);
  }

  private capError(retryAtMs: number, nowMs: number): IdentityCenterError {
    const retryAt = new Date(retryAtMs).toISOString();
    if (this.capReportedAtMs === undefined || nowMs - this.capReportedAtMs >= HOUR_MS) {
      this.capReportedAtMs = nowMs;
      this.deps.logger.warn(
        `${MAX_AUTOMATIC_REGISTRATIONS_PER_HOUR} client registrations in the last hour: the service issues secrets that expire too soon. Renewal pauses until ${retryAt}.`,
      );
    }
    return new IdentityCenterError(
      'service',
      `IAM Identity Center issued ${MAX_AUTOMATIC_REGISTRATIONS_PER_HOUR} client secrets in the last hour, each expiring within minutes, so renewal is paused until ${retryAt}. Ask your administrator to check the service's client secret lifetime; "IAM Identity Center: Register Client" registers once now.`,
    );
  }
}

function storageError(action: 'read' | 'save' | 'delete', cause: unknown): IdentityCenterError {
  return new IdentityCenterError(
    'storage',
    `Could not ${action} the client registration in VS Code's secret storage. Retry; if it keeps failing, check that the system keyring is unlocked.`,
    { cause },
  );
}
