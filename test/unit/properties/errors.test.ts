/**
 * Property-based tests (fast-check) over the service's error answers: any status,
 * headers and body give one typed error with a clean message that holds no secret,
 * and a token error is classified by its name wherever it stands, or not at all.
 */
import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import { classifyTokenError, type TokenErrorClass } from '../../../src/core/oidc/tokenErrors';
import { IdentityCenterError } from '../../../src/core/common/errors';
import type { HttpResponse } from '../../../src/core/transport/port';
import { errorFromResponse } from '../../../src/core/oidc/responses';
import { ACCESS_TOKEN, anythingAtAll, CLIENT_SECRET, CONTENT_TYPES, damaged, define, DEVICE_CODE, enveloped, hostileString, hostileValue, ID_TOKEN, REFRESH_TOKEN, RUNS, SECRETS, toJson } from './arbitraries';
import { assertCleanMessage, tally } from './invariants';

const SAFE_CODE = /^[A-Za-z0-9_.:-]{1,64}$/;

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
  // code, so the seeded secrets stay out of them here (the echoed-secret test below covers that).
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
    tally.cases++;
    let error: unknown;
    try {
      error = errorFromResponse(res, action);
    } catch (thrown) {
      tally.crashes++;
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

  // Regression: any `error_code`/`error` value matching /^[A-Za-z0-9_.:-]{1,64}$/ was
  // copied into the user-facing message, so a server or proxy that echoed a request
  // field there put the client secret or device code in a notification.
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
        tally.cases++;
        let result: TokenErrorClass | undefined;
        try {
          result = classifyTokenError(s, b);
        } catch (error) {
          tally.crashes++;
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
        tally.cases++;
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
        tally.cases++;
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
        tally.cases++;
        assert.equal(classifyTokenError(st, b), st === 401 ? 'rejectedClient' : undefined);
      }),
      { numRuns: Math.round(RUNS / 2) },
    );
  });
});
