/**
 * One class per HTTP status, for every place that acts on a failed answer: the retry
 * decision, `isTransientFailure` (the device flow, session refresh, the Retry button),
 * and the OIDC and portal error mappers. A table pins each status's class for each of
 * them, so the 429-or-5xx rule cannot drift apart again.
 */
import { strict as assert } from 'node:assert';
import { IdentityCenterError } from '../../src/core/common/errors';
import { errorFromResponse } from '../../src/core/oidc/responses';
import { portalError } from '../../src/core/portal/responses';
import { httpFailureClass, isTransientFailure } from '../../src/core/transport/httpFailure';
import type { HttpResponse } from '../../src/core/transport/port';
import { httpRetryDecision } from '../../src/core/transport/retry';

const T0 = Date.UTC(2025, 0, 15, 12, 0, 0);

type StatusClass = 'throttled' | 'outage' | 'final';

/** The class of each status: 429 is throttling, 500 to 599 an outage, every other status the service's final answer. */
const TABLE: [number, StatusClass][] = [
  [0, 'final'],
  [200, 'final'],
  [400, 'final'],
  [401, 'final'],
  [403, 'final'],
  [404, 'final'],
  [407, 'final'],
  [408, 'final'],
  [428, 'final'],
  [429, 'throttled'],
  [430, 'final'],
  [499, 'final'],
  [500, 'outage'],
  [502, 'outage'],
  [503, 'outage'],
  [504, 'outage'],
  [599, 'outage'],
  [600, 'final'],
  [999, 'final'],
];

function json(status: number): HttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: '{"error_code":"IIC.1001"}' };
}

function webPage(status: number): HttpResponse {
  return { status, headers: { 'content-type': 'text/html' }, body: '<html><body>Bad Gateway</body></html>' };
}

/** What an error mapper made of an answer, read from the error it returned. */
function mapped(error: IdentityCenterError): string {
  if (error.kind === 'rejectedClient' || error.kind === 'signInRequired') return error.kind;
  if (error.message.includes('did not come from IAM Identity Center')) return 'notService';
  if (error.message.includes('is throttling requests')) return 'throttled';
  if (error.message.includes('The service may be unavailable')) return 'outage';
  return 'final';
}

const oidc = (response: HttpResponse): string => mapped(errorFromResponse(response, 'sign in', { nowMs: T0 }));
const portal = (response: HttpResponse, tokenWorkedBefore = false): string =>
  mapped(portalError(response, 'list your accounts', { secrets: [], nowMs: T0, tokenWorkedBefore }));

describe('the class of a failed HTTP answer, one rule for every user', () => {
  for (const [status, expected] of TABLE) {
    const transient = expected !== 'final';
    describe(`HTTP ${status}: ${expected}`, () => {
      it('httpFailureClass', () => {
        assert.equal(httpFailureClass(status), expected);
      });

      it(`the retry decision ${transient ? 'retries' : 'does not retry'} it`, () => {
        const decision = httpRetryDecision({ ok: true, value: json(status) }, T0);
        assert.equal(decision !== undefined, transient);
      });

      it(`isTransientFailure says ${transient}`, () => {
        assert.equal(isTransientFailure(new IdentityCenterError('service', 'x', { status })), transient);
      });

      it('the OIDC mapper', () => {
        assert.equal(oidc(json(status)), status === 401 ? 'rejectedClient' : expected);
      });

      it('the portal mapper', () => {
        assert.equal(portal(json(status)), status === 401 ? 'signInRequired' : expected);
        assert.equal(portal(json(status), true), status === 401 || status === 403 ? 'signInRequired' : expected);
      });

      it('a web page in place of the service is no answer of the service, whatever its status, for both mappers; the retry reads the status alone', () => {
        assert.equal(oidc(webPage(status)), status === 401 ? 'rejectedClient' : 'notService');
        assert.equal(portal(webPage(status)), status === 401 ? 'signInRequired' : 'notService');
        assert.equal(httpRetryDecision({ ok: true, value: webPage(status) }, T0) !== undefined, transient);
      });
    });
  }

  it('a body that is not JSON counts as no answer of the service too', () => {
    const text: HttpResponse = { status: 502, headers: {}, body: 'upstream connect error' };
    assert.equal(oidc(text), 'notService');
    assert.equal(portal(text), 'notService');
  });
});
