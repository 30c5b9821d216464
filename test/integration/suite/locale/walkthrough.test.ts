/**
 * The Get Started walkthrough in Chinese fits the 1024×768 window a desktop VS Code first
 * opens, as the English one does: no title, description or step is cut off.
 */
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../harness';
import { Ui } from '../ui';
import { assertWalkthroughFits } from '../walkthrough';

describe('The Get Started walkthrough in zh-cn', () => {
  it('fits a 1024×768 window: nothing in it is cut off', async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    await assertWalkthroughFits(new Ui());
  });
});
