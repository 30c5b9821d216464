/**
 * Accounts, agencies and terminal credentials inside a real VS Code: the commands with
 * args (every page, one credentials request, no secret in any result), new terminals
 * that see the credentials, their renewal and their removal, the terminal setting,
 * sign-out, the "sign in again" notice, bad answers that keep good credentials, the
 * two-step pick, the accounts view (the agency in use, Enter and the context menu on a
 * row, tooltips, an account whose agencies could not be listed), and the status bar item
 * with its menu.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { assertNoSecretIn, EXTENSION_ID, Harness, openHarness, rejection, run } from './harness';
import { expectedFor, newTerminalSees, NOTHING } from './terminalProbe';
import type { TreeRow } from '../../support/realVscode/uiDriver';
import { Ui } from './ui';

const PRODUCTION = '5c3f0e8a9b2d4e71a6f08c1d2e3b4a59';
const STAGING = '8e1b7a4c2f6d49a0b3c5d7e9f1a2b4c6';
const SANDBOX = 'a0d2c4e6f8b14357968a0b1c2d3e4f57';
const READ_ONLY = `iam::${PRODUCTION}:agency:iic_ReadOnlyAccess_7d41`;
const DEVELOPER = `iam::${STAGING}:agency:iic_Developer_51ce`;
/** The sandbox agency whose description is blank, as an administrator may leave it. */
const BILLING_VIEWER = `iam::${SANDBOX}:agency:iic_BillingViewer_e3f8`;

interface AgencySummary {
  accountId: string;
  accountName: string;
  agencyName: string;
  agencyUrn: string;
  permissionSetName: string;
  expiresAt?: number;
}

describe('Accounts and agencies in VS Code', () => {
  let h: Harness;
  let stopListening: (() => void) | undefined;

  before(async () => {
    h = await openHarness();
    await vscode.workspace.getConfiguration('iamIdentityCenter').update('startUrl', `${h.emulatorUrl}/start`, vscode.ConfigurationTarget.Global);
  });

  beforeEach(async () => {
    h.testing.resetClock();
    await run('iamIdentityCenter.clearAgency');
    await run('iamIdentityCenter.signOut');
    await h.emulator.reset();
    await h.emulator.configure({ enforceInterval: false });
    await vscode.workspace.getConfiguration('iamIdentityCenter').update('terminalCredentials', undefined, vscode.ConfigurationTarget.Global);
    stopListening = h.testing.onUserCode((prompt) => void h.emulator.approve(prompt.userCode));
    await run('iamIdentityCenter.signIn', { clientName: 'agencies test' });
  });

  afterEach(async () => {
    stopListening?.();
    stopListening = undefined;
    // Whatever a failed test left open (a context menu, the side bar) must not fail the next.
    await new Ui().press('Escape');
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
  });

  const credentialRequests = async () => (await h.emulator.requests('/v1/credentials')).length;

  it('lists every account and agency with args, following every page with one limit', async () => {
    await h.emulator.configure({ enforceInterval: false, accountCount: 450 });
    const accounts = await run<{ accountId: string; accountName: string; email: string }[]>('iamIdentityCenter.listAccounts', {});
    assert.equal(accounts.length, 450);
    assert.deepEqual(Object.keys(accounts[0]).sort(), ['accountId', 'accountName', 'email']);
    const pages = await h.emulator.requests('/v1/assigned-accounts');
    assert.equal(pages.length, 3);
    assert.ok(pages.every((page) => page.query.limit === '200'));
    const agencies = await run<{ agencyUrn: string }[]>('iamIdentityCenter.listAgencies', { accountId: accounts[0].accountId });
    assert.equal(agencies.length, 2);
    assert.deepEqual(Object.keys(agencies[0]).sort(), ['accountId', 'agencyName', 'agencyUrn', 'description', 'permissionSetName']);
  });

  it('selectAgency with args sends one credentials request, returns no secret, and new terminals get the credentials', async () => {
    const result = await run<AgencySummary>('iamIdentityCenter.selectAgency', { accountId: PRODUCTION, agencyUrn: READ_ONLY });
    assert.deepEqual(Object.keys(result).sort(), ['accountId', 'accountName', 'agencyName', 'agencyUrn', 'expiresAt', 'permissionSetName']);
    assert.equal(result.accountName, 'production');
    assert.equal(result.permissionSetName, 'ReadOnlyAccess');
    assert.equal(await credentialRequests(), 1);
    await assertNoSecretIn(h.emulator, JSON.stringify(result), 'the selectAgency result');
    const [issued] = await h.emulator.issuedCredentials();
    assert.equal(result.expiresAt, Math.floor(issued.expiresAtMs / 1000));
    assert.deepEqual(await newTerminalSees(), expectedFor(issued));
    const shown = await run<AgencySummary>('iamIdentityCenter.showAgency');
    assert.deepEqual(shown, result);
    assert.equal(await credentialRequests(), 1, 'Show Selected Agency sends no request');
  });

  it("selects the sandbox account's agency whose description is blank", async () => {
    const agencies = await run<{ agencyUrn: string; description: string }[]>('iamIdentityCenter.listAgencies', { accountId: SANDBOX });
    assert.equal(agencies.find((agency) => agency.agencyUrn === BILLING_VIEWER)?.description, '');
    const result = await run<AgencySummary>('iamIdentityCenter.selectAgency', { accountId: SANDBOX, agencyUrn: BILLING_VIEWER });
    assert.deepEqual([result.accountName, result.agencyName, result.permissionSetName], ['sandbox', 'iic_BillingViewer_e3f8', 'BillingViewer']);
    assert.equal(await credentialRequests(), 1);
  });

  it('refuses bad arguments before any request', async () => {
    assert.match(await rejection(run('iamIdentityCenter.selectAgency', { accountId: '../x', agencyUrn: READ_ONLY })), /accountId/);
    assert.match(await rejection(run('iamIdentityCenter.selectAgency', { accountId: PRODUCTION, agencyUrn: DEVELOPER })), /agencyUrn/);
    assert.match(await rejection(run('iamIdentityCenter.selectAgency', { accountId: 'f'.repeat(32), agencyUrn: `iam::${'f'.repeat(32)}:agency:x` })), /not assigned/);
    assert.equal(await credentialRequests(), 0);
  });

  it('after renewal a new terminal sees the new credentials', async () => {
    const first = await run<AgencySummary>('iamIdentityCenter.selectAgency', { accountId: STAGING, agencyUrn: DEVELOPER });
    const lifetimeMs = ((first.expiresAt ?? 0) - Date.now() / 1000) * 1000;
    h.testing.advanceClock(lifetimeMs * 0.95);
    await h.emulator.advanceClock((lifetimeMs * 0.95) / 1000);
    await h.testing.renewAgencyCredentials();
    assert.equal(await credentialRequests(), 2);
    const [, renewed] = await h.emulator.issuedCredentials();
    assert.deepEqual(await newTerminalSees(), expectedFor(renewed));
    assert.equal((await run<AgencySummary>('iamIdentityCenter.showAgency')).expiresAt, Math.floor(renewed.expiresAtMs / 1000));
  });

  it('a bad answer at renewal keeps the previous credentials in terminals', async () => {
    await run('iamIdentityCenter.selectAgency', { accountId: PRODUCTION, agencyUrn: READ_ONLY });
    const [issued] = await h.emulator.issuedCredentials();
    h.testing.advanceClock(3600_000 * 0.95);
    await h.emulator.advanceClock(3600 * 0.95);
    await h.emulator.injectFault({ type: 'patch', remove: ['agency_credentials.session_token'] }, { path: '/v1/credentials' });
    await assert.rejects(h.testing.renewAgencyCredentials(), /session_token/);
    assert.deepEqual(await newTerminalSees(), expectedFor(issued));
  });

  it('turning terminalCredentials off takes them out of new terminals without a reload; on puts them back', async () => {
    await run('iamIdentityCenter.selectAgency', { accountId: PRODUCTION, agencyUrn: READ_ONLY });
    const [issued] = await h.emulator.issuedCredentials();
    const config = vscode.workspace.getConfiguration('iamIdentityCenter');
    await config.update('terminalCredentials', false, vscode.ConfigurationTarget.Global);
    assert.deepEqual(await newTerminalSees(), NOTHING);
    await config.update('terminalCredentials', true, vscode.ConfigurationTarget.Global);
    assert.deepEqual(await newTerminalSees(), expectedFor(issued));
    assert.equal(await credentialRequests(), 1);
  });

  it('Sign Out ends the portal session, empties new terminals and keeps the selection and the registration', async () => {
    await run('iamIdentityCenter.selectAgency', { accountId: PRODUCTION, agencyUrn: READ_ONLY });
    await run('iamIdentityCenter.signOut');
    assert.equal((await h.emulator.loggedOutAccessTokens()).length, 1);
    assert.deepEqual(await newTerminalSees(), NOTHING);
    const shown = await run<AgencySummary>('iamIdentityCenter.showAgency');
    assert.equal(shown.agencyUrn, READ_ONLY);
    assert.equal(shown.expiresAt, undefined);
    assert.ok(await run('iamIdentityCenter.showClient'), 'the registration stays');
    await h.testing.renewAgencyCredentials().catch(() => undefined);
    assert.equal(await credentialRequests(), 1, 'no credential request after sign-out');
  });

  it('Stop Using Agency Credentials forgets the selection and empties new terminals', async () => {
    await run('iamIdentityCenter.selectAgency', { accountId: PRODUCTION, agencyUrn: READ_ONLY });
    assert.equal(await run('iamIdentityCenter.clearAgency'), undefined);
    assert.equal(await run('iamIdentityCenter.showAgency'), undefined);
    assert.deepEqual(await newTerminalSees(), NOTHING);
  });

  it('when renewal needs a new sign-in, says so once with a Sign In action, and asks the portal nothing more', async () => {
    await run('iamIdentityCenter.selectAgency', { accountId: PRODUCTION, agencyUrn: READ_ONLY });
    await vscode.commands.executeCommand('notifications.clearAll');
    await h.emulator.revokeAccessTokens();
    h.testing.advanceClock(3600_000 * 0.95);
    await h.emulator.advanceClock(3600 * 0.95);
    const needsSignIn = (error: { message?: string; remedy?: string }) => /sign in again/i.test(error.message ?? '') && error.remedy === 'signIn';
    await assert.rejects(h.testing.renewAgencyCredentials(), needsSignIn);
    await assert.rejects(h.testing.renewAgencyCredentials(), needsSignIn);
    const notices = (await new Ui().notifications()).filter((n) => /cannot be renewed/.test(n.message));
    assert.equal(notices.length, 1, 'one notice');
    assert.match(notices[0].message, /iic_ReadOnlyAccess_7d41.*production/);
  });

  it('Select Account and Agency from the palette: an account pick, then an agency pick', async () => {
    const ui = new Ui();
    const done = Promise.resolve(vscode.commands.executeCommand<AgencySummary | undefined>('iamIdentityCenter.selectAgency'));
    await ui.waitForQuickInput((state) => state.visible && /^Select an account/.test(state.title), 'the account pick');
    await ui.fill('staging');
    await ui.press('Enter');
    await ui.waitForQuickInput((state) => state.visible && /^Select an agency in staging/.test(state.title), 'the agency pick');
    await ui.fill('Developer');
    await ui.press('Enter');
    const result = await done;
    assert.equal(result?.agencyUrn, DEVELOPER);
    assert.equal(await credentialRequests(), 1);
  });

  it('the two picks count their steps, Back returns to the accounts, and the ones in use are marked and active', async () => {
    await run('iamIdentityCenter.selectAgency', { accountId: PRODUCTION, agencyUrn: READ_ONLY });
    const ui = new Ui();
    const done = Promise.resolve(vscode.commands.executeCommand<AgencySummary | undefined>('iamIdentityCenter.selectAgency'));
    const accounts = await ui.waitForQuickInput((state) => state.visible && /^Select an account/.test(state.title) && state.rows.length === 3, 'the account pick');
    assert.equal(accounts.title, 'Select an account (1/2)');
    assert.match(accounts.active, /^production.*in use/s, `the account in use is active and marked: ${JSON.stringify(accounts)}`);
    await ui.fill('staging');
    await ui.press('Enter');
    await ui.waitForQuickInput((state) => state.title === 'Select an agency in staging (2/2)' && state.rows.length > 0, 'the agency pick, step 2 of 2');
    await ui.quickInputButton('Back');
    const back = await ui.waitForQuickInput((state) => state.title === 'Select an account (1/2)' && state.rows.length === 3, 'the account pick again');
    assert.match(back.active, /^staging/, 'Back returns to the account just chosen');
    await ui.press('Enter');
    await ui.waitForQuickInput((state) => state.title === 'Select an agency in staging (2/2)' && state.rows.length > 0, 'the agency pick again');
    await ui.fill('Developer');
    await ui.press('Enter');
    assert.equal((await done)?.agencyUrn, DEVELOPER);
    assert.equal(await credentialRequests(), 2);

    const again = Promise.resolve(vscode.commands.executeCommand<AgencySummary | undefined>('iamIdentityCenter.selectAgency'));
    const marked = await ui.waitForQuickInput((state) => /^Select an account/.test(state.title) && state.rows.length === 3, 'the account pick');
    assert.match(marked.active, /^staging.*in use/s, 'the account now in use is active and marked');
    await ui.press('Enter');
    const agencies = await ui.waitForQuickInput((state) => /^Select an agency in staging/.test(state.title) && state.rows.length > 0, 'the agency pick');
    assert.match(agencies.active, /^iic_Developer_51ce.*in use/s, 'the agency in use is active and marked');
    await ui.press('Escape');
    assert.equal(await again, undefined, 'Escape cancels');
    await ui.waitForQuickInput((state) => !state.visible, 'the pick closed');
    assert.equal(await credentialRequests(), 2);
  });

  it('the view lists accounts that expand to agencies, marks the one in use, and uses another inline', async () => {
    await run('iamIdentityCenter.selectAgency', { accountId: PRODUCTION, agencyUrn: READ_ONLY });
    const ui = new Ui();
    await vscode.commands.executeCommand('workbench.view.extension.iamIdentityCenter');
    const listed = await ui.waitForSidebar((state) => state.rows.some((row) => row.label === 'staging') && state.rows.some((row) => /in use/.test(row.description)), 'the accounts');
    assert.deepEqual(listed.rows.filter((row) => row.level === 1).map((row) => row.label), ['production', 'staging', 'sandbox']);
    assert.equal(listed.rows.find((row) => /in use/.test(row.description))?.label, 'iic_ReadOnlyAccess_7d41');
    await ui.clickRow('staging');
    await ui.waitForSidebar((state) => state.rows.some((row) => row.label === 'iic_Developer_51ce'), 'the agencies of staging');
    await ui.rowAction('iic_Developer_51ce', 'Use This Agency');
    const marked = await ui.waitForSidebar((state) => state.rows.some((row) => row.label === 'iic_Developer_51ce' && /in use/.test(row.description)), 'the new agency in use');
    assert.equal(marked.rows.filter((row) => /in use/.test(row.description)).length, 1);
    assert.equal((await run<AgencySummary>('iamIdentityCenter.showAgency')).agencyUrn, DEVELOPER);
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
  });

  it('Enter on an agency row makes it the agency in use; Enter on it again sends no request', async () => {
    await run('iamIdentityCenter.selectAgency', { accountId: PRODUCTION, agencyUrn: READ_ONLY });
    await vscode.commands.executeCommand('notifications.clearAll');
    const ui = await openWithStaging('iic_ReadOnlyAccess_7d41');
    await ui.focusRow('iic_Developer_51ce');
    await ui.press('Enter');
    await ui.waitForSidebar((state) => inUse(state.rows) === 'iic_Developer_51ce', 'the agency in use after Enter');
    assert.equal((await run<AgencySummary>('iamIdentityCenter.showAgency')).agencyUrn, DEVELOPER);
    await ui.waitForNotification((n) => /^Using agency iic_Developer_51ce/.test(n.message), 'the confirmation');
    assert.equal(await credentialRequests(), 2);

    await ui.focusRow('iic_Developer_51ce');
    await ui.press('Enter');
    await ui.waitForNotification((n) => /iic_Developer_51ce in account staging is already in use/.test(n.message), 'that it is already in use');
    assert.equal(await credentialRequests(), 2, 'no new credentials request');
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
  });

  it('Shift+F10 on a row opens its context menu; Copy Account ID puts the whole id on the clipboard', async () => {
    await run('iamIdentityCenter.selectAgency', { accountId: PRODUCTION, agencyUrn: READ_ONLY });
    const ui = await openWithStaging('iic_ReadOnlyAccess_7d41');
    await ui.focusRow('iic_Developer_51ce');
    await ui.press('Shift+F10');
    const agencyMenu = await ui.contextMenu();
    assert.ok(agencyMenu.includes('Use This Agency') && agencyMenu.includes('Copy Agency URN'), JSON.stringify(agencyMenu));
    await ui.press('Escape');
    await ui.focusRow('iic_ReadOnlyAccess_7d41');
    await ui.press('Shift+F10');
    const inUseMenu = await ui.contextMenu();
    assert.ok(inUseMenu.includes('Copy Agency URN') && !inUseMenu.includes('Use This Agency'), `the agency in use: ${JSON.stringify(inUseMenu)}`);
    await ui.press('Escape');

    await vscode.env.clipboard.writeText('');
    await ui.focusRow('production');
    await ui.press('Shift+F10');
    assert.ok((await ui.contextMenu()).includes('Copy Account ID'));
    await ui.clickMenuItem('Copy Account ID');
    await waitFor(async () => (await vscode.env.clipboard.readText()) === PRODUCTION, 'the account id on the clipboard');
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
  });

  it("a row's tooltip has the whole id: an account's name, id and email; an agency's name, permission set, description and URN", async () => {
    const ui = await openAccountsView();
    await ui.waitForSidebar((state) => inUse(state.rows) === '' && state.rows.some((row) => row.label === 'production'), 'the accounts, none in use');
    const account = await ui.rowTooltip('production');
    assert.deepEqual(lines(account), ['production', `Account ID: ${PRODUCTION}`, 'Email: cloud-production@example.com']);
    await expand(ui, 'production');
    await ui.waitForSidebar((state) => state.rows.some((row) => row.label === 'iic_ReadOnlyAccess_7d41'), 'the agencies of production');
    const agency = await ui.rowTooltip('iic_ReadOnlyAccess_7d41');
    assert.deepEqual(lines(agency), ['iic_ReadOnlyAccess_7d41', 'Permission set: ReadOnlyAccess', 'Description: Read-only access to every service.', `URN: ${READ_ONLY}`]);
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
  });

  it('Copy Agency URN and Copy Account ID copy the plain id, return nothing secret, and copy nothing made up', async () => {
    await run('iamIdentityCenter.selectAgency', { accountId: STAGING, agencyUrn: DEVELOPER });
    const copied = await run<{ agencyUrn: string }>('iamIdentityCenter.copyAgencyUrn', { account: { accountId: STAGING }, agency: { agencyUrn: DEVELOPER } });
    assert.deepEqual(copied, { agencyUrn: DEVELOPER });
    assert.equal(await vscode.env.clipboard.readText(), DEVELOPER);
    await assertNoSecretIn(h.emulator, JSON.stringify(copied), 'the copyAgencyUrn result');
    assert.match(await rejection(run('iamIdentityCenter.copyAccountId', { account: { accountId: 'x\n$(alert)' } })), /IAM Identity Center view/);
    assert.match(await rejection(run('iamIdentityCenter.copyAgencyUrn', { account: { accountId: PRODUCTION }, agency: { agencyUrn: DEVELOPER } })), /IAM Identity Center view/);
    assert.equal(await vscode.env.clipboard.readText(), DEVELOPER, 'a refused copy leaves the clipboard alone');
  });

  it("shows why one account's agencies could not be listed in a row of its own, with Retry, while the others expand", async () => {
    await h.emulator.injectFault({ type: 'status', status: 500 }, { path: '/v1/assigned-agencies', query: { account_id: STAGING }, times: 1000 });
    const ui = await openAccountsView();
    await expand(ui, 'staging');
    const failed = await ui.waitForSidebar((state) => state.rows.some(isAgenciesError), 'the error row under staging');
    const rows = failed.rows;
    const errorAt = rows.findIndex(isAgenciesError);
    assert.deepEqual([rows[errorAt - 1].label, rows[errorAt].level, rows[errorAt].icon], ['staging', 2, 'error'], 'under staging, with an error icon');
    assert.match(rows[errorAt].label, /HTTP 500/);
    assert.equal(failed.message, '', 'not the view message above every account');

    await expand(ui, 'sandbox');
    await ui.waitForSidebar((state) => state.rows.some((row) => row.label === 'iic_BillingViewer_e3f8'), "the sandbox account's agencies");
    const agencyRequests = async (accountId: string) => (await h.emulator.requests('/v1/assigned-agencies')).filter((r) => r.query.account_id === accountId).length;
    const [sandboxBefore, stagingBefore, accountsBefore] = [await agencyRequests(SANDBOX), await agencyRequests(STAGING), (await h.emulator.requests('/v1/assigned-accounts')).length];

    await ui.clickRow('Could not list the agencies');
    await waitFor(async () => (await agencyRequests(STAGING)) > stagingBefore, 'a click on the row lists the agencies again');
    await ui.waitForSidebar((state) => state.rows.some(isAgenciesError), 'the error row, still failing');
    await h.emulator.clearFaults();
    await ui.rowAction('Could not list the agencies', 'Retry');
    const listed = await ui.waitForSidebar((state) => state.rows.some((row) => row.label === 'iic_Developer_51ce') && !state.rows.some(isAgenciesError), "staging's agencies");
    assert.ok(listed.rows.some((row) => row.label === 'iic_BillingViewer_e3f8'), 'sandbox stays expanded');
    assert.equal(await agencyRequests(SANDBOX), sandboxBefore, 'Retry lists only that account again');
    assert.equal((await h.emulator.requests('/v1/assigned-accounts')).length, accountsBefore);
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
  });

  it('a failure to list the accounts is the view message until listing works again', async () => {
    await h.emulator.injectFault({ type: 'status', status: 500 }, { path: '/v1/assigned-accounts', times: 1000 });
    const ui = await openAccountsView(false);
    await ui.waitForSidebar((state) => /HTTP 500/.test(state.message), 'the view message');
    await h.emulator.clearFaults();
    await vscode.commands.executeCommand('iamIdentityCenter.refreshAccounts');
    // VS Code delivers a view's message up to 200 ms after its rows (ExtHostTreeView debounces it).
    await ui.waitForSidebar((state) => state.rows.some((row) => row.label === 'production') && state.message === '', 'the accounts, and the message gone');
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
  });

  it('signed out, the view shows the welcome content with a Sign In button', async () => {
    await run('iamIdentityCenter.signOut');
    const ui = new Ui();
    await vscode.commands.executeCommand('workbench.view.extension.iamIdentityCenter');
    const state = await ui.waitForSidebar((s) => /Sign in to IAM Identity Center/.test(s.welcome), 'the welcome content');
    assert.match(state.welcome, /Sign In/);
    assert.deepEqual(state.rows, []);
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
  });
  describe('the status bar', () => {
    /** The item's id (`createStatusBarItem`), which VS Code prefixes with the extension's id. */
    const ITEM = 'iamIdentityCenter.status';
    const ACCOUNT = 'test.user@example.com';
    const ui = new Ui();

    afterEach(() => vscode.commands.executeCommand('workbench.action.closeQuickOpen'));

    /** Our items in the status bar. */
    const ours = async () => (await ui.statusBar()).filter((item) => item.id.startsWith(`${EXTENSION_ID}.`));

    /** Clicks the item as a person does; the menu's rows once it shows. */
    async function clickForMenu(): Promise<string[]> {
      await ui.clickStatusItem(ITEM);
      const menu = await ui.waitForQuickInput((state) => state.visible && state.title === 'IAM Identity Center' && state.rows.length > 0, 'the status menu');
      return menu.rows.map((row) => row.trim());
    }

    it('signed in with an agency: one item names the product, the agency and the account; its menu offers what applies', async () => {
      await run('iamIdentityCenter.selectAgency', { accountId: PRODUCTION, agencyUrn: READ_ONLY });
      const item = await ui.waitForStatusItem(ITEM, (shown) => /iic_ReadOnlyAccess_7d41/.test(shown.text), 'the agency');
      assert.equal(item.text, 'IAM Identity Center: iic_ReadOnlyAccess_7d41 · production');
      assert.deepEqual((await ours()).map((shown) => shown.id), [`${EXTENSION_ID}.${ITEM}`], 'one item, not two');

      const rows = await clickForMenu();
      assert.deepEqual(menuLabels(rows), ['Switch Agency', 'Open Terminal with Agency Credentials', 'Stop Using Agency Credentials', 'Sign Out', 'Show Log']);
      assert.ok(rows[3].endsWith(ACCOUNT), `Sign Out names the account: ${rows[3]}`);

      // An entry runs its command: Stop Using leaves the account in the item.
      await ui.fill('Stop Using');
      await ui.press('Enter');
      const after = await ui.waitForStatusItem(ITEM, (shown) => !/iic_ReadOnlyAccess_7d41/.test(shown.text), 'no agency');
      assert.equal(after.text, `IAM Identity Center: ${ACCOUNT}`);
      assert.equal(await run('iamIdentityCenter.showAgency'), undefined);
    });

    it('signed in without an agency: the item names the account; its menu offers Select Account and Agency', async () => {
      const item = await ui.waitForStatusItem(ITEM, (shown) => shown.text.includes(ACCOUNT), 'the account');
      assert.equal(item.text, `IAM Identity Center: ${ACCOUNT}`);
      assert.deepEqual(menuLabels(await clickForMenu()), ['Select Account and Agency', 'Sign Out', 'Show Log']);
    });

    it('signed out: the item offers Sign In; its menu has Sign In and Show Log only', async () => {
      await run('iamIdentityCenter.signOut');
      const item = await ui.waitForStatusItem(ITEM, (shown) => /Sign In/.test(shown.text), 'Sign In');
      assert.equal(item.text, 'IAM Identity Center: Sign In');
      assert.equal((await ours()).length, 1);
      assert.deepEqual(menuLabels(await clickForMenu()), ['Sign In', 'Show Log']);
    });
  });
});

/** The status menu's entries, as its rows start: their labels (a description runs on after). */
function menuLabels(rows: string[]): string[] {
  const entries = ['Switch Agency', 'Select Account and Agency', 'Open Terminal with Agency Credentials', 'Stop Using Agency Credentials', 'Sign In', 'Sign Out', 'Show Log'];
  return rows.map((row) => entries.find((entry) => row.startsWith(entry)) ?? row);
}

/** The label of the one row marked in use, '' when none is or more are. */
function inUse(rows: TreeRow[]): string {
  const marked = rows.filter((row) => /in use/.test(row.description));
  return marked.length === 1 ? marked[0].label : '';
}

/** A tooltip's lines, trimmed, the empty ones left out. */
function lines(text: string): string[] {
  return text.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
}

/** True for the row that says an account's agencies could not be listed. */
function isAgenciesError(row: TreeRow): boolean {
  return /^Could not list the agencies/.test(row.label);
}

/** Lists the accounts afresh (after the test's faults are in place) and shows the view; waits for the accounts unless told not to. */
async function openAccountsView(waitForAccounts = true): Promise<Ui> {
  const ui = new Ui();
  await vscode.commands.executeCommand('iamIdentityCenter.refreshAccounts');
  await vscode.commands.executeCommand('workbench.view.extension.iamIdentityCenter');
  if (waitForAccounts) await ui.waitForSidebar((state) => state.rows.some((row) => row.label === 'staging'), 'the accounts');
  return ui;
}

/**
 * Shows the view with staging's agencies, once it shows this test's state: `used` the one
 * agency marked in use (a view shown again first draws the rows it had).
 */
async function openWithStaging(used: string): Promise<Ui> {
  const ui = await openAccountsView();
  await ui.waitForSidebar((state) => inUse(state.rows) === used, `${used} in use`);
  await expand(ui, 'staging');
  await ui.waitForSidebar((state) => state.rows.some((row) => row.label === 'iic_Developer_51ce'), 'the agencies of staging');
  return ui;
}

/** Expands the account row `label` (a click), unless it is expanded already. */
async function expand(ui: Ui, label: string): Promise<void> {
  const row = (await ui.sidebar()).rows.find((candidate) => candidate.label === label);
  if (row?.expanded !== 'true') await ui.clickRow(label);
}

/** Waits until `check` holds. */
async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`never saw ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
