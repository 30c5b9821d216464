/**
 * Property-based tests (fast-check) over everything that reads outside input: the
 * service's responses, its error envelopes, and the records in SecretStorage.
 * Thousands of malformed, truncated, oversized, wrong-typed and hostile values must
 * each give either a result that keeps the invariants or an `IdentityCenterError`,
 * never another exception, never a message holding a secret, and never a partial
 * stored record.
 */
import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import { classifyTokenError, parseDeviceAuthorization, type DeviceAuthorization, type TokenErrorClass } from '../../src/core/deviceFlow';
import { IdentityCenterError, type FailureKind } from '../../src/core/errors';
import type { HttpResponse } from '../../src/core/http';
import {
  errorFromResponse,
  parseClientInfo,
  parseJsonBody,
  parseTokenInfo,
  type ClientRegistration,
  type TokenSet,
} from '../../src/core/oidcClient';
import {
  parseStoredRegistration,
  RegistrationManager,
  serializeRegistration,
  type ClientRegistrar,
} from '../../src/core/registration';
import { parseSessions, serializeSessions, sessionFromTokens, type StoredSession } from '../../src/core/sessions';
import { MAX_EPOCH_SECONDS, parseServiceUrl } from '../../src/core/validate';
import { FakeClock } from '../support/fakeTime';
import { MemoryLogger } from '../support/memoryLogger';
import { MemorySecretStore } from '../support/memorySecretStore';

// ---- secrets seeded into the inputs: no error message or log line may contain them ----

const CLIENT_SECRET = 'SEEDED-client-secret-9f2c41';
const DEVICE_CODE = 'SEEDED-device-code-77ab0e';
const ACCESS_TOKEN = 'SEEDED-access-token-c3d5a1';
const REFRESH_TOKEN = 'SEEDED-refresh-token-0b9e7d';
const ID_TOKEN = `eyJhbGciOiJub25lIn0.${Buffer.from('{"sub":"u","email":"e@example.com"}').toString('base64url')}.SEEDED-id-token-sig`;
const SECRETS = [CLIENT_SECRET, DEVICE_CODE, ACCESS_TOKEN, REFRESH_TOKEN, ID_TOKEN, 'SEEDED-'];

const NOW_MS = 1_700_000_000_000;
const NOW_S = NOW_MS / 1000;
const DAY = 24 * 3600;
const ENDPOINT = 'https://oidc.ap-southeast-1.myhuaweicloud.com';
const INPUT = { clientName: 'VS Code', scopes: ['openid'] };

/** The JavaScript Date range: a time in seconds past this cannot be shown as a date. */
const MAX_DATE_MS = 8.64e15;

const FAILURE_KINDS: FailureKind[] = ['network', 'timeout', 'protocol', 'service', 'rejectedClient', 'denied', 'expired', 'cancelled', 'configuration', 'storage'];
const SAFE_CODE = /^[A-Za-z0-9_.:-]{1,64}$/;

// ---- counting --------------------------------------------------------------------------

let cases = 0;
let crashes = 0;

/**
 * Runs one parse. A thrown `IdentityCenterError` must be of an allowed kind with a clean
 * message; anything else thrown is a crash (counted, then rethrown so fast-check shrinks
 * it). A result goes to `valid` for the invariants.
 */
function check<T>(parse: () => T, allowed: FailureKind[], valid: (value: T) => void): 'valid' | 'error' {
  cases++;
  let value: T;
  try {
    value = parse();
  } catch (error) {
    if (!(error instanceof IdentityCenterError)) {
      crashes++;
      throw error;
    }
    assert.ok(allowed.includes(error.kind), `kind ${error.kind} not in ${allowed.join(', ')}: ${error.message}`);
    assertCleanMessage(error.message);
    return 'error';
  }
  valid(value);
  return 'valid';
}

/** A message for a person: short, no control characters, no markup, no secret. */
function assertCleanMessage(message: string): void {
  assert.equal(typeof message, 'string');
  assert.ok(message.length > 20 && message.length <= 500, `message length ${message.length}`);
  assert.ok(!/[\p{Cc}\p{Cf}<>]/u.test(message), `message has control characters or markup: ${JSON.stringify(message)}`);
  for (const secret of SECRETS) assert.ok(!message.includes(secret), `message holds a secret: ${message}`);
}

// ---- hostile values ----------------------------------------------------------------------

const HOSTILE_STRINGS = [
  '',
  ' ',
  '\t',
  '\u0000',
  'a\u0000b',
  '\n',
  '\r\n',
  '\u001b[2J',
  'evil\u202Etxt.exe',
  '\u200B',
  'a\u2028b',
  '\uFEFF',
  '\uD800',
  '\uDFFFx',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'null',
  'undefined',
  'NaN',
  '{}',
  '[]',
  '<html><body><h1>502 Bad Gateway</h1></body></html>',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'file:///etc/passwd',
  'http://evil.example.com/v1/tokens',
  'http://127.0.0.1.evil.example.com/',
  'http://localhost.evil.example.com/',
  'https://',
  'https://user:password@oidc.example.com/',
  'http://[::1]:8080/device',
  'http://127.0.0.1:9/device',
  'https://oidc.example.com/v1/tokens',
  'Bearer',
  'bearer',
  'MAC',
  'WDJB-MJHT',
  CLIENT_SECRET,
  DEVICE_CODE,
  ACCESS_TOKEN,
];

const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.constantFrom(63, 64, 65, 255, 256, 257, 1024, 1025, 2048, 2049, 8192, 8193, 16384, 16385).map((n) => 'x'.repeat(n)),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'binary-ascii', maxLength: 40 }),
  fc.string({ maxLength: 40 }),
);

const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    NaN,
    Infinity,
    -Infinity,
    -0,
    0,
    1,
    -1,
    0.5,
    1.5,
    1e-300,
    Number.MIN_VALUE,
    1e300,
    -1e300,
    Number.MAX_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER + 1,
    2 ** 53 + 2,
    999_999_999,
    1_000_000_000,
    100_000_000_000,
    100_000_000_001,
    1_684_951_760,
    1_684_951_760_000,
    NOW_S,
    NOW_S + 90 * DAY,
    (NOW_S + 90 * DAY) * 1000,
    3600,
    3601,
  ),
  fc.double(),
  fc.integer(),
  fc.maxSafeInteger(),
  fc.nat({ max: 4_000_000_000 }),
);

const anythingAtAll = fc.anything({
  maxDepth: 3,
  maxKeys: 6,
  withBoxedValues: true,
  withMap: true,
  withSet: true,
  withObjectString: true,
  withNullPrototype: true,
  withBigInt: true,
  withDate: true,
  withTypedArray: true,
  // No holes: every value the parsers meet comes from JSON.parse, which never makes one.
  withSparseArray: false,
  withUnicodeString: true,
});

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileString, weight: 3 },
  { arbitrary: hostileNumber, weight: 3 },
  fc.boolean(),
  fc.constantFrom(null, undefined, [], {}, [''], ['openid', 7], { client_id: 'nested' }),
  anythingAtAll,
  fc.jsonValue({ maxDepth: 3 }),
);

const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'];

/** Sets an own property, even `__proto__`, the way `JSON.parse` does. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** `base` with some fields dropped and a few replaced (or added, prototype keys included) by hostile values. */
function mutated(base: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(base);
  const overrides = fc.array(fc.tuple(fc.constantFrom(...keys, ...POLLUTION_KEYS), hostileValue), { minLength: 1, maxLength: 3 });
  const build = (drop: string[], changes: [string, unknown][]): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const key of keys) if (!drop.includes(key)) define(out, key, base[key]);
    for (const [key, value] of changes) define(out, key, value);
    return out;
  };
  return fc.oneof(
    { arbitrary: overrides.map((changes) => build([], changes)), weight: 3 },
    fc.tuple(fc.subarray(keys, { minLength: 1 }), fc.array(fc.tuple(fc.constantFrom(...keys, ...POLLUTION_KEYS), hostileValue), { maxLength: 2 })).map(
      ([drop, changes]) => build(drop, changes),
    ),
  );
}

/** Text-level damage to a valid JSON body: truncation, insertion, deletion, replacement. */
function damaged(text: string): fc.Arbitrary<string> {
  const index = fc.nat({ max: text.length - 1 });
  const junk = fc.oneof(fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 3 }), fc.constantFrom('"', '{', '}', ',', ':', '\\', '\u0000', '\uD800'));
  return fc.oneof(
    index.map((i) => text.slice(0, i)),
    fc.tuple(index, junk).map(([i, s]) => text.slice(0, i) + s + text.slice(i)),
    fc.tuple(index, fc.nat({ max: 6 })).map(([i, n]) => text.slice(0, i) + text.slice(i + n + 1)),
    fc.tuple(index, junk).map(([i, s]) => text.slice(0, i) + s + text.slice(i + s.length)),
  );
}

/** JSON text of any generated value: BigInt as a string, like a lenient server would. */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'undefined';
}

/** Equal as stored JSON (so `-0` and `0`, or an absent and an undefined field, are the same). */
function assertSameJson(actual: unknown, expected: unknown, message?: string): void {
  assert.deepEqual(JSON.parse(toJson(actual)), JSON.parse(toJson(expected)), message);
}

const CONTENT_TYPES = ['application/json;charset=UTF-8', 'application/json', 'text/plain', 'text/html', 'text/html; charset=utf-8', 'application/octet-stream', ''];

function response(body: string, contentType = 'application/json;charset=UTF-8', status = 200): HttpResponse {
  return { status, headers: contentType ? { 'content-type': contentType } : {}, body };
}

// ---- invariants of valid results -------------------------------------------------------------

function assertNonEmptyString(value: unknown, max: number, name: string): void {
  assert.equal(typeof value, 'string', `${name} is a string`);
  assert.ok((value as string).length > 0 && (value as string).length <= max, `${name} length`);
}

function assertWhole(value: unknown, name: string): void {
  assert.ok(typeof value === 'number' && Number.isSafeInteger(value) && value >= 0, `${name} is a whole number: ${String(value)}`);
}

function assertServiceUrl(value: unknown, name: string): void {
  if (value === undefined) return;
  assert.equal(typeof value, 'string', name);
  const url = parseServiceUrl(value as string);
  assert.ok(url, `${name} is https or loopback http: ${String(value)}`);
  assert.ok(url.protocol === 'https:' || ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) || /^127\./.test(url.hostname));
}

function assertRegistration(r: ClientRegistration, endpoint = ENDPOINT): void {
  assert.equal(r.endpoint, endpoint);
  assertNonEmptyString(r.clientName, 4096, 'clientName');
  assertNonEmptyString(r.clientId, 1024, 'clientId');
  assertNonEmptyString(r.clientSecret, 8192, 'clientSecret');
  assertWhole(r.issuedAt, 'issuedAt');
  assertWhole(r.expiresAt, 'expiresAt');
  assertServiceUrl(r.authorizationEndpoint, 'authorizationEndpoint');
  assertServiceUrl(r.tokenEndpoint, 'tokenEndpoint');
  assert.ok(Array.isArray(r.scopes) && r.scopes.every((s) => typeof s === 'string'), 'scopes');
}

function assertTokens(t: TokenSet, receivedAtMs: number): void {
  assertNonEmptyString(t.accessToken, 16384, 'accessToken');
  assert.equal(t.tokenType, 'Bearer');
  assertWhole(t.expiresAtMs, 'expiresAtMs');
  assert.ok(t.expiresAtMs > receivedAtMs && t.expiresAtMs <= receivedAtMs + 366 * DAY * 1000, 'expiry within (now, now + 366 d]');
  if ('refreshToken' in t) assertNonEmptyString(t.refreshToken, 16384, 'refreshToken');
  if ('idToken' in t) assertNonEmptyString(t.idToken, 16384, 'idToken');
  assert.deepEqual(
    Object.keys(t).filter((k) => !['accessToken', 'tokenType', 'expiresAtMs', 'refreshToken', 'idToken'].includes(k)),
    [],
  );
}

function assertDeviceAuthorization(d: DeviceAuthorization, receivedAtMs: number): void {
  assertNonEmptyString(d.deviceCode, 8192, 'deviceCode');
  assertNonEmptyString(d.userCode, 64, 'userCode');
  assert.ok(!/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(d.userCode) && d.userCode.trim().length > 0, 'userCode can be shown');
  assert.notEqual(d.verificationUri, undefined);
  assertServiceUrl(d.verificationUri, 'verificationUri');
  assertServiceUrl(d.verificationUriComplete, 'verificationUriComplete');
  assertWhole(d.expiresAtMs, 'expiresAtMs');
  assert.ok(d.expiresAtMs > receivedAtMs && d.expiresAtMs <= receivedAtMs + 3600_000, 'device code lifetime within (0, 1 h]');
  assert.ok(Number.isSafeInteger(d.intervalSeconds) && d.intervalSeconds >= 1 && d.intervalSeconds <= 3600, 'interval');
}

function assertSession(s: StoredSession): void {
  assertNonEmptyString(s.id, 256, 'id');
  assertNonEmptyString(s.account.id, 1024, 'account.id');
  assertNonEmptyString(s.account.label, 1024, 'account.label');
  assert.ok(s.scopes.every((x) => typeof x === 'string'));
  assertNonEmptyString(s.accessToken, 16384, 'accessToken');
  assertWhole(s.expiresAt, 'expiresAt');
  assertNonEmptyString(s.clientId, 1024, 'clientId');
  if ('refreshToken' in s) assertNonEmptyString(s.refreshToken, 16384, 'refreshToken');
}

// ---- good inputs the properties start from ---------------------------------------------------

const GOOD_CLIENT_INFO = {
  authorization_endpoint: `${ENDPOINT}/v1/authorize`,
  client_id: 'cid-0123456789abcdef',
  client_id_issued_at: NOW_S,
  client_secret: CLIENT_SECRET,
  client_secret_expires_at: NOW_S + 90 * DAY,
  token_endpoint: `${ENDPOINT}/v1/tokens`,
  scopes: ['openid'],
};
const GOOD_TOKEN_INFO = {
  access_token: ACCESS_TOKEN,
  token_type: 'Bearer',
  expires_in: 3600,
  id_token: ID_TOKEN,
  refresh_token: REFRESH_TOKEN,
};
const GOOD_DEVICE = {
  device_code: DEVICE_CODE,
  user_code: 'WDJB-MJHT',
  verification_uri: 'https://portal.example.com/device',
  verification_uri_complete: 'https://portal.example.com/device?user_code=WDJB-MJHT',
  expires_in: 600,
  interval: 5,
};
const GOOD_REGISTRATION: ClientRegistration = {
  endpoint: ENDPOINT,
  clientName: 'VS Code',
  clientId: 'cid-good',
  clientSecret: CLIENT_SECRET,
  issuedAt: NOW_S - DAY,
  expiresAt: NOW_S + 89 * DAY,
  authorizationEndpoint: `${ENDPOINT}/v1/authorize`,
  tokenEndpoint: `${ENDPOINT}/v1/tokens`,
  scopes: ['openid'],
};
const GOOD_SESSION: StoredSession = {
  id: 'session-1',
  account: { id: 'u', label: 'e@example.com' },
  scopes: ['openid'],
  accessToken: ACCESS_TOKEN,
  expiresAt: NOW_S + 3600,
  refreshToken: REFRESH_TOKEN,
  clientId: 'cid-good',
};

/** A body as the OIDC client sees it: the envelope hostile, or the good envelope with its inside damaged. */
function enveloped(field: string, inner: Record<string, unknown>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: mutated(inner).map((value) => ({ [field]: value })), weight: 6 },
    hostileValue.map((value) => ({ [field]: value })),
    hostileValue,
    mutated({ [field]: inner }),
  );
}

/** JSON text of a body, then maybe damaged, served with some content type. */
function servedText(field: string | undefined, inner: Record<string, unknown>): fc.Arbitrary<HttpResponse> {
  const good = JSON.stringify(field ? { [field]: inner } : inner);
  const text = fc.oneof(
    { arbitrary: damaged(good), weight: 4 },
    fc.json({ maxDepth: 3 }),
    (field ? enveloped(field, inner) : mutated(inner)).map(toJson),
    fc.string({ unit: 'binary', maxLength: 60 }),
  );
  return fc.tuple(text, fc.constantFrom(...CONTENT_TYPES)).map(([body, type]) => response(body, type));
}

function truncations(text: string): string[] {
  return Array.from({ length: text.length }, (_, i) => text.slice(0, i));
}

const RUNS = 1000;

describe('property: response parsing', () => {
  describe('parseClientInfo', () => {
    const parse = (body: unknown) => () => parseClientInfo(body, INPUT, ENDPOINT, NOW_MS);
    const valid = (r: ClientRegistration): void => {
      assertRegistration(r);
      assert.equal(r.clientName, INPUT.clientName);
      assert.ok(r.expiresAt > r.issuedAt, 'expires after it was issued');
      // Whatever is accepted from the service can be stored and read back unchanged.
      assertSameJson(parseStoredRegistration(serializeRegistration(r)), r);
    };

    it('accepts the good body', () => {
      assert.equal(check(parse({ client_info: GOOD_CLIENT_INFO }), [], valid), 'valid');
    });

    it('damaged, wrong-typed and hostile bodies give a valid registration or a protocol error', () => {
      fc.assert(fc.property(enveloped('client_info', GOOD_CLIENT_INFO), (body) => void check(parse(body), ['protocol'], valid)), { numRuns: RUNS * 2 });
    });

    it('damaged JSON text with any content type gives a valid registration or a protocol error', () => {
      fc.assert(
        fc.property(servedText('client_info', GOOD_CLIENT_INFO), (res) => {
          check(() => parseClientInfo(parseJsonBody(res, 'The registration response'), INPUT, ENDPOINT, NOW_MS), ['protocol'], valid);
        }),
        { numRuns: RUNS },
      );
    });

    it('every truncation of the good body is a protocol error', () => {
      for (const text of truncations(JSON.stringify({ client_info: GOOD_CLIENT_INFO }))) {
        assert.equal(check(() => parseClientInfo(parseJsonBody(response(text), 'The registration response'), INPUT, ENDPOINT, NOW_MS), ['protocol'], valid), 'error');
      }
    });

    it('reads times as whole seconds whatever the number, and never accepts a secret expired at issue', () => {
      fc.assert(
        fc.property(hostileNumber, fc.option(hostileNumber, { nil: undefined }), (expires, issued) => {
          const info = { ...GOOD_CLIENT_INFO, client_secret_expires_at: expires, client_id_issued_at: issued };
          check(parse({ client_info: info }), ['protocol'], (r) => {
            valid(r);
            assert.ok(Number.isSafeInteger(expires) && expires >= 0, 'only a whole expiry is accepted');
            assert.equal(r.expiresAt, expires > 100_000_000_000 ? Math.floor(expires / 1000) : expires, 'milliseconds become seconds');
          });
        }),
        { numRuns: RUNS },
      );
    });

    it('a 10 MB secret or body is a protocol error, quickly', () => {
      const huge = 'x'.repeat(10 * 1024 * 1024);
      assert.equal(check(parse({ client_info: { ...GOOD_CLIENT_INFO, client_secret: huge } }), ['protocol'], valid), 'error');
      assert.equal(check(() => parseJsonBody(response(`{"client_info":"${huge}`), 'The registration response'), ['protocol'], () => assert.fail()), 'error');
      assert.equal(check(() => parseJsonBody(response(`<html>${huge}`), 'The registration response'), ['protocol'], () => assert.fail()), 'error');
    });

    it('ignores fields behind __proto__ and constructor keys', () => {
      for (const text of [
        `{"__proto__":{"client_info":${JSON.stringify(GOOD_CLIENT_INFO)}}}`,
        `{"constructor":{"prototype":{"client_info":${JSON.stringify(GOOD_CLIENT_INFO)}}}}`,
        `{"client_info":{"__proto__":${JSON.stringify(GOOD_CLIENT_INFO)}}}`,
      ]) {
        assert.equal(check(() => parseClientInfo(parseJsonBody(response(text), 'x'), INPUT, ENDPOINT, NOW_MS), ['protocol'], valid), 'error', text);
      }
    });
  });

  describe('parseTokenInfo', () => {
    const valid = (receivedAtMs: number) => (t: TokenSet) => {
      assertTokens(t, receivedAtMs);
      // Whatever is accepted can become a stored session and be read back.
      const session = sessionFromTokens(t, ['openid'], 'cid-good');
      assertSameJson(parseSessions(serializeSessions([session])), [session]);
    };

    it('damaged, wrong-typed and hostile bodies give valid tokens or a protocol error', () => {
      fc.assert(
        fc.property(enveloped('token_info', GOOD_TOKEN_INFO), fc.integer({ min: 0, max: 4_000_000_000_000 }), (body, receivedAtMs) => {
          check(() => parseTokenInfo(body, receivedAtMs), ['protocol'], valid(receivedAtMs));
        }),
        { numRuns: RUNS * 2 },
      );
    });

    it('damaged JSON text gives valid tokens or a protocol error', () => {
      fc.assert(
        fc.property(servedText('token_info', GOOD_TOKEN_INFO), (res) => {
          check(() => parseTokenInfo(parseJsonBody(res, 'The token response'), NOW_MS), ['protocol'], valid(NOW_MS));
        }),
        { numRuns: RUNS },
      );
    });

    it('every truncation of the good body is a protocol error', () => {
      for (const text of truncations(JSON.stringify({ token_info: GOOD_TOKEN_INFO }))) {
        assert.equal(check(() => parseTokenInfo(parseJsonBody(response(text), 'The token response'), NOW_MS), ['protocol'], valid(NOW_MS)), 'error');
      }
    });

    it('a lifetime is honoured up to 366 days, and only as whole seconds above zero', () => {
      fc.assert(
        fc.property(hostileNumber, (expiresIn) => {
          check(() => parseTokenInfo({ token_info: { ...GOOD_TOKEN_INFO, expires_in: expiresIn } }, NOW_MS), ['protocol'], (t) => {
            valid(NOW_MS)(t);
            assert.ok(Number.isSafeInteger(expiresIn) && expiresIn > 0);
            assert.equal(t.expiresAtMs, NOW_MS + Math.min(expiresIn, 366 * DAY) * 1000);
          });
        }),
        { numRuns: RUNS },
      );
    });
  });

  describe('parseDeviceAuthorization', () => {
    it('damaged, wrong-typed and hostile bodies give a valid authorization, or a protocol or expired error', () => {
      fc.assert(
        fc.property(fc.oneof({ arbitrary: mutated(GOOD_DEVICE), weight: 6 }, hostileValue), fc.integer({ min: 0, max: 4_000_000_000_000 }), (body, receivedAtMs) => {
          check(() => parseDeviceAuthorization(body, receivedAtMs), ['protocol', 'expired'], (d) => assertDeviceAuthorization(d, receivedAtMs));
        }),
        { numRuns: RUNS * 2 },
      );
    });

    it('damaged JSON text gives a valid authorization, or a protocol or expired error', () => {
      fc.assert(
        fc.property(servedText(undefined, GOOD_DEVICE), (res) => {
          check(() => parseDeviceAuthorization(parseJsonBody(res, 'The device authorization response'), NOW_MS), ['protocol', 'expired'], (d) =>
            assertDeviceAuthorization(d, NOW_MS),
          );
        }),
        { numRuns: RUNS },
      );
    });

    it('every truncation of the good body is a protocol error', () => {
      for (const text of truncations(JSON.stringify(GOOD_DEVICE))) {
        assert.equal(check(() => parseDeviceAuthorization(parseJsonBody(response(text), 'x'), NOW_MS), ['protocol'], () => assert.fail()), 'error');
      }
    });

    it('reads expires_in as a lifetime below 10^9 and as an epoch deadline from there, capped at one hour', () => {
      fc.assert(
        fc.property(
          fc.oneof(fc.integer({ min: 1, max: 999_999_999 }), fc.integer({ min: 1_000_000_000, max: 4_000_000_000 }), fc.constantFrom(1, 3600, 3601, NOW_S, NOW_S + 1, NOW_S + 3600, NOW_S + 3601)),
          fc.integer({ min: 1_000_000_000_000, max: 3_000_000_000_000 }),
          (expiresIn, receivedAtMs) => {
            const outcome = check(() => parseDeviceAuthorization({ ...GOOD_DEVICE, expires_in: expiresIn }, receivedAtMs), ['expired'], (d) => {
              assertDeviceAuthorization(d, receivedAtMs);
              const deadline = expiresIn >= 1_000_000_000 ? expiresIn * 1000 : receivedAtMs + expiresIn * 1000;
              assert.equal(d.expiresAtMs, Math.min(deadline, receivedAtMs + 3600_000));
            });
            assert.equal(outcome === 'error', expiresIn >= 1_000_000_000 && expiresIn * 1000 <= receivedAtMs, 'expired exactly when the deadline has passed');
          },
        ),
        { numRuns: RUNS },
      );
    });

    it('refuses a user code a person cannot compare: control, format and separator characters, blank', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 8 }), fc.constantFrom('\u0000', '\u0007', '\n', '\u001b', '\u007f', '\u202E', '\u200B', '\u2028', '\u2029', '\uFEFF', '\u061C'), fc.string({ unit: 'binary', maxLength: 8 }), (a, bad, b) => {
          const outcome = check(() => parseDeviceAuthorization({ ...GOOD_DEVICE, user_code: a + bad + b }, NOW_MS), ['protocol'], () => assert.fail('accepted'));
          assert.equal(outcome, 'error');
        }),
        { numRuns: Math.round(RUNS / 3) },
      );
    });
  });
});

describe('property: error classification', () => {
  const HEADER_NAMES = ['content-type', 'retry-after', 'date', 'x-request-id', 'set-cookie', 'www-authenticate', '__proto__', 'constructor'];
  const headerValue = fc.oneof(
    fc.constantFrom(...CONTENT_TYPES, '120', '0', '-1', '1.5', ' 7 ', '999999', '9999999', '99999999999', 'Wed, 21 Oct 2015 07:28:00 GMT', 'Fri, 31 Dec 9999 23:59:59 GMT', 'tomorrow', CLIENT_SECRET, `Bearer ${ACCESS_TOKEN}`),
    hostileString,
  );
  const headers = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...HEADER_NAMES), fc.string({ maxLength: 12 }).map((s) => s.toLowerCase())), headerValue), { maxLength: 5 }).map((pairs) => {
    const out: Record<string, string> = {};
    for (const [name, value] of pairs) define(out, name, value);
    return out;
  });
  // The code fields are echoed into the message by design when they look like a short
  // code, so the seeded secrets stay out of them here (see the skipped test below).
  const codeLike = fc.oneof(
    fc.constantFrom('invalid_client', 'InvalidClientException', 'IIC.1001', 'IIC.400', 'authorization_pending', 'a'.repeat(64), 'a'.repeat(65), 'bad code', '<script>', 'IIC.1001\n', ''),
    hostileValue.filter((v) => typeof v !== 'string' || !SECRETS.some((secret) => v.includes(secret))),
  );
  // Free text where a server might echo what it received: never to reach a message.
  const freeText = fc.oneof(
    fc.constantFrom(`client_secret=${CLIENT_SECRET}`, `device_code ${DEVICE_CODE} is invalid`, `<b>${ACCESS_TOKEN}</b>`, REFRESH_TOKEN, ID_TOKEN),
    hostileValue,
  );
  const envelope = fc
    .record(
      { error_code: codeLike, error: codeLike, error_msg: freeText, error_description: freeText, request_id: freeText, message: freeText, nested: fc.constant({ secret: CLIENT_SECRET }) },
      { requiredKeys: [] },
    )
    .map(toJson);
  const htmlPage = fc.constantFrom(
    `<html><head><title>502 Bad Gateway</title></head><body>${CLIENT_SECRET}</body></html>`,
    `   <!DOCTYPE html><p>Proxy login: ${ACCESS_TOKEN}</p>`,
    '<?xml version="1.0"?><error>IIC.1001</error>',
  );
  const body = fc.oneof(
    { arbitrary: envelope, weight: 4 },
    htmlPage,
    envelope.chain((text) => (text.length > 1 ? damaged(text) : fc.constant(text))),
    fc.json({ maxDepth: 3 }),
    fc.string({ unit: 'binary', maxLength: 80 }),
    fc.jsonValue({ maxDepth: 2 }).map(toJson),
  );
  const status = fc.oneof({ arbitrary: fc.integer({ min: 100, max: 599 }), weight: 4 }, fc.constantFrom(400, 401, 403, 404, 407, 429, 500, 502, 503, 504, 0, -1, 999, 1_000_000));

  function classify(res: HttpResponse, action: string): void {
    cases++;
    let error: unknown;
    try {
      error = errorFromResponse(res, action);
    } catch (thrown) {
      crashes++;
      throw thrown;
    }
    assert.ok(error instanceof IdentityCenterError, 'returns an IdentityCenterError');
    assert.ok(['rejectedClient', 'service', 'configuration'].includes(error.kind), error.kind);
    assertCleanMessage(error.message);
    assert.ok(error.message.includes(`HTTP ${res.status}`), 'the message names the status');
    assert.ok(/retry|Check|Register/i.test(error.message), 'the message says what to do');
    assert.equal(error.status, res.status);
    assert.ok(error.code === undefined || SAFE_CODE.test(error.code), `code ${String(error.code)}`);
    assert.ok(error.serviceText === undefined || (typeof error.serviceText === 'string' && error.serviceText.length <= 500));
    assert.ok(error.retryAfterSeconds === undefined || (Number.isSafeInteger(error.retryAfterSeconds) && error.retryAfterSeconds >= 0), `retryAfter ${String(error.retryAfterSeconds)}`);
    if (res.status === 401 || error.code === 'invalid_client' || error.code === 'InvalidClientException') assert.equal(error.kind, 'rejectedClient');
    if ((res.headers['content-type'] ?? '').includes('text/html') || /^\s*</.test(res.body)) assert.equal(error.code, undefined, 'nothing is read from a web page');
  }

  it('errorFromResponse: any status, headers and body give one typed error with a clean message', () => {
    fc.assert(
      fc.property(status, headers, body, fc.constantFrom('register the client', 'start the sign-in', 'sign in', 'refresh the session'), (s, h, b, action) => {
        classify({ status: s, headers: h, body: b }, action);
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('errorFromResponse: huge bodies and header values', () => {
    const huge = 'y'.repeat(10 * 1024 * 1024);
    const responses: HttpResponse[] = [
      { status: 502, headers: { 'content-type': 'text/html' }, body: `<html>${huge}</html>` },
      { status: 500, headers: {}, body: JSON.stringify({ error_code: 'IIC.500', error_msg: `${CLIENT_SECRET}${huge}` }) },
      { status: 400, headers: {}, body: huge },
      { status: 429, headers: { 'retry-after': huge }, body: '{}' },
      { status: 401, headers: { 'content-type': huge }, body: `{"error":"${huge}"}` },
    ];
    for (const res of responses) classify(res, 'sign in');
  });

  // BUG (reported): any `error_code`/`error` value matching /^[A-Za-z0-9_.:-]{1,64}$/ is
  // copied into the user-facing message, so a server or proxy that echoes a request
  // field there puts the client secret or device code in a notification.
  it('errorFromResponse: a secret echoed in error_code or error never reaches the message', () => {
    for (const secret of [CLIENT_SECRET, DEVICE_CODE, REFRESH_TOKEN, 'csecret-0123456789abcdef0123456789abcdef']) {
      for (const field of ['error_code', 'error']) {
        for (const st of [400, 401, 403, 500]) {
          const error = errorFromResponse({ status: st, headers: {}, body: JSON.stringify({ [field]: secret }) }, 'sign in');
          assert.ok(!error.message.includes(secret), error.message);
        }
      }
    }
  });

  const NAMES: [string, TokenErrorClass][] = [
    ['authorization_pending', 'pending'],
    ['AuthorizationPendingException', 'pending'],
    ['AuthorizationPending', 'pending'],
    ['slow_down', 'slowDown'],
    ['SlowDownException', 'slowDown'],
    ['expired_token', 'expired'],
    ['ExpiredTokenException', 'expired'],
    ['access_denied', 'denied'],
    ['AccessDeniedException', 'denied'],
    ['invalid_client', 'rejectedClient'],
    ['InvalidClientException', 'rejectedClient'],
  ];
  const FIELDS = ['error', 'error_code', 'error_msg', 'code', 'message'];
  const CLASSES = ['pending', 'slowDown', 'expired', 'denied', 'rejectedClient'];
  /** Text that cannot spell any error name: no letters, no underscore. */
  const neutralText = fc.string({ unit: fc.constantFrom(...'0123456789 .,;:!?()[]#-/'.split('')), maxLength: 12 });
  const mixCase = (text: string, flips: boolean[]): string => [...text].map((c, i) => (flips[i % Math.max(1, flips.length)] ? c.toUpperCase() : c.toLowerCase())).join('');

  it('classifyTokenError: any status and body give a known class or none, never a crash', () => {
    fc.assert(
      fc.property(status, fc.oneof(anythingAtAll, fc.jsonValue({ maxDepth: 3 }), enveloped('error', { error: 'authorization_pending', error_msg: 'x' })), (s, b) => {
        cases++;
        let result: TokenErrorClass | undefined;
        try {
          result = classifyTokenError(s, b);
        } catch (error) {
          crashes++;
          throw error;
        }
        assert.ok(result === undefined || CLASSES.includes(result), String(result));
        if (s === 401) assert.notEqual(result, undefined, '401 is at least a rejected client');
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('classifyTokenError: a name in any documented field, any case, nested or not, is recognised', () => {
    fc.assert(
      fc.property(fc.constantFrom(...NAMES), fc.constantFrom(...FIELDS), neutralText, neutralText, fc.boolean(), fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), status, (named, field, head, tail, nested, flips, st) => {
        cases++;
        const [name, expected] = named;
        const value = `${head} ${mixCase(name, flips)} ${tail}`;
        const inner = { [field]: value };
        assert.equal(classifyTokenError(st, nested ? { error: inner } : inner), expected, JSON.stringify(value));
      }),
      { numRuns: RUNS },
    );
  });

  it('classifyTokenError: a name glued inside a longer word is not recognised; nothing but 401 makes a rejected client', () => {
    fc.assert(
      fc.property(fc.constantFrom(...NAMES), fc.constantFrom(...FIELDS), fc.constantFrom('x', 'X', '9', '_'), fc.boolean(), fc.integer({ min: 100, max: 599 }), (named, field, glue, atStart, st) => {
        cases++;
        const value = atStart ? `${glue}${named[0]}` : `${named[0]}${glue}`;
        assert.equal(classifyTokenError(st, { [field]: value }), st === 401 ? 'rejectedClient' : undefined, value);
      }),
      { numRuns: Math.round(RUNS / 2) },
    );
  });

  it('classifyTokenError: a body without any name is a rejected client on 401 and nothing otherwise', () => {
    const neutralValue: fc.Arbitrary<unknown> = fc.oneof(neutralText, fc.double(), fc.boolean(), fc.constant(null), fc.dictionary(fc.constantFrom(...FIELDS), neutralText));
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...FIELDS, 'error_description', 'request_id'), neutralValue), status, (b, st) => {
        cases++;
        assert.equal(classifyTokenError(st, b), st === 401 ? 'rejectedClient' : undefined);
      }),
      { numRuns: Math.round(RUNS / 2) },
    );
  });
});

describe('property: stored records', () => {
  const serviceUrl = fc.oneof(
    fc.constantFrom(`${ENDPOINT}/v1/tokens`, 'http://127.0.0.1:8080/v1/tokens', 'http://localhost/x', 'http://[::1]:1/x', 'https://xn--bcher-kva.example/ä?q=1#f'),
    fc.webUrl({ validSchemes: ['https'] }).filter((u) => u.length <= 2048 && parseServiceUrl(u) !== undefined),
  );
  const validRegistration: fc.Arbitrary<ClientRegistration> = fc.record({
    endpoint: serviceUrl,
    clientName: fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
    clientId: fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }),
    clientSecret: fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }),
    issuedAt: fc.integer({ min: 0, max: MAX_EPOCH_SECONDS }),
    expiresAt: fc.integer({ min: 0, max: MAX_EPOCH_SECONDS }),
    authorizationEndpoint: fc.option(serviceUrl, { nil: undefined }),
    tokenEndpoint: fc.option(serviceUrl, { nil: undefined }),
    scopes: fc.array(fc.string({ maxLength: 20 }), { maxLength: 5 }),
  }, { noNullPrototype: true });
  const validSession: fc.Arbitrary<StoredSession> = fc
    .record({
      id: fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
      account: fc.record({ id: fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }), label: fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }) }, { noNullPrototype: true }),
      scopes: fc.array(fc.string({ maxLength: 20 }), { maxLength: 5 }),
      accessToken: fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }),
      expiresAt: fc.maxSafeNat(),
      refreshToken: fc.option(fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }), { nil: undefined }),
      clientId: fc.string({ minLength: 1, maxLength: 40 }),
    }, { noNullPrototype: true })
    .map((s) => {
      if (s.refreshToken === undefined) delete (s as Partial<StoredSession>).refreshToken;
      return s as StoredSession;
    });

  const GOOD_RECORD = { version: 1, ...GOOD_REGISTRATION };

  it('parseStoredRegistration: every valid registration round-trips exactly', () => {
    fc.assert(
      fc.property(validRegistration, (r) => {
        check(() => parseStoredRegistration(serializeRegistration(r)), [], (parsed) => assert.deepEqual(parsed, r));
      }),
      { numRuns: RUNS },
    );
  });

  it('parseStoredRegistration: damaged, wrong-typed and hostile records give a valid registration or a protocol error', () => {
    const text = fc.oneof(
      { arbitrary: mutated(GOOD_RECORD).map(toJson), weight: 4 },
      damaged(JSON.stringify(GOOD_RECORD)),
      fc.json({ maxDepth: 3 }),
      fc.string({ unit: 'binary', maxLength: 60 }),
      hostileValue.map(toJson),
    );
    fc.assert(
      fc.property(text, (t) => {
        check(() => parseStoredRegistration(t), ['protocol'], (r) => {
          assertRegistration(r, r.endpoint);
          assertSameJson(parseStoredRegistration(serializeRegistration(r)), r, 'what is read can be written back');
        });
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('parseStoredRegistration: every truncation, and a record behind __proto__, is a protocol error', () => {
    for (const text of truncations(serializeRegistration(GOOD_REGISTRATION))) {
      assert.equal(check(() => parseStoredRegistration(text), ['protocol'], () => assert.fail()), 'error');
    }
    for (const text of [
      `{"__proto__":${JSON.stringify(GOOD_RECORD)}}`,
      `{"version":1,"__proto__":${JSON.stringify(GOOD_REGISTRATION)}}`,
      `{"constructor":{"prototype":${JSON.stringify(GOOD_RECORD)}}}`,
      'x'.repeat(10 * 1024 * 1024),
      JSON.stringify({ ...GOOD_RECORD, clientSecret: 's'.repeat(10 * 1024 * 1024) }),
    ]) {
      assert.equal(check(() => parseStoredRegistration(text), ['protocol'], () => assert.fail()), 'error');
    }
  });

  it('parseSessions: every valid list of sessions round-trips exactly', () => {
    fc.assert(
      fc.property(fc.array(validSession, { maxLength: 4 }), (sessions) => {
        check(() => parseSessions(serializeSessions(sessions)), [], (parsed) => assert.deepEqual(parsed, sessions));
      }),
      { numRuns: RUNS },
    );
  });

  it('parseSessions: damaged, wrong-typed and hostile records give valid sessions or a protocol error', () => {
    const sessionObject = mutated({ ...GOOD_SESSION });
    const record = fc.oneof(
      fc.array(fc.oneof({ arbitrary: sessionObject, weight: 3 }, fc.constant({ ...GOOD_SESSION }), hostileValue), { maxLength: 3 }).map((sessions) => ({ version: 1, sessions })),
      mutated({ version: 1, sessions: [GOOD_SESSION] }),
    );
    const text = fc.oneof(
      { arbitrary: record.map(toJson), weight: 4 },
      damaged(serializeSessions([GOOD_SESSION])),
      fc.json({ maxDepth: 3 }),
      fc.string({ unit: 'binary', maxLength: 60 }),
    );
    fc.assert(
      fc.property(text, (t) => {
        check(() => parseSessions(t), ['protocol'], (sessions) => {
          assert.ok(Array.isArray(sessions));
          sessions.forEach(assertSession);
          assertSameJson(parseSessions(serializeSessions(sessions)), sessions, 'what is read can be written back');
        });
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('parseSessions: every truncation, and sessions behind __proto__, are protocol errors', () => {
    for (const text of truncations(serializeSessions([GOOD_SESSION]))) {
      assert.equal(check(() => parseSessions(text), ['protocol'], () => assert.fail()), 'error');
    }
    for (const text of [`{"version":1,"__proto__":{"sessions":[]}}`, `{"__proto__":{"version":1,"sessions":[]}}`, `{"version":1,"sessions":[{"__proto__":${JSON.stringify(GOOD_SESSION)}}]}`]) {
      assert.equal(check(() => parseSessions(text), ['protocol'], () => assert.fail()), 'error');
    }
  });
});

describe('property: RegistrationManager never stores a partial record', () => {
  const EXPIRED_REGISTRATION: ClientRegistration = { ...GOOD_REGISTRATION, clientId: 'cid-expired', issuedAt: NOW_S - 100 * DAY, expiresAt: NOW_S - 10 * DAY };
  const CORRUPT = '{"version":1,"clientId":"cid-corrupt"';

  type Behaviour = { kind: 'body'; body: unknown } | { kind: 'throw'; error: unknown };
  const thrown = fc.oneof(
    fc.constantFrom(...FAILURE_KINDS).map((kind) => new IdentityCenterError(kind, `Injected ${kind} failure: retry.`)),
    fc.constantFrom<unknown>(new Error('socket hang up'), new TypeError('x is undefined'), 'a thrown string', undefined, null, 42),
  );
  const behaviour: fc.Arbitrary<Behaviour> = fc.oneof(
    { arbitrary: enveloped('client_info', { ...GOOD_CLIENT_INFO, client_id: 'cid-new' }).map((body): Behaviour => ({ kind: 'body', body })), weight: 4 },
    fc.constant<Behaviour>({ kind: 'body', body: { client_info: { ...GOOD_CLIENT_INFO, client_id: 'cid-new' } } }),
    thrown.map((error): Behaviour => ({ kind: 'throw', error })),
  );

  function parsesCleanly(body: unknown): boolean {
    try {
      parseClientInfo(body, INPUT, ENDPOINT, NOW_MS);
      return true;
    } catch {
      return false;
    }
  }

  function setup(b: Behaviour, initial: 'none' | 'usable' | 'expired' | 'corrupt', failWrites: boolean) {
    const store = new MemorySecretStore();
    const clock = new FakeClock(NOW_MS);
    const logger = new MemoryLogger();
    let calls = 0;
    const registrar: ClientRegistrar = {
      registerClient: async (input) => {
        calls++;
        if (b.kind === 'throw') throw b.error;
        return parseClientInfo(b.body, input, ENDPOINT, clock.now());
      },
    };
    const manager = new RegistrationManager({ endpoint: ENDPOINT, scopes: ['openid'], registrar, store, clock, logger });
    if (initial !== 'none') store.values.set(manager.key, initial === 'corrupt' ? CORRUPT : serializeRegistration(initial === 'usable' ? GOOD_REGISTRATION : EXPIRED_REGISTRATION));
    store.failWrites = failWrites;
    return { store, logger, manager, calls: () => calls };
  }

  it('a failed or malformed registration leaves the stored record as it was; a good one is stored whole', async () => {
    await fc.assert(
      fc.asyncProperty(
        behaviour,
        fc.constantFrom('none', 'usable', 'expired', 'corrupt') as fc.Arbitrary<'none' | 'usable' | 'expired' | 'corrupt'>,
        fc.boolean(),
        fc.constantFrom('register', 'ensureClient'),
        fc.integer({ min: 1, max: 3 }),
        async (b, initial, failWrites, via, callers) => {
          cases++;
          const { store, logger, manager, calls } = setup(b, initial, failWrites);
          const before = store.values.get(manager.key);
          const outcomes = await Promise.allSettled(
            via === 'register' ? [manager.register('VS Code')] : Array.from({ length: callers }, () => manager.ensureClient({ clientNameIfNone: 'VS Code' })),
          );
          const after = store.values.get(manager.key);

          if (via === 'ensureClient' && initial === 'usable') {
            assert.equal(calls(), 0, 'a usable registration is reused');
            for (const o of outcomes) assert.deepEqual(o.status === 'fulfilled' ? o.value : o.reason, GOOD_REGISTRATION);
            assert.equal(after, before);
            return;
          }
          assert.equal(calls(), 1, 'one registration for every concurrent caller');
          const [first] = outcomes;
          for (const o of outcomes) assert.equal(o.status, first.status, 'concurrent callers share one outcome');
          const bodyIsGood = b.kind === 'body' && parsesCleanly(b.body);
          if (first.status === 'rejected') {
            assert.equal(after, before, 'a failed registration changes nothing stored');
            const reason: unknown = first.reason;
            if (b.kind === 'throw') {
              assert.equal(reason, b.error, 'the registrar failure reaches the caller unchanged');
            } else {
              if (!(reason instanceof IdentityCenterError)) crashes++;
              assert.ok(reason instanceof IdentityCenterError, `typed error, got ${String(reason)}`);
              assert.equal(reason.kind, bodyIsGood ? 'storage' : 'protocol');
              assert.ok(!bodyIsGood || failWrites, 'a good body fails only when the store does');
              assertCleanMessage(reason.message);
            }
          } else {
            assert.ok(bodyIsGood && !failWrites, 'success only with a good body and a working store');
            const result = first.value;
            assertRegistration(result);
            assert.ok(after !== undefined);
            assert.deepEqual(parseStoredRegistration(after), result, 'the stored record is exactly the new registration');
          }
          // Never a partial record: whatever is stored is what was there, or parses whole.
          if (after !== undefined && after !== before) assertRegistration(parseStoredRegistration(after));
          // The client id is logged by design; a generated body may have put a secret-looking value there.
          const clientId = b.kind === 'body' ? (b.body as { client_info?: { client_id?: unknown } } | null)?.client_info?.client_id : undefined;
          const log = typeof clientId === 'string' ? logger.text().split(clientId).join('') : logger.text();
          for (const secret of SECRETS) assert.ok(!log.includes(secret), 'the log holds a secret');
        },
      ),
      { numRuns: RUNS },
    );
  });

  // BUG (reported): an expiry in milliseconds above 8.64e15 passes parseClientInfo, is
  // stored, then `new Date(expiresAt * 1000).toISOString()` in registerNow's log line
  // throws a RangeError: the caller gets an untyped error although the record changed.
  it('an expiry in milliseconds beyond the Date range is refused or handled, never a RangeError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: MAX_DATE_MS + 1000, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom('register', 'ensureClient'), async (expiresMs, via) => {
        cases++;
        const { store, manager } = setup({ kind: 'body', body: { client_info: { ...GOOD_CLIENT_INFO, client_secret_expires_at: expiresMs } } }, 'expired', false);
        const before = store.values.get(manager.key);
        try {
          const result = await (via === 'register' ? manager.register('VS Code') : manager.ensureClient());
          assert.deepEqual(parseStoredRegistration(store.values.get(manager.key) ?? ''), result);
        } catch (error) {
          assert.ok(error instanceof IdentityCenterError, `typed error, got ${String(error)}`);
          assert.equal(store.values.get(manager.key), before);
        }
      }),
      { numRuns: 200 },
    );
  });

  // BUG (reported): RegistrationManager stores whatever its registrar returns, unchecked:
  // a malformed registration replaces the good record, then the log line throws.
  it('a registrar returning a malformed registration never replaces the good record', async () => {
    const malformed = fc.oneof(mutated({ ...GOOD_REGISTRATION, clientId: 'cid-new' }), hostileValue);
    await fc.assert(
      fc.asyncProperty(malformed, async (value) => {
        cases++;
        const store = new MemorySecretStore();
        const registrar: ClientRegistrar = { registerClient: async () => value as ClientRegistration };
        const manager = new RegistrationManager({ endpoint: ENDPOINT, scopes: ['openid'], registrar, store, clock: new FakeClock(NOW_MS), logger: new MemoryLogger() });
        const before = serializeRegistration(EXPIRED_REGISTRATION);
        store.values.set(manager.key, before);
        try {
          const result = await manager.ensureClient();
          assert.deepEqual(parseStoredRegistration(store.values.get(manager.key) ?? ''), result);
        } catch (error) {
          assert.ok(error instanceof IdentityCenterError, `typed error, got ${String(error)}`);
          assert.equal(store.values.get(manager.key), before);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('property: totals', () => {
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();

  it('left Object.prototype as it was', () => {
    assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), prototypeKeys);
    for (const key of ['client_info', 'token_info', 'client_id', 'clientSecret', 'version', 'sessions', 'preferred_username']) {
      assert.equal(({} as Record<string, unknown>)[key], undefined, key);
    }
  });

  after(() => {
    console.log(`property cases: ${cases}, crashes: ${crashes}`);
  });
});
