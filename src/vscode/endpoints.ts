/**
 * The registry of endpoints: the core's `RegistrationManager` and `SessionManager` for
 * each endpoint (and scope set) in use, so single-flight and the write locks hold per
 * stored record; the renewal schedule of the current registration; and the background
 * renewal at startup.
 *
 * Every operation resolves the settings once and works on the `EndpointClients` of that
 * snapshot to its end: a settings change halfway through a sign-in cannot send one
 * endpoint's client secret to another, nor store its tokens under another's key.
 */
import type { WindowLease } from '../core/common/lease';
import type { Clock, Logger, SecretStore, Sleep } from '../core/common/ports';
import { RenewalScheduler } from '../core/common/renewalScheduler';
import type { OidcClient } from '../core/oidc/client';
import { isUsable, renewableOf } from '../core/registration/expiry';
import { RegistrationManager } from '../core/registration/manager';
import type { ClientRegistration } from '../core/registration/model';
import { registrationKey } from '../core/registration/record';
import { SessionManager } from '../core/sessions/manager';
import type { HttpTransport } from '../core/transport/port';
import { readSettings, requireTarget, ServiceTarget } from './settings';
import type { TransportBundle } from './transportBundle';

/** The objects that serve one endpoint and scope set, for one operation from start to end. */
export interface EndpointClients {
  endpoint: string;
  scopes: string[];
  /** The OIDC client, created (and its code loaded) on first use. */
  oidc: () => OidcClient;
  registration: RegistrationManager;
  sessions: SessionManager;
}

/** What the registry is built from. */
export interface EndpointRegistryDeps {
  store: SecretStore;
  clock: Clock;
  /** Waits between retries and for other windows' leases (instant in Test mode). */
  sleep: Sleep;
  /** Waits until a renewal falls due: always real timers, so tests that make waits instant do not race through days. */
  scheduleSleep: Sleep;
  logger: Logger;
  /** Names this window in leases, and tells of changes to SecretStorage keys, including other windows' writes. */
  lease: WindowLease;
  /** Loads the OIDC client's code on first use. */
  transportBundle: () => TransportBundle;
  /** Loads the HTTP stack on first use. */
  transport: () => HttpTransport;
  /** Asks for a region and saves it (interactive operations with no endpoint set). */
  pickRegion: () => Promise<void>;
  /** Told once when the service issues client secrets that expire too soon to renew on time. */
  onShortLivedSecrets?: (lifetimeMs: number) => void;
}

/** Owns the registrations and sessions of every endpoint, and keeps the current registration renewed while VS Code runs. */
export class EndpointRegistry {
  private readonly endpointClients = new Map<string, EndpointClients>();
  private readonly sessionManagers = new Map<string, SessionManager>();
  private readonly oidcClients = new Map<string, OidcClient>();
  /** Per endpoint, the registration of the latest operation's scope set: sessions refresh with it. */
  private readonly refreshWith = new Map<string, RegistrationManager>();
  private readonly scheduler: RenewalScheduler;

  constructor(private readonly deps: EndpointRegistryDeps) {
    this.scheduler = new RenewalScheduler({
      what: 'the client registration',
      clock: deps.clock,
      sleep: deps.scheduleSleep,
      logger: deps.logger,
      renew: async (signal) => renewableOf(await this.ensureClient(await this.current(false), { signal })),
      onShortLifetime: deps.onShortLivedSecrets,
    });
  }

  /** The clients for the settings in force, asking for a region when interactive and none is set. */
  async current(interactive: boolean): Promise<EndpointClients> {
    return this.clientsFor(await this.resolve(interactive));
  }

  /**
   * The settings with an endpoint. When neither endpoint nor region is set, asks for a
   * region (interactive) or fails with a `configuration` error.
   */
  async resolve(interactive: boolean): Promise<ServiceTarget> {
    const settings = readSettings();
    if (settings.endpoint || !interactive) return requireTarget(settings);
    await this.deps.pickRegion();
    return requireTarget(readSettings());
  }

  /** The clients for one resolved settings snapshot; the same objects for the same endpoint and scopes. */
  clientsFor(target: Pick<ServiceTarget, 'endpoint' | 'scopes'>): EndpointClients {
    const { endpoint, scopes } = target;
    const key = registrationKey(endpoint, scopes);
    const cached = this.endpointClients.get(key);
    if (cached) {
      this.refreshWith.set(endpoint, cached.registration);
      return cached;
    }
    const lease = { sleep: this.deps.sleep, ...this.deps.lease };
    const oidc = () => this.oidcFor(endpoint);
    const registration = new RegistrationManager({
      endpoint,
      scopes,
      registrar: { registerClient: (input, signal) => oidc().registerClient(input, signal) },
      store: this.deps.store,
      clock: this.deps.clock,
      logger: this.deps.logger,
      lease,
    });
    const clients: EndpointClients = { endpoint, scopes: [...scopes], oidc, registration, sessions: this.sessionsFor(endpoint, oidc) };
    this.endpointClients.set(key, clients);
    this.refreshWith.set(endpoint, registration);
    return clients;
  }

  /** A usable registration of `clients`, renewed first when due; the renewal schedule follows it. */
  async ensureClient(clients: EndpointClients, options: { clientNameIfNone?: string; signal?: AbortSignal } = {}): Promise<ClientRegistration> {
    const registration = await clients.registration.ensureClient(options);
    this.followSchedule(clients, registration);
    return registration;
  }

  /** Registers now under `clientName` and schedules the next renewal. */
  async register(clients: EndpointClients, clientName: string, signal?: AbortSignal): Promise<ClientRegistration> {
    const registration = await clients.registration.register(clientName, signal);
    this.followSchedule(clients, registration);
    return registration;
  }

  /** The stored registration for the current settings, even when expired. */
  async stored(): Promise<ClientRegistration | undefined> {
    if (!readSettings().endpoint) return undefined;
    return (await this.current(false)).registration.stored();
  }

  /** Deletes the stored registration for the current settings; returns its endpoint. */
  async forget(): Promise<string | undefined> {
    if (!readSettings().endpoint) return undefined;
    const { registration, endpoint } = await this.current(false);
    await registration.forget();
    this.scheduler.stop();
    return endpoint;
  }

  /**
   * At startup and after a settings change: if a registration is stored for the
   * current settings, renew it when due (under its stored name, with no prompt) and
   * schedule the next renewal. Sends no request while the stored one is usable.
   */
  async renewInBackground(): Promise<void> {
    this.scheduler.stop();
    try {
      if (!readSettings().endpoint) return;
      const clients = await this.current(false);
      const current = await clients.registration.stored();
      if (!current) return;
      // One storage read on the cached path: a usable registration only needs its schedule.
      if (isUsable(current, this.deps.clock.now())) this.scheduler.start(renewableOf(current));
      else await this.ensureClient(clients);
    } catch (error) {
      this.deps.logger.warn(`Background renewal of the client registration failed: ${error instanceof Error ? error.message : String(error)}`);
      this.scheduler.retryLater();
    }
  }

  /** Stops the renewal schedule. */
  dispose(): void {
    this.scheduler.stop();
  }

  /** Keeps the schedule on the registration of the settings in force, not on another endpoint's. */
  private followSchedule(clients: EndpointClients, registration: ClientRegistration): void {
    let settings;
    try {
      settings = readSettings();
    } catch {
      return;
    }
    if (settings.endpoint === clients.endpoint && registrationKey(settings.endpoint, settings.scopes) === clients.registration.key) {
      this.scheduler.start(renewableOf(registration));
    }
  }

  /** The sessions of `endpoint`: one record, whatever the scope set, refreshed with the registration in use. */
  private sessionsFor(endpoint: string, oidc: () => OidcClient): SessionManager {
    let sessions = this.sessionManagers.get(endpoint);
    if (!sessions) {
      sessions = new SessionManager({
        endpoint,
        store: this.deps.store,
        clock: this.deps.clock,
        logger: this.deps.logger,
        lease: { sleep: this.deps.sleep, ...this.deps.lease },
        refresh: async (session, signal) => {
          const registration = this.refreshWith.get(endpoint);
          if (!registration) return undefined;
          const client = await registration.ensureClient({ signal });
          if (client.clientId !== session.clientId || !session.refreshToken) return undefined;
          return oidc().refreshToken(client, session.refreshToken, signal);
        },
      });
      this.sessionManagers.set(endpoint, sessions);
    }
    return sessions;
  }

  private oidcFor(endpoint: string): OidcClient {
    let client = this.oidcClients.get(endpoint);
    if (!client) {
      const { OidcClient } = this.deps.transportBundle();
      client = new OidcClient({ endpoint, transport: this.deps.transport, clock: this.deps.clock, logger: this.deps.logger, retry: { sleep: this.deps.sleep } });
      this.oidcClients.set(endpoint, client);
    }
    return client;
  }
}
