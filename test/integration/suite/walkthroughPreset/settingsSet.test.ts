/**
 * The walkthrough opened after its steps were done elsewhere: settings set before VS
 * Code started (by hand, by Settings Sync, in an earlier session), a sign-in and an
 * agency chosen before it was first opened. Those steps show done as soon as it opens.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { openHarness, run, signInApproved } from '../harness';
import { Ui } from '../ui';
import { doneSteps, STEPS, WALKTHROUGH } from '../walkthrough';

const PRODUCTION = '5c3f0e8a9b2d4e71a6f08c1d2e3b4a59';
const READ_ONLY = `iam::${PRODUCTION}:agency:iic_ReadOnlyAccess_7d41`;

describe('The Get Started walkthrough, opened after its steps were done', () => {
  const ui = new Ui();

  it('shows the steps already done when it opens: the settings, the sign-in and the agency', async () => {
    const config = vscode.workspace.getConfiguration('iamIdentityCenter');
    assert.ok(config.inspect('endpoint')?.globalValue && config.inspect('startUrl')?.globalValue, 'the runner set them before VS Code started');
    const h = await openHarness();
    await h.emulator.configure({ enforceInterval: false });
    await signInApproved(h, 'walkthrough preset test');
    await run('iamIdentityCenter.selectAgency', { accountId: PRODUCTION, agencyUrn: READ_ONLY });

    await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH, false);
    const steps = await ui.waitForWalkthrough((shown) => shown.length === STEPS.length && doneSteps(shown).length >= 4, 'four steps done');
    assert.deepEqual(doneSteps(steps), ['region', 'startUrl', 'signIn', 'agency']);
  });
});
