/**
 * The inputs of the property tests (fast-check): secrets seeded into them, hostile
 * values, damage done to good bodies, and the good bodies and records the
 * properties start from. The invariants they are checked against are in
 * `invariants.ts`.
 */
import * as fc from 'fast-check';
import type { HttpResponse } from '../../../src/core/transport/port';
import type { ClientRegistration } from '../../../src/core/registration/model';
import type { StoredSession } from '../../../src/core/sessions/model';

// ---- secrets seeded into the inputs: no error message or log line may contain them ----

export const CLIENT_SECRET = 'SEEDED-client-secret-9f2c41';
export const DEVICE_CODE = 'SEEDED-device-code-77ab0e';
export const ACCESS_TOKEN = 'SEEDED-access-token-c3d5a1';
export const REFRESH_TOKEN = 'SEEDED-refresh-token-0b9e7d';
export const ID_TOKEN = `eyJhbGciOiJub25lIn0.${Buffer.from('{"sub":"u","email":"e@example.com"}').toString('base64url')}.SEEDED-id-token-sig`;
export const SECRETS = [CLIENT_SECRET, DEVICE_CODE, ACCESS_TOKEN, REFRESH_TOKEN, ID_TOKEN, 'SEEDED-'];

export const NOW_MS = 1_700_000_000_000;
export const NOW_S = NOW_MS / 1000;
export const DAY = 24 * 3600;
export const ENDPOINT = 'https://oidc.ap-southeast-1.myhuaweicloud.com';
export const INPUT = { clientName: 'VS Code', scopes: ['openid'] };

// ---- hostile values ----------------------------------------------------------------------

export const HOSTILE_STRINGS = [
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

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.constantFrom(63, 64, 65, 255, 256, 257, 1024, 1025, 2048, 2049, 8192, 8193, 16384, 16385).map((n) => 'x'.repeat(n)),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'binary-ascii', maxLength: 40 }),
  fc.string({ maxLength: 40 }),
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
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

export const anythingAtAll = fc.anything({
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

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileString, weight: 3 },
  { arbitrary: hostileNumber, weight: 3 },
  fc.boolean(),
  fc.constantFrom(null, undefined, [], {}, [''], ['openid', 7], { client_id: 'nested' }),
  anythingAtAll,
  fc.jsonValue({ maxDepth: 3 }),
);

export const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'];

/** Sets an own property, even `__proto__`, the way `JSON.parse` does. */
export function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** `base` with some fields dropped and a few replaced (or added, prototype keys included) by hostile values. */
export function mutated(base: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
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
export function damaged(text: string): fc.Arbitrary<string> {
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
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'undefined';
}


export const CONTENT_TYPES = ['application/json;charset=UTF-8', 'application/json', 'text/plain', 'text/html', 'text/html; charset=utf-8', 'application/octet-stream', ''];

export function response(body: string, contentType = 'application/json;charset=UTF-8', status = 200): HttpResponse {
  return { status, headers: contentType ? { 'content-type': contentType } : {}, body };
}

// ---- good inputs the properties start from ---------------------------------------------------

export const GOOD_CLIENT_INFO = {
  authorization_endpoint: `${ENDPOINT}/v1/authorize`,
  client_id: 'cid-0123456789abcdef',
  client_id_issued_at: NOW_S,
  client_secret: CLIENT_SECRET,
  client_secret_expires_at: NOW_S + 90 * DAY,
  token_endpoint: `${ENDPOINT}/v1/tokens`,
  scopes: ['openid'],
};
export const GOOD_TOKEN_INFO = {
  access_token: ACCESS_TOKEN,
  token_type: 'Bearer',
  expires_in: 3600,
  id_token: ID_TOKEN,
  refresh_token: REFRESH_TOKEN,
};
export const GOOD_DEVICE = {
  device_code: DEVICE_CODE,
  user_code: 'WDJB-MJHT',
  verification_uri: 'https://portal.example.com/device',
  verification_uri_complete: 'https://portal.example.com/device?user_code=WDJB-MJHT',
  expires_in: 600,
  interval: 5,
};
export const GOOD_REGISTRATION: ClientRegistration = {
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
export const GOOD_SESSION: StoredSession = {
  id: 'session-1',
  account: { id: 'u', label: 'e@example.com' },
  scopes: ['openid'],
  accessToken: ACCESS_TOKEN,
  expiresAt: NOW_S + 3600,
  refreshToken: REFRESH_TOKEN,
  clientId: 'cid-good',
};

/** A body as the OIDC client sees it: the envelope hostile, or the good envelope with its inside damaged. */
export function enveloped(field: string, inner: Record<string, unknown>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: mutated(inner).map((value) => ({ [field]: value })), weight: 6 },
    hostileValue.map((value) => ({ [field]: value })),
    hostileValue,
    mutated({ [field]: inner }),
  );
}

/** JSON text of a body, then maybe damaged, served with some content type. */
export function servedText(field: string | undefined, inner: Record<string, unknown>): fc.Arbitrary<HttpResponse> {
  const good = JSON.stringify(field ? { [field]: inner } : inner);
  const text = fc.oneof(
    { arbitrary: damaged(good), weight: 4 },
    fc.json({ maxDepth: 3 }),
    (field ? enveloped(field, inner) : mutated(inner)).map(toJson),
    fc.string({ unit: 'binary', maxLength: 60 }),
  );
  return fc.tuple(text, fc.constantFrom(...CONTENT_TYPES)).map(([body, type]) => response(body, type));
}

export function truncations(text: string): string[] {
  return Array.from({ length: text.length }, (_, i) => text.slice(0, i));
}

export const RUNS = 1000;
