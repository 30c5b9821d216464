/**
 * The sessions record against the emulator, as several windows see it: no lost update
 * (a rotated refresh token, another window's sign-in), one refresh however many ask,
 * a final refusal ends a session once, and a failing keyring loses no approved tokens.
 */
import { strict as assert } from 'node:assert';
import { OidcClient } from '../../src/core/oidc/client';
import { RegistrationManager } from '../../src/core/registration/manager';
import { LEASE_SETTLE_MS } from '../../src/core/common/lease';
import { SessionManager } from '../../src/core/sessions/manager';
import type { StoredSession } from '../../src/core/sessions/model';
import { sessionsKey } from '../../src/core/sessions/record';
import { rejectsWith } from '../support/assertions';
import { until } from '../support/windows';
import { signedInSession, useEmulator } from '../support/emulatorFixture';

const START_URL = 'https://start.example.com';

describe('SessionManager against the emulator', () => {
  const fx = useEmulator();
  let oidc: OidcClient;
  let registration: RegistrationManager;

  beforeEach(async () => {
    oidc = fx.oidc();
    registration = fx.registrations({ registrar: oidc });
    await registration.register('laptop');
  });

  /** One window's session manager; without `owner`, no lease (this process only). */
  function window(owner?: string): SessionManager {
    return new SessionManager({
      key: sessionsKey(fx.emulator.url, START_URL),
      store: fx.store,
      clock: fx.clock,
      logger: fx.logger,
      lease: owner ? fx.lease(owner) : undefined,
      refresh: async (session, signal) => {
        const client = await registration.ensureClient({ signal });
        return client.clientId === session.clientId && session.refreshToken ? oidc.refreshToken(client, session.refreshToken, signal) : undefined;
      },
    });
  }

  /** A signed-in session through the emulator's real device flow. */
  const signedIn = async (): Promise<StoredSession> => signedInSession(fx.emulator, oidc, await registration.ensureClient(), START_URL);

  /** Moves past the session's expiry on both clocks. */
  function expire(session: StoredSession): void {
    const ms = session.expiresAt * 1000 - fx.clock.now() + 1000;
    fx.clock.advance(ms);
    fx.emulator.advanceClock(ms / 1000);
  }

  const refreshes = () => fx.emulator.requests('/v1/tokens').filter((r) => (r.body as { grant_type?: string }).grant_type === 'refresh_token');

  it('two windows refreshing one expired session send one refresh and keep the rotated refresh token', async () => {
    const session = await signedIn();
    await window().save(session);
    expire(session);
    const [a, b] = [window('A'), window('B')];
    const both = Promise.all([a.refreshOrRemove(session), b.refreshOrRemove(session)]);
    await until(() => fx.timers.pending === 2, 'both windows wrote a lease and paused');
    fx.timers.advance(LEASE_SETTLE_MS);
    await until(() => fx.timers.pending <= 1, 'one window holds the lease; the other waits for the record to change');
    const [fromA, fromB] = await both;
    assert.equal(refreshes().length, 1);
    assert.deepEqual(new Set([fromA.kind, fromB.kind]), new Set(['refreshed', 'refreshedElsewhere']));
    const [stored] = await a.list();
    assert.notEqual(stored.refreshToken, session.refreshToken, 'the rotated refresh token is stored');
    expire(stored);
    const again = window().refreshOrRemove(stored);
    assert.equal((await again).kind, 'refreshed', 'the stored refresh token still works');
  });

  it('without the lease the same race loses: two refreshes, and the second one is refused', async () => {
    const session = await signedIn();
    await window().save(session);
    expire(session);
    const outcomes = await Promise.all([window().refreshOrRemove(session), window().refreshOrRemove(session)]);
    assert.equal(refreshes().length, 2);
    assert.ok(outcomes.some((outcome) => outcome.kind === 'removed'), 'the rotated token was spent twice');
  });

  it('a sign-in in one window is not overwritten by a refresh in another', async () => {
    const old = await signedIn();
    await window().save(old);
    expire(old);
    const [a, b] = [window('A'), window('B')];
    const refreshing = b.refreshOrRemove(old);
    const fresh = await signedIn();
    const saving = a.save(fresh);
    await until(() => fx.timers.pending === 2, 'both windows wrote a lease and paused');
    let settled = false;
    const both = Promise.all([refreshing, saving]).finally(() => (settled = true));
    while (!settled) {
      fx.timers.advance(LEASE_SETTLE_MS);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await both;
    const stored = await a.list();
    assert.deepEqual(stored.map((s) => s.id).sort(), [old.id, fresh.id].sort());
  });

  it('two windows saving at once both keep their session; the second waits for the release, not the lease\'s lifetime', async () => {
    const [first, second] = [await signedIn(), await signedIn()];
    const start = fx.clock.now();
    const both = Promise.all([window('A').save(first), window('B').save(second)]);
    await until(() => fx.timers.pending === 2, 'both windows wrote a lease and paused');
    fx.timers.advance(LEASE_SETTLE_MS);
    await until(() => fx.store.values.has(sessionsKey(fx.emulator.url, START_URL)) && fx.timers.pending === 1, 'one window saved; the other sleeps');
    assert.equal(fx.timers.longestPendingMs, LEASE_SETTLE_MS, 'the other window woke at the release and only pauses to take the lease');
    fx.timers.advance(LEASE_SETTLE_MS);
    assert.deepEqual(await both, [{ persisted: true }, { persisted: true }]);
    assert.equal(fx.clock.now() - start, 2 * LEASE_SETTLE_MS);
    assert.deepEqual((await window().list()).map((s) => s.id).sort(), [first.id, second.id].sort(), 'no write is lost');
    assert.equal(fx.store.values.get(`${sessionsKey(fx.emulator.url, START_URL)}|renewal-lease`), undefined, 'the lease is released');
  });

  it('three windows saving at once keep all three sessions, each waiting only for the releases', async () => {
    const sessions = [await signedIn(), await signedIn(), await signedIn()];
    const start = fx.clock.now();
    let settled = false;
    const all = Promise.all(sessions.map((session, i) => window(`W${i}`).save(session))).finally(() => (settled = true));
    await until(() => fx.timers.pending === 3, 'the three windows wrote a lease and paused');
    while (!settled && fx.clock.now() - start < 3 * LEASE_SETTLE_MS) {
      fx.timers.advance(LEASE_SETTLE_MS);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.ok(settled, `still saving after ${fx.clock.now() - start} ms; sleeping ${fx.timers.longestPendingMs} ms more`);
    await all;
    assert.deepEqual((await window().list()).map((s) => s.id).sort(), sessions.map((s) => s.id).sort(), 'no write is lost');
  });

  it('twenty callers in one window share one refresh', async () => {
    const session = await signedIn();
    const sessions = window();
    await sessions.save(session);
    expire(session);
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => sessions.refreshOrRemove(session)));
    assert.equal(refreshes().length, 1);
    assert.ok(outcomes.every((outcome) => outcome.kind === 'refreshed'));
  });

  it('invalid_grant ends the session once: the dead refresh token and the secret are not sent again', async () => {
    const session = await signedIn();
    const sessions = window();
    await sessions.save(session);
    expire(session);
    fx.emulator.injectFault({ type: 'status', status: 400, body: { error: 'invalid_grant', error_description: 'revoked' } }, { path: '/v1/tokens' });
    assert.equal((await sessions.refreshOrRemove(session)).kind, 'removed');
    assert.deepEqual(await sessions.list(), []);
    assert.equal((await sessions.refreshOrRemove(session)).kind, 'removed');
    assert.equal(refreshes().length, 1);
  });

  for (const [name, fault] of [
    ['503', { type: 'status', status: 503 }],
    ['429', { type: 'status', status: 429 }],
    ['a reset', { type: 'reset' }],
  ] as const) {
    it(`${name} keeps the expired session for a later try`, async () => {
      const session = await signedIn();
      const sessions = window();
      await sessions.save(session);
      expire(session);
      fx.emulator.injectFault(fault, { path: '/v1/tokens' });
      assert.equal((await sessions.refreshOrRemove(session)).kind, 'kept');
      assert.equal((await sessions.list()).length, 1);
      assert.equal((await sessions.refreshOrRemove(session)).kind, 'refreshed');
    });
  }

  it('a refusal other than 429 or 5xx (400 invalid_request) ends the session', async () => {
    const session = await signedIn();
    const sessions = window();
    await sessions.save(session);
    expire(session);
    fx.emulator.injectFault({ type: 'status', status: 400, body: { error: 'invalid_request' } }, { path: '/v1/tokens' });
    assert.equal((await sessions.refreshOrRemove(session)).kind, 'removed');
    assert.deepEqual(await sessions.list(), []);
  });

  it('a write that fails once is tried again; one that keeps failing keeps the session in memory', async () => {
    const sessions = window();
    const first = await signedIn();
    let failures = 1;
    const realStore = fx.store.store.bind(fx.store);
    fx.store.store = async (key, value) => {
      if (failures-- > 0) throw new Error('keyring locked');
      return realStore(key, value);
    };
    assert.deepEqual(await sessions.save(first), { persisted: true });
    assert.equal((await window().list()).length, 1, 'stored on the second try');

    const second = await signedIn();
    failures = 2;
    assert.deepEqual(await sessions.save(second), { persisted: false });
    assert.deepEqual((await sessions.list()).map((s) => s.id).sort(), [first.id, second.id].sort(), 'kept in this window');
    assert.match(fx.logger.text(), /could not be stored twice over; it is kept until this window closes/);
    for (const secret of [first.accessToken, second.accessToken]) assert.ok(!fx.logger.text().includes(secret));
  });

  it('removing the last session works with a keyring that refuses deletes: an empty record replaces it', async () => {
    const sessions = window();
    const session = await signedIn();
    await sessions.save(session);
    fx.store.failDeletes = true;
    assert.equal((await sessions.remove(session.id))?.id, session.id);
    assert.deepEqual(await window().list(), [], 'another window sees no session');
    assert.ok(!(fx.store.values.get(sessionsKey(fx.emulator.url, START_URL)) ?? '').includes(session.accessToken), 'the token is gone from storage');
  });

  it('a failing read is a storage error that says what to do', async () => {
    fx.store.get = async () => {
      throw new Error('keyring locked');
    };
    const error = await rejectsWith(window().list(), 'storage');
    assert.match(error.message, /keyring is unlocked/);
  });

  it('a corrupt record reads as no sessions and is replaced by the next save', async () => {
    await fx.store.store(sessionsKey(fx.emulator.url, START_URL), '{"version":1,"sessions":[{"id":');
    const sessions = window();
    assert.deepEqual(await sessions.list(), []);
    const session = await signedIn();
    await sessions.save(session);
    assert.equal((await window().list())[0].id, session.id);
  });
});
