/**
 * Two windows on one machine, each with its own registry of profile runtimes, against the
 * loopback emulator on fake time (contract: "Where credentials go"). Each window keeps its
 * own agency, a new one starts with the agency chosen last anywhere, one agency in two
 * windows is fetched and renewed once, Sign Out in one window ends the credentials in
 * every window, switching forgets an agency's record only when no other window uses it,
 * and a start with usable stored records sends nothing.
 */
import { strict as assert } from 'node:assert';
import { usedElsewhere } from '../../src/core/agencies/selection';
import { LEASE_TTL_MS } from '../../src/core/common/lease';
import { type AgencySelection, renewableCredentials } from '../../src/core/credentials/model';
import type { InstanceChange } from '../../src/core/instance/runtime';
import { emulatorAgency } from '../support/agencies';
import { rejectsWith } from '../support/assertions';
import { useEmulator } from '../support/emulatorFixture';
import { Machine, TestProfiles, type TestWindow } from '../support/instanceWindows';

const READ_ONLY = emulatorAgency('production', 'iic_ReadOnlyAccess_7d41');
const ADMIN = emulatorAgency('production', 'iic_AdministratorAccess_2b90');
const DEVELOPER = emulatorAgency('staging', 'iic_Developer_51ce');

describe('windows of one machine', () => {
  const fx = useEmulator();
  let machine: Machine;
  const windows: TestWindow[] = [];

  beforeEach(() => {
    fx.emulator.configure({ tokenLifetimeSeconds: 8 * 3600, credentialLifetimeSeconds: 3600 });
    machine = new Machine(fx);
  });
  afterEach(() => {
    for (const window of windows.splice(0)) window.close();
  });

  const profiles = () => new TestProfiles({ endpoint: fx.emulator.url, startUrl: 'https://portal-a.example.com/start', portalEndpoint: fx.emulator.url });

  /** Opens a window with an empty workspace memento (unless given) and lets it take its profile. */
  async function open(id: string, workspace?: TestWindow['workspace']): Promise<TestWindow> {
    const window = machine.open(id, profiles(), workspace);
    windows.push(window);
    await machine.drive(window.registry.follow());
    return window;
  }

  const credentialRequests = () => fx.emulator.requests('/v1/credentials').length;

  /** Window A, signed in, using `selection`; B opened after it. */
  async function twoWindowsUsing(selection: AgencySelection): Promise<[TestWindow, TestWindow]> {
    const a = await open('A');
    await machine.drive(a.signIn());
    await machine.drive(a.selectAgency(selection));
    return [a, await open('B')];
  }

  describe('per window', () => {
    it('a new window starts with the agency chosen last anywhere; a choice in A changes nothing in B', async () => {
      const [a, b] = await twoWindowsUsing(READ_ONLY);
      assert.deepEqual(b.sink.current?.selection, READ_ONLY, 'B, with an empty workspace memento, takes the agency chosen last in A');
      assert.deepEqual(b.sink.current?.credentials, a.sink.current?.credentials, 'with the credentials A stored');

      await machine.drive(a.selectAgency(ADMIN));
      assert.deepEqual(a.sink.current?.selection, ADMIN);
      assert.deepEqual(b.sink.current?.selection, READ_ONLY, "B's processes keep B's agency");
      assert.deepEqual(b.runtime().selection.current(), READ_ONLY, "B's selection stays");
      assert.deepEqual((await b.runtime().agencyState())?.selection, READ_ONLY);

      const c = await open('C');
      assert.deepEqual(c.sink.current?.selection, ADMIN, 'a window opened now starts with the agency chosen last, in A');
      b.close();
      const reopened = await open('B again', b.workspace);
      assert.deepEqual(reopened.sink.current?.selection, READ_ONLY, "B's workspace remembers its own agency");
    });

    it('before its runtime attaches, a new window already reads the agency chosen last anywhere, with no request', async () => {
      const a = await open('A');
      await machine.drive(a.signIn());
      await machine.drive(a.selectAgency(READ_ONLY));
      fx.emulator.clearRequests();

      const b = machine.open('B', profiles());
      windows.push(b);
      assert.deepEqual(b.runtime().selection.current(), READ_ONLY, 'what the status bar shows while the window starts');
      assert.deepEqual((await b.runtime().agencyState())?.selection, READ_ONLY);
      assert.deepEqual([fx.emulator.requests(), b.work], [[], []]);
    });

    it('one agency in two windows is fetched once and renewed once, and both windows get the renewed credentials', async () => {
      const [a, b] = await twoWindowsUsing(READ_ONLY);
      assert.equal(credentialRequests(), 1, 'B used the credentials A fetched');
      const first = a.sink.current?.credentials;
      assert.ok(first);

      const dueAtMs = renewableCredentials(first).dueAtMs;
      await machine.pass(dueAtMs - fx.clock.now() - 1);
      assert.equal(credentialRequests(), 1, 'nothing before they fall due');
      await machine.pass(LEASE_TTL_MS);
      assert.equal(credentialRequests(), 2, 'both windows fell due at once; one request renewed them');
      const renewed = a.sink.current?.credentials;
      assert.ok(renewed && renewed.accessKeyId !== first.accessKeyId, 'A has the new credentials');
      assert.deepEqual(b.sink.current?.credentials, renewed, 'B has the same new credentials');
      assert.deepEqual([a.work, b.work], [['renewCredentials'], ['renewCredentials']]);

      await machine.pass(renewableCredentials(renewed).dueAtMs - fx.clock.now() - 1);
      assert.equal(credentialRequests(), 2, 'the schedules follow the renewed credentials');
    });
  });

  describe('one session, every window', () => {
    it('when the session has ended by the renewal, the two windows refresh it once and renew the credentials once', async () => {
      fx.emulator.configure({ tokenLifetimeSeconds: 1800 });
      const [a, b] = await twoWindowsUsing(READ_ONLY);
      const refreshes = () => fx.emulator.requests('/v1/tokens').filter((request) => (request.body as { grant_type?: string }).grant_type === 'refresh_token').length;
      const first = b.sink.current?.credentials ?? assert.fail();

      await machine.pass(renewableCredentials(first).dueAtMs - fx.clock.now() + LEASE_TTL_MS);
      assert.deepEqual([refreshes(), credentialRequests()], [1, 2], 'one refresh and one credentials request for both windows');
      const renewed = a.sink.current?.credentials;
      assert.ok(renewed && renewed.accessKeyId !== first.accessKeyId);
      assert.deepEqual(b.sink.current?.credentials, renewed);
      assert.equal((await b.runtime().liveSessions()).length, 1, 'B reads the refreshed session');
    });

    it('after Sign Out, a sign-in in any window brings the credentials back to every window, with one request', async () => {
      const [a, b] = await twoWindowsUsing(READ_ONLY);
      await machine.drive(b.signOut());
      assert.deepEqual([a.sink.current, b.sink.current], [undefined, undefined]);
      const requests = credentialRequests();

      await machine.drive(b.signIn());
      await machine.pass(LEASE_TTL_MS);
      assert.equal(credentialRequests(), requests + 1);
      assert.deepEqual([a.sink.current?.selection, b.sink.current?.selection], [READ_ONLY, READ_ONLY]);
      assert.deepEqual(a.sink.current?.credentials, b.sink.current?.credentials);
    });

    it('Sign Out in A: within 5 s B takes the credentials out, shows signed out, and asks for no credentials again', async () => {
      const [a, b] = await twoWindowsUsing(READ_ONLY);
      assert.deepEqual(b.sink.current?.selection, READ_ONLY);
      const dueAtMs = renewableCredentials(b.sink.current?.credentials ?? assert.fail()).dueAtMs;
      const changes: InstanceChange[] = [];
      b.runtime().onDidChange((change) => changes.push(change));
      const requestsBefore = credentialRequests();
      const start = fx.clock.now();

      await machine.drive(a.signOut());
      await machine.settle();
      assert.ok(fx.clock.now() - start <= 5_000, `signing out took ${fx.clock.now() - start} ms of fake time`);
      assert.equal(b.sink.current, undefined, "B's new processes get no credentials");
      assert.ok(changes.includes('sessions'), 'B was told that the sessions changed');
      assert.deepEqual(await b.runtime().liveSessions(), [], 'B shows signed out');
      assert.equal((await b.runtime().agencyState())?.credentials, undefined, 'B shows no credentials in use');
      await rejectsWith(b.runtime().accessToken(), 'signInRequired');

      await machine.pass(dueAtMs - fx.clock.now() + 3600_000);
      assert.equal(credentialRequests(), requestsBefore, 'no credentials request, even after their renewal fell due');
      assert.deepEqual(b.work, [], 'B handed no renewal to the lazy half');
      assert.deepEqual(b.signInNotices, [], 'and said nothing about renewing');
      assert.equal(b.sink.current, undefined);
    });
  });

  describe('signed out with the credentials still stored', () => {
    it('a keyring that refuses to delete them: no window hands them out, not even after a restart', async () => {
      const [a, b] = await twoWindowsUsing(READ_ONLY);
      fx.store.refusedDeletes.add(a.runtime().credentialsKey(READ_ONLY));
      await machine.drive(a.signOut());
      assert.ok(fx.store.values.has(a.runtime().credentialsKey(READ_ONLY)), 'the credentials are still stored');
      const requests = credentialRequests();

      for (const window of [a, b, await open('C')]) {
        assert.equal(window.sink.current, undefined, `${window.id}: no credentials in new terminals`);
        assert.equal((await window.runtime().agencyState())?.credentials, undefined, `${window.id}: none in use`);
        await rejectsWith(window.runtime().usableCredentials(), 'signInRequired');
      }
      assert.equal(credentialRequests(), requests);
    });
  });

  describe('switching agencies', () => {
    it("forgets the previous agency's stored credentials only when no other window uses them", async () => {
      const [a, b] = await twoWindowsUsing(READ_ONLY);
      const readOnlyKey = a.runtime().credentialsKey(READ_ONLY);

      await machine.drive(a.selectAgency(ADMIN));
      assert.ok(fx.store.values.has(readOnlyKey), 'B still uses ReadOnlyAccess: its record stays');
      assert.deepEqual(b.sink.current?.selection, READ_ONLY);

      await machine.drive(b.selectAgency(DEVELOPER));
      assert.ok(!fx.store.values.has(readOnlyKey), 'no window uses ReadOnlyAccess any more: its record is forgotten');
      assert.ok(fx.store.values.has(a.runtime().credentialsKey(ADMIN)), "A's agency is kept");
    });

    it('a window that closed without clearing its mark counts until its credentials would have ended; Sign Out clears it at once', async () => {
      const [a, b] = await twoWindowsUsing(READ_ONLY);
      const key = a.runtime().credentialsKey(READ_ONLY);
      const endMs = renewableCredentials(b.sink.current?.credentials ?? assert.fail()).expiresAtMs;
      b.close();
      assert.equal(usedElsewhere(machine.shared, 'A', key, fx.clock.now()), true, 'B closed, but its credentials may still be in its terminals');
      assert.equal(usedElsewhere(machine.shared, 'A', key, endMs), false, 'once they end, B no longer counts');
      assert.equal(usedElsewhere(machine.shared, 'B', key, fx.clock.now()), true, "A's own mark counts for B");

      a.runtime().release();
      await machine.settle();
      assert.equal(usedElsewhere(machine.shared, 'B', key, fx.clock.now()), false, 'releasing the credentials clears the mark');
    });
  });

  describe('a cached start', () => {
    it('with a usable registration, session and credentials stored, attaching and the schedules send nothing until due', async () => {
      const a = await open('A');
      await machine.drive(a.signIn());
      const credentials = await machine.drive(a.selectAgency(READ_ONLY));
      a.close();
      fx.emulator.clearRequests();

      const started = await open('C');
      await machine.pass(10 * 60_000);
      assert.deepEqual(fx.emulator.requests(), [], 'no request of any kind');
      assert.deepEqual(started.work, [], 'the lazy half was never needed');
      assert.deepEqual(started.sink.current, { selection: READ_ONLY, credentials }, 'the stored credentials are in use');

      await machine.pass(renewableCredentials(credentials).dueAtMs - fx.clock.now() + LEASE_TTL_MS);
      assert.equal(credentialRequests(), 1, 'the schedule renews them when they fall due');
      assert.deepEqual(started.work, ['renewCredentials']);
    });
  });
});
