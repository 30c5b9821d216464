import * as assert from 'node:assert/strict';
import { createTimerSleep } from '../../src/core/common/ports';
import { parseDeviceAuthorization, type DeviceAuthorization } from '../../src/core/oidc/deviceAuthorization';
import { classifyTokenError, type TokenErrorClass } from '../../src/core/oidc/tokenErrors';
import type { PollOutcome } from '../../src/core/oidc/tokenErrors';
import { pollForToken, type PollDeps } from '../../src/core/signin/deviceFlow';
import { IdentityCenterError, isIdentityCenterError, type FailureKind } from '../../src/core/common/errors';
import type { Logger } from '../../src/core/common/ports';
import { FakeClock, fakeSleep, type FakeSleepOptions } from '../support/fakeTime';

const START_MS = 1_700_000_000_000;
const DEVICE_CODE = 'device-code-SECRET-6f1e';
const TOKEN = { accessToken: 'access-token-SECRET-91ab' };

type Step = PollOutcome<typeof TOKEN> | IdentityCenterError | (() => PollOutcome<typeof TOKEN>);

const pending: Step = { kind: 'pending' };
const slowDown: Step = { kind: 'slowDown' };
const token: Step = { kind: 'token', token: TOKEN };
const failure = (kind: FailureKind, status?: number, retryAfterSeconds?: number): IdentityCenterError =>
  new IdentityCenterError(kind, `${kind} ${status ?? ''} #${Math.random()}`, { status, retryAfterSeconds });

/** A scripted token endpoint on a fake clock that records when each poll came. */
function harness(steps: Step[], options: { lifetimeSeconds?: number; intervalSeconds?: number; sleep?: FakeSleepOptions } = {}) {
  const clock = new FakeClock(START_MS);
  const pollTimes: number[] = [];
  const sleeps: number[] = [];
  const logLines: string[] = [];
  const log = (message: string): void => {
    logLines.push(message);
  };
  const logger: Logger = { trace: log, debug: log, info: log, warn: log, error: log };
  const authorization: DeviceAuthorization = {
    deviceCode: DEVICE_CODE,
    userCode: 'WDJB-MJHT',
    verificationUri: 'https://example.com/device',
    expiresAtMs: START_MS + (options.lifetimeSeconds ?? 600) * 1000,
    intervalSeconds: options.intervalSeconds ?? 5,
  };
  const deps: PollDeps<typeof TOKEN> = {
    clock,
    sleep: fakeSleep(clock, { record: sleeps, ...options.sleep }),
    logger,
    poll: async () => {
      pollTimes.push((clock.now() - START_MS) / 1000);
      const step = steps[pollTimes.length - 1];
      if (step === undefined) throw new Error(`unexpected poll #${pollTimes.length}`);
      if (step instanceof IdentityCenterError) throw step;
      return typeof step === 'function' ? step() : step;
    },
  };
  return { clock, deps, authorization, pollTimes, sleeps, logLines };
}

async function rejection(promise: Promise<unknown>): Promise<IdentityCenterError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof IdentityCenterError, `expected an IdentityCenterError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a rejection');
}

function assertThrowsKind(action: () => unknown, kind: FailureKind): void {
  assert.throws(action, (error: unknown) => error instanceof IdentityCenterError && error.kind === kind);
}

describe('deviceFlow', () => {
  describe('pollForToken', () => {
    it('waits interval before each poll and raises it by 5 s for good on slow_down', async () => {
      const h = harness([pending, pending, slowDown, pending, token]);
      const result = await pollForToken(h.authorization, h.deps);
      assert.equal(result, TOKEN);
      assert.deepEqual(h.pollTimes, [5, 10, 15, 25, 35]);
      assert.deepEqual(h.sleeps, [5000, 5000, 5000, 10_000, 10_000]);
    });

    it('adds 5 s for each slow_down', async () => {
      const h = harness([slowDown, slowDown, pending, token]);
      await pollForToken(h.authorization, h.deps);
      assert.deepEqual(h.pollTimes, [5, 15, 30, 45]);
    });

    it('uses the interval the service gave', async () => {
      const h = harness([pending, token], { intervalSeconds: 7 });
      await pollForToken(h.authorization, h.deps);
      assert.deepEqual(h.pollTimes, [7, 14]);
    });

    it('polls every 5 s when the response had no interval', async () => {
      const authorization = parseDeviceAuthorization(validBody({ interval: undefined }), START_MS);
      const h = harness([pending, pending, token]);
      await pollForToken(authorization, h.deps);
      assert.deepEqual(h.pollTimes, [5, 10, 15]);
    });

    it('treats a non-positive interval handed in directly as 5 s', async () => {
      const h = harness([pending, token], { intervalSeconds: 0 });
      await pollForToken(h.authorization, h.deps);
      assert.deepEqual(h.pollTimes, [5, 10]);
    });

    it('stops at the lifetime: 30 s at 5 s gives exactly 6 polls, the last at the deadline, and never sleeps past it', async () => {
      const h = harness(Array<Step>(6).fill(pending), { lifetimeSeconds: 30 });
      const error = await rejection(pollForToken(h.authorization, h.deps));
      assert.equal(error.kind, 'expired');
      assert.match(error.message, /Sign in again/);
      assert.equal(error.remedy, 'signIn');
      assert.deepEqual(h.pollTimes, [5, 10, 15, 20, 25, 30]);
      assert.equal(h.clock.now(), h.authorization.expiresAtMs);
    });

    it('stops without sleeping when a slow_down pushes the next poll past the deadline', async () => {
      const h = harness([pending, pending, pending, pending, slowDown], { lifetimeSeconds: 30 });
      const error = await rejection(pollForToken(h.authorization, h.deps));
      assert.equal(error.kind, 'expired');
      assert.deepEqual(h.pollTimes, [5, 10, 15, 20, 25]);
      assert.equal(h.clock.now() - START_MS, 25_000);
    });

    it('makes no poll when the lifetime is shorter than the interval', async () => {
      const h = harness([], { lifetimeSeconds: 4 });
      const error = await rejection(pollForToken(h.authorization, h.deps));
      assert.equal(error.kind, 'expired');
      assert.deepEqual(h.pollTimes, []);
      assert.deepEqual(h.sleeps, []);
    });

    it('reports the service’s expired_token as expired with advice to sign in again', async () => {
      const h = harness([pending, failure('expired', 400)]);
      const error = await rejection(pollForToken(h.authorization, h.deps));
      assert.equal(error.kind, 'expired');
      assert.match(error.message, /Sign in again/);
      assert.equal(error.remedy, 'signIn');
      assert.deepEqual(h.pollTimes, [5, 10]);
    });

    it('reports denial with a clear message and stops', async () => {
      const denied = failure('denied', 400);
      const h = harness([pending, denied]);
      const error = await rejection(pollForToken(h.authorization, h.deps));
      assert.equal(error.kind, 'denied');
      assert.equal(error.message, 'Sign-in was denied in the browser. Sign in again to retry.');
      assert.equal(error.remedy, 'signIn');
      assert.equal(error.cause, denied);
      assert.deepEqual(h.pollTimes, [5, 10]);
    });

    it('propagates a rejected client unchanged and stops', async () => {
      const rejected = failure('rejectedClient', 401);
      const h = harness([rejected]);
      const error = await rejection(pollForToken(h.authorization, h.deps));
      assert.equal(error, rejected);
      assert.deepEqual(h.pollTimes, [5]);
    });

    for (const [label, stop] of [
      ['a 4xx service error', () => failure('service', 400)],
      ['a service error without status', () => failure('service')],
      ['a protocol error', () => failure('protocol')],
    ] as const) {
      it(`stops at once on ${label}`, async () => {
        const error = stop();
        const h = harness([pending, error]);
        assert.equal(await rejection(pollForToken(h.authorization, h.deps)), error);
        assert.deepEqual(h.pollTimes, [5, 10]);
      });
    }

    it('recovers from a network blip with backoff: interval + 5 s, then interval + 10 s', async () => {
      const h = harness([failure('network'), failure('timeout'), token]);
      assert.equal(await pollForToken(h.authorization, h.deps), TOKEN);
      assert.deepEqual(h.pollTimes, [5, 15, 30]);
    });

    it('retries 5xx and 429 service errors', async () => {
      const h = harness([failure('service', 503), failure('service', 429), token]);
      assert.equal(await pollForToken(h.authorization, h.deps), TOKEN);
      assert.deepEqual(h.pollTimes, [5, 15, 30]);
    });

    it('waits Retry-After when it is longer than the backoff', async () => {
      const h = harness([failure('service', 429, 30), token]);
      await pollForToken(h.authorization, h.deps);
      assert.deepEqual(h.pollTimes, [5, 35]);
    });

    it('resets the failure count after a pending answer', async () => {
      const h = harness([failure('network'), pending, failure('network'), token]);
      await pollForToken(h.authorization, h.deps);
      assert.deepEqual(h.pollTimes, [5, 15, 20, 30]);
    });

    it('gives up with the last error after 5 transient failures in a row', async () => {
      const errors = [1, 2, 3, 4, 5].map(() => failure('network'));
      const h = harness(errors);
      const error = await rejection(pollForToken(h.authorization, h.deps));
      assert.equal(error, errors[4]);
      assert.deepEqual(h.pollTimes, [5, 15, 30, 55, 100]);
    });

    it('caps the backoff at 60 s', async () => {
      const h = harness([...[1, 2, 3, 4, 5, 6].map(() => failure('network')), token]);
      await pollForToken(h.authorization, { ...h.deps, maxConsecutiveTransientFailures: 10 });
      assert.deepEqual(h.pollTimes, [5, 15, 30, 55, 100, 165, 230]);
    });

    it('ends with expired, naming the network, when the backoff would pass the deadline', async () => {
      const last = failure('network');
      const h = harness([failure('network'), last], { lifetimeSeconds: 20 });
      const error = await rejection(pollForToken(h.authorization, h.deps));
      assert.equal(error.kind, 'expired');
      assert.match(error.message, /network/);
      assert.equal(error.cause, last);
      assert.deepEqual(h.pollTimes, [5, 15]);
      assert.equal(h.clock.now() - START_MS, 15_000);
    });

    it('cancelled before the first poll: no poll, no sleep', async () => {
      const controller = new AbortController();
      controller.abort();
      const h = harness([token]);
      const error = await rejection(pollForToken(h.authorization, h.deps, controller.signal));
      assert.equal(error.kind, 'cancelled');
      assert.deepEqual(h.pollTimes, []);
      assert.deepEqual(h.sleeps, []);
    });

    it('cancelled during a sleep: no further poll', async () => {
      const controller = new AbortController();
      let sleepsStarted = 0;
      const h = harness([pending, token], {
        sleep: {
          onSleep: () => {
            if (++sleepsStarted === 2) controller.abort();
          },
        },
      });
      const error = await rejection(pollForToken(h.authorization, h.deps, controller.signal));
      assert.equal(error.kind, 'cancelled');
      assert.deepEqual(h.pollTimes, [5]);
    });

    it('cancelled when the sleep ignores the signal: still no further poll', async () => {
      const controller = new AbortController();
      const h = harness([pending, token]);
      const sleep = h.deps.sleep;
      const ignoringSleep = async (ms: number): Promise<void> => {
        await sleep(ms);
        if (h.pollTimes.length === 1) controller.abort();
      };
      const error = await rejection(pollForToken(h.authorization, { ...h.deps, sleep: ignoringSleep }, controller.signal));
      assert.equal(error.kind, 'cancelled');
      assert.deepEqual(h.pollTimes, [5]);
    });

    it('cancelled before the first poll, with a sleep that ignores the signal: still no sleep', async () => {
      const controller = new AbortController();
      controller.abort();
      const h = harness([token]);
      const sleep = h.deps.sleep;
      const error = await rejection(pollForToken(h.authorization, { ...h.deps, sleep: (ms: number) => sleep(ms) }, controller.signal));
      assert.equal(error.kind, 'cancelled');
      assert.deepEqual(h.pollTimes, []);
      assert.deepEqual(h.sleeps, []);
    });

    it('cancelled during a sleep that rejects with a plain AbortError: still a cancelled IdentityCenterError', async () => {
      const controller = new AbortController();
      const h = harness([token]);
      const sleep = async (): Promise<void> => {
        controller.abort();
        throw controller.signal.reason;
      };
      const error = await rejection(pollForToken(h.authorization, { ...h.deps, sleep }, controller.signal));
      assert.equal(error.kind, 'cancelled');
      assert.deepEqual(h.pollTimes, []);
    });

    it('passes on a sleep failure that is not a cancellation', async () => {
      const broken = new RangeError('bad timer');
      const h = harness([token]);
      await assert.rejects(pollForToken(h.authorization, { ...h.deps, sleep: async () => Promise.reject(broken) }), (error) => error === broken);
      assert.deepEqual(h.pollTimes, []);
    });

    it('cancelled during a poll: rejects with cancelled even if the poll returned the token', async () => {
      const controller = new AbortController();
      const h = harness([pending, () => (controller.abort(), token)]);
      const error = await rejection(pollForToken(h.authorization, h.deps, controller.signal));
      assert.equal(error.kind, 'cancelled');
      assert.deepEqual(h.pollTimes, [5, 10]);
    });

    for (const kind of ['network', 'service'] as const) {
      it(`cancelled during a poll whose request then fails (${kind}): cancelled, not retried`, async () => {
        const controller = new AbortController();
        const h = harness([
          () => {
            controller.abort();
            throw failure(kind, kind === 'service' ? 400 : undefined);
          },
          token,
        ]);
        const error = await rejection(pollForToken(h.authorization, h.deps, controller.signal));
        assert.equal(error.kind, 'cancelled');
        assert.deepEqual(h.pollTimes, [5]);
      });
    }

    it('passes the signal to each poll', async () => {
      const controller = new AbortController();
      const h = harness([token]);
      let seen: AbortSignal | undefined;
      await pollForToken(h.authorization, { ...h.deps, poll: async (signal) => ((seen = signal), token) }, controller.signal);
      assert.equal(seen, controller.signal);
    });

    it('logs each poll outcome without the device code or the token', async () => {
      const h = harness([pending, slowDown, failure('network'), token]);
      await pollForToken(h.authorization, h.deps);
      assert.equal(h.logLines.length, 4);
      assert.match(h.logLines[0], /pending/);
      assert.match(h.logLines[1], /slow down/);
      assert.match(h.logLines[2], /network/);
      assert.match(h.logLines[3], /approved/);
      for (const line of h.logLines) {
        assert.ok(!line.includes(DEVICE_CODE) && !line.includes(TOKEN.accessToken), line);
      }
    });
  });

  describe('parseDeviceAuthorization', () => {
    it('reads a full response, lifetime in seconds from receipt', () => {
      assert.deepEqual(parseDeviceAuthorization(validBody(), START_MS), {
        deviceCode: DEVICE_CODE,
        userCode: 'WDJB-MJHT',
        verificationUri: 'https://portal.example.com/device',
        verificationUriComplete: 'https://portal.example.com/device?user_code=WDJB-MJHT',
        expiresAtMs: START_MS + 600_000,
        intervalSeconds: 7,
      });
    });

    it('leaves verificationUriComplete out when absent or null', () => {
      for (const value of [undefined, null]) {
        const result = parseDeviceAuthorization(validBody({ verification_uri_complete: value }), START_MS);
        assert.ok(!('verificationUriComplete' in result));
      }
    });

    it('accepts http verification URIs on loopback only, and only when the endpoint is on loopback too', () => {
      const body = validBody({ verification_uri: 'http://127.0.0.1:8123/device', verification_uri_complete: 'http://localhost:8123/d?c=1' });
      assert.equal(parseDeviceAuthorization(body, START_MS, 'http://127.0.0.1:8123').verificationUri, 'http://127.0.0.1:8123/device');
      for (const endpoint of [undefined, 'https://oidc.cn-north-4.myhuaweicloud.com']) {
        assert.throws(() => parseDeviceAuthorization(body, START_MS, endpoint), (error: unknown) => isIdentityCenterError(error, 'protocol'), String(endpoint));
      }
      const remote = validBody({ verification_uri: 'http://portal.example.com/device' });
      assert.throws(() => parseDeviceAuthorization(remote, START_MS, 'http://127.0.0.1:8123'), (error: unknown) => isIdentityCenterError(error, 'protocol'));
    });

    it('keeps the normalized verification URI, tolerating only case, a default port and the root slash', () => {
      const read = (uri: string) => parseDeviceAuthorization(validBody({ verification_uri: uri, verification_uri_complete: undefined }), START_MS).verificationUri;
      assert.equal(read('  https://portal.example.com/device  '), 'https://portal.example.com/device');
      assert.equal(read('HTTPS://Portal.Example.COM/device'), 'https://portal.example.com/device');
      assert.equal(read('https://portal.example.com:443/device'), 'https://portal.example.com/device');
      assert.equal(read('https://portal.example.com'), 'https://portal.example.com/');
      assert.equal(read('https://portal.example.com?user_code=A'), 'https://portal.example.com/?user_code=A');
    });

    it('refuses a verification URI that reads differently from where it leads', () => {
      for (const uri of [
        'https://pоrtal.example.com/device', // a Cyrillic o: normalizes to punycode
        'https://portal.example.com\\@evil.example/device',
        'https://portal.example.com/a/../device',
        'https://portal.example.com/de vice',
        'https://user:pass@portal.example.com/device',
        'javascript:alert(1)',
        'command:workbench.action.quit',
        'file:///etc/passwd',
      ]) {
        assert.throws(
          () => parseDeviceAuthorization(validBody({ verification_uri: uri }), START_MS),
          (error: unknown) => isIdentityCenterError(error, 'protocol') && !error.message.includes(uri),
          uri,
        );
      }
    });

    it('refuses a user code that is not letters and digits in hyphen-joined groups', () => {
      for (const code of ['[Open](command:workbench.action.quit)', 'ABCD EFGH', '-ABCD', 'ABCD--EFGH', '$(alert)', 'ＡＢＣＤ', 'AB<b>CD']) {
        assert.throws(() => parseDeviceAuthorization(validBody({ user_code: code }), START_MS), (error: unknown) => isIdentityCenterError(error, 'protocol'), code);
      }
      for (const code of ['WDJB-MJHT', 'abcd1234', 'A-B-C-D']) assert.equal(parseDeviceAuthorization(validBody({ user_code: code }), START_MS).userCode, code);
    });

    it('defaults interval to 5 s when absent, null or 0', () => {
      for (const interval of [undefined, null, 0]) {
        assert.equal(parseDeviceAuthorization(validBody({ interval }), START_MS).intervalSeconds, 5, String(interval));
      }
    });

    it('reads expires_in from 10^9 on as an epoch deadline in seconds', () => {
      const deadlineSeconds = START_MS / 1000 + 900;
      assert.equal(parseDeviceAuthorization(validBody({ expires_in: deadlineSeconds }), START_MS).expiresAtMs, deadlineSeconds * 1000);
      // The service's published example, received five minutes before it.
      assert.equal(parseDeviceAuthorization(validBody({ expires_in: 1_684_955_360 }), 1_684_955_060_000).expiresAtMs, 1_684_955_360_000);
    });

    it('reads expires_in below 10^9 as seconds, and cuts a lifetime over an hour to an hour', () => {
      assert.equal(parseDeviceAuthorization(validBody({ expires_in: 3600 }), START_MS).expiresAtMs, START_MS + 3_600_000);
      assert.equal(parseDeviceAuthorization(validBody({ expires_in: 999_999_999 }), START_MS).expiresAtMs, START_MS + 3_600_000);
      assert.equal(parseDeviceAuthorization(validBody({ expires_in: START_MS }), START_MS).expiresAtMs, START_MS + 3_600_000);
    });

    it('throws expired for a deadline already past, or a zero lifetime', () => {
      assertThrowsKind(() => parseDeviceAuthorization(validBody({ expires_in: START_MS / 1000 - 1 }), START_MS), 'expired');
      assertThrowsKind(() => parseDeviceAuthorization(validBody({ expires_in: START_MS / 1000 }), START_MS), 'expired');
      assertThrowsKind(() => parseDeviceAuthorization(validBody({ expires_in: 0 }), START_MS), 'expired');
    });

    const malformed: [string, unknown][] = [
      ['a non-object body', 'device_code=x'],
      ['a null body', null],
      ['an array body', [validBody()]],
      ['a wrapped body', { device_info: validBody() }],
      ['no device_code', validBody({ device_code: undefined })],
      ['an empty device_code', validBody({ device_code: '' })],
      ['a numeric device_code', validBody({ device_code: 42 })],
      ['no user_code', validBody({ user_code: undefined })],
      ['a numeric user_code', validBody({ user_code: 1234 })],
      ['a user_code with a newline', validBody({ user_code: 'WDJB\nMJHT' })],
      ['a user_code with a bell', validBody({ user_code: 'WDJB\u0007MJHT' })],
      ['a user_code with a bidi override', validBody({ user_code: 'WDJB\u202eMJHT' })],
      ['a user_code with a zero-width space', validBody({ user_code: 'WDJB\u200bMJHT' })],
      ['a blank user_code', validBody({ user_code: '   ' })],
      ['a 65-character user_code', validBody({ user_code: 'A'.repeat(65) })],
      ['no verification_uri', validBody({ verification_uri: undefined })],
      ['a numeric verification_uri', validBody({ verification_uri: 1 })],
      ['an http verification_uri', validBody({ verification_uri: 'http://portal.example.com/device' })],
      ['a javascript: verification_uri', validBody({ verification_uri: 'javascript:alert(1)' })],
      ['a relative verification_uri', validBody({ verification_uri: '/device' })],
      ['a verification_uri with credentials', validBody({ verification_uri: 'https://u:p@portal.example.com/device' })],
      ['an http verification_uri_complete', validBody({ verification_uri_complete: 'http://portal.example.com/device?c=1' })],
      ['no expires_in', validBody({ expires_in: undefined })],
      ['a string expires_in', validBody({ expires_in: '600' })],
      ['a fractional expires_in', validBody({ expires_in: 600.5 })],
      ['a negative expires_in', validBody({ expires_in: -1 })],
      ['a string interval', validBody({ interval: '5' })],
      ['a fractional interval', validBody({ interval: 2.5 })],
      ['a negative interval', validBody({ interval: -5 })],
      ['an interval over an hour', validBody({ interval: 3601 })],
    ];
    for (const [label, body] of malformed) {
      it(`rejects ${label} as a protocol error without echoing values`, () => {
        assert.throws(
          () => parseDeviceAuthorization(body, START_MS),
          (error: unknown) =>
            error instanceof IdentityCenterError && error.kind === 'protocol' && !error.message.includes(DEVICE_CODE) && !error.message.includes('WDJB'),
        );
      });
    }

    it('accepts a 64-character user_code and an interval of an hour', () => {
      const result = parseDeviceAuthorization(validBody({ user_code: 'A'.repeat(64), interval: 3600 }), START_MS);
      assert.equal(result.userCode.length, 64);
      assert.equal(result.intervalSeconds, 3600);
    });
  });

  describe('classifyTokenError', () => {
    const names: [TokenErrorClass, string, string][] = [
      ['pending', 'authorization_pending', 'AuthorizationPendingException'],
      ['slowDown', 'slow_down', 'SlowDownException'],
      ['expired', 'expired_token', 'ExpiredTokenException'],
      ['denied', 'access_denied', 'AccessDeniedException'],
      ['rejectedClient', 'invalid_client', 'InvalidClientException'],
    ];
    for (const [expected, oauthName, awsName] of names) {
      for (const name of [oauthName, awsName]) {
        for (const field of ['error', 'error_code', 'error_msg']) {
          it(`${name} in ${field} => ${expected}`, () => {
            assert.equal(classifyTokenError(400, { [field]: name, request_id: 'r-1' }), expected);
          });
        }
      }
      it(`${oauthName} in error_msg beside a Huawei error_code => ${expected}`, () => {
        assert.equal(classifyTokenError(400, { error_code: 'IIC.1005', error_msg: oauthName, request_id: 'r-1' }), expected);
      });
      it(`${awsName} without the Exception suffix, in an error object => ${expected}`, () => {
        assert.equal(classifyTokenError(400, { error: { code: awsName.replace(/Exception$/, ''), message: 'x' } }), expected);
      });
    }

    const cases: [string, number, unknown, TokenErrorClass | undefined][] = [
      ['401 with an empty body', 401, {}, 'rejectedClient'],
      ['401 with no JSON body', 401, undefined, 'rejectedClient'],
      ['401 with a Huawei code', 401, { error_code: 'IIC.1001', error_msg: 'Unauthorized' }, 'rejectedClient'],
      ['401 that names a known error', 401, { error: 'authorization_pending' }, 'pending'],
      ['200 carrying an error (GitHub style)', 200, { error: 'slow_down' }, 'slowDown'],
      ['upper case', 400, { error: 'AUTHORIZATION_PENDING' }, 'pending'],
      ['a name inside a message', 400, { error_msg: 'ExpiredTokenException: the device code has expired' }, 'expired'],
      ['error before error_msg', 400, { error: 'slow_down', error_msg: 'authorization_pending' }, 'slowDown'],
      ['an unknown error before a known one', 400, { error: 'invalid_request', error_msg: 'access_denied' }, 'denied'],
      ['a longer word that contains a name', 400, { error: 'invalid_client_metadata' }, undefined],
      ['an unrelated Huawei error', 400, { error_code: 'IIC.1000', error_msg: 'Invalid parameter' }, undefined],
      ['invalid_grant', 400, { error: 'invalid_grant' }, undefined],
      ['a 500 without a name', 500, { error_code: 'IIC.500' }, undefined],
      ['a 403 without a name', 403, { error: 'forbidden' }, undefined],
      ['a name in a non-string field', 400, { error_code: ['access_denied'] }, undefined],
      ['a text body', 400, 'access_denied', undefined],
      ['a null body', 400, null, undefined],
      ['an array body', 400, [{ error: 'access_denied' }], undefined],
    ];
    for (const [label, status, body, expected] of cases) {
      it(`${label} => ${String(expected)}`, () => {
        assert.equal(classifyTokenError(status, body), expected);
      });
    }
  });

  describe('createTimerSleep', () => {
    type Timer = { callback: () => void; ms: number; cleared: boolean };
    let timers: Timer[];
    const realSetTimeout = globalThis.setTimeout;
    const realClearTimeout = globalThis.clearTimeout;

    beforeEach(() => {
      timers = [];
      globalThis.setTimeout = ((callback: () => void, ms: number) => {
        const timer = { callback, ms, cleared: false };
        timers.push(timer);
        return timer;
      }) as unknown as typeof setTimeout;
      globalThis.clearTimeout = ((timer: Timer) => {
        timer.cleared = true;
      }) as unknown as typeof clearTimeout;
    });

    afterEach(() => {
      globalThis.setTimeout = realSetTimeout;
      globalThis.clearTimeout = realClearTimeout;
    });

    it('resolves when its timer fires', async () => {
      let resolved = false;
      const sleeping = createTimerSleep()(5000).then(() => (resolved = true));
      assert.deepEqual(timers.map((t) => t.ms), [5000]);
      await Promise.resolve();
      assert.equal(resolved, false);
      timers[0].callback();
      await sleeping;
      assert.equal(resolved, true);
    });

    it('rejects with cancelled and clears its timer when aborted', async () => {
      const controller = new AbortController();
      const sleeping = createTimerSleep()(3_600_000, controller.signal);
      controller.abort();
      assert.equal((await rejection(sleeping)).kind, 'cancelled');
      assert.equal(timers.length, 1);
      assert.equal(timers[0].cleared, true);
    });

    it('rejects at once without a timer when already aborted', async () => {
      const controller = new AbortController();
      controller.abort();
      assert.equal((await rejection(createTimerSleep()(1000, controller.signal))).kind, 'cancelled');
      assert.equal(timers.length, 0);
    });
  });
});

function validBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const body: Record<string, unknown> = {
    device_code: DEVICE_CODE,
    user_code: 'WDJB-MJHT',
    verification_uri: 'https://portal.example.com/device',
    verification_uri_complete: 'https://portal.example.com/device?user_code=WDJB-MJHT',
    expires_in: 600,
    interval: 7,
  };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete body[key];
    else body[key] = value;
  }
  return body;
}
