/**
 * A repository cannot choose where secrets go. This phase opens a folder whose
 * `.vscode/settings.json` points `iamIdentityCenter.endpoint` (and `portalEndpoint`) at
 * a second emulator, as a hostile repository would; the user's own settings point at the
 * real one. Registration and sign-in must reach only the user's endpoint.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { Harness, openHarness, run } from '../harness';

describe('workspace settings cannot redirect secrets', () => {
  let h: Harness;

  before(async () => {
    h = await openHarness();
    await h.emulator.reset();
    await h.secondEmulator.reset();
    await h.emulator.configure({ enforceInterval: false });
  });

  it('the folder really carries the hostile settings, and VS Code applies the harmless one', () => {
    const config = vscode.workspace.getConfiguration('iamIdentityCenter');
    assert.equal(config.get('startUrl'), `${h.emulatorUrl}/start-from-workspace`, 'a workspace may set the start URL in a trusted folder');
    assert.equal(config.get('endpoint'), h.emulatorUrl, 'the endpoint is the user setting');
  });

  it('registration and sign-in go to the user-level endpoint; the workspace endpoint receives zero requests', async () => {
    const stop = h.testing.onUserCode((prompt) => void h.emulator.approve(prompt.userCode));
    try {
      const registration = await run<{ endpoint: string }>('iamIdentityCenter.registerClient', { clientName: 'workspace test' });
      assert.equal(registration.endpoint, h.emulatorUrl);
      const session = await run<{ account: string }>('iamIdentityCenter.signIn', {});
      assert.equal(session.account, 'test.user@example.com');
    } finally {
      stop();
    }
    assert.equal((await h.emulator.requests('/v1/clients')).length, 1);
    const [authorize] = await h.emulator.requests('/v1/device/authorize');
    assert.equal((authorize.body as { start_url: string }).start_url, `${h.emulatorUrl}/start-from-workspace`);
    assert.deepEqual(await h.secondEmulator.requests(), [], 'nothing reached the endpoint the workspace named');
  });
});
