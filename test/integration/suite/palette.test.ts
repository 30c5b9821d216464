/**
 * The command palette offers what can be done now, read from the real palette as a
 * person sees it: Sign Out only while signed in, Show Selected Agency and Stop Using
 * Agency Credentials only with an agency selected, never the automation-only List
 * Accounts and List Agencies. Every command id still runs from `executeCommand`,
 * whatever the palette shows. The client registration's commands are also under
 * Troubleshooting in the Accounts view's More Actions (…) menu.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { Harness, openHarness, run, signInApproved, waitUntil } from './harness';
import { Ui } from './ui';

const CATEGORY = 'IAM Identity Center';
const PRODUCTION = '5c3f0e8a9b2d4e71a6f08c1d2e3b4a59';
const READ_ONLY = `iam::${PRODUCTION}:agency:iic_ReadOnlyAccess_7d41`;

/** The palette's titles, as the contract names them. */
const ALWAYS = ['Register Client', 'Show Client Registration', 'Forget Client Registration', 'Show Log', 'Choose Region', 'Set User Portal URL', 'Sign In', 'Select Account and Agency'];
const AUTOMATION_ONLY = ['List Accounts', 'List Agencies'];
const SIGNED_IN_ONLY = ['Sign Out'];
const AGENCY_ONLY = ['Show Selected Agency', 'Stop Using Agency Credentials'];

describe('The command palette', () => {
  const ui = new Ui();
  let h: Harness;

  /**
   * Waits until the palette offers `title` (`offered`) or does not: typed in full, the
   * command is the first row, or the rows are only "similar commands" or "No matching
   * commands". The filter is first set to one of VS Code's own commands and its list
   * awaited, so the list read is never an earlier filter's. Context keys reach the palette a moment after the
   * extension sets them, so it asks again until the answer is the one expected.
   */
  async function waitForPalette(title: string, offered: boolean): Promise<void> {
    const full = `${CATEGORY}: ${title}`;
    const anchor = 'View: Toggle Terminal';
    const read = async () => {
      await ui.fill(`>${anchor}`);
      const before = await ui.waitForQuickInput((state) => state.rows[0]?.startsWith(anchor) ?? false, anchor);
      await ui.fill(`>${full}`);
      return ui.waitForQuickInput((state) => state.rows.length > 0 && JSON.stringify(state.rows) !== JSON.stringify(before.rows), `the rows for ${full}`);
    };
    const isOffered = (rows: string[]) => rows[0].startsWith(full) && !rows[0].includes('similar commands');
    await waitUntil(read, (shown) => isOffered(shown.rows) === offered, (shown) => `the palette ${offered ? 'does not offer' : 'offers'} ${full}: ${JSON.stringify(shown.rows)}`, 200);
  }

  async function expectPalette(offered: string[], hidden: string[]): Promise<void> {
    await vscode.commands.executeCommand('workbench.action.showCommands');
    try {
      for (const title of offered) await waitForPalette(title, true);
      for (const title of hidden) await waitForPalette(title, false);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    }
  }

  before(async () => {
    h = await openHarness();
    await vscode.workspace.getConfiguration('iamIdentityCenter').update('startUrl', `${h.emulatorUrl}/start`, vscode.ConfigurationTarget.Global);
    await h.emulator.reset();
    await h.emulator.configure({ enforceInterval: false });
    await run('iamIdentityCenter.clearAgency');
    await run('iamIdentityCenter.signOut');
  });

  after(async () => {
    await run('iamIdentityCenter.clearAgency');
    await run('iamIdentityCenter.signOut');
  });

  it('signed out, with no agency: offers Sign In and setting up, but not Sign Out, the agency commands or the listings', async () => {
    await expectPalette(ALWAYS, [...SIGNED_IN_ONLY, ...AGENCY_ONLY, ...AUTOMATION_ONLY]);
  });

  it('the commands it does not offer still run from executeCommand', async () => {
    assert.equal(await run('iamIdentityCenter.signOut'), undefined);
    assert.equal(await run('iamIdentityCenter.showAgency'), undefined);
    assert.equal(await run('iamIdentityCenter.clearAgency'), undefined);
  });

  it('signed in: offers Sign Out, still not the listings, which run from executeCommand', async () => {
    await signInApproved(h, 'palette test');
    await expectPalette(SIGNED_IN_ONLY, [...AGENCY_ONLY, ...AUTOMATION_ONLY]);
    const accounts = await run<{ accountId: string }[]>('iamIdentityCenter.listAccounts', {});
    assert.ok(accounts.some((account) => account.accountId === PRODUCTION));
    const agencies = await run<{ agencyUrn: string }[]>('iamIdentityCenter.listAgencies', { accountId: PRODUCTION });
    assert.ok(agencies.some((agency) => agency.agencyUrn === READ_ONLY));
  });

  it('with an agency selected: offers Show Selected Agency and Stop Using Agency Credentials, until it is stopped', async () => {
    await run('iamIdentityCenter.selectAgency', { accountId: PRODUCTION, agencyUrn: READ_ONLY });
    await expectPalette([...AGENCY_ONLY, ...SIGNED_IN_ONLY], AUTOMATION_ONLY);
    await run('iamIdentityCenter.clearAgency');
    await expectPalette(SIGNED_IN_ONLY, AGENCY_ONLY);
  });

  it("the Accounts view's More Actions menu has Troubleshooting: the log and the client registration", async () => {
    await vscode.commands.executeCommand('workbench.view.extension.iamIdentityCenter');
    const menu = await ui.viewMenu('Troubleshooting');
    assert.ok(menu.items.includes('Troubleshooting'), JSON.stringify(menu.items));
    assert.deepEqual(menu.submenu, ['Show Log', 'Show Client Registration', 'Register Client', 'Forget Client Registration']);
  });
});
