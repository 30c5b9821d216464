/**
 * One simulated hour against a service that issues client secrets lasting one second:
 * the background renewal schedule runs, and a caller asks for the client every 10 s,
 * on a clock the simulation moves (no real waiting). Shared by the unit test that holds
 * the limits and the bench that reports `shortSecretRegistrationsPerHour`.
 */
import type { HttpTransport } from '../../src/core/transport/port';
import { OidcClient } from '../../src/core/oidc/client';
import { renewableOf } from '../../src/core/registration/expiry';
import { RegistrationManager } from '../../src/core/registration/manager';
import { RenewalScheduler } from '../../src/core/common/renewalScheduler';
import { NO_RETRY } from '../../src/core/transport/retry';
import type { IdentityCenterEmulator } from './emulator/emulator';
import { FakeClock } from './fakeTime';
import { MemoryLogger } from './memoryLogger';
import { MemorySecretStore } from './memorySecretStore';
import { ManualTimers, until } from './windows';

/** What happened during the hour. */
export interface ShortSecretHour {
  /** Registrations the extension made by itself (the first, explicit one not counted). */
  automaticRegistrations: number;
  /** Callers refused because renewal was paused. */
  refusals: unknown[];
  /** Each lifetime the scheduler reported as too short. */
  shortLifetimeReports: number[];
  logger: MemoryLogger;
}

/** A registration manager for the emulator's endpoint, on the timers' clock, registering without retries. */
export function emulatorRegistrations(emulator: IdentityCenterEmulator, transport: HttpTransport, timers: ManualTimers, logger: MemoryLogger, store = new MemorySecretStore()): RegistrationManager {
  const registrar = new OidcClient({ endpoint: emulator.url, transport: () => transport, clock: timers.clock, logger, retry: { policy: NO_RETRY } });
  return new RegistrationManager({ endpoint: emulator.url, scopes: ['openid'], registrar, store, clock: timers.clock, logger });
}

/** The background renewal of `registrations` on the timers, as the extension runs it. */
export interface WatchedRenewal {
  schedule: RenewalScheduler;
  /** Renewals running now: 0 once the schedule sleeps again. */
  renewing(): number;
  /** Each lifetime the schedule reported as too short. */
  shortLifetimeReports: number[];
}

/** Builds the renewal schedule of `registrations`, watched: renewals in flight and short-lifetime reports. */
export function watchedRenewal(registrations: RegistrationManager, timers: ManualTimers, logger: MemoryLogger): WatchedRenewal {
  let renewing = 0;
  const shortLifetimeReports: number[] = [];
  const schedule = new RenewalScheduler({
    what: 'the client registration',
    clock: timers.clock,
    sleep: timers.sleep,
    logger,
    renew: async (signal) => {
      renewing++;
      try {
        return renewableOf(await registrations.ensureClient({ signal }));
      } finally {
        renewing--;
      }
    },
    onShortLifetime: (ms) => shortLifetimeReports.push(ms),
  });
  return { schedule, renewing: () => renewing, shortLifetimeReports };
}

/** Runs the hour; the emulator is reset and set to one-second secrets first. */
export async function simulateShortSecretHour(emulator: IdentityCenterEmulator, transport: HttpTransport): Promise<ShortSecretHour> {
  emulator.reset();
  emulator.setSecretLifetime(1);
  const timers = new ManualTimers(new FakeClock(emulator.now()));
  const logger = new MemoryLogger();
  const registrations = emulatorRegistrations(emulator, transport, timers, logger);
  const { schedule, renewing, shortLifetimeReports } = watchedRenewal(registrations, timers, logger);
  schedule.start(renewableOf(await registrations.register('laptop')));
  const refusals: unknown[] = [];
  try {
    for (let step = 0; step < 360; step++) {
      timers.advance(10_000);
      emulator.advanceClock(10);
      await until(() => timers.pending === 1 && renewing() === 0, 'the schedule sleeps again');
      await registrations.ensureClient().catch((error: unknown) => refusals.push(error));
    }
  } finally {
    schedule.stop();
  }
  return { automaticRegistrations: emulator.requests('/v1/clients').length - 1, refusals, shortLifetimeReports, logger };
}
