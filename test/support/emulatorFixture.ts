/**
 * The set-up most unit tests share: one loopback emulator and one transport per
 * `describe` that calls `useEmulator()`, the emulator reset before each test, and the
 * parts a test builds on it (a secret store, a logger, a fake clock with its timers, the
 * OIDC and portal clients, a registration manager), made fresh for each test on first
 * use. Call it first in the `describe`, so its hooks run before the file's own.
 */
import { strict as assert } from 'node:assert';
import { OidcClient, type OidcClientDeps } from '../../src/core/oidc/client';
import { PortalClient } from '../../src/core/portal/client';
import { RegistrationManager, type RegistrationManagerDeps } from '../../src/core/registration/manager';
import type { ClientRegistration } from '../../src/core/registration/model';
import { sessionFromTokens, type StoredSession } from '../../src/core/sessions/model';
import type { TransportLimits } from '../../src/core/transport/port';
import { NO_RETRY } from '../../src/core/transport/retry';
import { createUndiciTransport, type UndiciTransport } from '../../src/core/transport/undici';
import { IdentityCenterEmulator, type EmulatorOptions } from './emulator/emulator';
import { FakeClock } from './fakeTime';
import { MemoryLogger } from './memoryLogger';
import { MemorySecretStore } from './memorySecretStore';
import { keyChanges, ManualTimers } from './windows';

/** What a file asks of its emulator and transport. */
export interface EmulatorFixtureOptions {
  /** The emulator's options (`IdentityCenterEmulator.start`); `reset` returns to them. */
  emulator?: EmulatorOptions;
  /** The transport's limits; absent: the transport's defaults. */
  limits?: Partial<TransportLimits>;
}

/** A client's dependencies a test may set; the rest come from the fixture. */
type ClientOverrides = Partial<Pick<OidcClientDeps, 'endpoint' | 'transport' | 'clock' | 'logger' | 'retry'>>;

/** One file's emulator, and this test's parts. */
export interface EmulatorFixture {
  /** Started before the first test, reset before each. */
  readonly emulator: IdentityCenterEmulator;
  /** One transport for the file, made on first use and closed after its last test. */
  readonly transport: UndiciTransport;
  /** This test's secret store. */
  readonly store: MemorySecretStore;
  /** This test's log. */
  readonly logger: MemoryLogger;
  /** This test's sleeps, which end when the test moves `clock` past them. */
  readonly timers: ManualTimers;
  /** This test's clock: it starts at the emulator's time on first use and moves only when told. */
  readonly clock: FakeClock;
  /** An OIDC client of the emulator on this test's clock and log, one attempt per call unless `retry` says otherwise. */
  oidc(overrides?: ClientOverrides): OidcClient;
  /** A portal API client of the emulator, like `oidc`. */
  portal(overrides?: ClientOverrides): PortalClient;
  /** A registration manager of the emulator (scopes `openid`) on this test's store, clock and log, registering with `oidc()`. */
  registrations(overrides?: Partial<RegistrationManagerDeps>): RegistrationManager;
  /** Window `owner`'s part in the leases, on this test's timers and store. */
  lease(owner: string): NonNullable<RegistrationManagerDeps['lease']>;
  /** Moves this test's timers and the emulator's clock together. */
  advance(ms: number): void;
}

/** Registers the hooks of one emulator for the calling `describe`; returns its fixture. */
export function useEmulator(options: EmulatorFixtureOptions = {}): EmulatorFixture {
  let emulator: IdentityCenterEmulator | undefined;
  let transport: UndiciTransport | undefined;
  let parts: Partial<{ store: MemorySecretStore; logger: MemoryLogger; timers: ManualTimers }> = {};

  before(async () => {
    emulator = await IdentityCenterEmulator.start(options.emulator);
  });
  after(async () => {
    await transport?.close();
    await emulator?.close();
  });
  beforeEach(() => {
    fixture.emulator.reset();
    parts = {};
  });

  const clientDeps = (overrides: ClientOverrides): OidcClientDeps => ({
    endpoint: fixture.emulator.url,
    transport: () => fixture.transport,
    clock: fixture.clock,
    logger: fixture.logger,
    retry: { policy: NO_RETRY },
    ...overrides,
  });

  const fixture: EmulatorFixture = {
    get emulator() {
      assert.ok(emulator, 'the emulator is used before it started: call useEmulator() in a describe');
      return emulator;
    },
    get transport() {
      return (transport ??= createUndiciTransport(options.limits ? { limits: options.limits } : {}));
    },
    get store() {
      return (parts.store ??= new MemorySecretStore());
    },
    get logger() {
      return (parts.logger ??= new MemoryLogger());
    },
    get timers() {
      return (parts.timers ??= new ManualTimers(new FakeClock(fixture.emulator.now())));
    },
    get clock() {
      return fixture.timers.clock;
    },
    oidc: (overrides = {}) => new OidcClient(clientDeps(overrides)),
    portal: (overrides = {}) => new PortalClient(clientDeps(overrides)),
    registrations: (overrides = {}) => {
      const { clock = fixture.clock, logger = fixture.logger } = overrides;
      return new RegistrationManager({
        endpoint: fixture.emulator.url,
        scopes: ['openid'],
        registrar: fixture.oidc({ clock, logger }),
        store: fixture.store,
        clock,
        logger,
        ...overrides,
      });
    },
    lease: (owner) => ({ sleep: fixture.timers.sleep, onDidChange: keyChanges(fixture.store), owner }),
    advance: (ms) => {
      fixture.timers.advance(ms);
      fixture.emulator.advanceClock(ms / 1000);
    },
  };
  return fixture;
}

/**
 * A session signed in through the emulator's real device flow (authorization, approval,
 * token), with `client`, for the user portal `startUrl`.
 */
export async function signedInSession(emulator: IdentityCenterEmulator, oidc: OidcClient, client: ClientRegistration, startUrl: string, scopes: string[] = ['openid']): Promise<StoredSession> {
  const authorization = await oidc.startDeviceAuthorization(client, startUrl);
  emulator.approve(authorization.userCode);
  const outcome = await oidc.pollDeviceToken(client, authorization.deviceCode);
  if (outcome.kind !== 'token') assert.fail(`the device flow ended with ${outcome.kind}`);
  return sessionFromTokens(outcome.token, scopes, client.clientId);
}
