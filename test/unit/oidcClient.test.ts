/**
 * The OIDC client against the emulator over real loopback HTTP: the exact request,
 * response validation, error mapping, and logs free of secrets.
 */
import { strict as assert } from 'node:assert';
import { isIdentityCenterError } from '../../src/core/common/errors';
import { validateClientName } from '../../src/core/common/validate';
import { OidcClient } from '../../src/core/oidc/client';
import { parseClientInfo } from '../../src/core/oidc/responses';
import { systemClock } from '../../src/core/common/ports';
import { rejectsWith } from '../support/assertions';
import { useEmulator } from '../support/emulatorFixture';


describe('OidcClient.registerClient', () => {
  const fx = useEmulator({ limits: { totalTimeoutMs: 2000, headersTimeoutMs: 1000, bodyIdleTimeoutMs: 500 } });
  let client: OidcClient;

  beforeEach(() => {
    // One attempt per call, so each injected fault is seen as it is (retries: retry.test.ts, network.test.ts).
    client = fx.oidc({ clock: systemClock });
  });

  it('sends exactly the documented request and returns the validated registration', async () => {
    const registration = await client.registerClient({ clientName: 'exampleClient', scopes: ['openid'] });
    const [request] = fx.emulator.requests('/v1/clients');
    assert.equal(request.method, 'POST');
    assert.match(request.headers['content-type'], /^application\/json/);
    assert.deepEqual(request.body, {
      client_name: 'exampleClient',
      client_type: 'public',
      token_endpoint_auth_method: 'client_secret_post',
      scopes: ['openid'],
      grant_types: ['authorization_code', 'urn:ietf:params:oauth:grant-type:device_code'],
      response_types: ['code'],
    });
    assert.equal(registration.clientName, 'exampleClient');
    assert.equal(registration.endpoint, fx.emulator.url);
    assert.match(registration.clientId, /^cid-/);
    assert.match(registration.clientSecret, /^csecret-/);
    assert.equal(registration.expiresAt - registration.issuedAt, 90 * 24 * 3600);
    assert.equal(registration.tokenEndpoint, `${fx.emulator.url}/v1/tokens`);
    assert.deepEqual(registration.scopes, ['openid']);
  });

  it('keeps a path prefix of the endpoint (private deployments)', async () => {
    const prefixed = fx.oidc({ endpoint: `${fx.emulator.url}/iam`, clock: systemClock });
    await rejectsWith(prefixed.registerClient({ clientName: 'prefixed', scopes: ['openid'] }), 'configuration');
    assert.deepEqual(fx.emulator.requests().map((r) => r.path), ['/iam/v1/clients']);
  });

  it('logs method, path, status and duration, and never the secret', async () => {
    const registration = await client.registerClient({ clientName: 'logged', scopes: ['openid'] });
    assert.ok(fx.logger.lines.some((line) => /^info: POST \/v1\/clients 200 \d+ ms$/.test(line)), fx.logger.text());
    assert.ok(!fx.logger.text().includes(registration.clientSecret));
  });

  it('refuses an invalid client name before sending anything', async () => {
    await rejectsWith(client.registerClient({ clientName: '', scopes: ['openid'] }), 'configuration');
    await rejectsWith(client.registerClient({ clientName: 'x'.repeat(1025), scopes: ['openid'] }), 'configuration');
    assert.equal(fx.emulator.requests().length, 0);
  });

  it('maps the Huawei envelope of a validation error to a service error', async () => {
    fx.emulator.injectFault({ type: 'status', status: 400, body: { error_code: 'IIC.1001', error_msg: 'client_name <script>' } }, { path: '/v1/clients' });
    const error = await rejectsWith(client.registerClient({ clientName: 'a', scopes: ['openid'] }), 'service');
    assert.equal(error.code, 'IIC.1001');
    assert.equal(error.status, 400);
    assert.match(error.message, /IIC\.1001/);
    assert.ok(!error.message.includes('<script>'), 'server text stays out of the message');
    assert.equal(error.serviceText, 'client_name <script>');
  });

  it('maps the OAuth envelope and 401 to a rejected client', async () => {
    fx.emulator.injectFault({ type: 'status', status: 400, body: { error: 'invalid_client', error_description: 'no' } }, { path: '/v1/clients' });
    await rejectsWith(client.registerClient({ clientName: 'a', scopes: ['openid'] }), 'rejectedClient');
    fx.emulator.injectFault({ type: 'status', status: 401, body: {} }, { path: '/v1/clients' });
    await rejectsWith(client.registerClient({ clientName: 'a', scopes: ['openid'] }), 'rejectedClient');
  });

  it('maps 5xx and 429 to service errors that say retry, keeping Retry-After', async () => {
    fx.emulator.injectFault({ type: 'status', status: 503 }, { path: '/v1/clients' });
    assert.match((await rejectsWith(client.registerClient({ clientName: 'a', scopes: [] }), 'service')).message, /retry/i);
    fx.emulator.injectFault({ type: 'status', status: 429, headers: { 'retry-after': '7' } }, { path: '/v1/clients' });
    const throttled = await rejectsWith(client.registerClient({ clientName: 'a', scopes: [] }), 'service');
    assert.equal(throttled.retryAfterSeconds, 7);
  });

  it('reports an HTML proxy page and non-JSON bodies as not from the service', async () => {
    fx.emulator.injectFault({ type: 'body', status: 502, contentType: 'text/html', body: '<html><body>Bad gateway</body></html>' }, { path: '/v1/clients' });
    assert.match((await rejectsWith(client.registerClient({ clientName: 'a', scopes: [] }), 'service')).message, /proxy/);
    fx.emulator.injectFault({ type: 'body', status: 200, contentType: 'text/plain', body: 'hello' }, { path: '/v1/clients' });
    await rejectsWith(client.registerClient({ clientName: 'a', scopes: [] }), 'protocol');
    fx.emulator.injectFault({ type: 'body', status: 200, contentType: 'text/html', body: '<html>login</html>' }, { path: '/v1/clients' });
    assert.match((await rejectsWith(client.registerClient({ clientName: 'a', scopes: [] }), 'protocol')).message, /web page/);
  });

  it('maps a refused connection, a reset, a hang and an oversized body', async () => {
    const closed = fx.oidc({ endpoint: 'http://127.0.0.1:1', clock: systemClock });
    await rejectsWith(closed.registerClient({ clientName: 'a', scopes: [] }), 'network');
    fx.emulator.injectFault({ type: 'reset' }, { path: '/v1/clients' });
    await rejectsWith(client.registerClient({ clientName: 'a', scopes: [] }), 'network');
    fx.emulator.injectFault({ type: 'resetMidBody' }, { path: '/v1/clients' });
    await rejectsWith(client.registerClient({ clientName: 'a', scopes: [] }), 'network');
    fx.emulator.injectFault({ type: 'hang' }, { path: '/v1/clients' });
    await rejectsWith(client.registerClient({ clientName: 'a', scopes: [] }), 'timeout');
    fx.emulator.injectFault({ type: 'oversized', bytes: 10 * 1024 * 1024 }, { path: '/v1/clients' });
    assert.match((await rejectsWith(client.registerClient({ clientName: 'a', scopes: [] }), 'protocol')).message, /larger than/);
  });

  it('ends a server that trickles its body within the total timeout', async () => {
    fx.emulator.injectFault({ type: 'trickle', bytesPerTick: 1, tickMs: 200 }, { path: '/v1/clients' });
    const started = Date.now();
    await rejectsWith(client.registerClient({ clientName: 'a', scopes: [] }), 'timeout');
    assert.ok(Date.now() - started < 4000);
  });

  it('a cancelled request rejects as cancelled', async () => {
    fx.emulator.injectFault({ type: 'hang' }, { path: '/v1/clients' });
    const abort = new AbortController();
    const pending = client.registerClient({ clientName: 'a', scopes: [] }, abort.signal);
    setImmediate(() => abort.abort());
    await rejectsWith(pending, 'cancelled');
  });
});

describe('parseClientInfo', () => {
  const input = { clientName: 'n', scopes: ['openid'] };
  const good = {
    client_id: 'id',
    client_secret: 's',
    client_id_issued_at: 1677175760,
    client_secret_expires_at: 1684951760,
    token_endpoint: 'https://oidc.example.com/v1/tokens',
    authorization_endpoint: 'https://oidc.example.com/v1/authorize',
    scopes: ['openid'],
  };
  const parse = (info: unknown) => parseClientInfo({ client_info: info }, input, 'https://oidc.example.com', 1677175760_000);

  it('accepts the documented example', () => {
    const r = parse(good);
    assert.equal(r.expiresAt, 1684951760);
    assert.equal(r.issuedAt, 1677175760);
  });

  const malformed: [string, unknown][] = [
    ['no client_info', undefined],
    ['client_info an array', []],
    ['empty client_id', { ...good, client_id: '' }],
    ['numeric client_secret', { ...good, client_secret: 42 }],
    ['fractional expiry', { ...good, client_secret_expires_at: 1684951760.5 }],
    ['string expiry', { ...good, client_secret_expires_at: '1684951760' }],
    ['negative issued', { ...good, client_id_issued_at: -1 }],
    ['http token endpoint', { ...good, token_endpoint: 'http://oidc.example.com/v1/tokens' }],
    ['javascript endpoint', { ...good, authorization_endpoint: 'javascript:alert(1)' }],
    ['scopes not strings', { ...good, scopes: [1] }],
    ['expired at issue', { ...good, client_secret_expires_at: 1677175760 }],
  ];
  for (const [name, info] of malformed) {
    it(`rejects ${name} as a protocol error`, () => {
      assert.throws(() => parse(info), (error: unknown) => isIdentityCenterError(error, 'protocol'));
    });
  }

  it('accepts http endpoints on loopback only', () => {
    assert.equal(parse({ ...good, token_endpoint: 'http://127.0.0.1:8080/v1/tokens' }).tokenEndpoint, 'http://127.0.0.1:8080/v1/tokens');
  });

  it('reads an expiry given in milliseconds as seconds', () => {
    assert.equal(parse({ ...good, client_secret_expires_at: 1684951760_000 }).expiresAt, 1684951760);
  });
});

describe('validateClientName', () => {
  it('counts code points from 1 to 1024', () => {
    assert.ok(validateClientName(''));
    assert.ok(validateClientName('   '));
    assert.equal(validateClientName('a'), undefined);
    assert.equal(validateClientName('😀'.repeat(1024)), undefined);
    assert.ok(validateClientName('😀'.repeat(1025)));
    assert.ok(validateClientName(42));
  });
});

describe('IdentityCenterError across bundles', () => {
  it('is recognised when thrown by another copy of the class (the lazily loaded bundle has its own)', () => {
    const path = require.resolve('../../src/core/common/errors');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const own = require(path) as typeof import('../../src/core/common/errors');
    delete require.cache[path];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const other = require(path) as typeof import('../../src/core/common/errors');
    assert.notEqual(own.IdentityCenterError, other.IdentityCenterError);
    const error = new other.IdentityCenterError('denied', 'Sign-in was denied.');
    assert.ok(error instanceof own.IdentityCenterError);
    assert.ok(own.isIdentityCenterError(error, 'denied'));
    assert.ok(!(new Error('plain') instanceof own.IdentityCenterError));
  });
});
