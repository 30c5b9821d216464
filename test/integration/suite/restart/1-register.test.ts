/**
 * Restart, first launch: registers and leaves the client id for the second launch,
 * which runs with the same user-data folder.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
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
});
