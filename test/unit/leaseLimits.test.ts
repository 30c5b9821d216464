/**
 * Nothing waits forever on another window: a lease record claiming more than a lease's
 * lifetime is stale, every wait is capped at that lifetime, and cancelling a sign-in
 * reaches a renewal that is waiting on the lease or registering.
 */
import { strict as assert } from 'node:assert';
import { renewalDueAtMs } from '../../src/core/registration/expiry';
import { RegistrationManager } from '../../src/core/registration/manager';
import { LEASE_SETTLE_MS, LEASE_TTL_MS } from '../../src/core/common/lease';
import { signIn } from '../../src/core/signin/signIn';
import { rejectsWith } from '../support/assertions';
import { until } from '../support/windows';
import { useEmulator } from '../support/emulatorFixture';

const DAY_MS = 24 * 3600_000;

describe('renewal lease limits', () => {
  const fx = useEmulator();

  beforeEach(async () => {
    const seed = await window('seed', false).register('shared laptop');
    fx.advance(renewalDueAtMs(seed) - fx.clock.now());
    fx.emulator.clearRequests();
  });

  /** Window `owner`'s registrations, taking the lease unless `withLease` is false. */
  function window(owner: string, withLease = true): RegistrationManager {
    return fx.registrations({ lease: withLease ? fx.lease(owner) : undefined });
  }

  const leaseKey = () => `${window('x').key}|renewal-lease`;

  it('a stale lease record ten days ahead is ignored: the renewal waits only the settle pause', async () => {
    await fx.store.store(leaseKey(), JSON.stringify({ owner: 'gone', expiresAtMs: fx.clock.now() + 10 * DAY_MS }));
    const renewing = window('A').ensureClient();
    await until(() => fx.timers.pending === 1, 'A wrote its own lease and paused');
    assert.equal(fx.timers.longestPendingMs, LEASE_SETTLE_MS, 'the only wait is the settle pause');
    fx.timers.advance(LEASE_SETTLE_MS);
    await renewing;
    assert.equal(fx.emulator.requests('/v1/clients').length, 1);
  });

  it('a live lease is waited on for at most its own lifetime', async () => {
    await fx.store.store(leaseKey(), JSON.stringify({ owner: 'other', expiresAtMs: fx.clock.now() + LEASE_TTL_MS + 4000 }));
    const renewing = window('A').ensureClient();
    await until(() => fx.timers.pending === 1, 'A waits on the lease');
    assert.ok(fx.timers.longestPendingMs <= LEASE_TTL_MS, `waits ${fx.timers.longestPendingMs} ms`);
    fx.timers.advance(LEASE_TTL_MS + 4000);
    await until(() => fx.timers.pending === 1, 'A took the lease and paused');
    fx.timers.advance(LEASE_SETTLE_MS);
    await renewing;
    assert.equal(fx.emulator.requests('/v1/clients').length, 1);
  });

  it('a release landing between the read of the lease and the wait still wakes the waiter', async () => {
    await fx.store.store(leaseKey(), JSON.stringify({ owner: 'other', expiresAtMs: fx.clock.now() + LEASE_TTL_MS }));
    const get = fx.store.get.bind(fx.store);
    let released = false;
    fx.store.get = async (key) => {
      const value = await get(key);
      if (key === leaseKey() && value !== undefined && !released) {
        released = true;
        await fx.store.delete(key);
      }
      return value;
    };
    const renewing = window('A').ensureClient();
    await until(() => released && fx.timers.pending === 1, 'A read the lease, which its holder then released');
    assert.equal(fx.timers.longestPendingMs, LEASE_SETTLE_MS, 'the release woke A: it only pauses to take the lease');
    fx.timers.advance(LEASE_SETTLE_MS);
    await renewing;
    assert.equal(fx.emulator.requests('/v1/clients').length, 1);
  });

  it('cancelling ensureClient while it waits on another window stops it at once, with nothing sent', async () => {
    await fx.store.store(leaseKey(), JSON.stringify({ owner: 'other', expiresAtMs: fx.clock.now() + LEASE_TTL_MS }));
    const abort = new AbortController();
    const renewing = window('A').ensureClient({ signal: abort.signal });
    await until(() => fx.timers.pending === 1, 'A waits on the lease');
    abort.abort();
    await rejectsWith(renewing, 'cancelled');
    await until(() => fx.timers.pending === 0, 'the wait is gone');
    assert.equal(fx.emulator.requests('/v1/clients').length, 0);
  });

  it('cancelling a sign-in reaches the renewal it waits for: no registration, no authorization', async () => {
    await fx.store.store(leaseKey(), JSON.stringify({ owner: 'other', expiresAtMs: fx.clock.now() + LEASE_TTL_MS }));
    const manager = window('A');
    const abort = new AbortController();
    const signingIn = signIn(
      {
        clients: { ensureClient: (name, signal) => manager.ensureClient({ clientNameIfNone: name, signal }), dropRejected: async () => undefined },
        oidc: fx.oidc(),
        clock: fx.clock,
        sleep: fx.timers.sleep,
        logger: fx.logger,
        showUserCode: () => assert.fail('no code is shown'),
      },
      { startUrl: 'https://start.example.com' },
      abort.signal,
    );
    await until(() => fx.timers.pending === 1, 'the sign-in waits for the renewal lease');
    abort.abort();
    await rejectsWith(signingIn, 'cancelled');
    assert.equal(fx.emulator.requests().length, 0);
  });

  it('one caller giving up does not cancel the renewal others wait for', async () => {
    const manager = window('A', false);
    const abort = new AbortController();
    const quitter = manager.ensureClient({ signal: abort.signal });
    const stayer = manager.ensureClient();
    abort.abort();
    await rejectsWith(quitter, 'cancelled');
    const renewed = await stayer;
    assert.equal(fx.emulator.requests('/v1/clients').length, 1);
    assert.equal((await manager.stored())?.clientId, renewed.clientId);
  });
});
