/**
 * Restart, second launch with the same user-data folder: the agency's credentials, the
 * registration and the session are read back at activation and reused, with no request.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openHarness, run } from '../harness';
import { expectedFor, newTerminalSees } from '../terminalProbe';

describe('Restart (second launch)', () => {
  it('a start with a selected agency whose credentials are still good sends no request, and new terminals get them', async () => {
    const h = await openHarness();
    const shared = process.env.IIC_TEST_SHARED_DIR ?? '';
    const { count } = JSON.parse(fs.readFileSync(path.join(shared, 'restart-requests.json'), 'utf8')) as { count: number };
    const [issued] = (await h.emulator.issuedCredentials()).slice(-1);
    const shown = await run<{ agencyName: string; expiresAt?: number }>('iamIdentityCenter.showAgency');
    assert.equal(shown.agencyName, 'iic_ReadOnlyAccess_7d41');
    assert.equal(shown.expiresAt, Math.floor(issued.expiresAtMs / 1000));
    assert.deepEqual(await newTerminalSees(), expectedFor(issued));
    assert.equal((await h.emulator.requests()).length, count, 'activation and the checks sent nothing');
  });

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
