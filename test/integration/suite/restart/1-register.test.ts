/**
 * Restart, first launch: registers and signs in, and leaves the client id for the
 * second launch, which runs with the same user-data folder.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { openHarness, run } from '../harness';

describe('Restart (first launch)', () => {
  it('registers a client and stores it', async () => {
    const h = await openHarness();
    await h.emulator.reset();
    const result = await run<{ clientId: string }>('iamIdentityCenter.registerClient', { clientName: 'survives restarts' });
    assert.equal((await h.emulator.requests('/v1/clients')).length, 1);
    const shared = process.env.IIC_TEST_SHARED_DIR;
    assert.ok(shared, 'the runner sets IIC_TEST_SHARED_DIR');
    fs.writeFileSync(path.join(shared, 'restart-client.json'), JSON.stringify({ clientId: result.clientId }));
  });

  it('signs in and stores the session', async () => {
    const h = await openHarness();
    await vscode.workspace.getConfiguration('iamIdentityCenter').update('startUrl', `${h.emulatorUrl}/start`, vscode.ConfigurationTarget.Global);
    await h.emulator.configure({ enforceInterval: false });
    const stop = h.testing.onUserCode((prompt) => void h.emulator.approve(prompt.userCode));
    try {
      const session = await run<{ account: string }>('iamIdentityCenter.signIn', {});
      assert.equal(session.account, 'test.user@example.com');
    } finally {
      stop();
    }
    assert.equal(await h.testing.sessionAccount(), 'test.user@example.com');
  });
});
