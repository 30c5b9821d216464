import { strict as assert } from 'node:assert';
import { IdentityCenterEmulator } from '../support/emulator/emulator';
import { EmulatorControl } from '../support/emulator/control';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const DOCUMENTED_REGISTRATION = {
  client_name: 'exampleClient',
  client_type: 'public',
  token_endpoint_auth_method: 'client_secret_post',
  scopes: ['openid'],
  grant_types: ['authorization_code', DEVICE_GRANT],
  response_types: ['code'],
};

interface Answer {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe('IdentityCenterEmulator', () => {
  let emulator: IdentityCenterEmulator;

  beforeEach(async () => {
    emulator = await IdentityCenterEmulator.start();
  });
  afterEach(async () => {
    await emulator.close();
  });

  async function post(path: string, body: unknown): Promise<Answer> {
    const response = await fetch(emulator.url + path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json;charset=UTF-8' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }

  async function register(): Promise<{ client_id: string; client_secret: string }> {
    return (await post('/v1/clients', DOCUMENTED_REGISTRATION)).body.client_info;
  }

  async function startDevice(client: { client_id: string; client_secret: string }): Promise<Answer> {
    return post('/v1/device/authorize', { ...client, start_url: 'https://portal.example.com/start' });
  }

  function poll(client: { client_id: string; client_secret: string }, deviceCode: string): Promise<Answer> {
    return post('/v1/tokens', { ...client, grant_type: DEVICE_GRANT, device_code: deviceCode });
  }

  it('registers a client as the API page documents, on the emulator clock', async () => {
    emulator.setClockOffset(1000);
    const answer = await post('/v1/clients', DOCUMENTED_REGISTRATION);
    assert.equal(answer.status, 200);
    const info = answer.body.client_info;
    assert.match(info.client_id, /^cid-[0-9a-f]+$/);
    assert.match(info.client_secret, /^csecret-[0-9a-f]{32}$/);
    assert.equal(info.authorization_endpoint, `${emulator.url}/v1/authorize`);
    assert.equal(info.token_endpoint, `${emulator.url}/v1/tokens`);
    assert.deepEqual(info.scopes, ['openid']);
    assert.ok(Math.abs(info.client_id_issued_at - (Date.now() / 1000 + 1000)) < 5);
    assert.equal(info.client_secret_expires_at, info.client_id_issued_at + 7776000);
    assert.ok(Math.abs(Date.parse(answer.headers.get('date')!) / 1000 - info.client_id_issued_at) <= 1);
    assert.match(answer.headers.get('x-request-id')!, /^[0-9a-f-]{36}$/);
    assert.deepEqual(emulator.issuedSecrets(), [info.client_secret]);
    const [recorded] = emulator.requests('/v1/clients');
    assert.deepEqual(recorded.body, DOCUMENTED_REGISTRATION);
    assert.deepEqual([recorded.query, recorded.search], [{}, '']);
    assert.equal(recorded.headers['content-type'], 'application/json;charset=UTF-8');
  });

  it('validates registrations exactly, counting client_name in code points', async () => {
    assert.equal((await post('/v1/clients', { ...DOCUMENTED_REGISTRATION, client_name: '😀'.repeat(1024) })).status, 200);
    const invalid = [
      { ...DOCUMENTED_REGISTRATION, client_name: '😀'.repeat(1025) },
      { ...DOCUMENTED_REGISTRATION, client_name: '' },
      { ...DOCUMENTED_REGISTRATION, client_type: 'confidential' },
      { ...DOCUMENTED_REGISTRATION, grant_types: ['device_code'] },
      { ...DOCUMENTED_REGISTRATION, response_types: ['token'] },
      { ...DOCUMENTED_REGISTRATION, scopes: 'openid' },
    ];
    for (const body of invalid) {
      const answer = await post('/v1/clients', body);
      assert.equal(answer.status, 400, JSON.stringify(body).slice(0, 80));
      assert.equal(answer.body.error_code, 'IIC.1001');
      assert.equal(answer.body.request_id, answer.headers.get('x-request-id'));
    }
    assert.equal((await post('/v1/clients', 'not json')).body.error_code, 'IIC.400');
    const missing = await post('/v1/nothing', {});
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error_code, 'IIC.404');
  });

  it('runs the device flow: pending, approval, tokens, then the code is spent', async () => {
    const client = await register();
    const device = (await startDevice(client)).body;
    assert.match(device.device_code, /^dcode-[0-9a-f]+$/);
    assert.match(device.user_code, /^[A-Z]{4}-[A-Z]{4}$/);
    assert.equal(device.verification_uri, `${emulator.url}/device`);
    assert.equal(device.verification_uri_complete, `${emulator.url}/device?user_code=${device.user_code}`);
    assert.equal(device.expires_in, 600);
    assert.equal(device.interval, 5);
    assert.deepEqual(emulator.pendingUserCodes(), [device.user_code]);

    const pending = await poll(client, device.device_code);
    assert.deepEqual([pending.status, pending.body.error], [400, 'authorization_pending']);

    assert.equal(emulator.approve(), device.user_code);
    emulator.advanceClock(5);
    const tokens = await poll(client, device.device_code);
    assert.equal(tokens.status, 200);
    const info = tokens.body.token_info;
    assert.match(info.access_token, /^atoken-/);
    assert.match(info.refresh_token, /^rtoken-/);
    assert.equal(info.token_type, 'Bearer');
    assert.equal(info.expires_in, 3600);
    const [, payload, signature] = info.id_token.split('.');
    assert.ok(signature);
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    assert.equal(claims.name, 'Test User');
    assert.equal(claims.preferred_username, 'test.user@example.com');
    assert.equal(claims.exp - claims.iat, 3600);
    for (const secret of [device.device_code, info.access_token, info.refresh_token, info.id_token]) {
      assert.ok(emulator.issuedSecrets().includes(secret));
    }

    emulator.advanceClock(5);
    assert.equal((await poll(client, device.device_code)).body.error, 'invalid_grant');
  });

  it('sends the verification page the settings name instead of its own, and refuses one that is not a URL', async () => {
    emulator.configure({ verificationUri: 'https://idcenter.example.com/device' });
    const device = (await startDevice(await register())).body;
    assert.equal(device.verification_uri, 'https://idcenter.example.com/device');
    assert.equal(device.verification_uri_complete, `https://idcenter.example.com/device?user_code=${device.user_code}`);
    for (const verificationUri of ['/device', 42]) {
      assert.throws(() => emulator.configure({ verificationUri } as never), /verificationUri must be null or an absolute URL/);
    }
    emulator.configure({ verificationUri: null });
    assert.equal((await startDevice(await register())).body.verification_uri, `${emulator.url}/device`);
  });

  it('answers slow_down to a poll inside the interval and raises the interval by 5 s', async () => {
    const client = await register();
    const { device_code } = (await startDevice(client)).body;
    await poll(client, device_code);
    emulator.advanceClock(4);
    assert.equal((await poll(client, device_code)).body.error, 'slow_down');
    emulator.advanceClock(9);
    assert.equal((await poll(client, device_code)).body.error, 'slow_down', '9 s is inside the raised 10 s');
    emulator.advanceClock(15);
    assert.equal((await poll(client, device_code)).body.error, 'authorization_pending');
  });

  it('rejects unknown, revoked and expired clients with 401 invalid_client', async () => {
    const client = await register();
    assert.equal((await startDevice({ ...client, client_secret: 'csecret-wrong' })).status, 401);
    emulator.advanceClock(7776000);
    const expired = await startDevice(client);
    assert.deepEqual([expired.status, expired.body.error], [401, 'invalid_client']);

    emulator.setClockOffset(0);
    const other = await register();
    emulator.revokeClient(other.client_id);
    assert.equal((await startDevice(other)).status, 401);
    const missing = await post('/v1/device/authorize', { client_id: client.client_id });
    assert.deepEqual([missing.status, missing.body.error_code], [400, 'IIC.1001']);
  });

  it('words denial and expiry in the configured error style', async () => {
    const client = await register();
    const denied = (await startDevice(client)).body;
    emulator.deny(denied.user_code);
    emulator.configure({ tokenErrorStyle: 'aws' });
    assert.deepEqual((await poll(client, denied.device_code)).body.error, 'AccessDeniedException');

    const expired = (await startDevice(client)).body;
    emulator.advanceClock(600);
    emulator.configure({ tokenErrorStyle: 'huawei' });
    const answer = await poll(client, expired.device_code);
    assert.deepEqual([answer.status, answer.body.error_code], [400, 'expired_token']);

    assert.throws(() => emulator.configure({ toString: 1 } as object), /Unknown setting toString/, 'an inherited name is not a setting');
    emulator.configure({ tokenErrorStyle: 'oauth', expiresInStyle: 'epoch', interval: null, deviceCodeLifetimeSeconds: 300 });
    // The emulator's clock runs: its second may turn during the request.
    const before = Math.floor(emulator.now() / 1000);
    const quirky = (await startDevice(client)).body;
    const after = Math.floor(emulator.now() / 1000);
    assert.ok(quirky.expires_in >= before + 300 && quirky.expires_in <= after + 300, `expires_in ${quirky.expires_in} is the epoch second 300 s on`);
    assert.equal('interval' in quirky, false);
  });

  it('refreshes tokens and retires a rotated refresh token', async () => {
    const client = await register();
    const { device_code } = (await startDevice(client)).body;
    emulator.approve();
    const first = (await poll(client, device_code)).body.token_info;
    const refresh = (token: string): Promise<Answer> => post('/v1/tokens', { ...client, grant_type: 'refresh_token', refresh_token: token });
    const second = await refresh(first.refresh_token);
    assert.equal(second.status, 200);
    assert.notEqual(second.body.token_info.access_token, first.access_token);
    assert.equal((await refresh(first.refresh_token)).body.error, 'invalid_grant');

    emulator.configure({ issueRefreshTokens: false });
    const next = (await startDevice(client)).body;
    emulator.approve(next.user_code);
    assert.equal((await poll(client, next.device_code)).body.token_info.refresh_token, null);
  });

  it('serves a verification page whose buttons approve or deny', async () => {
    const client = await register();
    const device = (await startDevice(client)).body;
    const page = await fetch(device.verification_uri_complete);
    assert.match(page.headers.get('content-type')!, /^text\/html/);
    const text = await page.text();
    assert.ok(text.includes(device.user_code));
    assert.ok(text.includes('action="device/approve"') && text.includes('action="device/deny"'), 'relative to the page: see verificationPage.test.ts');
    assert.ok((await (await fetch(device.verification_uri)).text()).includes('name="user_code"'));

    const approved = await fetch(`${emulator.url}/device/approve`, { method: 'POST', body: new URLSearchParams({ user_code: device.user_code }) });
    assert.equal(approved.status, 200);
    assert.match(await approved.text(), /Approved/);
    assert.equal((await poll(client, device.device_code)).status, 200);
  });

  it('injects status, body and connection faults, then answers normally again', async () => {
    emulator.injectFault({ type: 'status', status: 503, headers: { 'Retry-After': '7' } }, { path: '/v1/clients', times: 2 });
    emulator.injectFault({ type: 'body', status: 502, contentType: 'text/html', body: '<html>Bad Gateway</html>' }, { path: '/v1/tokens' });
    for (let i = 0; i < 2; i++) {
      const failed = await post('/v1/clients', DOCUMENTED_REGISTRATION);
      assert.deepEqual([failed.status, failed.body.error_code, failed.headers.get('retry-after')], [503, 'IIC.503', '7']);
    }
    assert.equal((await post('/v1/clients', DOCUMENTED_REGISTRATION)).status, 200);
    const html = await post('/v1/tokens', {});
    assert.deepEqual([html.status, html.body], [502, '<html>Bad Gateway</html>']);

    emulator.injectFault({ type: 'reset' });
    await assert.rejects(post('/v1/clients', DOCUMENTED_REGISTRATION));
    emulator.injectFault({ type: 'resetMidBody' });
    await assert.rejects(post('/v1/clients', DOCUMENTED_REGISTRATION));
    emulator.injectFault({ type: 'oversized', bytes: 300_000 });
    const big = await fetch(`${emulator.url}/v1/clients`, { method: 'POST', body: '{}' });
    assert.equal((await big.text()).length, 300_000);
    assert.equal(emulator.requests('/v1/clients').length, 6);
  });

  it('trickles a valid body slowly, and close() ends hung connections at once', async () => {
    emulator.injectFault({ type: 'trickle', bytesPerTick: 40, tickMs: 20 });
    const started = Date.now();
    const slow = await post('/v1/clients', DOCUMENTED_REGISTRATION);
    assert.equal(slow.status, 200);
    assert.match(slow.body.client_info.client_id, /^cid-/);
    assert.ok(Date.now() - started >= 100);

    emulator.injectFault({ type: 'hang' });
    const hung = post('/v1/clients', DOCUMENTED_REGISTRATION);
    while (emulator.requests().length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    const closing = Date.now();
    await emulator.close();
    await assert.rejects(hung);
    assert.ok(Date.now() - closing < 1000);
  });

  it('is driven over HTTP by EmulatorControl', async () => {
    const control = new EmulatorControl(emulator.url);
    await control.setSecretLifetime(60);
    await control.configure({ interval: 2 });
    const client = await register();
    assert.equal((await control.requests('/v1/clients')).length, 1);
    const device = (await startDevice(client)).body;
    assert.equal(device.interval, 2);
    assert.deepEqual(await control.pendingUserCodes(), [device.user_code]);
    assert.equal(await control.approve(), device.user_code);
    assert.equal((await poll(client, device.device_code)).status, 200);
    assert.ok((await control.issuedSecrets()).includes(client.client_secret));

    await control.injectFault({ type: 'status', status: 500 }, { path: '/v1/device/authorize' });
    assert.equal((await startDevice(client)).status, 500);
    assert.equal((await control.advanceClock(61)).offsetSeconds, 61);
    assert.equal((await startDevice(client)).status, 401, 'the 60 s secret has expired');
    await assert.rejects(control.approve('ZZZZ-ZZZZ'), /Unknown user code/);

    await control.reset();
    assert.deepEqual(await control.requests(), []);
    assert.ok((await control.issuedSecrets()).includes(client.client_secret), 'reset keeps issued secrets for leak scans');
    assert.equal((await control.currentSettings()).secretLifetimeSeconds, 7776000);
  });
});
