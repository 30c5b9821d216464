/**
 * Fault injection against the emulator, through the real OidcClient (with its retries
 * on fake time) and RegistrationManager: cut connections, huge and non-JSON bodies, a
 * proxy's HTML page, a rejected client, broken registrations and a failing
 * SecretStorage. Each ends in a typed error that says what to do (or is handled), and
 * the registration stored before stays as it was.
 */
import { strict as assert } from 'node:assert';
import { IdentityCenterError, type FailureKind } from '../../src/core/common/errors';
import { OidcClient } from '../../src/core/oidc/client';
import type { ClientRegistration } from '../../src/core/registration/model';
import type { SecretStore } from '../../src/core/common/ports';
import { renewalMarginSeconds } from '../../src/core/common/expiry';
import { isUsable, renewalDueAtMs } from '../../src/core/registration/expiry';
import { RegistrationManager } from '../../src/core/registration/manager';
import { parseStoredRegistration } from '../../src/core/registration/record';
import type { Fault, FaultOptions } from '../support/emulator/emulator';
import { fakeSleep } from '../support/fakeTime';
import { rejectsWith } from '../support/assertions';
import { MemorySecretStore } from '../support/memorySecretStore';
import { useEmulator } from '../support/emulatorFixture';

const START_URL = 'https://d-1234567890.portal.example.com/start';
const DAY = 24 * 3600;
const ATTEMPTS = 3;

/** A MemorySecretStore that can also fail reads. */
class FlakySecretStore extends MemorySecretStore implements SecretStore {
  failReads = false;
  override async get(key: string): Promise<string | undefined> {
    if (this.failReads) throw new Error('keyring unavailable');
    return super.get(key);
  }
}

describe('fault injection against the emulator', () => {
  const fx = useEmulator({ limits: { connectTimeoutMs: 2000, headersTimeoutMs: 2000, bodyIdleTimeoutMs: 1000, totalTimeoutMs: 4000 } });
  let store: FlakySecretStore;
  let oidc: OidcClient;
  let manager: RegistrationManager;
  let retrySleeps: number[];
  let good: ClientRegistration;
  let goodText: string;

  let injected = 0;
  let survived = 0;
  let faultsThisTest = 0;

  /** Queues a fault on the emulator and counts it. */
  function inject(fault: Fault, options: FaultOptions): void {
    fx.emulator.injectFault(fault, options);
    faultsThisTest += options.times ?? 1;
  }

  /** Counts a fault made outside the emulator (the secret store). */
  function injectLocal(): void {
    faultsThisTest += 1;
  }

  async function failure(promise: Promise<unknown>, kind: FailureKind, advice: RegExp): Promise<IdentityCenterError> {
    const error = await rejectsWith(promise, kind);
    assert.match(error.message, advice);
    assert.match(error.message, /retry|Run |Check /i, 'the message says what to do');
    assert.ok(!/[<>]/.test(error.message), 'no markup from the server in the message');
    for (const secret of fx.emulator.issuedSecrets()) assert.ok(!error.message.includes(secret), 'no secret in the message');
    return error;
  }

  /** The stored registration is byte for byte the good one. */
  function assertUntouched(): void {
    assert.equal(store.values.get(manager.key), goodText, 'the stored registration is untouched');
  }

  const registrations = (): number => fx.emulator.requests('/v1/clients').length;

  after(() => {
    console.log(`faults injected: ${injected}, survived: ${survived}`);
  });
  beforeEach(async () => {
    faultsThisTest = 0;
    store = new FlakySecretStore();
    retrySleeps = [];
    oidc = fx.oidc({ retry: { sleep: fakeSleep(fx.clock, { record: retrySleeps }), random: () => 0.5 } });
    manager = fx.registrations({ registrar: oidc, store });
    good = await manager.register('good laptop');
    goodText = store.values.get(manager.key) ?? '';
    fx.emulator.clearRequests();
  });
  afterEach(function () {
    injected += faultsThisTest;
    if (this.currentTest?.state === 'passed') survived += faultsThisTest;
    // No secret the emulator issued ever reaches the log.
    for (const secret of fx.emulator.issuedSecrets()) assert.ok(!fx.logger.text().includes(secret), 'the log holds an issued secret');
  });

  /** Both ways a registration request is made: explicitly, and as a renewal of an expired one. */
  const VIA = {
    register: () => manager.register('next laptop'),
    renew: () => {
      fx.clock.advance(renewalDueAtMs(good) - fx.clock.now());
      return manager.ensureClient();
    },
  };

  describe('a connection cut', () => {
    for (const [via, run] of Object.entries(VIA)) {
      it(`reset mid-body on every attempt (${via}): network error, good registration kept`, async () => {
        inject({ type: 'resetMidBody' }, { path: '/v1/clients', times: ATTEMPTS });
        await failure(run(), 'network', /network connection/);
        assert.equal(registrations(), ATTEMPTS);
        assert.deepEqual(retrySleeps, [250, 500]);
        assertUntouched();
      });
    }

    it('reset before any response on every attempt: network error, good registration kept', async () => {
      inject({ type: 'reset' }, { path: '/v1/clients', times: ATTEMPTS });
      await failure(manager.register('next'), 'network', /network connection/);
      assertUntouched();
    });

    it('one reset mid-body is retried; the new registration is stored whole and works', async () => {
      inject({ type: 'resetMidBody' }, { path: '/v1/clients' });
      const next = await manager.register('next');
      assert.equal(registrations(), 2, 'the first client is an orphan on the server');
      assert.deepEqual(retrySleeps, [250]);
      assert.deepEqual(parseStoredRegistration(store.values.get(manager.key) ?? ''), next);
      assert.ok((await oidc.startDeviceAuthorization(next, START_URL)).userCode);
    });

    it('reset mid-body at device authorization and at a token poll: network errors, registration kept', async () => {
      inject({ type: 'resetMidBody' }, { path: '/v1/device/authorize', times: ATTEMPTS });
      await failure(oidc.startDeviceAuthorization(good, START_URL), 'network', /network connection/);
      const authorization = await oidc.startDeviceAuthorization(good, START_URL);
      inject({ type: 'resetMidBody' }, { path: '/v1/tokens' });
      await failure(oidc.pollDeviceToken(good, authorization.deviceCode), 'network', /network connection/);
      assert.equal(fx.emulator.requests('/v1/tokens').length, 1, 'token polls are not retried by the client');
      assertUntouched();
    });
  });

  describe('a 10 MB body', () => {
    for (const chunked of [false, true]) {
      it(`at registration${chunked ? ', chunked' : ''}: protocol error, not retried, good registration kept`, async () => {
        inject({ type: 'oversized', bytes: 10 * 1024 * 1024, chunked }, { path: '/v1/clients' });
        await failure(manager.register('next'), 'protocol', /larger than/);
        assert.equal(registrations(), 1);
        assertUntouched();
      });
    }

    it('at device authorization and at a token poll: protocol errors', async () => {
      inject({ type: 'oversized', bytes: 10 * 1024 * 1024 }, { path: '/v1/device/authorize' });
      await failure(oidc.startDeviceAuthorization(good, START_URL), 'protocol', /larger than/);
      const authorization = await oidc.startDeviceAuthorization(good, START_URL);
      inject({ type: 'oversized', bytes: 10 * 1024 * 1024, chunked: true }, { path: '/v1/tokens' });
      await failure(oidc.pollDeviceToken(good, authorization.deviceCode), 'protocol', /larger than/);
      assertUntouched();
    });
  });

  describe('a non-JSON content type', () => {
    const bodies: [string, string, RegExp][] = [
      ['text/plain', 'Service is up', /not valid JSON/],
      ['application/xml', '<?xml version="1.0"?><client_info/>', /web page/],
      ['application/octet-stream', '\u0000\u0001\u0002', /not valid JSON/],
      ['application/json', 'OK', /not valid JSON/],
    ];
    for (const [contentType, body, problem] of bodies) {
      it(`${contentType} at registration: protocol error naming the endpoint setting, good registration kept`, async () => {
        inject({ type: 'body', status: 200, contentType, body }, { path: '/v1/clients' });
        const error = await failure(manager.register('next'), 'protocol', problem);
        assert.match(error.message, /the Region, Endpoint and Portal endpoint settings/);
        assert.equal(registrations(), 1);
        assertUntouched();
      });
    }

    it('text/plain at device authorization and at a token poll: protocol errors', async () => {
      inject({ type: 'body', status: 200, contentType: 'text/plain', body: 'hello' }, { path: '/v1/device/authorize' });
      await failure(oidc.startDeviceAuthorization(good, START_URL), 'protocol', /not valid JSON/);
      const authorization = await oidc.startDeviceAuthorization(good, START_URL);
      inject({ type: 'body', status: 200, contentType: 'text/plain', body: 'hello' }, { path: '/v1/tokens' });
      await failure(oidc.pollDeviceToken(good, authorization.deviceCode), 'protocol', /not valid JSON/);
    });
  });

  describe("an HTML error page from a proxy", () => {
    const PAGE = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>squid/5.7</p></body></html>';

    for (const [via, run] of Object.entries(VIA)) {
      it(`502 text/html on every attempt (${via}): service error pointing at proxy settings, good registration kept`, async () => {
        inject({ type: 'body', status: 502, contentType: 'text/html', body: PAGE }, { path: '/v1/clients', times: ATTEMPTS });
        const error = await failure(run(), 'service', /proxy/);
        assert.match(error.message, /HTTP 502/);
        assert.match(error.message, /the Endpoint setting and your proxy settings/);
        assert.equal(error.setting, 'endpoint', 'its Open Settings opens the Endpoint setting');
        assert.ok(!error.message.includes('squid') && !error.message.includes('Bad Gateway'), 'the page text stays out of the message');
        assert.equal(error.code, undefined);
        assert.equal(registrations(), ATTEMPTS);
        assertUntouched();
      });
    }

    it('one 502 page is retried and the registration completes', async () => {
      inject({ type: 'body', status: 502, contentType: 'text/html', body: PAGE }, { path: '/v1/clients' });
      const next = await manager.register('next');
      assert.equal(registrations(), 2);
      assert.equal((await manager.stored())?.clientId, next.clientId);
    });

    it('a 200 login page (captive portal): protocol error, not retried, good registration kept', async () => {
      inject({ type: 'body', status: 200, contentType: 'text/html; charset=utf-8', body: '<html><form>Log in to the Wi-Fi</form></html>' }, { path: '/v1/clients' });
      await failure(manager.register('next'), 'protocol', /web page/);
      assert.equal(registrations(), 1);
      assertUntouched();
    });

    it('a 407 page from a proxy: service error, not a rejected client, registration kept', async () => {
      inject({ type: 'body', status: 407, contentType: 'text/html', body: '<html>Proxy Authentication Required</html>' }, { path: '/v1/device/authorize' });
      const error = await failure(oidc.startDeviceAuthorization(good, START_URL), 'service', /proxy/);
      assert.equal(error.status, 407);
      assertUntouched();
    });

    it('502 pages at device authorization and at a token poll: service errors, registration kept', async () => {
      inject({ type: 'body', status: 502, contentType: 'text/html', body: PAGE }, { path: '/v1/device/authorize', times: ATTEMPTS });
      await failure(oidc.startDeviceAuthorization(good, START_URL), 'service', /proxy/);
      const authorization = await oidc.startDeviceAuthorization(good, START_URL);
      inject({ type: 'body', status: 502, contentType: 'text/html', body: PAGE }, { path: '/v1/tokens' });
      const error = await failure(oidc.pollDeviceToken(good, authorization.deviceCode), 'service', /proxy/);
      assert.equal(error.status, 502, 'a 5xx the polling loop can retry');
      assertUntouched();
    });
  });

  describe('a 401 on a stored client', () => {
    const rejections: [string, Fault][] = [
      ['OAuth invalid_client', { type: 'status', status: 401, body: { error: 'invalid_client', error_description: 'Client authentication failed' } }],
      ['AWS InvalidClientException', { type: 'status', status: 400, body: { error: 'InvalidClientException' } }],
      ['Huawei envelope', { type: 'status', status: 401, body: { error_code: 'IIC.1003', error_msg: 'unauthorized', request_id: 'r' } }],
      ['empty body', { type: 'status', status: 401, body: '' }],
    ];
    for (const [name, fault] of rejections) {
      it(`${name} at device authorization: rejected client, then dropped and registered again`, async () => {
        inject(fault, { path: '/v1/device/authorize' });
        const error = await failure(oidc.startDeviceAuthorization(good, START_URL), 'rejectedClient', /Register the client again/);
        assert.equal(error.remedy, 'registerClient');
        assert.equal(fx.emulator.requests('/v1/device/authorize').length, 1, 'a rejection is not retried');
        assertUntouched();
        await manager.dropRejected(good.clientId);
        assert.equal(await manager.stored(), undefined);
        const fresh = await manager.ensureClient({ clientNameIfNone: good.clientName });
        assert.notEqual(fresh.clientId, good.clientId);
        assert.equal(fresh.clientName, 'good laptop');
        assert.ok((await oidc.startDeviceAuthorization(fresh, START_URL)).userCode);
        assert.ok(error.status === 401 || error.status === 400);
      });
    }

    it('a revoked client at a token poll: rejected client', async () => {
      const authorization = await oidc.startDeviceAuthorization(good, START_URL);
      fx.emulator.revokeClient(good.clientId);
      injectLocal();
      const error = await failure(oidc.pollDeviceToken(good, authorization.deviceCode), 'rejectedClient', /Register the client again/);
      assert.equal(error.remedy, 'registerClient');
    });

    it('a 401 at registration leaves the stored registration alone', async () => {
      inject({ type: 'status', status: 401, body: { error: 'invalid_client' } }, { path: '/v1/clients' });
      const error = await failure(manager.register('next'), 'rejectedClient', /Register the client again/);
      assert.equal(error.remedy, 'registerClient');
      assertUntouched();
    });

    it('dropping a rejected client keeps a newer registration another window stored', async () => {
      inject({ type: 'status', status: 401, body: { error: 'invalid_client' } }, { path: '/v1/device/authorize' });
      const error = await failure(oidc.startDeviceAuthorization(good, START_URL), 'rejectedClient', /Register the client again/);
      assert.equal(error.remedy, 'registerClient');
      const newer = await manager.register('other window');
      await manager.dropRejected(good.clientId);
      assert.equal((await manager.stored())?.clientId, newer.clientId);
    });
  });

  describe('broken registrations', () => {
    const info = (overrides: Record<string, unknown> = {}): Record<string, unknown> => {
      const issuedAt = Math.floor(fx.emulator.now() / 1000);
      return {
        authorization_endpoint: `${fx.emulator.url}/v1/authorize`,
        client_id: 'cid-from-fault',
        client_id_issued_at: issuedAt,
        client_secret: 'csecret-from-fault',
        client_secret_expires_at: issuedAt + 90 * DAY,
        token_endpoint: `${fx.emulator.url}/v1/tokens`,
        scopes: ['openid'],
        ...overrides,
      };
    };
    const serve = (body: unknown, times = 1): void =>
      inject({ type: 'body', status: 200, contentType: 'application/json;charset=UTF-8', body: typeof body === 'string' ? body : JSON.stringify(body) }, { path: '/v1/clients', times });

    for (const [name, delta] of [
      ['expiring when issued', 0],
      ['expiring a day before it was issued', -DAY],
    ] as const) {
      for (const [via, run] of Object.entries(VIA)) {
        it(`an already-expired secret, ${name} (${via}): protocol error, not retried, good registration kept`, async () => {
          const issuedAt = Math.floor(fx.emulator.now() / 1000);
          serve({ client_info: info({ client_id_issued_at: issuedAt, client_secret_expires_at: issuedAt + delta }) });
          await failure(run(), 'protocol', /expired when it was issued/);
          assert.equal(registrations(), 1);
          assertUntouched();
        });
      }
    }

    it('client_secret_expires_at in milliseconds is detected and stored as seconds', async () => {
      const issuedAt = Math.floor(fx.clock.now() / 1000);
      const expiresAt = issuedAt + 90 * DAY;
      serve({ client_info: info({ client_id_issued_at: issuedAt, client_secret_expires_at: expiresAt * 1000 }) });
      const next = await manager.register('next');
      assert.equal(next.expiresAt, expiresAt);
      const stored = JSON.parse(store.values.get(manager.key) ?? '{}');
      assert.equal(stored.expiresAt, expiresAt, 'stored as seconds');
      assert.equal(renewalMarginSeconds(next), 3600);
      assert.equal(isUsable(next, fx.clock.now()), true);
      assert.equal(isUsable(next, (expiresAt - 3600) * 1000), false);
      assert.equal((await manager.ensureClient()).clientId, 'cid-from-fault', 'reused, not renewed at once');
      assert.equal(registrations(), 1);
    });

    it('both times in milliseconds are read as seconds', async () => {
      const issuedAt = Math.floor(fx.clock.now() / 1000);
      serve({ client_info: info({ client_id_issued_at: issuedAt * 1000, client_secret_expires_at: (issuedAt + DAY) * 1000 }) });
      const next = await manager.register('next');
      assert.equal(next.issuedAt, issuedAt);
      assert.equal(next.expiresAt, issuedAt + DAY);
    });

    it('a missing client_id_issued_at is taken as the time of the answer', async () => {
      const body = info();
      delete body.client_id_issued_at;
      serve({ client_info: body });
      const next = await manager.register('next');
      assert.equal(next.issuedAt, Math.floor(fx.clock.now() / 1000));
    });

    const missing: [string, () => unknown][] = [
      ['no client_info', () => ({ client: info() })],
      ['client_info null', () => ({ client_info: null })],
      ['client_info a string', () => ({ client_info: JSON.stringify(info()) })],
      ['no client_id', () => ({ client_info: info({ client_id: undefined }) })],
      ['an empty client_id', () => ({ client_info: info({ client_id: '' }) })],
      ['no client_secret', () => ({ client_info: info({ client_secret: undefined }) })],
      ['a null client_secret', () => ({ client_info: info({ client_secret: null }) })],
      ['no client_secret_expires_at', () => ({ client_info: info({ client_secret_expires_at: undefined }) })],
      ['a string client_secret_expires_at', () => ({ client_info: info({ client_secret_expires_at: '1999999999' }) })],
      ['a fractional client_secret_expires_at', () => ({ client_info: info({ client_secret_expires_at: 1999999999.5 }) })],
      ['a non-https token_endpoint', () => ({ client_info: info({ token_endpoint: 'http://oidc.example.com/v1/tokens' }) })],
      ['an empty object', () => ({})],
      ['an empty body', () => ''],
      ['null', () => 'null'],
      ['a list', () => '[]'],
    ];
    for (const [name, body] of missing) {
      it(`${name}: protocol error, not retried, good registration kept`, async () => {
        serve(body());
        const error = await failure(manager.register('next'), 'protocol', /unexpected response/);
        assert.match(error.message, /the Region, Endpoint and Portal endpoint settings/);
        assert.ok(!error.message.includes('csecret-from-fault'));
        assert.equal(registrations(), 1);
        assertUntouched();
      });
    }

    it('missing fields at device authorization and in the token response: protocol errors', async () => {
      for (const field of ['device_code', 'user_code', 'verification_uri', 'expires_in']) {
        const body: Record<string, unknown> = { device_code: 'd', user_code: 'WDJB-MJHT', verification_uri: `${fx.emulator.url}/device`, expires_in: 600, interval: 5 };
        delete body[field];
        inject({ type: 'status', status: 200, body }, { path: '/v1/device/authorize' });
        await failure(oidc.startDeviceAuthorization(good, START_URL), 'protocol', new RegExp(`\`${field}\``));
      }
      const authorization = await oidc.startDeviceAuthorization(good, START_URL);
      for (const field of ['access_token', 'expires_in']) {
        const tokenInfo: Record<string, unknown> = { access_token: 'a', token_type: 'Bearer', expires_in: 3600 };
        delete tokenInfo[field];
        inject({ type: 'status', status: 200, body: { token_info: tokenInfo } }, { path: '/v1/tokens' });
        await failure(oidc.pollDeviceToken(good, authorization.deviceCode), 'protocol', new RegExp(`\`${field}\``));
      }
      assertUntouched();
    });
  });

  describe('SecretStorage failing', () => {
    for (const [via, run] of Object.entries(VIA)) {
      it(`failing to write (${via}): storage error naming the keyring, good registration kept`, async () => {
        store.failWrites = true;
        injectLocal();
        await failure(run(), 'storage', /keyring/);
        assert.equal(registrations(), 1, 'the service registered a client that could not be kept');
        assertUntouched();
        store.failWrites = false;
        const next = await run();
        assert.deepEqual(parseStoredRegistration(store.values.get(manager.key) ?? ''), next);
      });
    }

    it('a usable registration is still used while writes fail, with no request', async () => {
      store.failWrites = true;
      injectLocal();
      assert.equal((await manager.ensureClient()).clientId, good.clientId);
      assert.equal(registrations(), 0);
    });

    it('failing to read: storage error, nothing sent', async () => {
      store.failReads = true;
      injectLocal();
      await failure(manager.ensureClient(), 'storage', /read the client registration/);
      assert.equal(registrations(), 0);
      store.failReads = false;
      assertUntouched();
    });

    it('failing to delete a rejected client: storage error, record still there', async () => {
      store.failDeletes = true;
      injectLocal();
      await failure(manager.dropRejected(good.clientId), 'storage', /delete the client registration/);
      assertUntouched();
    });

    // Regression: RegistrationManager.register kept `run.finally(...)` as `inflight`
    // but returned `run`; when the registration failed and no ensureClient caller was
    // waiting, that derived promise rejected with nobody handling it (an
    // unhandledRejection: a crash under plain Node's default `--unhandled-rejections=throw`).
    it('a failed explicit registration leaves no unhandled promise rejection', async () => {
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown): void => {
        unhandled.push(reason);
      };
      process.on('unhandledRejection', onUnhandled);
      try {
        store.failWrites = true;
        injectLocal();
        await failure(manager.register('next'), 'storage', /keyring/);
        await new Promise((resolve) => setImmediate(resolve));
        await new Promise((resolve) => setImmediate(resolve));
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
      assert.deepEqual(unhandled, []);
    });
  });
});
