/**
 * Nothing waits forever on another window: a lease record claiming more than a lease's
 * lifetime is stale, every wait is capped at that lifetime, and cancelling a sign-in
 * reaches a renewal that is waiting on the lease or registering.
 */
import { strict as assert } from 'node:assert';
import { OidcClient } from '../../src/core/oidc/client';
import { renewalDueAtMs } from '../../src/core/registration/expiry';
import { RegistrationManager } from '../../src/core/registration/manager';
import { LEASE_SETTLE_MS, LEASE_TTL_MS } from '../../src/core/common/lease';
import { NO_RETRY } from '../../src/core/transport/retry';
import { signIn } from '../../src/core/signin/signIn';
import { createUndiciTransport } from '../../src/core/transport/undici';
import { IdentityCenterEmulator } from '../support/emulator/emulator';
import { rejectsWith } from '../support/assertions';
import { FakeClock } from '../support/fakeTime';
import { MemoryLogger } from '../support/memoryLogger';
import { MemorySecretStore } from '../support/memorySecretStore';
import { keyChanges, ManualTimers, until } from '../support/windows';

const DAY_MS = 24 * 3600_000;

describe('renewal lease limits', () => {
  let emulator: IdentityCenterEmulator;
  const transport = createUndiciTransport();
  before(async () => {
    emulator = await IdentityCenterEmulator.start();
  });
  after(() => emulator.close());

  let store: MemorySecretStore;
  let timers: ManualTimers;
  let logger: MemoryLogger;

  beforeEach(async () => {
    emulator.reset();
    store = new MemorySecretStore();
    timers = new ManualTimers(new FakeClock(emulator.now()));
    logger = new MemoryLogger();
    const seed = await window('seed', false).register('shared laptop');
    const dueInMs = renewalDueAtMs(seed) - timers.clock.now();
    timers.clock.advance(dueInMs);
    emulator.advanceClock(dueInMs / 1000);
    emulator.clearRequests();
  });

  function oidc(): OidcClient {
    return new OidcClient({ endpoint: emulator.url, transport: () => transport, clock: timers.clock, logger, retry: { policy: NO_RETRY } });
  }

  function window(owner: string, withLease = true): RegistrationManager {
    return new RegistrationManager({
      endpoint: emulator.url,
      scopes: ['openid'],
      registrar: oidc(),
      store,
      clock: timers.clock,
      logger,
      lease: withLease ? { sleep: timers.sleep, onDidChange: keyChanges(store), owner } : undefined,
    });
  }

  const leaseKey = () => `${window('x').key}|renewal-lease`;

  it('a stale lease record ten days ahead is ignored: the renewal waits only the settle pause', async () => {
    await store.store(leaseKey(), JSON.stringify({ owner: 'gone', expiresAtMs: timers.clock.now() + 10 * DAY_MS }));
    const renewing = window('A').ensureClient();
    await until(() => timers.pending === 1, 'A wrote its own lease and paused');
    assert.equal(timers.longestPendingMs, LEASE_SETTLE_MS, 'the only wait is the settle pause');
    timers.advance(LEASE_SETTLE_MS);
    await renewing;
    assert.equal(emulator.requests('/v1/clients').length, 1);
  });

  it('a live lease is waited on for at most its own lifetime', async () => {
    await store.store(leaseKey(), JSON.stringify({ owner: 'other', expiresAtMs: timers.clock.now() + LEASE_TTL_MS + 4000 }));
    const renewing = window('A').ensureClient();
    await until(() => timers.pending === 1, 'A waits on the lease');
    assert.ok(timers.longestPendingMs <= LEASE_TTL_MS, `waits ${timers.longestPendingMs} ms`);
    timers.advance(LEASE_TTL_MS + 4000);
    await until(() => timers.pending === 1, 'A took the lease and paused');
    timers.advance(LEASE_SETTLE_MS);
    await renewing;
    assert.equal(emulator.requests('/v1/clients').length, 1);
  });

  it('a release landing between the read of the lease and the wait still wakes the waiter', async () => {
    await store.store(leaseKey(), JSON.stringify({ owner: 'other', expiresAtMs: timers.clock.now() + LEASE_TTL_MS }));
    const get = store.get.bind(store);
    let released = false;
    store.get = async (key) => {
      const value = await get(key);
      if (key === leaseKey() && value !== undefined && !released) {
        released = true;
        await store.delete(key);
      }
      return value;
    };
    const renewing = window('A').ensureClient();
    await until(() => released && timers.pending === 1, 'A read the lease, which its holder then released');
    assert.equal(timers.longestPendingMs, LEASE_SETTLE_MS, 'the release woke A: it only pauses to take the lease');
    timers.advance(LEASE_SETTLE_MS);
    await renewing;
    assert.equal(emulator.requests('/v1/clients').length, 1);
  });

  it('cancelling ensureClient while it waits on another window stops it at once, with nothing sent', async () => {
    await store.store(leaseKey(), JSON.stringify({ owner: 'other', expiresAtMs: timers.clock.now() + LEASE_TTL_MS }));
    const abort = new AbortController();
    const renewing = window('A').ensureClient({ signal: abort.signal });
    await until(() => timers.pending === 1, 'A waits on the lease');
    abort.abort();
    await rejectsWith(renewing, 'cancelled');
    await until(() => timers.pending === 0, 'the wait is gone');
    assert.equal(emulator.requests('/v1/clients').length, 0);
  });

  it('cancelling a sign-in reaches the renewal it waits for: no registration, no authorization', async () => {
    await store.store(leaseKey(), JSON.stringify({ owner: 'other', expiresAtMs: timers.clock.now() + LEASE_TTL_MS }));
    const manager = window('A');
    const abort = new AbortController();
    const signingIn = signIn(
      {
        clients: { ensureClient: (name, signal) => manager.ensureClient({ clientNameIfNone: name, signal }), dropRejected: async () => undefined },
        oidc: oidc(),
        clock: timers.clock,
        sleep: timers.sleep,
        logger,
        showUserCode: () => assert.fail('no code is shown'),
      },
      { startUrl: 'https://start.example.com' },
      abort.signal,
    );
    await until(() => timers.pending === 1, 'the sign-in waits for the renewal lease');
    abort.abort();
    await rejectsWith(signingIn, 'cancelled');
    assert.equal(emulator.requests().length, 0);
  });

  it('one caller giving up does not cancel the renewal others wait for', async () => {
    const manager = window('A', false);
    const abort = new AbortController();
    const quitter = manager.ensureClient({ signal: abort.signal });
    const stayer = manager.ensureClient();
    abort.abort();
    await rejectsWith(quitter, 'cancelled');
    const renewed = await stayer;
    assert.equal(emulator.requests('/v1/clients').length, 1);
    assert.equal((await manager.stored())?.clientId, renewed.clientId);
  });
});
