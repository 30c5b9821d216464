/**
 * The stored client registration: its SecretStorage record, its expiry rule, and
 * single-flight renewal. Everything that needs the client calls `ensureClient()`.
 */
import { plainText } from '../common/displayText';
import { IdentityCenterError, isIdentityCenterError } from '../common/errors';
import * as l10n from '@vscode/l10n';
import { LeaseDeps, RecordLease } from '../common/lease';
import { Clock, Logger, SecretStore } from '../common/ports';
import { SingleFlight } from '../common/singleFlight';
import { isUsable } from './expiry';
import type { ClientRegistration, RegisterClientInput } from './model';
import { readStoredRegistration, registrationKey, registrationStorageError, roundTripValidated, serializeRegistration } from './record';

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
  stored(): Promise<ClientRegistration | undefined> {
    return readStoredRegistration(this.deps.store, this.key, this.deps.logger);
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
      throw registrationStorageError(l10n.t('delete'), error);
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
      throw new IdentityCenterError('configuration', l10n.t('No client is registered for {0}. Register a client first.', this.deps.endpoint), {
        code: NO_CLIENT,
        remedy: 'registerClient',
      });
    }
    if (current) this.deps.logger.info(`Client ${current.clientId} is due for renewal; registering again as "${plainText(clientName)}".`);
    if (!this.deps.lease) return this.renewNow(clientName, signal);
    const lease = new RecordLease(this.key, { ...this.deps.lease, store: this.deps.store, clock: this.deps.clock });
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
      throw registrationStorageError(l10n.t('save'), error);
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
      throw registrationStorageError(l10n.t('read'), error);
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
      l10n.t(
        'IAM Identity Center issued {0} client secrets in the last hour, each expiring within minutes, so renewal is paused until {1}. Ask your administrator to check the service\'s client secret lifetime; you can still register the client once now.',
        MAX_AUTOMATIC_REGISTRATIONS_PER_HOUR,
        retryAt,
      ),
      { remedy: 'registerClient' },
    );
  }
}
