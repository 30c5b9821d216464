/**
 * One renewal across windows: two registration managers (two windows' extension
 * hosts) share one secret store that reports changes, as VS Code's SecretStorage does.
 */
import { strict as assert } from 'node:assert';
import { renewalDueAtMs } from '../../src/core/registration/expiry';
import { RegistrationManager } from '../../src/core/registration/manager';
import { serializeRegistration } from '../../src/core/registration/record';
import { LEASE_SETTLE_MS, LEASE_TTL_MS } from '../../src/core/common/lease';
import { until } from '../support/windows';
import { useEmulator } from '../support/emulatorFixture';

describe('renewal lease across windows', () => {
  const fx = useEmulator();
  let expired: ReturnType<typeof serializeRegistration>;

  beforeEach(async () => {
    const seed = await window('seed', false).register('shared laptop');
    expired = serializeRegistration(seed);
    // Both clocks move to the renewal point, so the new registrations are usable.
    fx.advance(renewalDueAtMs(seed) - fx.clock.now());
    fx.emulator.clearRequests();
  });

  /** Window `owner`'s registrations, taking the lease unless `withLease` is false. */
  function window(owner: string, withLease = true): RegistrationManager {
    return fx.registrations({ lease: withLease ? fx.lease(owner) : undefined });
  }

  it('two windows finding the same expired registration make one registration', async () => {
    const [a, b] = [window('A'), window('B')];
    const both = Promise.all([a.ensureClient(), b.ensureClient()]);
    await until(() => fx.timers.pending === 2, 'both windows wrote a lease and paused');
    fx.timers.advance(LEASE_SETTLE_MS);
    const [fromA, fromB] = await both;
    assert.equal(fx.emulator.requests('/v1/clients').length, 1);
    assert.equal(fromA.clientId, fromB.clientId);
    assert.notEqual(fx.store.values.get(a.key), expired);
    assert.equal(fx.store.values.get(`${a.key}|renewal-lease`), undefined, 'the lease is released');
  });

  it('without the lease, the same race makes two registrations', async () => {
    await Promise.all([window('A', false).ensureClient(), window('B', false).ensureClient()]);
    assert.equal(fx.emulator.requests('/v1/clients').length, 2);
  });

  it('when the holder\'s registration fails, the other window registers as soon as the lease is released', async () => {
    fx.emulator.injectFault({ type: 'status', status: 503 }, { path: '/v1/clients', times: 1 });
    let done = 0;
    const both = Promise.allSettled([window('A'), window('B')].map((manager) => manager.ensureClient().finally(() => done++)));
    await until(() => fx.timers.pending === 2, 'both windows wrote a lease and paused');
    fx.timers.advance(LEASE_SETTLE_MS);
    await until(() => done === 1 && fx.timers.pending === 1, 'the holder failed; the other window sleeps');
    assert.equal(fx.timers.longestPendingMs, LEASE_SETTLE_MS, 'the other window woke at the release and only pauses to take the lease');
    fx.timers.advance(LEASE_SETTLE_MS);
    const outcomes = await both;
    assert.deepEqual(outcomes.map((o) => o.status).sort(), ['fulfilled', 'rejected']);
    assert.equal(fx.emulator.requests('/v1/clients').length, 2);
    assert.notEqual(fx.store.values.get(window('x').key), expired, 'the second window stored its registration');
  });

  it('a window that died holding the lease delays the renewal only until the lease runs out', async () => {
    await fx.store.store(`${window('x').key}|renewal-lease`, JSON.stringify({ owner: 'gone', expiresAtMs: fx.clock.now() + LEASE_TTL_MS }));
    const renewing = window('A').ensureClient();
    await until(() => fx.timers.pending === 1, 'A waits on the lease');
    assert.equal(fx.emulator.requests('/v1/clients').length, 0);
    fx.timers.advance(LEASE_TTL_MS);
    await until(() => fx.timers.pending === 1, 'A took the lease and paused');
    fx.timers.advance(LEASE_SETTLE_MS);
    await renewing;
    assert.equal(fx.emulator.requests('/v1/clients').length, 1);
  });
});
