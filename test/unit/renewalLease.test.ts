/**
 * One renewal across windows: two registration managers (two windows' extension
 * hosts) share one secret store that reports changes, as VS Code's SecretStorage does.
 */
import { strict as assert } from 'node:assert';
import { OidcClient } from '../../src/core/oidc/client';
import { renewalDueAtMs } from '../../src/core/registration/expiry';
import { RegistrationManager } from '../../src/core/registration/manager';
import { serializeRegistration } from '../../src/core/registration/record';
import { LEASE_SETTLE_MS, LEASE_TTL_MS } from '../../src/core/common/lease';
import { NO_RETRY } from '../../src/core/transport/retry';
import { createUndiciTransport } from '../../src/core/transport/undici';
import { IdentityCenterEmulator } from '../support/emulator/emulator';
import { FakeClock } from '../support/fakeTime';
import { MemoryLogger } from '../support/memoryLogger';
import { MemorySecretStore } from '../support/memorySecretStore';
import { keyChanges, ManualTimers, until } from '../support/windows';

describe('renewal lease across windows', () => {
  let emulator: IdentityCenterEmulator;
  const transport = createUndiciTransport();
  before(async () => {
    emulator = await IdentityCenterEmulator.start();
  });
  after(() => emulator.close());

  let store: MemorySecretStore;
  let timers: ManualTimers;
  let expired: ReturnType<typeof serializeRegistration>;

  beforeEach(async () => {
    emulator.reset();
    store = new MemorySecretStore();
    timers = new ManualTimers(new FakeClock(Date.now()));
    const seed = await window('seed', false).register('shared laptop');
    expired = serializeRegistration(seed);
    // Both clocks move to the renewal point, so the new registrations are usable.
    const dueInMs = renewalDueAtMs(seed) - timers.clock.now();
    timers.clock.advance(dueInMs);
    emulator.advanceClock(dueInMs / 1000);
    emulator.clearRequests();
  });

  function window(owner: string, withLease = true): RegistrationManager {
    const logger = new MemoryLogger();
    const registrar = new OidcClient({ endpoint: emulator.url, transport: () => transport, clock: timers.clock, logger, retry: { policy: NO_RETRY } });
    return new RegistrationManager({
      endpoint: emulator.url,
      scopes: ['openid'],
      registrar,
      store,
      clock: timers.clock,
      logger,
      lease: withLease ? { sleep: timers.sleep, onDidChange: keyChanges(store), owner } : undefined,
    });
  }

  it('two windows finding the same expired registration make one registration', async () => {
    const [a, b] = [window('A'), window('B')];
    const both = Promise.all([a.ensureClient(), b.ensureClient()]);
    await until(() => timers.pending === 2, 'both windows wrote a lease and paused');
    timers.advance(LEASE_SETTLE_MS);
    const [fromA, fromB] = await both;
    assert.equal(emulator.requests('/v1/clients').length, 1);
    assert.equal(fromA.clientId, fromB.clientId);
    assert.notEqual(store.values.get(a.key), expired);
    assert.equal(store.values.get(`${a.key}|renewal-lease`), undefined, 'the lease is released');
  });

  it('without the lease, the same race makes two registrations', async () => {
    await Promise.all([window('A', false).ensureClient(), window('B', false).ensureClient()]);
    assert.equal(emulator.requests('/v1/clients').length, 2);
  });

  it('when the holder\'s registration fails, the other window registers as soon as the lease is released', async () => {
    emulator.injectFault({ type: 'status', status: 503 }, { path: '/v1/clients', times: 1 });
    let done = 0;
    const both = Promise.allSettled([window('A'), window('B')].map((manager) => manager.ensureClient().finally(() => done++)));
    await until(() => timers.pending === 2, 'both windows wrote a lease and paused');
    timers.advance(LEASE_SETTLE_MS);
    await until(() => done === 1 && timers.pending === 1, 'the holder failed; the other window sleeps');
    assert.equal(timers.longestPendingMs, LEASE_SETTLE_MS, 'the other window woke at the release and only pauses to take the lease');
    timers.advance(LEASE_SETTLE_MS);
    const outcomes = await both;
    assert.deepEqual(outcomes.map((o) => o.status).sort(), ['fulfilled', 'rejected']);
    assert.equal(emulator.requests('/v1/clients').length, 2);
    assert.notEqual(store.values.get(window('x').key), expired, 'the second window stored its registration');
  });

  it('a window that died holding the lease delays the renewal only until the lease runs out', async () => {
    await store.store(`${window('x').key}|renewal-lease`, JSON.stringify({ owner: 'gone', expiresAtMs: timers.clock.now() + LEASE_TTL_MS }));
    const renewing = window('A').ensureClient();
    await until(() => timers.pending === 1, 'A waits on the lease');
    assert.equal(emulator.requests('/v1/clients').length, 0);
    timers.advance(LEASE_TTL_MS);
    await until(() => timers.pending === 1, 'A took the lease and paused');
    timers.advance(LEASE_SETTLE_MS);
    await renewing;
    assert.equal(emulator.requests('/v1/clients').length, 1);
  });
});
