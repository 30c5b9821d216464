/**
 * The device-code sign-in end to end: `signIn` against the emulator over real loopback
 * HTTP (undici), with a real RegistrationManager as the client source, a fake clock and
 * a sleep that moves both the fake clock and the emulator's clock, so no test waits.
 */
import { strict as assert } from 'node:assert';
import { DEVICE_CODE_GRANT, OidcClient } from '../../src/core/oidc/client';
import { IdentityCenterError } from '../../src/core/common/errors';
import type { Sleep } from '../../src/core/common/ports';
import { renewalDueAtMs } from '../../src/core/registration/expiry';
import { RegistrationManager } from '../../src/core/registration/manager';
import { accountFromIdToken } from '../../src/core/sessions/model';
import type { ClientSource, SignInResult, UserCodePrompt } from '../../src/core/signin/signIn';
import { signIn } from '../../src/core/signin/signIn';
import type { RecordedRequest, TokenErrorStyle } from '../support/emulator/emulator';
import { FakeClock, fakeSleep } from '../support/fakeTime';
import { rejectsWith } from '../support/assertions';
import { MemoryLogger } from '../support/memoryLogger';
import { MemorySecretStore } from '../support/memorySecretStore';
import { useEmulator } from '../support/emulatorFixture';

const START_URL = 'https://d-1234567890.portal.example.com/start';
const SCOPES = ['openid'];
const CLIENT_NAME = 'VS Code on laptop';

interface Body {
  [field: string]: unknown;
}

const bodyOf = (request: RecordedRequest): Body => request.body as Body;

describe('signIn against the emulator', () => {
  const fx = useEmulator({ limits: { connectTimeoutMs: 2000, headersTimeoutMs: 2000, bodyIdleTimeoutMs: 1000, totalTimeoutMs: 4000 } });

  /** Everything one sign-in is made of, and what it did. */
  interface Harness {
    clock: FakeClock;
    store: MemorySecretStore;
    logger: MemoryLogger;
    manager: RegistrationManager;
    oidc: OidcClient;
    clients: ClientSource;
    sleep: Sleep;
    /** Every polling sleep's duration, in order. */
    sleeps: number[];
    /** Every retry wait of the OIDC client, in order. */
    retrySleeps: number[];
    /** Every prompt `showUserCode` received. */
    prompts: UserCodePrompt[];
    /** What `showUserCode` returns after recording the prompt (a modal's answer); default: nothing. */
    answerPrompt?: () => Promise<void>;
    /** Actions to run right after the n-th sleep (1-based), before the poll that follows it. */
    afterSleep: Map<number, () => void>;
    /** Actions to run while the n-th sleep is in progress (the signal may be aborted here). */
    duringSleep: Map<number, () => void>;
    /** Sleeps after which the emulator's clock is not moved (to provoke its slow_down). */
    emulatorStandsStill: Set<number>;
    run(request?: { startUrl?: string; clientNameIfNone?: string }, signal?: AbortSignal): Promise<SignInResult>;
  }

  let h: Harness;

  function harness(): Harness {
    const clock = new FakeClock(fx.emulator.now());
    const store = new MemorySecretStore();
    const logger = new MemoryLogger();
    // The client's own retries (registration and device authorization) wait on the same
    // fake time, with a fixed jitter, so their schedule is exact too.
    const retrySleeps: number[] = [];
    const retrySleep = fakeSleep(clock, { record: retrySleeps });
    const oidc = fx.oidc({
      clock,
      logger,
      retry: {
        sleep: async (ms, signal) => {
          await retrySleep(ms, signal);
          fx.emulator.advanceClock(ms / 1000);
        },
        random: () => 0.5,
      },
    });
    const manager = fx.registrations({ scopes: SCOPES, registrar: oidc, store, clock, logger });
    const clients: ClientSource = {
      ensureClient: (name) => manager.ensureClient({ clientNameIfNone: name }),
      dropRejected: (client) => manager.dropRejected(client.clientId),
    };
    const sleeps: number[] = [];
    const afterSleep = new Map<number, () => void>();
    const duringSleep = new Map<number, () => void>();
    const emulatorStandsStill = new Set<number>();
    const base = fakeSleep(clock, { record: sleeps, onSleep: () => duringSleep.get(sleeps.length)?.() });
    const sleep: Sleep = async (ms, signal) => {
      await base(ms, signal);
      const n = sleeps.length;
      if (!emulatorStandsStill.has(n)) fx.emulator.advanceClock(ms / 1000);
      afterSleep.get(n)?.();
    };
    const prompts: UserCodePrompt[] = [];
    const self: Harness = {
      clock,
      store,
      logger,
      manager,
      oidc,
      clients,
      sleep,
      sleeps,
      retrySleeps,
      prompts,
      afterSleep,
      duringSleep,
      emulatorStandsStill,
      run: (request = {}, signal) =>
        signIn(
          { clients: self.clients, oidc, clock, sleep, logger, showUserCode: (prompt) => {
              prompts.push(structuredClone(prompt));
              return self.answerPrompt?.();
            },
          },
          { startUrl: request.startUrl ?? START_URL, clientNameIfNone: 'clientNameIfNone' in request ? request.clientNameIfNone : CLIENT_NAME },
          signal,
        ),
    };
    return self;
  }

  /** Moves the harness clock and the emulator's clock together. */
  function advanceBoth(ms: number): void {
    h.clock.advance(ms);
    fx.emulator.advanceClock(ms / 1000);
  }


  const paths = (): string[] => fx.emulator.requests().map((r) => `${r.method} ${r.path}`);
  const count = (path: string): number => fx.emulator.requests(path).length;
  const deviceCodes = (): string[] => fx.emulator.issuedSecrets().filter((s) => s.startsWith('dcode-'));
  const firstAuthorizedClientId = (): string => bodyOf(fx.emulator.requests('/v1/device/authorize')[0]).client_id as string;

  beforeEach(() => {
    h = harness();
  });
  afterEach(function () {
    // Whatever the test did, no secret the emulator issued reaches the log or a prompt.
    if (this.currentTest?.state !== 'passed') return;
    const logged = h.logger.text();
    const shown = JSON.stringify(h.prompts);
    for (const secret of fx.emulator.issuedSecrets()) {
      assert.ok(!logged.includes(secret), `the log holds an issued secret (${secret.slice(0, 7)}…)`);
      assert.ok(!shown.includes(secret), `a prompt holds an issued secret (${secret.slice(0, 7)}…)`);
    }
  });

  it('registers when nothing is stored, authorizes with the new client and start_url, then polls with the device_code grant', async () => {
    h.afterSleep.set(3, () => fx.emulator.approve());
    const result = await h.run();

    assert.deepEqual(paths(), ['POST /v1/clients', 'POST /v1/device/authorize', 'POST /v1/tokens', 'POST /v1/tokens', 'POST /v1/tokens']);
    const [register, authorize, ...polls] = fx.emulator.requests();
    assert.equal(bodyOf(register).client_name, CLIENT_NAME);
    assert.deepEqual(bodyOf(register).scopes, SCOPES);
    assert.deepEqual(bodyOf(authorize), { client_id: result.client.clientId, client_secret: result.client.clientSecret, start_url: START_URL });
    const [deviceCode] = deviceCodes();
    for (const poll of polls) {
      assert.deepEqual(bodyOf(poll), {
        client_id: result.client.clientId,
        client_secret: result.client.clientSecret,
        grant_type: DEVICE_CODE_GRANT,
        device_code: deviceCode,
      });
    }
    // First poll one interval after the authorization, then every interval (5 s).
    assert.deepEqual(h.sleeps, [5000, 5000, 5000]);

    assert.ok(fx.emulator.issuedSecrets().includes(result.tokens.accessToken));
    assert.equal(result.tokens.tokenType, 'Bearer');
    assert.equal(result.tokens.expiresAtMs, h.clock.now() + 3600 * 1000);
    assert.ok(result.tokens.refreshToken?.startsWith('rtoken-'));
    assert.deepEqual(accountFromIdToken(result.tokens.idToken), { id: 'user-0001', label: 'test.user@example.com' });
    assert.equal((await h.manager.stored())?.clientId, result.client.clientId);
  });

  it('shows the user code once, with the verification URIs and never the device code', async () => {
    h.afterSleep.set(1, () => fx.emulator.approve());
    await h.run();
    assert.equal(h.prompts.length, 1);
    const [prompt] = h.prompts;
    assert.deepEqual(fx.emulator.pendingUserCodes(), []);
    assert.match(prompt.userCode, /^[B-Z]{4}-[B-Z]{4}$/);
    assert.equal(prompt.verificationUri, `${fx.emulator.url}/device`);
    assert.equal(prompt.verificationUriComplete, `${fx.emulator.url}/device?user_code=${encodeURIComponent(prompt.userCode)}`);
    assert.equal(prompt.intervalSeconds, 5);
    assert.equal('deviceCode' in prompt, false);
    for (const deviceCode of deviceCodes()) assert.ok(!JSON.stringify(prompt).includes(deviceCode));
    assert.ok(h.logger.text().includes(prompt.userCode), 'the log may name the user code');
  });

  it('polls only once the code is taken (a modal answered); a modal cancelled ends the sign-in with no poll', async () => {
    let take!: () => void;
    h.answerPrompt = () => new Promise<void>((resolve) => (take = resolve));
    h.afterSleep.set(1, () => fx.emulator.approve());
    const running = h.run();
    while (h.prompts.length === 0) await new Promise((resolve) => setImmediate(resolve));
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(h.sleeps, [], 'no poll wait before the code is taken');
    assert.equal(count('/v1/tokens'), 0);
    take();
    await running;
    assert.equal(count('/v1/tokens'), 1);

    h = harness();
    h.answerPrompt = () => Promise.reject(new IdentityCenterError('cancelled', 'cancelled'));
    await rejectsWith(h.run(), 'cancelled');
    assert.equal(count('/v1/tokens'), 1, 'no poll after the cancelled modal');
  });

  it('reuses a stored registration that is still usable, with no registration request', async () => {
    const stored = await h.manager.register(CLIENT_NAME);
    advanceBoth(renewalDueAtMs(stored) - h.clock.now() - 1);
    fx.emulator.clearRequests();
    h.afterSleep.set(1, () => fx.emulator.approve());
    const result = await h.run();
    assert.equal(result.client.clientId, stored.clientId);
    assert.deepEqual(paths(), ['POST /v1/device/authorize', 'POST /v1/tokens']);
  });

  it('renews a registration past its margin first: one POST /v1/clients, then authorization with the new id', async () => {
    const expired = await h.manager.register(CLIENT_NAME);
    advanceBoth(renewalDueAtMs(expired) - h.clock.now());
    fx.emulator.clearRequests();
    h.afterSleep.set(1, () => fx.emulator.approve());
    const result = await h.run();

    assert.deepEqual(paths(), ['POST /v1/clients', 'POST /v1/device/authorize', 'POST /v1/tokens']);
    assert.equal(bodyOf(fx.emulator.requests('/v1/clients')[0]).client_name, CLIENT_NAME, 're-registered under the stored name');
    assert.notEqual(result.client.clientId, expired.clientId);
    for (const request of fx.emulator.requests()) {
      assert.notEqual(bodyOf(request).client_id, expired.clientId, `${request.path} received the expired client id`);
    }
    assert.equal(bodyOf(fx.emulator.requests('/v1/device/authorize')[0]).client_id, result.client.clientId);
    assert.equal((await h.manager.stored())?.clientId, result.client.clientId);
  });

  it('a revoked client is dropped, registered again under the same name, and the flow restarted once', async () => {
    const revoked = await h.manager.register('my laptop');
    fx.emulator.revokeClient(revoked.clientId);
    fx.emulator.clearRequests();
    h.afterSleep.set(1, () => fx.emulator.approve());
    const result = await h.run({ clientNameIfNone: 'not this name' });

    assert.deepEqual(paths(), ['POST /v1/device/authorize', 'POST /v1/clients', 'POST /v1/device/authorize', 'POST /v1/tokens']);
    const [first, second] = fx.emulator.requests('/v1/device/authorize');
    assert.equal(bodyOf(first).client_id, revoked.clientId);
    assert.equal(bodyOf(second).client_id, result.client.clientId);
    assert.equal(bodyOf(fx.emulator.requests('/v1/clients')[0]).client_name, 'my laptop');
    assert.equal(result.client.clientName, 'my laptop');
    assert.notEqual(result.client.clientId, revoked.clientId);
    assert.equal((await h.manager.stored())?.clientId, result.client.clientId);
    assert.equal(h.prompts.length, 1);
    assert.ok(h.logger.lines.some((line) => line.startsWith('warn:') && line.includes(revoked.clientId)));
  });

  it('a client revoked while polling is replaced and a new device authorization started', async () => {
    h.afterSleep.set(1, () => fx.emulator.revokeClient(firstAuthorizedClientId()));
    h.afterSleep.set(3, () => fx.emulator.approve());
    const result = await h.run();

    assert.deepEqual(paths(), [
      'POST /v1/clients',
      'POST /v1/device/authorize',
      'POST /v1/tokens',
      'POST /v1/clients',
      'POST /v1/device/authorize',
      'POST /v1/tokens',
      'POST /v1/tokens',
    ]);
    const [first, second] = fx.emulator.requests('/v1/clients').map((r) => bodyOf(r).client_name);
    assert.equal(first, CLIENT_NAME);
    assert.equal(second, CLIENT_NAME);
    assert.equal(h.prompts.length, 2);
    assert.notEqual(h.prompts[0].userCode, h.prompts[1].userCode);
    assert.equal(bodyOf(fx.emulator.requests('/v1/device/authorize')[1]).client_id, result.client.clientId);
    assert.deepEqual(fx.emulator.requests('/v1/tokens').map((r) => bodyOf(r).client_id), [
      bodyOf(fx.emulator.requests('/v1/device/authorize')[0]).client_id,
      result.client.clientId,
      result.client.clientId,
    ]);
  });

  it('a client rejected twice is reported after exactly two registrations, never looping', async () => {
    fx.emulator.injectFault({ type: 'status', status: 401, body: { error: 'invalid_client', error_description: 'revoked' } }, { path: '/v1/device/authorize', times: 2 });
    const error = await rejectsWith(h.run(), 'rejectedClient');
    assert.match(error.message, /Register the client again/);
    assert.equal(error.remedy, 'registerClient');
    assert.equal(count('/v1/clients'), 2);
    assert.equal(count('/v1/device/authorize'), 2);
    assert.equal(count('/v1/tokens'), 0);
    assert.equal(h.prompts.length, 0);
    const [a, b] = fx.emulator.requests('/v1/device/authorize').map((r) => bodyOf(r).client_id);
    assert.notEqual(a, b, 'the second attempt used the re-registered client');
  });

  it('a stored client revoked, and its replacement revoked too, is reported without a third registration', async () => {
    const stored = await h.manager.register(CLIENT_NAME);
    fx.emulator.revokeClient(stored.clientId);
    fx.emulator.clearRequests();
    let calls = 0;
    h.clients = {
      ensureClient: async (name) => {
        const client = await h.manager.ensureClient({ clientNameIfNone: name });
        if (++calls === 2) fx.emulator.revokeClient(client.clientId);
        return client;
      },
      dropRejected: (client) => h.manager.dropRejected(client.clientId),
    };
    await rejectsWith(h.run(), 'rejectedClient');
    assert.equal(calls, 2);
    assert.deepEqual(paths(), ['POST /v1/device/authorize', 'POST /v1/clients', 'POST /v1/device/authorize']);
  });

  it('keeps the registration when device authorization keeps failing with 5xx, with no re-registration', async () => {
    const stored = await h.manager.register(CLIENT_NAME);
    fx.emulator.clearRequests();
    fx.emulator.injectFault({ type: 'status', status: 503 }, { path: '/v1/device/authorize', times: 3 });
    const error = await rejectsWith(h.run(), 'service');
    assert.match(error.message, /retry/i);
    assert.equal(error.status, 503);
    assert.deepEqual(paths(), ['POST /v1/device/authorize', 'POST /v1/device/authorize', 'POST /v1/device/authorize']);
    assert.deepEqual(h.retrySleeps, [250, 500]);
    assert.equal((await h.manager.stored())?.clientId, stored.clientId);
    assert.equal(h.prompts.length, 0);
  });

  it('rides out one 5xx at device authorization and one reset at registration', async () => {
    fx.emulator.injectFault({ type: 'reset' }, { path: '/v1/clients' });
    fx.emulator.injectFault({ type: 'status', status: 502 }, { path: '/v1/device/authorize' });
    h.afterSleep.set(1, () => fx.emulator.approve());
    const result = await h.run();
    assert.deepEqual(paths(), ['POST /v1/clients', 'POST /v1/clients', 'POST /v1/device/authorize', 'POST /v1/device/authorize', 'POST /v1/tokens']);
    assert.deepEqual(h.retrySleeps, [250, 250]);
    assert.equal(bodyOf(fx.emulator.requests('/v1/device/authorize')[1]).client_id, result.client.clientId);
  });

  it('stops with denied when the person denies, and keeps the registration', async () => {
    h.afterSleep.set(2, () => fx.emulator.deny());
    const error = await rejectsWith(h.run(), 'denied');
    assert.match(error.message, /denied/);
    assert.match(error.message, /Sign in again/);
    assert.equal(error.remedy, 'signIn');
    assert.equal(count('/v1/tokens'), 2);
    assert.ok((await h.manager.stored()) !== undefined);
    assert.equal(count('/v1/clients'), 1);
  });

  it('stops with expired when the service says the device code expired', async () => {
    h.afterSleep.set(2, () => fx.emulator.expire());
    const error = await rejectsWith(h.run(), 'expired');
    assert.match(error.message, /Sign in again/);
    assert.equal(error.remedy, 'signIn');
    assert.equal(count('/v1/tokens'), 2);
  });

  it('stops with expired, without polling past it, when the device code runs out', async () => {
    fx.emulator.configure({ deviceCodeLifetimeSeconds: 12 });
    const error = await rejectsWith(h.run(), 'expired');
    assert.match(error.message, /Sign in again/);
    assert.equal(error.remedy, 'signIn');
    assert.deepEqual(h.sleeps, [5000, 5000]);
    assert.equal(count('/v1/tokens'), 2);
  });

  it('accepts expires_in sent as an epoch deadline', async () => {
    fx.emulator.configure({ expiresInStyle: 'epoch', deviceCodeLifetimeSeconds: 12 });
    await rejectsWith(h.run(), 'expired');
    assert.deepEqual(h.sleeps, [5000, 5000]);
  });

  it('polls every 5 s when the service sends no interval', async () => {
    fx.emulator.configure({ interval: null });
    h.afterSleep.set(2, () => fx.emulator.approve());
    await h.run();
    assert.deepEqual(h.sleeps, [5000, 5000]);
    assert.equal(h.prompts[0].intervalSeconds, 5);
  });

  it('cancel during a wait: rejects as cancelled and sends no further request', async () => {
    const abort = new AbortController();
    let sentAtAbort = -1;
    h.duringSleep.set(2, () => {
      sentAtAbort = fx.emulator.requests().length;
      abort.abort();
    });
    const error = await rejectsWith(h.run({}, abort.signal), 'cancelled');
    assert.match(error.message, /cancelled/);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(sentAtAbort, 3, 'clients, authorize, one poll');
    assert.equal(fx.emulator.requests().length, sentAtAbort);
    assert.deepEqual(h.sleeps, [5000, 5000]);
  });

  it('cancel during a poll in flight: rejects as cancelled and sends no further request', async () => {
    const abort = new AbortController();
    fx.emulator.injectFault({ type: 'hang' }, { path: '/v1/tokens' });
    h.afterSleep.set(1, () => {
      const waitForPoll = (): void => {
        if (count('/v1/tokens') === 1) abort.abort();
        else setImmediate(waitForPoll);
      };
      setImmediate(waitForPoll);
    });
    await rejectsWith(h.run({}, abort.signal), 'cancelled');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(count('/v1/tokens'), 1);
    assert.deepEqual(h.sleeps, [5000]);
  });

  it('cancel before approval in the first wait: no poll at all', async () => {
    const abort = new AbortController();
    h.duringSleep.set(1, () => abort.abort());
    await rejectsWith(h.run({}, abort.signal), 'cancelled');
    assert.equal(count('/v1/tokens'), 0);
  });

  for (const style of ['oauth', 'aws', 'huawei'] as TokenErrorStyle[]) {
    describe(`with tokenErrorStyle '${style}'`, () => {
      beforeEach(() => fx.emulator.configure({ tokenErrorStyle: style }));

      it('keeps polling while pending, then succeeds', async () => {
        h.afterSleep.set(4, () => fx.emulator.approve());
        const result = await h.run();
        assert.equal(count('/v1/tokens'), 4);
        assert.deepEqual(h.sleeps, [5000, 5000, 5000, 5000]);
        assert.ok(fx.emulator.issuedSecrets().includes(result.tokens.accessToken));
      });

      it('stops with denied', async () => {
        h.afterSleep.set(2, () => fx.emulator.deny());
        await rejectsWith(h.run(), 'denied');
        assert.equal(count('/v1/tokens'), 2);
      });

      it('stops with expired', async () => {
        h.afterSleep.set(1, () => fx.emulator.expire());
        await rejectsWith(h.run(), 'expired');
        assert.equal(count('/v1/tokens'), 1);
      });

      it('slows down by 5 s for good on slow_down', async () => {
        // The emulator's clock does not move during the second wait, so it sees the
        // second poll come too soon and answers slow_down.
        h.emulatorStandsStill.add(2);
        h.afterSleep.set(4, () => fx.emulator.approve());
        await h.run();
        assert.deepEqual(h.sleeps, [5000, 5000, 10000, 10000]);
        assert.equal(count('/v1/tokens'), 4);
      });

      it('recognises a rejected client at the token endpoint and restarts once', async () => {
        h.afterSleep.set(1, () => fx.emulator.revokeClient(firstAuthorizedClientId()));
        h.afterSleep.set(2, () => fx.emulator.approve());
        await h.run();
        assert.equal(count('/v1/clients'), 2);
        assert.equal(count('/v1/device/authorize'), 2);
      });
    });
  }

  it('survives a connection reset on one poll, backing off once', async () => {
    fx.emulator.injectFault({ type: 'reset' }, { path: '/v1/tokens' });
    h.afterSleep.set(3, () => fx.emulator.approve());
    const result = await h.run();
    // poll 1 at 5 s is reset; the next comes interval + 5 s backoff later (15 s); then every 5 s.
    assert.deepEqual(h.sleeps, [5000, 10000, 5000]);
    assert.equal(count('/v1/tokens'), 3);
    assert.ok(fx.emulator.issuedSecrets().includes(result.tokens.accessToken));
  });

  it('survives a reset mid-body and a 503 on polls in a row', async () => {
    fx.emulator.injectFault({ type: 'resetMidBody' }, { path: '/v1/tokens' });
    fx.emulator.injectFault({ type: 'status', status: 503 }, { path: '/v1/tokens' });
    h.afterSleep.set(3, () => fx.emulator.approve());
    await h.run();
    // Two transient failures in a row: waits 5, then 5+5, then 5+10.
    assert.deepEqual(h.sleeps, [5000, 10000, 15000]);
    assert.equal(count('/v1/tokens'), 3);
  });

  it('honours Retry-After on a 429 poll', async () => {
    fx.emulator.injectFault({ type: 'status', status: 429, headers: { 'retry-after': '30' } }, { path: '/v1/tokens' });
    h.afterSleep.set(2, () => fx.emulator.approve());
    await h.run();
    assert.deepEqual(h.sleeps, [5000, 30000]);
  });

  it('a corrupt stored registration is replaced by a new one before authorization', async () => {
    h.store.values.set(h.manager.key, '{"version":1,"clientId":"cid-corrupt"');
    h.afterSleep.set(1, () => fx.emulator.approve());
    const result = await h.run();
    assert.deepEqual(paths(), ['POST /v1/clients', 'POST /v1/device/authorize', 'POST /v1/tokens']);
    assert.equal((await h.manager.stored())?.clientId, result.client.clientId);
  });

  it('with nothing stored and no name to register under, asks to register and sends nothing', async () => {
    const error = await rejectsWith(h.run({ clientNameIfNone: undefined }), 'configuration');
    assert.match(error.message, /Register a client/);
    assert.equal(error.remedy, 'registerClient');
    assert.deepEqual(paths(), []);
  });

  // Regression: classifyTokenError documents that "a 200 carrying an error name counts
  // too", but pollDeviceToken parsed every 200 as tokens, so the flow stopped with a
  // protocol error instead of continuing to poll.
  it('keeps polling when a 200 carries authorization_pending', async () => {
    fx.emulator.injectFault({ type: 'status', status: 200, body: { error: 'authorization_pending' } }, { path: '/v1/tokens' });
    h.afterSleep.set(2, () => fx.emulator.approve());
    const result = await h.run();
    assert.ok(fx.emulator.issuedSecrets().includes(result.tokens.accessToken));
    assert.equal(count('/v1/tokens'), 2);
  });
});
