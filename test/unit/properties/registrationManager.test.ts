/**
 * Property-based tests (fast-check) over `RegistrationManager` with a registrar that
 * answers anything or fails in any way: the stored record stays as it was or becomes
 * the whole new registration, never a partial one, and the log holds no secret.
 */
import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import { IdentityCenterError, type FailureKind } from '../../../src/core/common/errors';
import { parseClientInfo } from '../../../src/core/oidc/responses';
import type { ClientRegistration } from '../../../src/core/registration/model';
import { RegistrationManager, type ClientRegistrar } from '../../../src/core/registration/manager';
import { parseStoredRegistration, serializeRegistration } from '../../../src/core/registration/record';
import { FakeClock } from '../../support/fakeTime';
import { MemoryLogger } from '../../support/memoryLogger';
import { MemorySecretStore } from '../../support/memorySecretStore';
import { DAY, ENDPOINT, enveloped, GOOD_CLIENT_INFO, GOOD_REGISTRATION, hostileValue, INPUT, mutated, NOW_MS, NOW_S, RUNS, SECRETS } from './arbitraries';
import { assertCleanMessage, assertRegistration, tally } from './invariants';

const FAILURE_KINDS: FailureKind[] = ['network', 'timeout', 'protocol', 'service', 'rejectedClient', 'denied', 'expired', 'cancelled', 'configuration', 'storage'];

/** The JavaScript Date range: a time in seconds past this cannot be shown as a date. */
const MAX_DATE_MS = 8.64e15;

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
          tally.cases++;
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
              if (!(reason instanceof IdentityCenterError)) tally.crashes++;
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

  // Regression: an expiry in milliseconds above 8.64e15 passed parseClientInfo, was
  // stored, then `new Date(expiresAt * 1000).toISOString()` in registerNow's log line
  // threw a RangeError: the caller got an untyped error although the record changed.
  it('an expiry in milliseconds beyond the Date range is refused or handled, never a RangeError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: MAX_DATE_MS + 1000, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom('register', 'ensureClient'), async (expiresMs, via) => {
        tally.cases++;
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

  // Regression: RegistrationManager stored whatever its registrar returned, unchecked:
  // a malformed registration replaced the good record, then the log line threw.
  it('a registrar returning a malformed registration never replaces the good record', async () => {
    const malformed = fc.oneof(mutated({ ...GOOD_REGISTRATION, clientId: 'cid-new' }), hostileValue);
    await fc.assert(
      fc.asyncProperty(malformed, async (value) => {
        tally.cases++;
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
