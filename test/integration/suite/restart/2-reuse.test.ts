/**
 * Restart, second launch with the same user-data folder: the stored registration is
 * read back at activation and reused, with no second `POST /v1/clients`, and the
 * session is still signed in.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openHarness, run } from '../harness';

describe('Restart (second launch)', () => {
  it('reuses the stored registration without registering again', async () => {
    const shared = process.env.IIC_TEST_SHARED_DIR;
    assert.ok(shared, 'the runner sets IIC_TEST_SHARED_DIR');
    const { clientId } = JSON.parse(fs.readFileSync(path.join(shared, 'restart-client.json'), 'utf8'));
    const h = await openHarness();
    const shown = await run<{ clientId: string } | undefined>('iamIdentityCenter.showClient');
    assert.equal(shown?.clientId, clientId);
    assert.equal((await h.api.ensureClient()).clientId, clientId);
    assert.equal((await h.emulator.requests('/v1/clients')).length, 1, 'only the first launch registered');
  });

  it('keeps the session: signed in without signing in again', async () => {
    const h = await openHarness();
    const before = (await h.emulator.requests('/v1/device/authorize')).length;
    assert.equal(await h.testing.sessionAccount(), 'test.user@example.com');
    assert.equal((await h.emulator.requests('/v1/device/authorize')).length, before);
  });
});
