/**
 * Profiles (contract: "Profiles"): resolved from raw settings in one place, with errors that
 * name the setting to fix; keyed by the instance they sign in to; one runtime per profile
 * in a window, replaced when the profile changes, the window's processes following the
 * window's profile.
 */
import { strict as assert } from 'node:assert';
import { IdentityCenterError, isIdentityCenterError, type SettingKey } from '../../src/core/common/errors';
import { LEASE_TTL_MS } from '../../src/core/common/lease';
import { LEGACY_SELECTION_KEY } from '../../src/core/agencies/selection';
import { renewableCredentials } from '../../src/core/credentials/model';
import { legacyCredentialsKey, serializeCredentials } from '../../src/core/credentials/record';
import {
  DEFAULT_PORTAL_ENDPOINT,
  DEFAULT_PROFILE,
  instanceKey,
  namedProfiles,
  type Profile,
  type RawProfile,
  requireEndpoint,
  requirePortalEndpoint,
  resolveProfile,
} from '../../src/core/profiles/profile';
import type { StoredSession } from '../../src/core/sessions/model';
import { legacySessionsKey, parseSessions, serializeSessions } from '../../src/core/sessions/record';
import { emulatorAgency } from '../support/agencies';
import { rejectsWith } from '../support/assertions';
import { signedInSession, useEmulator } from '../support/emulatorFixture';
import { Machine, TestProfiles, type TestWindow } from '../support/instanceWindows';

/** The `configuration` error `run` throws, checked to name `setting` and to say what to do. */
function configurationError(run: () => unknown, setting: SettingKey, message: RegExp): IdentityCenterError {
  try {
    run();
  } catch (error) {
    assert.ok(isIdentityCenterError(error, 'configuration'), `expected a configuration error, got ${String(error)}`);
    assert.equal(error.setting, setting, error.message);
    assert.match(error.message, message);
    assert.match(error.message, /(then retry|Fix it)/, 'the message says what to do');
    return error;
  }
  assert.fail('expected a configuration error');
}

describe('resolveProfile', () => {
  it('makes the endpoint from the region, with the default portal and the openid scope', () => {
    assert.deepEqual(resolveProfile(DEFAULT_PROFILE, { region: 'cn-north-4', startUrl: ' https://portal.example.com/start ' }), {
      name: DEFAULT_PROFILE,
      endpoint: 'https://oidc.cn-north-4.myhuaweicloud.com',
      startUrl: 'https://portal.example.com/start',
      scopes: ['openid'],
      portalEndpoint: DEFAULT_PORTAL_ENDPOINT,
    });
  });

  it('takes the endpoint over the region, normalized', () => {
    const profile = resolveProfile('work', { region: 'cn-north-4', endpoint: 'https://sso.corp.example/oidc/', portalEndpoint: 'http://127.0.0.1:8080/' });
    assert.equal(profile.endpoint, 'https://sso.corp.example/oidc');
    assert.equal(profile.portalEndpoint, 'http://127.0.0.1:8080');
  });

  it('leaves the endpoint unset when neither is set; requireEndpoint then names the setting to set', () => {
    const flat = resolveProfile(DEFAULT_PROFILE, { region: '  ', startUrl: 3 });
    assert.equal(flat.endpoint, undefined);
    assert.equal(flat.startUrl, '');
    configurationError(() => requireEndpoint(flat), 'region', /No IAM Identity Center region is set\. Choose the region \(or set the Endpoint setting\)/);
    configurationError(() => requireEndpoint(resolveProfile('work', {})), 'profiles', /The profile "work" in the Profiles setting has neither a region nor an endpoint\. Add one/);
  });

  it('flat settings: an unusable endpoint or region names that setting by its label', () => {
    for (const endpoint of ['http://sso.example.com', 'https://user:pw@sso.example.com', 'not a url']) {
      configurationError(() => resolveProfile(DEFAULT_PROFILE, { endpoint }), 'endpoint', /^The Endpoint setting must be an https:\/\/ URL/);
    }
    const region = configurationError(() => resolveProfile(DEFAULT_PROFILE, { region: 'Mars-1' }), 'region', /^The Region setting "Mars-1" is not a region id such as cn-north-4\. Choose the region/);
    assert.equal(region.remedy, undefined);
  });

  it('a named profile: an unusable endpoint or region names the profile in the Profiles setting', () => {
    configurationError(() => resolveProfile('work', { endpoint: 'http://sso.example.com' }), 'profiles', /^The endpoint of the profile "work" in the Profiles setting must be an https:\/\/ URL/);
    configurationError(() => resolveProfile('work', { region: 'x'.repeat(80) }), 'profiles', new RegExp(`^The region "${'x'.repeat(40)}" of the profile "work" in the Profiles setting is not a region id`));
  });

  it('an unusable portal endpoint does not stop the profile: only what needs the portal reports it', () => {
    const flat = resolveProfile(DEFAULT_PROFILE, { region: 'cn-north-4', portalEndpoint: 'ftp://portal.example.com' });
    assert.equal(flat.endpoint, 'https://oidc.cn-north-4.myhuaweicloud.com', 'sign-in and Sign Out still work');
    assert.equal(flat.portalEndpoint, '');
    configurationError(() => requirePortalEndpoint(flat), 'portalEndpoint', /^The Portal endpoint setting must be an https:\/\/ URL/);
    const named = resolveProfile('work', { region: 'cn-north-4', portalEndpoint: 'http://portal.example.com' });
    configurationError(() => requirePortalEndpoint(named), 'profiles', /^The portalEndpoint of the profile "work" in the Profiles setting must be an https:\/\/ URL/);
    assert.equal(requirePortalEndpoint(resolveProfile('work', { region: 'cn-north-4' })), DEFAULT_PORTAL_ENDPOINT);
  });

  it('scopes: the strings given, trimmed, once each; openid when none', () => {
    const scopes = (value: unknown) => resolveProfile(DEFAULT_PROFILE, { region: 'cn-north-4', scopes: value }).scopes;
    assert.deepEqual(scopes(undefined), ['openid']);
    assert.deepEqual(scopes('openid profile'), ['openid']);
    assert.deepEqual(scopes([]), ['openid']);
    assert.deepEqual(scopes(['', '  ', 7, null]), ['openid']);
    assert.deepEqual(scopes([' openid ', 'profile', 'openid', 3]), ['openid', 'profile']);
  });
});

describe('namedProfiles', () => {
  it('keeps the entries with a profile name and an object; leaves out default, bad names and non-objects', () => {
    const value = {
      work: { region: 'cn-north-4' },
      'home.lab-2_x': { endpoint: 'https://sso.example.com' },
      default: { region: 'cn-south-1' },
      'two words': { region: 'cn-north-4' },
      '-dash': { region: 'cn-north-4' },
      ['x'.repeat(65)]: { region: 'cn-north-4' },
      list: [{ region: 'cn-north-4' }],
      text: 'cn-north-4',
      none: null,
    };
    assert.deepEqual([...namedProfiles(value).entries()], [
      ['work', { region: 'cn-north-4' }],
      ['home.lab-2_x', { endpoint: 'https://sso.example.com' }],
    ]);
  });

  it('is empty for a setting that is not an object', () => {
    for (const value of [undefined, null, 'work', 3, [{ work: {} }]]) assert.equal(namedProfiles(value).size, 0, JSON.stringify(value));
  });
});

describe('instanceKey', () => {
  const target = (raw: RawProfile): Profile & { endpoint: string } => requireEndpoint(resolveProfile('p', raw));

  it('two user portals in one region are two instances', () => {
    const a = target({ region: 'cn-north-4', startUrl: 'https://a.example.com/start' });
    const b = target({ region: 'cn-north-4', startUrl: 'https://b.example.com/start' });
    assert.equal(a.endpoint, b.endpoint);
    assert.notEqual(instanceKey(a), instanceKey(b));
  });

  it('one instance however its endpoint and portal are written', () => {
    const byRegion = target({ region: 'cn-north-4', startUrl: 'https://a.example.com/start' });
    const byEndpoint = target({ endpoint: 'https://oidc.cn-north-4.myhuaweicloud.com/', startUrl: ' https://a.example.com/start ', scopes: ['openid', 'profile'] });
    assert.equal(instanceKey(byEndpoint), instanceKey(byRegion));
  });
});

const READ_ONLY = emulatorAgency('production', 'iic_ReadOnlyAccess_7d41');
const ADMIN = emulatorAgency('production', 'iic_AdministratorAccess_2b90');

describe('the registry of one window', () => {
  const fx = useEmulator();
  let machine: Machine;
  let profiles: TestProfiles;
  let window: TestWindow;

  beforeEach(() => {
    fx.emulator.configure({ tokenLifetimeSeconds: 8 * 3600 });
    machine = new Machine(fx);
    const instance = (startUrl: string) => ({ endpoint: fx.emulator.url, startUrl, portalEndpoint: fx.emulator.url });
    profiles = new TestProfiles(instance('https://flat.example.com/start'), { work: instance('https://work.example.com/start'), home: instance('https://home.example.com/start') }, 'work');
    window = machine.open('A', profiles);
  });
  afterEach(() => window.close());

  it('keeps one runtime per profile while the profile reads the same, and makes a new one when it changed', async () => {
    await machine.drive(window.signIn('work'));
    const work = window.runtime('work');
    assert.equal(window.runtime(), work, "the window's profile");
    profiles.named = structuredClone(profiles.named);
    assert.equal(window.runtime('work'), work, 'settings read again, the same profile: the same runtime');
    assert.notEqual(window.runtime('home'), work);
    assert.notEqual(window.runtime('home').key, work.key, 'two portals in one region are two instances');
    await machine.settle();
    assert.equal(fx.timers.pending, 2, 'each runtime keeps its registration renewed');

    (profiles.named as Record<string, RawProfile>).work.startUrl = 'https://work.example.com/other';
    const changed = window.runtime('work');
    assert.notEqual(changed, work, 'a changed profile gets a new runtime');
    assert.equal(changed.profile.startUrl, 'https://work.example.com/other');
    await machine.settle();
    assert.equal(fx.timers.pending, 2, "the old runtime's schedule stopped");
  });

  it("follow() moves the window's processes to the new window profile's agency and releases the old one's", async () => {
    for (const [name, selection] of [['work', READ_ONLY], ['home', ADMIN]] as const) {
      await machine.drive(window.signIn(name));
      await machine.drive(window.selectAgency(selection, name));
    }
    const windowChanges: unknown[] = [];
    window.registry.onDidChange((runtime, change) => change === 'window' && windowChanges.push(runtime?.profile.name));
    await machine.drive(window.registry.follow());
    const work = window.runtime('work');
    assert.equal(window.registry.windowInstance(), work);
    assert.deepEqual(window.sink.current?.selection, READ_ONLY);
    const workCredentials = window.sink.current?.credentials ?? assert.fail();

    profiles.window = 'home';
    await machine.drive(window.registry.follow());
    assert.equal(window.registry.windowInstance(), window.runtime('home'));
    assert.deepEqual(window.sink.current?.selection, ADMIN, "the processes get the home profile's agency");
    assert.deepEqual(windowChanges, ['work', 'home']);

    const requests = fx.emulator.requests('/v1/credentials').length;
    await machine.pass(renewableCredentials(workCredentials).dueAtMs - fx.clock.now() + 60_000);
    const renewed = fx.emulator.requests('/v1/credentials').length - requests;
    assert.equal(renewed, 1, "only the home profile's credentials are renewed; work's are no longer in use here");
    assert.deepEqual(window.sink.current?.selection, ADMIN);
    assert.deepEqual(await work.agencyState().then((state) => state?.selection), READ_ONLY, "the work profile's selection stays for when the window goes back");
  });

  it('an unknown profile is an actionable configuration error, and leaves the window without credentials', async () => {
    await machine.drive(window.signIn('work'));
    await machine.drive(window.selectAgency(READ_ONLY, 'work'));
    await machine.drive(window.registry.follow());
    assert.deepEqual(window.sink.current?.selection, READ_ONLY);

    configurationError(() => window.runtime('nope'), 'profiles', /^There is no profile "nope"\. Choose one of your profiles, or add it to the Profiles setting, then retry\.$/);
    profiles.window = 'gone';
    assert.equal(window.registry.current(), undefined);
    await machine.drive(window.registry.follow());
    assert.equal(window.registry.windowInstance(), undefined);
    assert.equal(window.sink.current, undefined, 'the processes no longer get the old profile\'s credentials');
    configurationError(() => window.runtime(), 'profiles', /^There is no profile "gone"\./);
  });
});

describe('upgrading from the release before profiles', () => {
  const fx = useEmulator();
  const START_URL = 'https://portal.example.com/start';
  let machine: Machine;
  const windows: TestWindow[] = [];
  /** The session that release stored, under the endpoint alone. */
  let legacy: StoredSession;

  beforeEach(async () => {
    fx.emulator.configure({ tokenLifetimeSeconds: 8 * 3600 });
    machine = new Machine(fx);
    const client = await fx.registrations().register('laptop');
    legacy = await signedInSession(fx.emulator, fx.oidc(), client, START_URL);
    await fx.store.store(legacySessionsKey(fx.emulator.url), serializeSessions([legacy]));
    await machine.shared.update(LEGACY_SELECTION_KEY, READ_ONLY);
    const credentials = await fx.portal().getCredentials(legacy.accessToken, READ_ONLY);
    await fx.store.store(legacyCredentialsKey(fx.emulator.url, READ_ONLY), serializeCredentials(credentials));
    fx.emulator.clearRequests();
  });
  afterEach(() => {
    for (const window of windows.splice(0)) window.close();
  });

  const legacyKey = () => legacySessionsKey(fx.emulator.url);

  /** A window on the flat settings that release used, and a named profile of the same instance. */
  async function open(id: string, windowProfile = DEFAULT_PROFILE): Promise<TestWindow> {
    const same = { endpoint: fx.emulator.url, startUrl: START_URL, portalEndpoint: fx.emulator.url };
    const window = machine.open(id, new TestProfiles(same, { work: same }, windowProfile));
    windows.push(window);
    await machine.drive(window.registry.follow());
    return window;
  }

  it('the default profile uses the stored session, agency and credentials with no sign-in; its first write moves the sessions', async () => {
    const a = await open('A');
    assert.deepEqual(a.sink.current?.selection, READ_ONLY, 'the selection of that release is in use');
    assert.equal(await a.runtime().accessToken(), legacy.accessToken, 'signed in, with no new sign-in');
    assert.deepEqual([fx.emulator.requests(), a.work], [[], []], 'and nothing was sent');
    const b = await open('B');

    const added = await machine.drive(a.signIn());
    assert.ok(!fx.store.values.has(legacyKey()), 'the old record is deleted');
    const moved = parseSessions(fx.store.values.get(a.runtime().sessionsKey) ?? assert.fail('nothing under the new key'));
    assert.deepEqual(moved.map((session) => session.id), [legacy.id, added.id], 'the new key holds the old session and the new one');
    assert.deepEqual((await b.runtime().storedSessions()).map((session) => session.id), [legacy.id, added.id], 'another window reads them there');
  });

  for (const firstWrite of [false, true]) {
    it(`after Sign Out the old sessions never come back, though the keyring refuses to delete them${firstWrite ? ' (after a first write)' : ''}`, async () => {
      fx.store.refusedDeletes.add(legacyKey());
      const [a, b] = [await open('A'), await open('B')];
      if (firstWrite) await machine.drive(a.signIn());
      assert.deepEqual(b.sink.current?.selection, READ_ONLY);
      await machine.drive(a.signOut());
      assert.ok(fx.store.values.has(legacyKey()), 'the old record is still there');
      assert.equal(b.sink.current, undefined, 'the other window took the credentials out');
      assert.deepEqual(await b.runtime().storedSessions(), []);

      assert.deepEqual(await a.runtime().storedSessions(), []);
      a.close();
      const restarted = await open('A again');
      assert.deepEqual(await restarted.runtime().storedSessions(), [], 'a new window reads no session either');
      await rejectsWith(restarted.runtime().accessToken(), 'signInRequired');
      assert.equal(restarted.sink.current, undefined);
      assert.deepEqual(restarted.work, []);
    });
  }

  it('Sign Out of a named profile of the same instance does not bring the old sessions back to the default profile', async () => {
    const [work, flat] = [await open('A', 'work'), await open('B')];
    assert.equal(await flat.runtime().accessToken(), legacy.accessToken);
    await machine.drive(work.signIn());
    assert.equal((await flat.runtime().storedSessions()).length, 1, 'the default profile reads the sessions of its instance');
    await machine.drive(work.signOut());
    assert.deepEqual(await flat.runtime().storedSessions(), [], 'signed out of the instance in every profile');
    assert.equal(flat.sink.current, undefined);
    await machine.pass(LEASE_TTL_MS);
    assert.equal(fx.emulator.requests('/v1/credentials').length, 0, 'no window fetches credentials with the old session');
  });

  it('a named profile of the same instance never reads the old record', async () => {
    const work = await open('A', 'work');
    const runtime = work.runtime();
    assert.equal(runtime.key, (await open('B')).runtime().key, 'the same instance as the default profile');
    assert.equal(runtime.legacySessionsKey, undefined);
    assert.deepEqual(await runtime.storedSessions(), []);
    assert.equal(runtime.selection.current(), undefined, 'nor the old selection');
    assert.equal(work.sink.current, undefined);

    await machine.drive(work.signIn());
    await machine.drive(work.signOut());
    assert.ok(fx.store.values.has(legacyKey()), "signing in and out of it leaves the default profile's old record alone");
  });
});
