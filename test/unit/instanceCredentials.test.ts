/**
 * Each profile's runtime keeps its own agency credentials: two instances behind one
 * portal endpoint (two user portals in one region) that use the same agency keep two
 * records, and the `default` profile reads the record the release before profiles wrote,
 * so an upgrade needs no request while those credentials are good. On node, with a
 * memory store: no VS Code, no network.
 */
import { strict as assert } from 'node:assert';
import type { Memento } from '../../src/core/agencies/selection';
import { LEGACY_SELECTION_KEY } from '../../src/core/agencies/selection';
import type { AgencyCredentials, AgencySelection } from '../../src/core/credentials/model';
import { legacyCredentialsKey, serializeCredentials } from '../../src/core/credentials/record';
import { type CredentialSink, type InstanceWork, InstanceRuntime } from '../../src/core/instance/runtime';
import type { ProfileTarget } from '../../src/core/profiles/profile';
import { legacySessionsKey, serializeSessions } from '../../src/core/sessions/record';
import { FakeClock } from '../support/fakeTime';
import { MemoryLogger } from '../support/memoryLogger';
import { MemorySecretStore } from '../support/memorySecretStore';
import { keyChanges } from '../support/windows';

const ACCOUNT = '5c3f0e8a9b2d4e71a6f08c1d2e3b4a59';
const SELECTION: AgencySelection = {
  accountId: ACCOUNT,
  accountName: 'production',
  agencyName: 'iic_ReadOnlyAccess_7d41',
  agencyUrn: `iam::${ACCOUNT}:agency:iic_ReadOnlyAccess_7d41`,
  permissionSetName: 'ReadOnlyAccess',
};
const PORTAL = 'https://portal-identitycenter.myhuaweicloud.com';
const ENDPOINT = 'https://oidc.cn-north-4.myhuaweicloud.com';

/** A VS Code `Memento` in memory. */
class MemoryMemento implements Memento {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, value);
  }
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
}

describe('each runtime’s agency credentials', () => {
  let clock: FakeClock;
  let store: MemorySecretStore;
  let shared: MemoryMemento;
  /** What the runtimes asked the lazy half to do: any request at all fails the test that expects none. */
  let asked: string[];
  const runtimes: InstanceRuntime[] = [];

  beforeEach(() => {
    clock = new FakeClock(1_700_000_000_000);
    store = new MemorySecretStore();
    shared = new MemoryMemento();
    asked = [];
  });

  afterEach(() => {
    for (const runtime of runtimes.splice(0)) runtime.dispose();
  });

  function runtime(name: string, startUrl: string, legacy = name === 'default'): InstanceRuntime {
    const profile: ProfileTarget = { name, endpoint: ENDPOINT, startUrl, scopes: ['openid'], portalEndpoint: PORTAL };
    const refuse = (what: string) => async (): Promise<never> => {
      asked.push(what);
      throw new Error(`${what} was not expected`);
    };
    const work: InstanceWork = {
      renewRegistration: refuse('renewRegistration'),
      refreshSession: refuse('refreshSession'),
      renewCredentials: refuse('renewCredentials'),
      signInNeeded: () => asked.push('signInNeeded'),
    };
    const made = new InstanceRuntime({
      profile,
      store,
      clock,
      scheduleSleep: () => new Promise(() => undefined),
      logger: new MemoryLogger(),
      onSecretChange: keyChanges(store),
      mementos: { window: new MemoryMemento(), shared },
      windowId: 'window-1',
      work,
      legacy,
    });
    runtimes.push(made);
    return made;
  }

  function credentials(accessKeyId: string): AgencyCredentials {
    const now = Math.floor(clock.now() / 1000);
    return { accessKeyId, secretAccessKey: `${accessKeyId}-secret`, sessionToken: `${accessKeyId}-token`, issuedAt: now - 60, expiresAt: now + 3540 };
  }

  it('two instances behind one portal keep two records of the same agency', async () => {
    const first = runtime('default', 'https://start-a.example.com/start');
    const second = runtime('second', 'https://start-b.example.com/start');
    assert.notEqual(first.credentialsKey(SELECTION), second.credentialsKey(SELECTION));
    await store.store(second.credentialsKey(SELECTION), serializeCredentials(credentials('SECOND')));
    assert.equal(await first.storedCredentials(SELECTION), undefined, 'the other instance’s record is not this one’s');
    assert.equal((await second.storedCredentials(SELECTION))?.accessKeyId, 'SECOND');
  });

  it('the default profile uses the release before profiles’ record at startup, with no request; another profile does not read it', async () => {
    await store.store(legacyCredentialsKey(PORTAL, SELECTION), serializeCredentials(credentials('BEFORE')));
    await shared.update(LEGACY_SELECTION_KEY, { ...SELECTION });
    // Signed in with that release: a window feeds its processes only while signed in.
    const expiresAt = Math.floor(clock.now() / 1000) + 3600;
    const session = { id: 'before', account: { id: 'u', label: 'test.user@example.com' }, scopes: ['openid'], accessToken: 'before-token', expiresAt, clientId: 'cid' };
    await store.store(legacySessionsKey(ENDPOINT), serializeSessions([session]));
    const shown: string[] = [];
    const sink: CredentialSink = { show: (_selection, current) => shown.push(current.accessKeyId), clear: () => shown.push('cleared') };

    const upgraded = runtime('default', 'https://start-a.example.com/start');
    await upgraded.attach(sink);
    assert.deepEqual(shown, ['BEFORE'], 'the window’s processes get the stored credentials');
    assert.equal((await upgraded.agencyState())?.credentials?.accessKeyId, 'BEFORE');
    assert.deepEqual(asked, [], 'no request, no prompt');

    const other = runtime('second', 'https://start-a.example.com/start', false);
    assert.equal(await other.storedCredentials(SELECTION), undefined);
    assert.equal(other.legacyCredentialsKey(SELECTION), undefined);
    // Its own record, once written, wins over the old one.
    await store.store(upgraded.credentialsKey(SELECTION), serializeCredentials(credentials('NEW')));
    assert.equal((await upgraded.storedCredentials(SELECTION))?.accessKeyId, 'NEW');
  });
});
