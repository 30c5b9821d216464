/**
 * Profiles inside a real VS Code: several IAM Identity Center instances side by side.
 * The user's settings hold the flat settings (the profile `default`, user portal
 * `/start`), `second` (the same emulator, user portal `/start-b`: another instance in
 * the same region) and `elsewhere` (the second emulator). Sessions, selections and
 * credentials are kept apart per profile; every command takes `profile`; the provider
 * answers a `profile:<name>` scope; account labels, the status bar and the accounts view
 * name the profile; Choose Profile moves the window, its status bar and its new
 * terminals to another profile. No folder is open, so Choose Profile writes the user's
 * settings (the workspace's: the `workspace-profiles` phase).
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { IssuedCredential } from '../../support/emulator/portalApi';
import { assertNoSecretIn, Harness, openHarness, rejection, run } from './harness';
import { expectedFor, newTerminalSees } from './terminalProbe';
import { Ui } from './ui';

const PRODUCTION = '5c3f0e8a9b2d4e71a6f08c1d2e3b4a59';
const STAGING = '8e1b7a4c2f6d49a0b3c5d7e9f1a2b4c6';
const READ_ONLY = `iam::${PRODUCTION}:agency:iic_ReadOnlyAccess_7d41`;
const DEVELOPER = `iam::${STAGING}:agency:iic_Developer_51ce`;
const ACCOUNT = 'test.user@example.com';
/** The status bar item's id. */
const ITEM = 'iamIdentityCenter.status';

interface AgencySummary {
  accountId: string;
  agencyName: string;
  agencyUrn: string;
  expiresAt?: number;
}

interface ClientSummary {
  clientId: string;
  clientName: string;
  endpoint: string;
}

describe('Profiles: several Identity Centers side by side, in VS Code', () => {
  let h: Harness;
  let stopListening: (() => void) | undefined;
  const ui = new Ui();
  const config = () => vscode.workspace.getConfiguration('iamIdentityCenter');
  const profiles = () => ({
    second: { endpoint: h.emulatorUrl, startUrl: `${h.emulatorUrl}/start-b`, portalEndpoint: h.emulatorUrl },
    elsewhere: { endpoint: h.secondEmulator.url, startUrl: `${h.secondEmulator.url}/start`, portalEndpoint: h.secondEmulator.url },
  });
  /** The session ids stored for `profile` (the window's when undefined), read from its own record. */
  const storedIds = async (profile?: string) => {
    const raw = await h.testing.readRaw('sessions', profile);
    return raw === undefined ? undefined : (JSON.parse(raw) as { sessions: Array<{ id: string }> }).sessions.map((session) => session.id);
  };
  /** The emulator's credentials issued for `agencyUrn`, the last one. */
  const issuedFor = async (agencyUrn: string): Promise<IssuedCredential> => {
    const issued = (await h.emulator.issuedCredentials()).filter((credential) => credential.agencyUrn === agencyUrn);
    assert.ok(issued.length > 0, `credentials were issued for ${agencyUrn}`);
    return issued[issued.length - 1];
  };

  before(async () => {
    h = await openHarness();
    await config().update('startUrl', `${h.emulatorUrl}/start`, vscode.ConfigurationTarget.Global);
    await config().update('profiles', profiles(), vscode.ConfigurationTarget.Global);
  });

  beforeEach(async () => {
    h.testing.resetClock();
    await config().update('profile', undefined, vscode.ConfigurationTarget.Global);
    // Each test registers afresh: a client an earlier suite left (still known to the emulator after a reset) is forgotten.
    for (const profile of ['default', 'second']) {
      await run('iamIdentityCenter.clearAgency', { profile });
      await run('iamIdentityCenter.signOut', { profile });
      await run('iamIdentityCenter.forgetClient', { profile });
    }
    await h.emulator.reset();
    await h.secondEmulator.reset();
    await h.emulator.configure({ enforceInterval: false });
    await h.secondEmulator.configure({ enforceInterval: false });
    stopListening = h.testing.onUserCode((prompt) => {
      void h.emulator.approve(prompt.userCode).catch(() => h.secondEmulator.approve(prompt.userCode));
    });
    await run('iamIdentityCenter.signIn', { clientName: 'profiles test' });
  });

  afterEach(async () => {
    stopListening?.();
    stopListening = undefined;
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    for (const terminal of vscode.window.terminals) terminal.dispose();
  });

  after(async () => {
    await config().update('profile', undefined, vscode.ConfigurationTarget.Global);
    for (const profile of ['second', 'elsewhere']) {
      await run('iamIdentityCenter.clearAgency', { profile });
      await run('iamIdentityCenter.signOut', { profile });
    }
    await run('iamIdentityCenter.forgetClient', { profile: 'elsewhere' });
    await config().update('profiles', undefined, vscode.ConfigurationTarget.Global);
    await h.secondEmulator.reset();
  });

  it('two profiles on one service with two user portals keep two sessions, keyed apart: signing out of one leaves the other signed in', async () => {
    const signedIn = await run<{ account: string }>('iamIdentityCenter.signIn', { profile: 'second' });
    assert.equal(signedIn.account, ACCOUNT);
    const starts = (await h.emulator.requests('/v1/device/authorize')).map((request) => (request.body as { start_url: string }).start_url);
    assert.deepEqual(starts, [`${h.emulatorUrl}/start`, `${h.emulatorUrl}/start-b`], 'each profile signs in at its own user portal');

    const [defaultIds, secondIds] = [await storedIds(), await storedIds('second')];
    assert.equal(defaultIds?.length, 1, 'default keeps its session in its own record');
    assert.equal(secondIds?.length, 1, 'second keeps its session in its own record');
    assert.notEqual(defaultIds[0], secondIds[0]);
    const defaultRecord = await h.testing.readRaw('sessions');

    assert.equal(await run('iamIdentityCenter.signOut', { profile: 'second' }), undefined);
    assert.equal(await h.testing.readRaw('sessions', 'second'), undefined, 'second’s session is gone');
    assert.equal(await h.testing.readRaw('sessions'), defaultRecord, 'default’s record is untouched');
    assert.deepEqual((await h.testing.providerSessions(['openid'])).map((session) => session.id), defaultIds, 'the window (default) is still signed in');
    assert.deepEqual(await h.testing.providerSessions(['openid', 'profile:second']), []);
    // Only second's portal session was ended: default's token still lists the accounts.
    assert.equal((await h.emulator.loggedOutAccessTokens()).length, 1);
    assert.ok((await run<unknown[]>('iamIdentityCenter.listAccounts', {})).length > 0);
  });

  it('the same agency in two profiles keeps two credentials records: signing out of one forgets only its own', async () => {
    await run('iamIdentityCenter.signIn', { profile: 'second' });
    await run('iamIdentityCenter.selectAgency', { accountId: PRODUCTION, agencyUrn: READ_ONLY });
    await run('iamIdentityCenter.selectAgency', { profile: 'second', accountId: PRODUCTION, agencyUrn: READ_ONLY });
    assert.equal(await h.testing.hasStoredCredentials({ accountId: PRODUCTION, agencyUrn: READ_ONLY }), true);
    await run('iamIdentityCenter.signOut', { profile: 'second' });
    assert.equal(await h.testing.hasStoredCredentials({ accountId: PRODUCTION, agencyUrn: READ_ONLY }, 'second'), false, 'second’s are forgotten');
    assert.equal(await h.testing.hasStoredCredentials({ accountId: PRODUCTION, agencyUrn: READ_ONLY }), true, 'default’s are kept');
    assert.equal((await run<AgencySummary>('iamIdentityCenter.showAgency')).agencyUrn, READ_ONLY);
  });

  it('every command takes profile: registerClient, showClient, signIn, selectAgency, showAgency and signOut act on the profile named', async () => {
    const elsewhere = await run<ClientSummary>('iamIdentityCenter.registerClient', { profile: 'elsewhere', clientName: 'elsewhere client' });
    assert.equal(elsewhere.endpoint, h.secondEmulator.url);
    assert.deepEqual(await run('iamIdentityCenter.showClient', { profile: 'elsewhere' }), elsewhere);
    const own = await run<ClientSummary>('iamIdentityCenter.showClient', {});
    assert.equal(own.endpoint, h.emulatorUrl, 'without profile: the window’s');
    assert.equal(own.clientName, 'profiles test');

    await run('iamIdentityCenter.signIn', { profile: 'second' });
    const selected = await run<AgencySummary>('iamIdentityCenter.selectAgency', { profile: 'second', accountId: STAGING, agencyUrn: DEVELOPER });
    assert.equal(selected.agencyUrn, DEVELOPER);
    assert.equal((await run<AgencySummary>('iamIdentityCenter.showAgency', { profile: 'second' })).agencyUrn, DEVELOPER);
    assert.equal(await run('iamIdentityCenter.showAgency', {}), undefined, 'the window’s profile has no agency');
    await run('iamIdentityCenter.selectAgency', { accountId: PRODUCTION, agencyUrn: READ_ONLY });
    assert.equal((await run<AgencySummary>('iamIdentityCenter.showAgency', {})).agencyUrn, READ_ONLY);
    assert.equal((await run<AgencySummary>('iamIdentityCenter.showAgency', { profile: 'second' })).agencyUrn, DEVELOPER, 'each profile keeps its own');

    await run('iamIdentityCenter.signOut', { profile: 'second' });
    const afterSignOut = await run<AgencySummary>('iamIdentityCenter.showAgency', { profile: 'second' });
    assert.equal(afterSignOut.agencyUrn, DEVELOPER);
    assert.equal(afterSignOut.expiresAt, undefined, 'second’s credentials are gone');
    assert.ok((await run<AgencySummary>('iamIdentityCenter.showAgency', {})).expiresAt, 'default’s are not');
    assert.equal((await h.secondEmulator.requests('/v1/device/authorize')).length, 0, 'nothing signed in at elsewhere');
  });

  it('an unknown profile is an error that says what to do; a malformed one is refused before anything', async () => {
    await h.emulator.clearRequests();
    const before = config().inspect('profile')?.globalValue;
    for (const command of ['signIn', 'showClient', 'registerClient', 'selectAgency', 'showAgency', 'clearAgency', 'signOut', 'listAccounts', 'chooseProfile']) {
      const message = await rejection(run(`iamIdentityCenter.${command}`, { profile: 'nosuch', accountId: PRODUCTION, agencyUrn: READ_ONLY }));
      assert.equal(message, 'There is no profile "nosuch". Choose one of your profiles, or add it to the Profiles setting, then retry.', command);
      for (const profile of ['', 'a b', '../default', '-x', 'x'.repeat(65), 42, null, ['default']]) {
        const refused = await rejection(run(`iamIdentityCenter.${command}`, { profile, clientName: 'x\ny', accountId: 'not an id' }));
        assert.equal(refused, 'profile must be the name of one of your profiles, such as "default".', `${command} ${JSON.stringify(profile)}`);
      }
    }
    assert.deepEqual(await h.emulator.requests(), [], 'no request');
    assert.deepEqual(await h.secondEmulator.requests(), []);
    assert.equal(config().inspect('profile')?.globalValue, before, 'the window’s profile is unchanged');
  });

  it('the provider answers a profile:<name> scope for that profile, and the window’s profile without one; labels and the status bar name the profile', async () => {
    await run('iamIdentityCenter.signIn', { profile: 'second' });
    const tokenRequests = (await h.emulator.requests('/v1/tokens')).length;
    const [own] = await h.testing.providerSessions(['openid']);
    const [second] = await h.testing.providerSessions(['openid', 'profile:second']);
    assert.deepEqual(own, { id: (await storedIds())?.[0], label: `${ACCOUNT} (default)`, scopes: ['openid'] });
    assert.deepEqual(second, { id: (await storedIds('second'))?.[0], label: `${ACCOUNT} (second)`, scopes: ['openid', 'profile:second'] });
    assert.deepEqual(await h.testing.providerSessions(['openid', 'profile:default']), [{ ...own, scopes: ['openid', 'profile:default'] }]);
    assert.deepEqual(await h.testing.providerSessions(['openid', 'profile:elsewhere']), [], 'not signed in there');
    assert.deepEqual(await h.testing.providerSessions(['openid', 'profile:nosuch']), [], 'no such profile: no session, no error');
    assert.equal((await h.emulator.requests('/v1/tokens')).length, tokenRequests, 'answered from the stored sessions');

    let item = await ui.waitForStatusItem(ITEM, (shown) => shown.text.includes(ACCOUNT), 'the account');
    assert.equal(item.text, `IAM Identity Center (default): ${ACCOUNT}`);
    await vscode.commands.executeCommand('workbench.view.extension.iamIdentityCenter');
    await ui.waitForSidebar((state) => state.title === 'IAM Identity Center: Accounts (default)', 'the profile in the view’s title');

    // One profile again: nothing names a profile.
    await config().update('profiles', undefined, vscode.ConfigurationTarget.Global);
    try {
      item = await ui.waitForStatusItem(ITEM, (shown) => !shown.text.includes('(default)'), 'no profile');
      assert.equal(item.text, `IAM Identity Center: ${ACCOUNT}`);
      assert.equal((await h.testing.providerSessions(['openid']))[0]?.label, ACCOUNT);
      await ui.waitForSidebar((state) => state.title === 'IAM Identity Center: Accounts', 'the view’s title without a profile');
    } finally {
      await config().update('profiles', profiles(), vscode.ConfigurationTarget.Global);
    }
  });

  it('Choose Profile { profile } sets the window’s profile in the user’s settings (no folder is open); the status bar, showAgency and new terminals follow', async () => {
    await run('iamIdentityCenter.selectAgency', { accountId: PRODUCTION, agencyUrn: READ_ONLY });
    await run('iamIdentityCenter.signIn', { profile: 'second' });
    await run('iamIdentityCenter.selectAgency', { profile: 'second', accountId: STAGING, agencyUrn: DEVELOPER });
    assert.deepEqual(await newTerminalSees(), expectedFor(await issuedFor(READ_ONLY)), 'the window starts on default');

    const chosen = await run<{ profile: string }>('iamIdentityCenter.chooseProfile', { profile: 'second' });
    assert.deepEqual(chosen, { profile: 'second' });
    // Automation may open a terminal the moment the command resolves.
    assert.deepEqual(await newTerminalSees(), expectedFor(await issuedFor(DEVELOPER)), 'new terminals get second’s agency');
    assert.equal((await run<AgencySummary>('iamIdentityCenter.showAgency')).agencyUrn, DEVELOPER);
    assert.equal(config().inspect('profile')?.globalValue, 'second', 'saved in the user’s settings');
    let item = await ui.waitForStatusItem(ITEM, (shown) => shown.text.includes('(second)'), 'the profile second');
    assert.equal(item.text, 'IAM Identity Center (second): iic_Developer_51ce · staging');
    assert.equal((await h.testing.providerSessions(['openid']))[0]?.label, `${ACCOUNT} (second)`, 'getSession without a profile answers for the window’s');
    await assertNoSecretIn(h.emulator, JSON.stringify(chosen), 'the chooseProfile result');

    assert.deepEqual(await run('iamIdentityCenter.chooseProfile', { profile: 'default' }), { profile: 'default' });
    assert.deepEqual(await newTerminalSees(), expectedFor(await issuedFor(READ_ONLY)));
    assert.equal((await run<AgencySummary>('iamIdentityCenter.showAgency')).agencyUrn, READ_ONLY);
    assert.equal(config().inspect('profile')?.globalValue, undefined, 'default is no setting at all');
    item = await ui.waitForStatusItem(ITEM, (shown) => shown.text.includes('(default)'), 'the profile default');
    assert.equal(item.text, 'IAM Identity Center (default): iic_ReadOnlyAccess_7d41 · production');
    assert.match(await rejection(run('iamIdentityCenter.chooseProfile', {})), /Give profile: the name of one of your profiles/);
  });
});
