/**
 * The warning before a session that cannot be refreshed ends: when it falls due (ten
 * minutes ahead, a tenth of its life for a short session), and that of several windows
 * (and after a restart) exactly one warns, once.
 */
import { strict as assert } from 'node:assert';
import { LEASE_SETTLE_MS } from '../../src/core/common/lease';
import { SessionEndWarnings } from '../../src/core/sessions/endWarnings';
import { nextSessionEndWarningAtMs, sessionEndWarningAtMs, type StoredSession } from '../../src/core/sessions/model';
import { FakeClock } from '../support/fakeTime';
import { MemorySecretStore } from '../support/memorySecretStore';
import { keyChanges, ManualTimers, until } from '../support/windows';

const NOW_S = 1_700_000_000;
const session = (id: string, overrides: Partial<StoredSession> = {}): StoredSession => ({
  id,
  account: { id: 'u', label: 'u' },
  scopes: ['openid'],
  accessToken: `atoken-${id}`,
  expiresAt: NOW_S + 3600,
  issuedAt: NOW_S,
  clientId: 'cid-1',
  ...overrides,
});

describe('session-end warnings', () => {
  it('fall due ten minutes ahead, or a tenth of the life when that is less, never for one that refreshes', () => {
    assert.equal(sessionEndWarningAtMs(session('a', { expiresAt: NOW_S + 8 * 3600 })), (NOW_S + 8 * 3600 - 600) * 1000, 'an 8-hour session: 10 minutes');
    assert.equal(sessionEndWarningAtMs(session('a')), (NOW_S + 3240) * 1000, 'a 1-hour session: 6 minutes');
    assert.equal(sessionEndWarningAtMs(session('b', { expiresAt: NOW_S + 600 })), (NOW_S + 540) * 1000);
    assert.equal(sessionEndWarningAtMs(session('c', { issuedAt: undefined })), (NOW_S + 3000) * 1000);
    assert.equal(sessionEndWarningAtMs(session('d', { refreshToken: 'r' })), undefined);
  });

  it('of two windows whose timers fire together, one warns; neither warns again, nor after a restart', async () => {
    const store = new MemorySecretStore();
    const timers = new ManualTimers(new FakeClock((NOW_S + 3300) * 1000));
    const window = (owner: string) => new SessionEndWarnings({ key: 'k', store, clock: timers.clock, lease: { sleep: timers.sleep, onDidChange: keyChanges(store), owner } });
    const sessions = [session('a'), session('b', { refreshToken: 'r' })];
    const both = Promise.all([window('A').claimDue(sessions), window('B').claimDue(sessions)]);
    await until(() => timers.pending === 2, 'both windows wrote a lease and paused');
    let settled = false;
    void both.finally(() => (settled = true));
    while (!settled) {
      timers.advance(LEASE_SETTLE_MS);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const [a, b] = await both;
    assert.deepEqual([...a, ...b].map((s) => s.id), ['a']);
    const restarted = new SessionEndWarnings({ key: 'k', store, clock: timers.clock });
    assert.deepEqual(await restarted.claimDue(sessions), []);
  });

  it('nothing is due before the time, or once the session has ended', async () => {
    const store = new MemorySecretStore();
    const early = new SessionEndWarnings({ key: 'k', store, clock: new FakeClock((NOW_S + 3239) * 1000) });
    assert.deepEqual(await early.claimDue([session('a')]), []);
    const late = new SessionEndWarnings({ key: 'k', store, clock: new FakeClock((NOW_S + 3600) * 1000) });
    assert.deepEqual(await late.claimDue([session('a')]), []);
    assert.equal(nextSessionEndWarningAtMs([session('a'), session('b', { expiresAt: NOW_S + 1200 })]), (NOW_S + 1080) * 1000);
  });

  it('forgets sessions that are gone, and reads a corrupt record as none', async () => {
    const store = new MemorySecretStore();
    const warnings = new SessionEndWarnings({ key: 'k', store, clock: new FakeClock((NOW_S + 3300) * 1000) });
    await warnings.claimDue([session('a')]);
    await warnings.claimDue([session('b')]);
    assert.deepEqual(JSON.parse(store.values.get('k') ?? '{}').warned, ['b']);
    store.values.set('k', '{"version":1,"warned":');
    assert.deepEqual((await warnings.claimDue([session('b')])).map((s) => s.id), ['b']);
  });
});
