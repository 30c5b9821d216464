/**
 * The Get Started walkthrough as the tests name it: its id, its steps, which of them the
 * checklist shows done, and whether it fits the window a desktop VS Code first opens.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { WalkthroughStep } from '../../support/realVscode/uiDriver';
import { EXTENSION_ID } from './harness';
import type { Ui } from './ui';

/** The walkthrough's id, as `workbench.action.openWalkthrough` takes it. */
export const WALKTHROUGH = `${EXTENSION_ID}#gettingStarted`;

/** Its steps, in order. */
export const STEPS = ['region', 'startUrl', 'signIn', 'agency', 'terminal'];

/** The ids of the steps done, in the walkthrough's order. */
export function doneSteps(steps: WalkthroughStep[]): string[] {
  return steps.filter((step) => step.done).map((step) => step.id.slice(`${WALKTHROUGH}#`.length));
}

/**
 * Opens each step of the walkthrough in a 1024×768 window (the size a desktop VS Code
 * first opens at, with the panel closed) and asserts that nothing in it is cut off.
 */
export async function assertWalkthroughFits(ui: Ui): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closePanel');
  await ui.resize(1024, 768);
  try {
    for (const step of STEPS) {
      await vscode.commands.executeCommand('workbench.action.openWalkthrough', { category: WALKTHROUGH, step }, false);
      await ui.waitForWalkthrough((steps) => steps.length === STEPS.length, 'the steps');
      // The layout settles a frame after the step opens.
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.deepEqual(await ui.walkthroughCuts(), [], `with step ${step} open`);
    }
  } finally {
    await ui.resize(1280, 800);
  }
}
