/**
 * A repository may choose one of the user's profiles by name, never define one. The
 * user's settings (written before VS Code started) hold the flat settings and the
 * profile `second` (the emulator, user portal `/start-b`); the folder's
 * `.vscode/settings.json` chooses `second`, and also defines `repository` and redefines
 * `second`, both pointing at the second emulator, as a hostile repository would. Only
 * the user's profiles count, and nothing reaches the second emulator. Choose Profile in
 * a window with a folder writes the workspace's settings.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Harness, openHarness, rejection, run, signInApproved } from '../harness';
import { Ui } from '../ui';

const ITEM = 'iamIdentityCenter.status';
const ACCOUNT = 'test.user@example.com';

describe('profiles chosen by a workspace', () => {
  let h: Harness;
  const ui = new Ui();
  const config = () => vscode.workspace.getConfiguration('iamIdentityCenter');
  /** The folder's settings file, as the repository holds it. */
  const workspaceFile = () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the phase opens a folder');
    return JSON.parse(fs.readFileSync(path.join(folder.uri.fsPath, '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>;
  };

  before(async () => {
    h = await openHarness();
    await h.emulator.reset();
    await h.secondEmulator.reset();
    await h.emulator.configure({ enforceInterval: false });
  });

  it('the window uses the user’s profile the workspace names, at the user’s user portal; the workspace’s own profiles are ignored', async () => {
    const repository = workspaceFile()['iamIdentityCenter.profiles'] as Record<string, { endpoint: string }>;
    assert.equal(repository.repository.endpoint, h.secondEmulator.url, 'the folder really defines a profile of its own');
    assert.equal(repository.second.endpoint, h.secondEmulator.url, 'and redefines the user’s');
    assert.equal(config().inspect('profile')?.workspaceValue, 'second');

    const item = await ui.waitForStatusItem(ITEM, (shown) => shown.text.includes('(second)'), 'the profile second');
    assert.equal(item.text, 'IAM Identity Center (second): Sign In');
    await signInApproved(h, 'workspace profiles test');
    const [authorize] = await h.emulator.requests('/v1/device/authorize');
    assert.equal((authorize.body as { start_url: string }).start_url, `${h.emulatorUrl}/start-b`, 'the user’s second, not the repository’s');
    assert.deepEqual((await h.testing.providerSessions(['openid'])).map((session) => session.label), [`${ACCOUNT} (second)`]);
    assert.equal((await run<{ endpoint: string }>('iamIdentityCenter.showClient')).endpoint, h.emulatorUrl);

    assert.equal(
      await rejection(run('iamIdentityCenter.signIn', { profile: 'repository' })),
      'There is no profile "repository". Choose one of your profiles, or add it to the Profiles setting, then retry.',
    );
    assert.deepEqual(await h.secondEmulator.requests(), [], 'nothing reached the server the repository named');
  });

  it('Choose Profile writes the workspace’s settings, not the user’s; the window follows', async () => {
    assert.deepEqual(await run('iamIdentityCenter.chooseProfile', { profile: 'default' }), { profile: 'default' });
    assert.equal(config().inspect('profile')?.workspaceValue, 'default', 'written to the workspace, even for default (it overrides the folder’s choice)');
    assert.equal(config().inspect('profile')?.globalValue, undefined, 'the user’s settings are not touched');
    assert.equal(workspaceFile()['iamIdentityCenter.profile'], 'default');
    const item = await ui.waitForStatusItem(ITEM, (shown) => shown.text.includes('(default)'), 'the profile default');
    assert.equal(item.text, 'IAM Identity Center (default): Sign In', 'default has no session: second’s was its own');
    assert.deepEqual(await h.testing.providerSessions(['openid']), []);

    await run('iamIdentityCenter.chooseProfile', { profile: 'second' });
    assert.equal(config().inspect('profile')?.workspaceValue, 'second');
    const back = await ui.waitForStatusItem(ITEM, (shown) => shown.text.includes('(second)'), 'the profile second');
    assert.equal(back.text, `IAM Identity Center (second): ${ACCOUNT}`);
    assert.deepEqual(await h.secondEmulator.requests(), []);
  });
});
