/**
 * The Get Started walkthrough in a real VS Code, on a fresh profile: every step starts
 * undone and ticks itself when the user does what it asks (its completion events), in
 * whatever way they do it: here through the same commands its buttons run.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { WalkthroughStep } from '../../../support/realVscode/uiDriver';
import { EXTENSION_ID, Harness, openHarness, run } from '../harness';
import { Ui } from '../ui';

const WALKTHROUGH = `${EXTENSION_ID}#gettingStarted`;
const STEPS = ['region', 'startUrl', 'signIn', 'agency', 'terminal'];
const PRODUCTION = '5c3f0e8a9b2d4e71a6f08c1d2e3b4a59';
const READ_ONLY = `iam::${PRODUCTION}:agency:iic_ReadOnlyAccess_7d41`;

/** The ids of the steps done, in the walkthrough's order. */
function done(steps: WalkthroughStep[]): string[] {
  return steps.filter((step) => step.done).map((step) => step.id.slice(`${WALKTHROUGH}#`.length));
}

describe('The Get Started walkthrough', () => {
  const ui = new Ui();
  let h: Harness;

  /** Waits until exactly `expected` steps are done. */
  function waitForDone(expected: string[]): Promise<WalkthroughStep[]> {
    return ui.waitForWalkthrough((steps) => JSON.stringify(done(steps)) === JSON.stringify(expected), `steps done: ${expected.join(', ') || 'none'}`);
  }

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH, false);
  });

  it('lists its five steps, none done on a fresh profile', async () => {
    const steps = await ui.waitForWalkthrough((shown) => shown.length === STEPS.length, 'five steps');
    assert.deepEqual(steps.map((step) => step.id), STEPS.map((step) => `${WALKTHROUGH}#${step}`));
    assert.ok(steps.every((step) => step.title.length > 0));
    assert.deepEqual(done(steps), []);
  });

  it('choosing a region ticks the first step', async () => {
    assert.deepEqual(await run('iamIdentityCenter.chooseRegion', { region: 'cn-north-4' }), { region: 'cn-north-4' });
    await waitForDone(['region']);
    // The tests' service is the local emulator.
    h = await openHarness();
  });

  it('setting the user portal URL ticks the second', async () => {
    await vscode.workspace.getConfiguration('iamIdentityCenter').update('startUrl', `${h.emulatorUrl}/start`, vscode.ConfigurationTarget.Global);
    await waitForDone(['region', 'startUrl']);
  });

  it('signing in ticks the third', async () => {
    await h.emulator.configure({ enforceInterval: false });
    const stop = h.testing.onUserCode((prompt) => void h.emulator.approve(prompt.userCode));
    try {
      await run('iamIdentityCenter.signIn', { clientName: 'walkthrough test' });
    } finally {
      stop();
    }
    await waitForDone(['region', 'startUrl', 'signIn']);
  });

  it('selecting an account and agency ticks the fourth', async () => {
    await run('iamIdentityCenter.selectAgency', { accountId: PRODUCTION, agencyUrn: READ_ONLY });
    await waitForDone(['region', 'startUrl', 'signIn', 'agency']);
  });

  it('opening a terminal ticks the last', async () => {
    await vscode.commands.executeCommand('workbench.action.terminal.new');
    await waitForDone(STEPS);
  });
});
