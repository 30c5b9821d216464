/**
 * Connects the core's `RegistrationManager` to VS Code: one manager per endpoint and
 * scope set (so single-flight holds per stored record), the renewal timer, and the
 * background renewal at startup.
 */
import { randomUUID } from 'crypto';
import { HttpTransport } from '../core/http';
import type { ClientRegistration, OidcClient } from '../core/oidcClient';
import { Clock, Logger, SecretStore, Sleep } from '../core/ports';
import { isUsable, registrationKey, RegistrationManager, renewalDueAtMs } from '../core/registration';
import type { NetworkModule } from './services';
import { readSettings, resolveSettings } from './settings';

/** The registration as commands return it: everything but the secret. */
export interface ClientSummary {
  clientId: string;
  clientName: string;
  issuedAt: number;
  expiresAt: number;
  endpoint: string;
  scopes: string[];
}

/** Strips the secret from a registration. */
export function summarize(registration: ClientRegistration): ClientSummary {
  return {
    clientId: registration.clientId,
    clientName: registration.clientName,
    issuedAt: registration.issuedAt,
    expiresAt: registration.expiresAt,
    endpoint: registration.endpoint,
    scopes: [...registration.scopes],
  };
}

/** The objects that serve one endpoint and scope set. */
export interface EndpointParts {
  endpoint: string;
  scopes: string[];
  /** The OIDC client, created (and its code loaded) on first use. */
  oidc: () => OidcClient;
  manager: RegistrationManager;
}

/** What the service is built from. */
export interface RegistrationServiceDeps {
  store: SecretStore;
  clock: Clock;
  /** Waits between retries (instant in Test mode). */
  sleep: Sleep;
  logger: Logger;
  /** Tells of changes to SecretStorage keys, including other windows' writes. */
  onSecretChange: (listener: (key: string) => void) => () => void;
  /** Loads the OIDC client's code on first use. */
  network: () => NetworkModule;
  /** Loads the HTTP stack on first use. */
  transport: () => HttpTransport;
}

/** The longest a timer may wait (setTimeout's limit, about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Owns the registrations and keeps the current one renewed while VS Code runs. */
export class RegistrationService {
  private readonly endpoints = new Map<string, EndpointParts>();
  private renewalTimer?: ReturnType<typeof setTimeout>;
  /** Names this window in renewal leases. */
  private readonly owner = randomUUID();

  constructor(private readonly deps: RegistrationServiceDeps) {}

  /**
   * The registration manager and OIDC client for the settings in force, asking for a
   * region when interactive and none is set.
   */
  async parts(interactive: boolean): Promise<EndpointParts> {
    const { endpoint, scopes } = await resolveSettings(interactive);
    const key = registrationKey(endpoint, scopes);
    let parts = this.endpoints.get(key);
    if (!parts) {
      let client: OidcClient | undefined;
      const oidc = () => {
        const { OidcClient } = this.deps.network();
        client ??= new OidcClient({ endpoint, transport: this.deps.transport, clock: this.deps.clock, logger: this.deps.logger, retry: { sleep: this.deps.sleep } });
        return client;
      };
      const manager = new RegistrationManager({
        endpoint,
        scopes,
        registrar: { registerClient: (input, signal) => oidc().registerClient(input, signal) },
        store: this.deps.store,
        clock: this.deps.clock,
        logger: this.deps.logger,
        lease: { sleep: this.deps.sleep, onDidChange: this.deps.onSecretChange, owner: this.owner },
      });
      parts = { endpoint, scopes, oidc, manager };
      this.endpoints.set(key, parts);
    }
    return parts;
  }

  /** The registration manager for the settings in force. */
  async manager(interactive: boolean): Promise<RegistrationManager> {
    return (await this.parts(interactive)).manager;
  }

  /** A usable registration for the current settings, renewed first when due. */
  async ensureClient(clientNameIfNone?: string, interactive = false): Promise<ClientRegistration> {
    const registration = await (await this.manager(interactive)).ensureClient({ clientNameIfNone });
    this.scheduleRenewal(registration);
    return registration;
  }

  /** Registers now under `clientName` and schedules the next renewal. */
  async register(clientName: string, interactive: boolean, signal?: AbortSignal): Promise<ClientRegistration> {
    const registration = await (await this.manager(interactive)).register(clientName, signal);
    this.scheduleRenewal(registration);
    return registration;
  }

  /** The stored registration for the current settings, even when expired. */
  async stored(): Promise<ClientRegistration | undefined> {
    if (!readSettings().endpoint) return undefined;
    return (await this.manager(false)).stored();
  }

  /** Deletes the stored registration for the current settings. */
  async forget(): Promise<string | undefined> {
    if (!readSettings().endpoint) return undefined;
    const { manager, endpoint } = await this.parts(false);
    await manager.forget();
    this.cancelRenewal();
    return endpoint;
  }

  /**
   * At startup and after a settings change: if a registration is stored for the
   * current settings, renew it when due (under its stored name, with no prompt) and
   * schedule the next renewal. Sends no request while the stored one is usable.
   */
  async renewInBackground(): Promise<void> {
    this.cancelRenewal();
    try {
      if (!readSettings().endpoint) return;
      const current = await (await this.manager(false)).stored();
      if (!current) return;
      // One storage read on the cached path: a usable registration only needs its timer.
      if (isUsable(current, this.deps.clock.now())) this.scheduleRenewal(current);
      else await this.ensureClient();
    } catch (error) {
      this.deps.logger.warn(`Background renewal of the client registration failed: ${error instanceof Error ? error.message : String(error)}`);
      this.scheduleRetry();
    }
  }

  /** Stops the renewal timer. */
  dispose(): void {
    this.cancelRenewal();
  }

  private scheduleRenewal(registration: ClientRegistration): void {
    this.cancelRenewal();
    const delay = Math.min(MAX_TIMER_MS, Math.max(1000, renewalDueAtMs(registration) - this.deps.clock.now()));
    this.renewalTimer = setTimeout(() => void this.renewInBackground(), delay);
    this.renewalTimer.unref?.();
  }

  private scheduleRetry(): void {
    this.cancelRenewal();
    this.renewalTimer = setTimeout(() => void this.renewInBackground(), 5 * 60 * 1000);
    this.renewalTimer.unref?.();
  }

  private cancelRenewal(): void {
    if (this.renewalTimer) clearTimeout(this.renewalTimer);
    this.renewalTimer = undefined;
  }
}
