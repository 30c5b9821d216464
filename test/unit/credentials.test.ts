/**
 * Agency credentials kept valid like the client: stored and reused while usable (no
 * request), renewed at the lifetime-relative margin, once for 1000 callers and once
 * across windows, and never replaced by a failed or bad answer.
 */
import { strict as assert } from 'node:assert';
import { CredentialManager } from '../../src/core/credentials/manager';
import { parseSelection } from '../../src/core/agencies/selection';
import { AgencySelection, areUsable, renewableCredentials } from '../../src/core/credentials/model';
import { credentialsKey, parseStoredCredentials } from '../../src/core/credentials/record';
import { LEASE_SETTLE_MS } from '../../src/core/common/lease';
import type { Fault } from '../support/emulator/emulator';
import { rejectsWith } from '../support/assertions';
import { until } from '../support/windows';
import { useEmulator } from '../support/emulatorFixture';

const ACCOUNT = '5c3f0e8a9b2d4e71a6f08c1d2e3b4a59';
/** The instance the credentials are kept for (`instanceKey`). */
const INSTANCE = 'https://oidc.cn-north-4.myhuaweicloud.com|https://start.example.com/start';
const SELECTION: AgencySelection = {
  accountId: ACCOUNT,
  accountName: 'production',
  agencyName: 'iic_ReadOnlyAccess_7d41',
  agencyUrn: `iam::${ACCOUNT}:agency:iic_ReadOnlyAccess_7d41`,
  permissionSetName: 'ReadOnlyAccess',
};

describe('the selection record', () => {
  it('accepts ids and names, refuses a URN of another account or with odd characters', () => {
    assert.deepEqual(parseSelection({ ...SELECTION, extra: 1 }), SELECTION);
    for (const bad of [{ ...SELECTION, agencyUrn: 'iam::0:agency:x' }, { ...SELECTION, agencyUrn: `iam::${ACCOUNT}:agency:a b` }, { ...SELECTION, accountId: 'a/b' }, null, 'x', { ...SELECTION, accountName: 3 }]) {
      assert.equal(parseSelection(bad), undefined, JSON.stringify(bad));
    }
  });

  it('renews at a tenth of the lifetime: a 15-minute credential 90 s early', () => {
    const credentials = { issuedAt: 1000, expiresAt: 1900 };
    assert.equal(renewableCredentials(credentials).dueAtMs, 1810_000);
    assert.equal(areUsable(credentials, 1809_999), true);
    assert.equal(areUsable(credentials, 1810_000), false);
  });
});

describe('CredentialManager against the emulator', () => {
  const fx = useEmulator();
  let token: string;

  beforeEach(() => {
    fx.emulator.configure({ credentialLifetimeSeconds: 3600, tokenLifetimeSeconds: 24 * 3600 });
    token = fx.emulator.issueAccessToken();
  });

  /** One window's manager; with `owner`, it takes the lease (on the test's timers) as that window. */
  function manager(owner?: string): CredentialManager {
    const portal = fx.portal();
    return new CredentialManager({
      keyOf: (selection) => credentialsKey(fx.emulator.url, selection, INSTANCE),
      store: fx.store,
      clock: fx.clock,
      logger: fx.logger,
      lease: owner ? fx.lease(owner) : undefined,
      fetch: (selection, signal) => portal.getCredentials(token, selection, signal),
    });
  }

  const fetches = () => fx.emulator.requests('/v1/credentials').length;

  it('stores credentials and reuses them with no request while usable, then renews at the margin', async () => {
    const credentials = manager();
    const first = await credentials.ensure(SELECTION);
    assert.equal(fetches(), 1);
    assert.deepEqual(parseStoredCredentials(fx.store.values.get(credentials.key(SELECTION)) ?? ''), first);
    const dueInMs = renewableCredentials(first).dueAtMs - fx.clock.now();
    fx.clock.advance(dueInMs - 1);
    fx.emulator.advanceClock((dueInMs - 1) / 1000);
    assert.equal((await credentials.ensure(SELECTION)).accessKeyId, first.accessKeyId);
    assert.equal(fetches(), 1);
    fx.clock.advance(1);
    assert.notEqual((await credentials.ensure(SELECTION)).accessKeyId, first.accessKeyId);
    assert.equal(fetches(), 2);
  });

  it('1000 concurrent callers on expired credentials cause one request', async () => {
    const credentials = manager();
    const results = await Promise.all(Array.from({ length: 1000 }, () => credentials.ensure(SELECTION)));
    assert.equal(fetches(), 1);
    assert.equal(new Set(results.map((c) => c.accessKeyId)).size, 1);
  });

  it('fresh asks once even when the stored ones are usable', async () => {
    const credentials = manager();
    await credentials.ensure(SELECTION);
    await Promise.all([credentials.ensure(SELECTION, { fresh: true }), credentials.ensure(SELECTION, { fresh: true })]);
    assert.equal(fetches(), 2);
  });

  it('a failed or bad answer keeps the stored credentials', async () => {
    const credentials = manager();
    const good = await credentials.ensure(SELECTION);
    const before = fx.store.values.get(credentials.key(SELECTION));
    const faults: Fault[] = [
      { type: 'status', status: 503 },
      { type: 'patch', remove: ['agency_credentials.session_token'] },
      { type: 'body', status: 200, contentType: 'application/json', body: 'not json' },
    ];
    for (const fault of faults) {
      fx.emulator.injectFault(fault, { path: '/v1/credentials' });
      await assert.rejects(credentials.ensure(SELECTION, { fresh: true }));
      assert.equal(fx.store.values.get(credentials.key(SELECTION)), before);
    }
    assert.equal((await credentials.stored(SELECTION))?.accessKeyId, good.accessKeyId);
  });

  it('two windows renewing the same credentials make one request', async () => {
    const [a, b] = [manager('A'), manager('B')];
    const both = Promise.all([a.ensure(SELECTION), b.ensure(SELECTION)]);
    await until(() => fx.timers.pending === 2, 'both windows wrote a lease and paused');
    fx.timers.advance(LEASE_SETTLE_MS);
    const [fromA, fromB] = await both;
    assert.equal(fetches(), 1);
    assert.equal(fromA.accessKeyId, fromB.accessKeyId);
  });

  it('two windows selecting the same agency at once: the second asks as soon as the first releases the lease', async () => {
    const [a, b] = [manager('A'), manager('B')];
    let done = 0;
    const both = Promise.all([a, b].map((window) => window.ensure(SELECTION, { fresh: true }).finally(() => done++)));
    await until(() => fx.timers.pending === 2, 'both windows wrote a lease and paused');
    fx.timers.advance(LEASE_SETTLE_MS);
    await until(() => done === 1 && fx.timers.pending === 1, 'one window is done; the other sleeps');
    assert.equal(fx.timers.longestPendingMs, LEASE_SETTLE_MS, 'the other window woke at the release and only pauses to take the lease');
    fx.timers.advance(LEASE_SETTLE_MS);
    const [fromA, fromB] = await both;
    assert.equal(fetches(), 2);
    assert.notEqual(fromA.accessKeyId, fromB.accessKeyId);
    assert.ok([fromA.accessKeyId, fromB.accessKeyId].includes((await a.stored(SELECTION))?.accessKeyId ?? ''));
  });

  it('a corrupt record reads as none and is replaced; a failing keyring is a storage error', async () => {
    const credentials = manager();
    fx.store.values.set(credentials.key(SELECTION), '{"version":1,"accessKeyId":');
    assert.equal(await credentials.stored(SELECTION), undefined);
    await credentials.ensure(SELECTION);
    assert.equal(fetches(), 1);
    fx.store.failWrites = true;
    const error = await rejectsWith(credentials.ensure(SELECTION, { fresh: true }), 'storage');
    assert.match(error.message, /keyring/);
  });

  it('never logs a credential', async () => {
    await manager().ensure(SELECTION);
    for (const secret of fx.emulator.issuedSecrets()) assert.ok(!fx.logger.text().includes(secret));
  });
});
