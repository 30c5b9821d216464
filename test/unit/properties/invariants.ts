/**
 * What every result of the property tests must keep: a parse gives a valid value or
 * an `IdentityCenterError` of an allowed kind with a clean message, never another
 * exception; and the invariants of each kind of valid value. `tally` counts the cases
 * and crashes of every property file, for the totals line.
 */
import { strict as assert } from 'node:assert';
import type { DeviceAuthorization } from '../../../src/core/oidc/deviceAuthorization';
import { IdentityCenterError, type FailureKind } from '../../../src/core/common/errors';
import type { ClientRegistration } from '../../../src/core/registration/model';
import type { TokenSet } from '../../../src/core/sessions/model';
import type { StoredSession } from '../../../src/core/sessions/model';
import { parseServiceUrl } from '../../../src/core/common/url';
import { DAY, ENDPOINT, SECRETS, toJson } from './arbitraries';

// ---- counting --------------------------------------------------------------------------

/** Cases run and crashes seen, over all the property files. */
export const tally = { cases: 0, crashes: 0 };

/**
 * Runs one parse. A thrown `IdentityCenterError` must be of an allowed kind with a clean
 * message; anything else thrown is a crash (counted, then rethrown so fast-check shrinks
 * it). A result goes to `valid` for the invariants.
 */
export function check<T>(parse: () => T, allowed: FailureKind[], valid: (value: T) => void): 'valid' | 'error' {
  tally.cases++;
  let value: T;
  try {
    value = parse();
  } catch (error) {
    if (!(error instanceof IdentityCenterError)) {
      tally.crashes++;
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
export function assertCleanMessage(message: string): void {
  assert.equal(typeof message, 'string');
  assert.ok(message.length > 20 && message.length <= 500, `message length ${message.length}`);
  assert.ok(!/[\p{Cc}\p{Cf}<>]/u.test(message), `message has control characters or markup: ${JSON.stringify(message)}`);
  for (const secret of SECRETS) assert.ok(!message.includes(secret), `message holds a secret: ${message}`);
}

/** Equal as stored JSON (so `-0` and `0`, or an absent and an undefined field, are the same). */
export function assertSameJson(actual: unknown, expected: unknown, message?: string): void {
  assert.deepEqual(JSON.parse(toJson(actual)), JSON.parse(toJson(expected)), message);
}

// ---- invariants of valid results -------------------------------------------------------------

export function assertNonEmptyString(value: unknown, max: number, name: string): void {
  assert.equal(typeof value, 'string', `${name} is a string`);
  assert.ok((value as string).length > 0 && (value as string).length <= max, `${name} length`);
}

export function assertWhole(value: unknown, name: string): void {
  assert.ok(typeof value === 'number' && Number.isSafeInteger(value) && value >= 0, `${name} is a whole number: ${String(value)}`);
}

export function assertServiceUrl(value: unknown, name: string): void {
  if (value === undefined) return;
  assert.equal(typeof value, 'string', name);
  const url = parseServiceUrl(value as string);
  assert.ok(url, `${name} is https or loopback http: ${String(value)}`);
  assert.ok(url.protocol === 'https:' || ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) || /^127\./.test(url.hostname));
}

export function assertRegistration(r: ClientRegistration, endpoint = ENDPOINT): void {
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

export function assertTokens(t: TokenSet, receivedAtMs: number): void {
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

export function assertDeviceAuthorization(d: DeviceAuthorization, receivedAtMs: number): void {
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

export function assertSession(s: StoredSession): void {
  assertNonEmptyString(s.id, 256, 'id');
  assertNonEmptyString(s.account.id, 1024, 'account.id');
  assertNonEmptyString(s.account.label, 1024, 'account.label');
  assert.ok(s.scopes.every((x) => typeof x === 'string'));
  assertNonEmptyString(s.accessToken, 16384, 'accessToken');
  assertWhole(s.expiresAt, 'expiresAt');
  assertNonEmptyString(s.clientId, 1024, 'clientId');
  if ('refreshToken' in s) assertNonEmptyString(s.refreshToken, 16384, 'refreshToken');
}
