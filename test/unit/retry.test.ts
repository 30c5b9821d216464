/**
 * The retry policy on a fake clock: exact schedules for Retry-After (seconds and
 * dates) and jittered backoff, the attempt and time bounds, and what is never retried.
 * Nothing here really sleeps.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { IdentityCenterError, isIdentityCenterError } from '../../src/core/common/errors';
import { HttpResponse } from '../../src/core/transport/port';
import { parseRetryAfter } from '../../src/core/transport/httpFailure';
import { AttemptOutcome, backoffCeilingMs, DEFAULT_RETRY_POLICY, httpRetryDecision, RetryEvent, RetryPolicy, retryDelayMs, withRetry } from '../../src/core/transport/retry';
import { FakeClock, fakeSleep } from '../support/fakeTime';

const T0 = Date.UTC(2025, 0, 15, 12, 0, 0);

function response(status: number, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers, body: '{}' };
}

/** Runs `withRetry` over a script of outcomes (a response, or an error to throw), recording everything. */
async function run(
  script: (HttpResponse | Error)[],
  options: { policy?: Partial<RetryPolicy>; random?: () => number; onSleep?: (ms: number) => void; attemptMs?: number; signal?: AbortSignal } = {},
) {
  const clock = new FakeClock(T0);
  const sleeps: number[] = [];
  const attemptsAt: number[] = [];
  const events: RetryEvent[] = [];
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  let index = 0;
  const outcome = withRetry<HttpResponse>(
    async () => {
      attemptsAt.push(clock.now() - T0);
      const step = script[Math.min(index++, script.length - 1)];
      if (options.attemptMs) clock.advance(options.attemptMs);
      if (step instanceof Error) throw step;
      return step;
    },
    (result: AttemptOutcome<HttpResponse>) => httpRetryDecision(result, clock.now()),
    policy,
    {
      clock,
      sleep: fakeSleep(clock, { record: sleeps, onSleep: options.onSleep }),
      random: options.random ?? (() => 0.5),
      signal: options.signal,
      onRetry: (event) => events.push(event),
    },
  );
  const settled = await outcome.then(
    (value) => ({ value, error: undefined as unknown }),
    (error: unknown) => ({ value: undefined, error }),
  );
  return { ...settled, sleeps, attemptsAt, events, elapsed: clock.now() - T0 };
}

const network = (): IdentityCenterError => new IdentityCenterError('network', 'reset', { code: 'ECONNRESET' });

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    assert.equal(parseRetryAfter('7', T0), 7000);
    assert.equal(parseRetryAfter(' 0 ', T0), 0);
    assert.equal(parseRetryAfter('120', T0), 120_000);
  });

  it('reads an HTTP date against the local clock', () => {
    assert.equal(parseRetryAfter(new Date(T0 + 12_000).toUTCString(), T0), 12_000);
    assert.equal(parseRetryAfter(new Date(T0 - 60_000).toUTCString(), T0), 0, 'a date in the past means now');
  });

  it('measures an HTTP date from the response Date header when present, so local skew does not count', () => {
    const serverNow = T0 + 10 * 60_000; // the server's clock runs ten minutes ahead
    const retryAt = new Date(serverNow + 5_000).toUTCString();
    assert.equal(parseRetryAfter(retryAt, T0, new Date(serverNow).toUTCString()), 5_000);
    assert.equal(parseRetryAfter(retryAt, T0, 'not a date'), 605_000, 'an unreadable Date falls back to the local clock');
  });

  it('ignores what is neither', () => {
    for (const value of [undefined, '', '-1', '1.5', 'soon', '12abc', '1e3']) assert.equal(parseRetryAfter(value, T0), undefined, String(value));
  });
});

describe('backoff with full jitter', () => {
  const policy: RetryPolicy = { maxAttempts: 10, baseDelayMs: 500, maxDelayMs: 5_000, maxRetryAfterMs: 20_000, maxTotalMs: 600_000 };

  it('doubles the ceiling each retry, up to maxDelayMs', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 40].map((n) => backoffCeilingMs(n, policy)), [500, 1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it('draws the delay uniformly under the ceiling: exact values for a fixed random', () => {
    const at = (random: number) => [1, 2, 3, 4].map((n) => retryDelayMs(n, { reason: 'x' }, policy, () => random));
    assert.deepEqual(at(0), [0, 0, 0, 0]);
    assert.deepEqual(at(0.5), [250, 500, 1000, 2000]);
    assert.deepEqual(at(0.999), [499, 999, 1998, 3996]);
  });

  it('stays within [0, ceiling] for any random value and attempt', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, random) => {
        const delay = retryDelayMs(attempt, { reason: 'x' }, policy, () => random) ?? -1;
        return Number.isInteger(delay) && delay >= 0 && delay <= backoffCeilingMs(attempt, policy);
      }),
      { numRuns: 2000 },
    );
  });

  it('treats a broken random source as 0 rather than sleeping NaN', () => {
    assert.equal(retryDelayMs(1, { reason: 'x' }, policy, () => Number.NaN), 0);
    assert.equal(retryDelayMs(1, { reason: 'x' }, policy, () => 7), 500);
  });
});

describe('withRetry', () => {
  it('retries a 503 with backoff and returns the success', async () => {
    const result = await run([response(503), response(500), response(200)]);
    assert.equal(result.value?.status, 200);
    assert.deepEqual(result.sleeps, [250, 500]);
    assert.deepEqual(result.attemptsAt, [0, 250, 750]);
    assert.deepEqual(
      result.events.map((e) => [e.attempt, e.reason, e.retryAfter]),
      [
        [1, 'HTTP 503', false],
        [2, 'HTTP 500', false],
      ],
    );
  });

  it('honours Retry-After in seconds on 429 and 503, exactly', async () => {
    const result = await run([response(429, { 'retry-after': '3' }), response(503, { 'retry-after': '1' }), response(200)]);
    assert.equal(result.value?.status, 200);
    assert.deepEqual(result.sleeps, [3000, 1000]);
    assert.ok(result.events.every((e) => e.retryAfter));
  });

  it('honours Retry-After as an HTTP date, measured from the response Date', async () => {
    const date = new Date(T0 + 3600_000).toUTCString(); // server clock an hour off: only the difference counts
    const retryAt = new Date(T0 + 3600_000 + 4_000).toUTCString();
    const result = await run([response(503, { 'retry-after': retryAt, date }), response(200)]);
    assert.deepEqual(result.sleeps, [4000]);
  });

  it('does not retry sooner than a Retry-After beyond the cap: it gives up with that response', async () => {
    const result = await run([response(429, { 'retry-after': '120' }), response(200)]);
    assert.equal(result.value?.status, 429);
    assert.deepEqual(result.sleeps, []);
    assert.deepEqual(result.attemptsAt, [0]);
  });

  it('ignores Retry-After on other statuses and backs off', async () => {
    const result = await run([response(500, { 'retry-after': '9' }), response(200)]);
    assert.deepEqual(result.sleeps, [250]);
  });

  it('stops after maxAttempts and returns the last response', async () => {
    const result = await run([response(503)], { random: () => 0.999 });
    assert.equal(result.value?.status, 503);
    assert.equal(result.attemptsAt.length, 3);
    assert.deepEqual(result.sleeps, [499, 999]);
  });

  it('stops after maxAttempts and rethrows the last error', async () => {
    const last = network();
    const result = await run([network(), network(), last, response(200)]);
    assert.equal(result.error, last);
    assert.equal(result.attemptsAt.length, 3);
  });

  it('starts no retry that would begin after maxTotalMs (30 s)', async () => {
    // Attempts of 10 s each: retries start at 10.25 s and 20.75 s; the next would start at 31.75 s.
    const tenSeconds = await run([response(503)], { attemptMs: 10_000, policy: { maxAttempts: 10 } });
    assert.deepEqual(tenSeconds.attemptsAt, [0, 10_250, 20_750]);
    assert.equal(tenSeconds.elapsed, 30_750, 'a running attempt may end past the budget; no new one starts after it');
    const thirtySeconds = await run([response(503)], { attemptMs: 30_000, policy: { maxAttempts: 10 } });
    assert.deepEqual(thirtySeconds.attemptsAt, [0]);
  });

  it('counts Retry-After against the time budget', async () => {
    const result = await run([response(503, { 'retry-after': '15' })], { attemptMs: 20_000, policy: { maxAttempts: 10 } });
    assert.deepEqual(result.sleeps, []);
    assert.equal(result.value?.status, 503);
  });

  for (const status of [400, 401, 403, 404, 409, 413, 422]) {
    it(`does not retry HTTP ${status}`, async () => {
      const result = await run([response(status), response(200)]);
      assert.equal(result.value?.status, status);
      assert.deepEqual(result.attemptsAt, [0]);
    });
  }

  for (const kind of ['cancelled', 'configuration', 'protocol', 'rejectedClient', 'storage'] as const) {
    it(`does not retry a ${kind} failure`, async () => {
      const result = await run([new IdentityCenterError(kind, kind), response(200)]);
      assert.ok(isIdentityCenterError(result.error, kind));
      assert.deepEqual(result.attemptsAt, [0]);
    });
  }

  it('does not retry a certificate failure (retrying cannot fix trust)', async () => {
    const result = await run([new IdentityCenterError('network', 'tls', { code: 'SELF_SIGNED_CERT_IN_CHAIN' }), response(200)]);
    assert.ok(isIdentityCenterError(result.error, 'network'));
    assert.deepEqual(result.attemptsAt, [0]);
  });

  it('retries network and timeout failures', async () => {
    const result = await run([network(), new IdentityCenterError('timeout', 'slow'), response(200)]);
    assert.equal(result.value?.status, 200);
    assert.deepEqual(result.events.map((e) => e.reason), ['network, ECONNRESET', 'timeout']);
  });

  it('does not retry an error that is not an IdentityCenterError', async () => {
    const bug = new TypeError('bug');
    const result = await run([bug, response(200)]);
    assert.equal(result.error, bug);
    assert.deepEqual(result.attemptsAt, [0]);
  });

  it('stops at once when cancelled during the wait, without another attempt', async () => {
    const abort = new AbortController();
    const result = await run([response(503), response(200)], { signal: abort.signal, onSleep: () => abort.abort() });
    assert.ok(isIdentityCenterError(result.error, 'cancelled'));
    assert.deepEqual(result.attemptsAt, [0]);
    assert.equal(result.elapsed, 0, 'the clock did not move: no wait happened');
  });

  it('makes no attempt when already cancelled', async () => {
    const abort = new AbortController();
    abort.abort();
    const result = await run([response(200)], { signal: abort.signal });
    assert.ok(isIdentityCenterError(result.error, 'cancelled'));
    assert.deepEqual(result.attemptsAt, []);
  });

  it('with maxAttempts 1 never waits', async () => {
    const result = await run([response(503), response(200)], { policy: { maxAttempts: 1 } });
    assert.equal(result.value?.status, 503);
    assert.deepEqual(result.sleeps, []);
  });
});
