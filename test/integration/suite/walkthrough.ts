/**
 * The Get Started walkthrough as the tests name it: its id, its steps, and which of them
 * the checklist shows done.
 */
import type { WalkthroughStep } from '../../support/realVscode/uiDriver';
import { EXTENSION_ID } from './harness';

/** The walkthrough's id, as `workbench.action.openWalkthrough` takes it. */
export const WALKTHROUGH = `${EXTENSION_ID}#gettingStarted`;

/** Its steps, in order. */
export const STEPS = ['region', 'startUrl', 'signIn', 'agency', 'terminal'];

/** The ids of the steps done, in the walkthrough's order. */
export function doneSteps(steps: WalkthroughStep[]): string[] {
  return steps.filter((step) => step.done).map((step) => step.id.slice(`${WALKTHROUGH}#`.length));
}
