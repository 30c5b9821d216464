/**
 * The background renewal schedule against the emulator, on a clock the test moves:
 * renewals on time for sane lifetimes, and no storm for a service issuing secrets that
 * last one second (a floor, a back-off, an hourly cap, and one report).
 */
import { strict as assert } from 'node:assert';
import { isIdentityCenterError } from '../../src/core/common/errors';
import { renewableOf, renewalDueAtMs } from '../../src/core/registration/expiry';
import { MAX_AUTOMATIC_REGISTRATIONS_PER_HOUR, RegistrationManager } from '../../src/core/registration/manager';
import { MIN_RENEWAL_INTERVAL_MS, RenewalScheduler, RETRY_AFTER_FAILURE_MS } from '../../src/core/common/renewalScheduler';
import { simulateShortSecretHour, watchedRenewal, type WatchedRenewal } from '../support/shortSecretHour';
import { until } from '../support/windows';
import { useEmulator } from '../support/emulatorFixture';

describe('RenewalScheduler against the emulator', () => {
  const fx = useEmulator();
  /** The schedule the test built last, watched. */
  let watched: WatchedRenewal | undefined;

  beforeEach(() => {
    watched = undefined;
  });

  function scheduler(of: RegistrationManager): RenewalScheduler {
    watched = watchedRenewal(of, fx.timers, fx.logger);
    return watched.schedule;
  }

  /** Moves both clocks, then waits until the schedule is asleep again. */
  async function pass(ms: number): Promise<void> {
    fx.advance(ms);
    await until(() => fx.timers.pending === 1 && (watched?.renewing() ?? 0) === 0, 'the schedule sleeps again');
  }

  const posts = () => fx.emulator.requests('/v1/clients').length;

  it('renews a 90-day secret once, exactly when it falls due', async () => {
    const registrations = fx.registrations();
    const first = await registrations.register('laptop');
    const schedule = scheduler(registrations);
    schedule.start(renewableOf(first));
    try {
      await pass(renewalDueAtMs(first) - fx.clock.now() - 1);
      assert.equal(posts(), 1);
      await pass(1);
      assert.equal(posts(), 2);
      assert.notEqual((await registrations.stored())?.clientId, first.clientId);
      assert.deepEqual(watched?.shortLifetimeReports, []);
    } finally {
      schedule.stop();
    }
  });

  it('tries again five minutes after a failed renewal', async () => {
    const registrations = fx.registrations();
    const first = await registrations.register('laptop');
    const schedule = scheduler(registrations);
    schedule.start(renewableOf(first));
    try {
      fx.emulator.injectFault({ type: 'status', status: 503 }, { path: '/v1/clients' });
      await pass(renewalDueAtMs(first) - fx.clock.now());
      assert.equal(posts(), 2, 'the renewal was tried and failed');
      assert.match(fx.logger.text(), /Background renewal of the client registration failed \(service\)/);
      await pass(RETRY_AFTER_FAILURE_MS - 1);
      assert.equal(posts(), 2);
      await pass(1);
      assert.equal(posts(), 3);
    } finally {
      schedule.stop();
    }
  });

  it('one-second secrets: at most 12 registrations in an hour, even with a caller every 10 s, reported once', async () => {
    const hour = await simulateShortSecretHour(fx.emulator, fx.transport);
    assert.ok(hour.automaticRegistrations <= MAX_AUTOMATIC_REGISTRATIONS_PER_HOUR, `${hour.automaticRegistrations} registrations in an hour`);
    assert.ok(hour.automaticRegistrations >= 1, 'it still renews');
    assert.deepEqual(hour.shortLifetimeReports, [1000], 'the short lifetime is reported once');
    assert.ok(hour.refusals.length > 0 && hour.refusals.every((error) => isIdentityCenterError(error, 'service') && /renewal is paused until/.test(error.message) && error.remedy === 'registerClient'));
    assert.equal(hour.logger.lines.filter((line) => /client registrations in the last hour/.test(line)).length, 1, 'the cap is logged once');
  });

  it('the hourly cap holds across windows sharing the store, and the user can still register', async () => {
    fx.emulator.setSecretLifetime(1);
    const [a, b] = [fx.registrations(), fx.registrations()];
    await a.register('laptop');
    for (let i = 0; i < 20; i++) {
      fx.advance(MIN_RENEWAL_INTERVAL_MS / 10);
      await (i % 2 === 0 ? a : b).ensureClient().catch(() => undefined);
    }
    assert.equal(posts() - 1, MAX_AUTOMATIC_REGISTRATIONS_PER_HOUR);
    await b.register('explicit');
    assert.equal(posts() - 1, MAX_AUTOMATIC_REGISTRATIONS_PER_HOUR + 1, 'Register Client is the user asking: not capped');
  });
});
