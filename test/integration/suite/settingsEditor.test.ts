/**
 * The extension's settings in VS Code's Settings editor, as a person meets them: grouped
 * under Sign-in, Terminals and processes and Network (advanced), Region and User portal URL
 * first, described in the words the messages use, and a value the extension could not use
 * refused as it is typed (the manifest's `pattern`), not saved, rather than at sign-in.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXTENSION_ID, openHarness, waitUntil } from './harness';
import { Ui } from './ui';

const nls = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'package.nls.json'), 'utf8')) as Record<string, string>;

describe('The Settings editor', () => {
  const ui = new Ui();
  const config = () => vscode.workspace.getConfiguration('iamIdentityCenter');
  let startUrl: string | undefined;

  before(async () => {
    await openHarness();
    startUrl = config().inspect<string>('startUrl')?.globalValue;
  });

  // An editor another suite left open (a Settings editor filtered to one setting, say)
  // would answer in place of a fresh one: each test starts from none.
  beforeEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  after(async () => {
    await config().update('region', undefined, vscode.ConfigurationTarget.Global);
    await config().update('startUrl', startUrl, vscode.ConfigurationTarget.Global);
  });

  it('groups the settings under Sign-in, Terminals and processes and Network (advanced), Region and User portal URL first', async () => {
    await vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${EXTENSION_ID}`);
    const first = ['iamIdentityCenter.region', 'iamIdentityCenter.startUrl', 'iamIdentityCenter.scopes'];
    // The list draws the rows in view once it has scrolled to its top: look until it has.
    const outline = await waitUntil(
      () => ui.settingsOutline(),
      (shown) => shown.keys.length >= first.length && shown.keys[0] === first[0],
      (shown) => `the Settings editor never showed Region first; last: ${JSON.stringify(shown)}`,
    );
    const ours = outline.toc.slice(outline.toc.indexOf('IAM Identity Center') + 1);
    assert.deepEqual(ours.slice(0, 3), ['Sign-in', 'Terminals and processes', 'Network (advanced)'], JSON.stringify(outline.toc));
    assert.deepEqual(outline.keys.slice(0, 3), first);
  });

  it('describes each setting in the words the messages use', async () => {
    // Both in view whatever setting an earlier editor left focused (VS Code reveals it).
    await vscode.commands.executeCommand('workbench.action.openSettings', '@id:iamIdentityCenter.startUrl,iamIdentityCenter.region');
    const shown = await ui.waitForSetting('iamIdentityCenter.startUrl', (state) => state.description.length > 0, 'the user portal URL setting');
    assert.match(shown.description, /^User portal URL: where you sign in/);
    assert.match((await ui.setting('iamIdentityCenter.region')).description, /^Region of IAM Identity Center/);
  });

  /**
   * Types `bad` into setting `key` in the Settings editor: VS Code shows `message` under it
   * and saves nothing. Then types `good`: no message, and it is saved in the user settings.
   */
  async function typeBadThenGood(key: string, bad: string, message: string, good: string): Promise<void> {
    const setting = `iamIdentityCenter.${key}`;
    const saved = () => config().inspect<string>(key)?.globalValue;
    const before = saved();
    await vscode.commands.executeCommand('workbench.action.openSettings', setting);
    await ui.waitForSetting(setting, () => true, setting);
    await ui.typeIntoSetting(setting, bad);
    const refused = await ui.waitForSetting(setting, (state) => state.value === bad && state.message !== '', `a message under "${bad}"`);
    assert.equal(refused.message, message);
    assert.equal(saved(), before, 'the refused value is not saved');

    await ui.typeIntoSetting(setting, good);
    const accepted = await ui.waitForSetting(setting, (state) => state.value === good, `"${good}" typed`);
    assert.equal(accepted.message, '');
    await waitUntil(saved, (value) => value === good, (value) => `the user settings hold "${good}", not ${String(value)}`);
  }

  it('refuses a region that is not a region id as it is typed, saving nothing; takes cn-north-4', async () => {
    await typeBadThenGood('region', 'Beijing 4', nls['config.region.patternError'], 'cn-north-4');
  });

  it('refuses a user portal URL without https:// as it is typed, saving nothing; takes a good one', async () => {
    await typeBadThenGood('startUrl', 'portal.example.com', nls['config.url.patternError'], 'https://portal.example.com/start');
  });
});
