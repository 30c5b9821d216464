/**
 * Restart, first launch: registers, signs in and selects an agency, and leaves the
 * client id for the second launch, which runs with the same user-data folder.
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

  it('selects an agency, whose credentials the second launch reuses', async () => {
    const h = await openHarness();
    const accountId = '5c3f0e8a9b2d4e71a6f08c1d2e3b4a59';
    const selected = await run<{ expiresAt: number }>('iamIdentityCenter.selectAgency', { accountId, agencyUrn: `iam::${accountId}:agency:iic_ReadOnlyAccess_7d41` });
    assert.ok(selected.expiresAt > Date.now() / 1000);
    // The second launch checks that it adds no request to these.
    const shared = process.env.IIC_TEST_SHARED_DIR ?? '';
    fs.writeFileSync(path.join(shared, 'restart-requests.json'), JSON.stringify({ count: (await h.emulator.requests()).length }));
  });
});
