/**
 * The stored registration: the expiry rule with an injected clock, single-flight
 * renewal against the emulator, corrupt records and failed writes.
 */
import { strict as assert } from 'node:assert';
import { isIdentityCenterError } from '../../src/core/common/errors';
import { renewalMarginSeconds } from '../../src/core/common/expiry';
import { isUsable, renewalDueAtMs } from '../../src/core/registration/expiry';
import { RegistrationManager } from '../../src/core/registration/manager';
import { parseStoredRegistration, registrationKey, serializeRegistration } from '../../src/core/registration/record';
import { useEmulator } from '../support/emulatorFixture';

const DAY = 24 * 3600;

describe('renewal margin and expiry', () => {
  it('is a tenth of the lifetime, capped at one hour', () => {
    assert.equal(renewalMarginSeconds({ issuedAt: 0, expiresAt: 90 * DAY }), 3600);
    assert.equal(renewalMarginSeconds({ issuedAt: 1000, expiresAt: 1060 }), 6);
    assert.equal(renewalMarginSeconds({ issuedAt: 0, expiresAt: 36_000 }), 3600);
    assert.equal(renewalMarginSeconds({ issuedAt: 0, expiresAt: 35_990 }), 3599);
    assert.equal(renewalMarginSeconds({ issuedAt: 100, expiresAt: 50 }), 0);
  });

  it('is usable strictly before expiresAt minus the margin', () => {
    const r = { issuedAt: 1000, expiresAt: 1100 };
    assert.equal(renewalDueAtMs(r), 1090_000);
    assert.equal(isUsable(r, 1089_999), true);
    assert.equal(isUsable(r, 1090_000), false);
    assert.equal(isUsable(r, 2000_000), false);
  });

  it('keys one record per endpoint and scope set, whatever the order', () => {
    assert.equal(registrationKey('https://a/', ['b', 'a', 'a']), registrationKey('https://a', ['a', 'b']));
    assert.notEqual(registrationKey('https://a', ['a']), registrationKey('https://b', ['a']));
    assert.notEqual(registrationKey('https://a', ['a']), registrationKey('https://a', ['a', 'b']));
  });
});

describe('stored record format', () => {
  const registration = {
    endpoint: 'https://oidc.example.com',
    clientName: 'n',
    clientId: 'id',
    clientSecret: 'secret',
    issuedAt: 1,
    expiresAt: 2,
    tokenEndpoint: 'https://oidc.example.com/v1/tokens',
    scopes: ['openid'],
  };

  it('round-trips every field with its version', () => {
    const text = serializeRegistration(registration);
    assert.equal(JSON.parse(text).version, 1);
    assert.deepEqual(parseStoredRegistration(text), { ...registration, authorizationEndpoint: undefined });
  });

  for (const [name, text] of [
    ['truncated JSON', '{"version":1,"clientId":'],
    ['another version', JSON.stringify({ ...registration, version: 2 })],
    ['no version', JSON.stringify(registration)],
    ['a missing secret', JSON.stringify({ ...registration, version: 1, clientSecret: undefined })],
    ['a string expiry', JSON.stringify({ ...registration, version: 1, expiresAt: '2' })],
    ['null', 'null'],
  ]) {
    it(`rejects ${name}`, () => {
      assert.throws(() => parseStoredRegistration(text), (error: unknown) => isIdentityCenterError(error, 'protocol'));
    });
  }
});

describe('RegistrationManager against the emulator', () => {
  const fx = useEmulator();
  let manager: RegistrationManager;

  beforeEach(() => {
    manager = fx.registrations();
  });

  const posts = () => fx.emulator.requests('/v1/clients').length;

  it('stores a registration and reuses it while usable, with no request', async () => {
    const first = await manager.register('laptop');
    assert.equal(posts(), 1);
    fx.clock.advance((renewalDueAtMs(first) - fx.clock.now()) - 1);
    assert.equal((await manager.ensureClient()).clientId, first.clientId);
    assert.equal(posts(), 1);
  });

  it('renews at the margin under the stored name', async () => {
    const first = await manager.register('laptop');
    fx.clock.advance(renewalDueAtMs(first) - fx.clock.now());
    const renewed = await manager.ensureClient();
    assert.notEqual(renewed.clientId, first.clientId);
    assert.equal(renewed.clientName, 'laptop');
    assert.equal((fx.emulator.requests('/v1/clients')[1].body as { client_name: string }).client_name, 'laptop');
    assert.equal((await manager.stored())?.clientId, renewed.clientId);
  });

  it('makes one request for 50 concurrent callers in one window', async () => {
    const first = await manager.register('laptop');
    fx.clock.advance(90 * DAY * 1000);
    const results = await Promise.all(Array.from({ length: 50 }, () => manager.ensureClient()));
    assert.equal(posts(), 2);
    assert.equal(new Set(results.map((r) => r.clientId)).size, 1);
    assert.notEqual(results[0].clientId, first.clientId);
  });

  it('lets callers during an explicit registration wait for it', async () => {
    const registering = manager.register('explicit');
    const waiting = Promise.all([manager.ensureClient(), manager.ensureClient()]);
    const [registered, [a, b]] = await Promise.all([registering, waiting]);
    assert.equal(posts(), 1);
    assert.equal(a.clientId, registered.clientId);
    assert.equal(b.clientId, registered.clientId);
  });

  it('works for a short-lived secret: 60 s lifetime renews 6 s early', async () => {
    fx.emulator.setSecretLifetime(60);
    const first = await manager.register('short');
    assert.equal(renewalMarginSeconds(first), 6);
    fx.clock.advance(renewalDueAtMs(first) - fx.clock.now() - 1);
    assert.equal((await manager.ensureClient()).clientId, first.clientId);
    fx.clock.advance(1);
    assert.notEqual((await manager.ensureClient()).clientId, first.clientId);
    assert.equal(posts(), 2);
  });

  it('asks for a name when nothing is stored, and uses clientNameIfNone', async () => {
    await assert.rejects(manager.ensureClient(), (error: unknown) => isIdentityCenterError(error, 'configuration') && /Register a client/.test(error.message) && error.remedy === 'registerClient');
    assert.equal(posts(), 0);
    assert.equal((await manager.ensureClient({ clientNameIfNone: 'default' })).clientName, 'default');
  });

  it('never replaces a good registration with a failed one', async () => {
    const good = await manager.register('good');
    const before = fx.store.values.get(manager.key);
    for (const fault of [
      { type: 'status', status: 500 },
      { type: 'reset' },
      { type: 'body', status: 200, contentType: 'application/json', body: '{"client_info":{"client_id":"x","client_secret":""}}' },
    ] as const) {
      fx.emulator.injectFault(fault, { path: '/v1/clients' });
      await assert.rejects(manager.register('bad'));
      assert.equal(fx.store.values.get(manager.key), before);
    }
    assert.equal((await manager.stored())?.clientId, good.clientId);
  });

  it('treats a corrupt record as absent with a warning, then replaces it', async () => {
    fx.store.values.set(manager.key, '{"version":1,"clientId":');
    assert.equal(await manager.stored(), undefined);
    assert.ok(fx.logger.lines.some((line) => line.startsWith('warn:') && /will be replaced/.test(line)));
    const fresh = await manager.register('fresh');
    assert.equal(parseStoredRegistration(fx.store.values.get(manager.key) ?? '').clientId, fresh.clientId);
  });

  it('reports a failed write as a storage error and keeps the old record', async () => {
    const good = await manager.register('good');
    fx.store.failWrites = true;
    await assert.rejects(manager.register('next'), (error: unknown) => isIdentityCenterError(error, 'storage') && /Retry/.test(error.message));
    assert.equal((await manager.stored())?.clientId, good.clientId);
  });

  it('drops a rejected client only if it is still the stored one', async () => {
    const first = await manager.register('a');
    await manager.dropRejected('someone-else');
    assert.equal((await manager.stored())?.clientId, first.clientId);
    await manager.dropRejected(first.clientId);
    assert.equal(await manager.stored(), undefined);
  });

  it('never writes the secret to the log', async () => {
    const r = await manager.register('logged');
    fx.clock.advance(91 * DAY * 1000);
    const renewed = await manager.ensureClient();
    for (const secret of [r.clientSecret, renewed.clientSecret]) assert.ok(!fx.logger.text().includes(secret));
  });
});
