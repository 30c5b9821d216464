/**
 * Property-based tests (fast-check) over the records in SecretStorage: a valid
 * registration or list of sessions round-trips exactly; a damaged, wrong-typed or
 * hostile record gives a valid value or a protocol error, never another exception.
 */
import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import type { ClientRegistration } from '../../../src/core/registration/model';
import { parseStoredRegistration, serializeRegistration } from '../../../src/core/registration/record';
import type { StoredSession } from '../../../src/core/sessions/model';
import { parseSessions, serializeSessions } from '../../../src/core/sessions/record';
import { parseServiceUrl } from '../../../src/core/common/url';
import { MAX_EPOCH_SECONDS } from '../../../src/core/common/validate';
import { damaged, ENDPOINT, GOOD_REGISTRATION, GOOD_SESSION, hostileValue, mutated, RUNS, toJson, truncations } from './arbitraries';
import { assertRegistration, assertSameJson, assertSession, check } from './invariants';

describe('property: stored records', () => {
  const serviceUrl = fc.oneof(
    fc.constantFrom(`${ENDPOINT}/v1/tokens`, 'http://127.0.0.1:8080/v1/tokens', 'http://localhost/x', 'http://[::1]:1/x', 'https://xn--bcher-kva.example/ä?q=1#f'),
    fc.webUrl({ validSchemes: ['https'] }).filter((u) => u.length <= 2048 && parseServiceUrl(u) !== undefined),
  );
  const validRegistration: fc.Arbitrary<ClientRegistration> = fc.record({
    endpoint: serviceUrl,
    clientName: fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
    clientId: fc.stringMatching(/^[A-Za-z0-9._~+/=:@-]{1,60}$/),
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
      expiresAt: fc.integer({ min: 0, max: MAX_EPOCH_SECONDS }),
      refreshToken: fc.option(fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }), { nil: undefined }),
      clientId: fc.stringMatching(/^[A-Za-z0-9._~+/=:@-]{1,40}$/),
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
