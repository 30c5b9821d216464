/**
 * Sign Out always wins, nothing stale is kept, and names stay names, inside a real VS
 * Code: Sign Out with an unusable portal endpoint or a keyring that refuses deletes still
 * ends the session and empties terminals; switching agencies and signing out leave no
 * old credentials stored; Use This Agency takes only ids from its arguments; and the
 * terminal's environment description renders no link whatever an agency is called.
 */
import { strict as assert } from 'node:assert';
import { marked } from 'marked';
import * as vscode from 'vscode';
import { Harness, openHarness, rejection, run } from './harness';
import { expectedFor, newTerminalSees, NOTHING } from './terminalProbe';
import { Ui } from './ui';

const PRODUCTION = '5c3f0e8a9b2d4e71a6f08c1d2e3b4a59';
const STAGING = '8e1b7a4c2f6d49a0b3c5d7e9f1a2b4c6';
const READ_ONLY = `iam::${PRODUCTION}:agency:iic_ReadOnlyAccess_7d41`;
const DEVELOPER = `iam::${STAGING}:agency:iic_Developer_51ce`;

interface AgencySummary {
  accountName: string;
  agencyName: string;
  agencyUrn: string;
}

describe('Sign Out and stale credentials in VS Code', () => {
  let h: Harness;
  let stopListening: (() => void) | undefined;
  const config = () => vscode.workspace.getConfiguration('iamIdentityCenter');

  before(async () => {
    h = await openHarness();
    await config().update('startUrl', `${h.emulatorUrl}/start`, vscode.ConfigurationTarget.Global);
  });

  beforeEach(async () => {
    h.testing.resetClock();
    h.testing.failSecretDeletes(false);
    await run('iamIdentityCenter.clearAgency');
    await run('iamIdentityCenter.signOut');
    await h.emulator.reset();
    await h.emulator.configure({ enforceInterval: false });
    stopListening = h.testing.onUserCode((prompt) => void h.emulator.approve(prompt.userCode));
    await run('iamIdentityCenter.signIn', { clientName: 'sign-out test' });
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  afterEach(async () => {
    stopListening?.();
    stopListening = undefined;
    h.testing.failSecretDeletes(false);
    await config().update('portalEndpoint', h.emulatorUrl, vscode.ConfigurationTarget.Global);
  });

  const signedIn = async () => (await vscode.authentication.getSession('iam-identity-center', ['openid'], { silent: true })) !== undefined;

  it('with an unusable portal endpoint, Sign Out still ends the session and empties terminals, and says what it could not do', async () => {
    await run('iamIdentityCenter.selectAgency', { accountId: PRODUCTION, agencyUrn: READ_ONLY });
    await config().update('portalEndpoint', 'http://portal.example.com', vscode.ConfigurationTarget.Global);
    assert.equal(await run('iamIdentityCenter.signOut'), undefined);
    assert.equal(await signedIn(), false, 'the session is gone');
    assert.equal(await h.testing.readRaw('sessions'), undefined, 'nothing of it is stored');
    assert.deepEqual(await newTerminalSees(), NOTHING);
    await config().update('portalEndpoint', h.emulatorUrl, vscode.ConfigurationTarget.Global);
    assert.equal(await h.testing.hasStoredCredentials({ accountId: PRODUCTION, agencyUrn: READ_ONLY }), false, 'the credentials stored under the old endpoint are forgotten');
    const notice = await new Ui().waitForNotification((n) => /portal session could not be ended/.test(n.message), 'the problem, once');
    assert.match(notice.message, /The Portal endpoint setting must be an https:\/\/ URL/, 'named by its label, as the Settings editor shows it');
    assert.deepEqual(notice.buttons, ['Open Settings', 'Show Log']);
  });

  it('with a keyring that refuses deletes, Sign Out still ends the session and empties terminals, and says so', async () => {
    await run('iamIdentityCenter.selectAgency', { accountId: PRODUCTION, agencyUrn: READ_ONLY });
    h.testing.failSecretDeletes(true);
    assert.equal(await run('iamIdentityCenter.signOut'), undefined);
    assert.equal(await signedIn(), false, 'the session is gone');
    assert.deepEqual(await newTerminalSees(), NOTHING);
    await new Ui().waitForNotification((n) => /could not be deleted/.test(n.message), 'the keyring problem');
    h.testing.failSecretDeletes(false);
    assert.equal(await h.testing.hasStoredCredentials({ accountId: PRODUCTION, agencyUrn: READ_ONLY }), true, 'the delete really was refused');
    await run('iamIdentityCenter.signOut');
    assert.equal(await h.testing.hasStoredCredentials({ accountId: PRODUCTION, agencyUrn: READ_ONLY }), false, 'the next Sign Out deletes them');
  });

  it('switching agencies forgets the previous one’s credentials, and Sign Out forgets every one', async () => {
    await run('iamIdentityCenter.selectAgency', { accountId: PRODUCTION, agencyUrn: READ_ONLY });
    await run('iamIdentityCenter.selectAgency', { accountId: STAGING, agencyUrn: DEVELOPER });
    assert.equal(await h.testing.hasStoredCredentials({ accountId: PRODUCTION, agencyUrn: READ_ONLY }), false, 'X is forgotten at the switch');
    assert.equal(await h.testing.hasStoredCredentials({ accountId: STAGING, agencyUrn: DEVELOPER }), true);
    await run('iamIdentityCenter.signOut');
    assert.equal(await h.testing.hasStoredCredentials({ accountId: STAGING, agencyUrn: DEVELOPER }), false, 'Y is forgotten at Sign Out');
  });

  it('Use This Agency takes only ids from its arguments: made-up ones are refused, made-up names are not shown', async () => {
    const made = { account: { accountId: 'f'.repeat(32), accountName: 'Fake' }, agency: { agencyUrn: `iam::${'f'.repeat(32)}:agency:x`, agencyName: 'Fake' } };
    assert.match(await rejection(run('iamIdentityCenter.useAgency', made)), /not assigned/);
    assert.match(await rejection(run('iamIdentityCenter.useAgency', { account: { accountId: PRODUCTION }, agency: { agencyUrn: DEVELOPER } })), /IAM Identity Center view/);
    const forged = { account: { accountId: PRODUCTION, accountName: 'Forged\n[error] forged line' }, agency: { agencyUrn: READ_ONLY, agencyName: '<https://evil.example>' } };
    const used = await run<AgencySummary>('iamIdentityCenter.useAgency', forged);
    assert.equal(used.accountName, 'production');
    assert.equal(used.agencyName, 'iic_ReadOnlyAccess_7d41');
    const [issued] = await h.emulator.issuedCredentials();
    assert.deepEqual(await newTerminalSees(), expectedFor(issued));
  });

  it('no agency or account name becomes a link in the terminal environment’s description', async () => {
    const hostile = '<https://evil.example> [x](command:workbench.action.quit) https://evil.example www.evil.example a@evil.example';
    await h.emulator.configure({
      enforceInterval: false,
      accounts: [{ accountId: PRODUCTION, accountName: hostile, emailAddress: 'user@example.com', agencies: [{ agencyName: hostile, agencyUrn: READ_ONLY, permissionSetName: 'ReadOnlyAccess', description: 'Read only.' }] }],
    });
    await run('iamIdentityCenter.selectAgency', { accountId: PRODUCTION, agencyUrn: READ_ONLY });
    const description = h.testing.terminalDescription();
    assert.ok(description, 'the collection has a description');
    // VS Code renders it with marked (GFM on) inside the terminal's hover.
    const html = await marked.parse(description, { gfm: true });
    assert.doesNotMatch(html, /<a\b/, html);
    assert.match(html, /evil\.example/, 'the names are still there, as text');
  });
});
