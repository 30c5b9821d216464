/**
 * The Get Started walkthrough in a real VS Code, on a fresh profile: every step starts
 * undone and ticks itself when the user does what it asks (its completion events), in
 * whatever way they do it: here through its buttons or the same commands they run. It
 * fits the 1024×768 window a desktop VS Code first opens: nothing in it is cut off.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { WalkthroughStep } from '../../../support/realVscode/uiDriver';
import { EXTENSION_ID, Harness, openHarness, rejection, run, signInApproved, waitUntil } from '../harness';
import { Ui } from '../ui';
import { assertWalkthroughFits, doneSteps as done, STEPS, WALKTHROUGH } from '../walkthrough';

const PRODUCTION = '5c3f0e8a9b2d4e71a6f08c1d2e3b4a59';
const READ_ONLY = `iam::${PRODUCTION}:agency:iic_ReadOnlyAccess_7d41`;

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

  it('Set User Portal URL with args refuses what is not a URL: nothing saved, nothing ticked', async () => {
    const message = await rejection(run('iamIdentityCenter.setStartUrl', { startUrl: 'portal.example.com' }));
    assert.match(message, /startUrl must be an https:\/\/ URL/);
    assert.equal(vscode.workspace.getConfiguration('iamIdentityCenter').inspect('startUrl')?.globalValue, undefined);
    assert.deepEqual(done(await ui.walkthrough()), ['region']);
  });

  it("the second step's button asks in the sign-in's own checked input box, and the URL given there ticks it", async () => {
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', { category: WALKTHROUGH, step: 'startUrl' }, false);
    await ui.clickWalkthroughButton('Set User Portal URL');
    await ui.waitForQuickInput((state) => state.visible && state.title === 'IAM Identity Center: user portal URL', 'the user portal URL box');
    await ui.fill('portal.example.com');
    await ui.waitForQuickInput((state) => state.message === 'Enter an https:// URL.', 'the message under a bad URL');
    await ui.press('Enter');
    assert.ok((await ui.quickInput()).visible, 'Enter does not accept a bad URL');
    await ui.fill(`${h.emulatorUrl}/start`);
    await ui.waitForQuickInput((state) => state.message !== 'Enter an https:// URL.', 'the message gone');
    await ui.press('Enter');
    await waitForDone(['region', 'startUrl']);
    const saved = () => vscode.workspace.getConfiguration('iamIdentityCenter').inspect('startUrl')?.globalValue;
    await waitUntil(saved, (value) => value === `${h.emulatorUrl}/start`, (value) => `the user settings hold the URL given, not ${String(value)}`);
  });

  it('Set User Portal URL with args saves the URL and returns it', async () => {
    assert.deepEqual(await run('iamIdentityCenter.setStartUrl', { startUrl: ` ${h.emulatorUrl}/start ` }), { startUrl: `${h.emulatorUrl}/start` });
    assert.equal(vscode.workspace.getConfiguration('iamIdentityCenter').inspect('startUrl')?.globalValue, `${h.emulatorUrl}/start`);
  });

  it('signing in ticks the third', async () => {
    await h.emulator.configure({ enforceInterval: false });
    await signInApproved(h, 'walkthrough test');
    await waitForDone(['region', 'startUrl', 'signIn']);
  });

  it('selecting an account and agency ticks the fourth', async () => {
    await run('iamIdentityCenter.selectAgency', { accountId: PRODUCTION, agencyUrn: READ_ONLY });
    await waitForDone(['region', 'startUrl', 'signIn', 'agency']);
  });

  it("opening a terminal ticks the last, from the step's button or as VS Code's own command", async () => {
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', { category: WALKTHROUGH, step: 'terminal' }, false);
    await ui.clickWalkthroughButton('Open Terminal');
    await waitForDone(STEPS);
    await vscode.commands.executeCommand('welcome.markStepIncomplete', `${WALKTHROUGH}#terminal`);
    await waitForDone(STEPS.slice(0, -1));
    await vscode.commands.executeCommand('workbench.action.terminal.new');
    await waitForDone(STEPS);
  });

  it('fits a 1024×768 window: no title, description or step is cut off', async () => {
    await assertWalkthroughFits(ui);
  });
});
