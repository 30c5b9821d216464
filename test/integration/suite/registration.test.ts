/**
 * Registration inside a real VS Code: commands with args, the stored record,
 * renewal after expiry, corrupt storage and forgetting.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { assertNoSecretIn, Harness, openHarness, rejection, run } from './harness';
import { Ui } from './ui';
import type { ClientSummary as Summary } from '../../../src/vscode/summaries';

const REGISTER = 'iamIdentityCenter.registerClient';
const SHOW = 'iamIdentityCenter.showClient';
const FORGET = 'iamIdentityCenter.forgetClient';


describe('Register Client in VS Code', () => {
  let h: Harness;

  before(async () => {
    h = await openHarness();
  });

  beforeEach(async () => {
    h.testing.resetClock();
    await run(FORGET);
    await h.emulator.reset();
  });

  it('registers through the command with args and returns the registration without its secret', async () => {
    const result = await run<Summary>(REGISTER, { clientName: 'Integration laptop' });
    assert.deepEqual(Object.keys(result).sort(), ['clientId', 'clientName', 'endpoint', 'expiresAt', 'issuedAt', 'scopes']);
    assert.equal(result.clientName, 'Integration laptop');
    assert.match(result.clientId, /^cid-/);
    assert.equal(result.endpoint, h.emulatorUrl);
    assert.deepEqual(result.scopes, ['openid']);
    assert.ok(Number.isInteger(result.expiresAt) && result.expiresAt > result.issuedAt);

    const posts = await h.emulator.requests('/v1/clients');
    assert.equal(posts.length, 1);
    assert.deepEqual(posts[0].body, {
      client_name: 'Integration laptop',
      client_type: 'public',
      token_endpoint_auth_method: 'client_secret_post',
      scopes: ['openid'],
      grant_types: ['authorization_code', 'urn:ietf:params:oauth:grant-type:device_code'],
      response_types: ['code'],
    });
    await assertNoSecretIn(h.emulator, JSON.stringify(result), 'the command result');
    assert.deepEqual(await run<Summary>(SHOW), result);
  });

  it('refuses an empty or 1025-character clientName before any request', async () => {
    assert.match(await rejection(run(REGISTER, { clientName: '' })), /client name/i);
    assert.match(await rejection(run(REGISTER, { clientName: 'x'.repeat(1025) })), /1025 characters/);
    assert.equal((await h.emulator.requests('/v1/clients')).length, 0);
    const ok = await run<Summary>(REGISTER, { clientName: '😀'.repeat(1024) });
    assert.equal([...ok.clientName].length, 1024, 'length counts code points, not UTF-16 units');
  });

  it('the palette input box offers a default and validates the name as the user types', async () => {
    const ui = new Ui();
    const pending = Promise.resolve(vscode.commands.executeCommand<Summary | undefined>(REGISTER));
    const opened = await ui.waitForQuickInput((state) => state.visible && /client name/i.test(state.title), 'the client-name box');
    assert.match(opened.value, /^VS Code \(.+\)$/);
    await ui.fill('');
    await ui.waitForQuickInput((state) => /Enter a client name/.test(state.message), 'the empty-name message');
    await ui.fill('x'.repeat(1025));
    await ui.waitForQuickInput((state) => /1025 characters/.test(state.message), 'the too-long message');
    await ui.press('Enter');
    assert.ok((await ui.quickInput()).visible, 'Enter does not accept an invalid name');
    assert.equal((await h.emulator.requests('/v1/clients')).length, 0);
    await ui.fill('Typed in the box');
    await ui.waitForQuickInput((state) => state.message.startsWith('The name IAM Identity Center shows'), 'the prompt again, with no error');
    await ui.press('Enter');
    const result = await pending;
    assert.equal(result?.clientName, 'Typed in the box');
    assert.equal((await h.emulator.requests('/v1/clients')).length, 1);
  });

  it('keeps the good registration when a new one fails, and says what to do', async () => {
    const good = await run<Summary>(REGISTER, { clientName: 'good' });
    await h.emulator.injectFault({ type: 'status', status: 503, body: { error_code: 'IIC.503', error_msg: 'down' } }, { path: '/v1/clients', times: 3 });
    assert.match(await rejection(run(REGISTER, { clientName: 'second' })), /retry/i);
    assert.equal((await h.emulator.requests('/v1/clients')).length, 4, 'a 503 is retried, three attempts in all');
    await h.emulator.injectFault({ type: 'body', status: 200, contentType: 'application/json', body: '{"client_info":{"client_id":"x"}}' }, { path: '/v1/clients' });
    assert.match(await rejection(run(REGISTER, { clientName: 'third' })), /unexpected response/i);
    assert.deepEqual(await run<Summary>(SHOW), good);
  });

  it('after expiry, ten racing callers cause exactly one new registration', async () => {
    const first = await run<Summary>(REGISTER, { clientName: 'racer' });
    const before = (await h.emulator.requests('/v1/clients')).length;
    h.testing.advanceClock((first.expiresAt - first.issuedAt) * 1000);
    const results = await Promise.all(Array.from({ length: 10 }, () => h.api.ensureClient()));
    assert.equal((await h.emulator.requests('/v1/clients')).length, before + 1);
    const ids = new Set(results.map((r) => r.clientId));
    assert.equal(ids.size, 1);
    assert.notEqual(results[0].clientId, first.clientId);
    assert.equal(results[0].clientName, 'racer', 'renewal reuses the stored client name');
    assert.equal((await run<Summary>(SHOW)).clientId, results[0].clientId);
  });

  it('uses a registration until its renewal margin, then renews once', async () => {
    const first = await run<Summary>(REGISTER, { clientName: 'margin' });
    const lifetimeMs = (first.expiresAt - first.issuedAt) * 1000;
    const marginMs = Math.min(3600_000, lifetimeMs / 10);
    h.testing.advanceClock(lifetimeMs - marginMs - 60_000);
    assert.equal((await h.api.ensureClient()).clientId, first.clientId);
    assert.equal((await h.emulator.requests('/v1/clients')).length, 1);
    h.testing.advanceClock(60_000);
    assert.notEqual((await h.api.ensureClient()).clientId, first.clientId);
    assert.equal((await h.emulator.requests('/v1/clients')).length, 2);
  });

  it('treats a corrupt stored record as absent and replaces it on the next success', async () => {
    await h.testing.storeRaw('registration', '{"version":1,"clientId":');
    assert.equal(await run(SHOW), undefined);
    assert.match(await rejection(h.api.ensureClient()), /Register a client/);
    const fresh = await run<Summary>(REGISTER, { clientName: 'recovered' });
    const stored = JSON.parse((await h.testing.readRaw('registration')) ?? 'null');
    assert.equal(stored.clientId, fresh.clientId);
    assert.deepEqual(await run<Summary>(SHOW), fresh);
  });

  it('forgetClient deletes the stored registration', async () => {
    await run<Summary>(REGISTER, { clientName: 'to forget' });
    assert.equal(await run(FORGET), undefined);
    assert.equal(await run(SHOW), undefined);
    assert.equal(await h.testing.readRaw('registration'), undefined);
  });
});
