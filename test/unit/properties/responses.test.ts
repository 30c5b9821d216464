/**
 * Property-based tests (fast-check) over the service's answers to registration, token
 * and device authorization requests. Thousands of malformed, truncated, oversized,
 * wrong-typed and hostile bodies must each give either a result that keeps the
 * invariants or an `IdentityCenterError`, never another exception and never a message
 * holding a secret.
 */
import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import { parseDeviceAuthorization } from '../../../src/core/oidc/deviceAuthorization';
import { NON_EXPIRING_SECRET_RENEWAL_SECONDS, parseClientInfo, parseTokenInfo } from '../../../src/core/oidc/responses';
import type { ClientRegistration } from '../../../src/core/registration/model';
import type { TokenSet } from '../../../src/core/sessions/model';
import { parseJsonBody } from '../../../src/core/transport/responseBody';
import { parseStoredRegistration, serializeRegistration } from '../../../src/core/registration/record';
import { sessionFromTokens } from '../../../src/core/sessions/model';
import { parseSessions, serializeSessions } from '../../../src/core/sessions/record';
import { DAY, ENDPOINT, enveloped, GOOD_CLIENT_INFO, GOOD_DEVICE, GOOD_TOKEN_INFO, hostileNumber, hostileValue, INPUT, mutated, NOW_MS, NOW_S, response, RUNS, servedText, truncations } from './arbitraries';
import { assertDeviceAuthorization, assertRegistration, assertSameJson, assertTokens, check } from './invariants';

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
            if (expires === 0) assert.equal(r.expiresAt, r.issuedAt + NON_EXPIRING_SECRET_RENEWAL_SECONDS, '0 (never expires, RFC 7591) renews on a schedule');
            else assert.equal(r.expiresAt, expires > 100_000_000_000 ? Math.floor(expires / 1000) : expires, 'milliseconds become seconds');
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
