/**
 * The bench's measure of two windows wanting one lease at once: two session managers
 * (two windows' extension hosts) share one secret store that reports changes, with real
 * timers, and each saves a session at the same moment. The one that loses the lease
 * should wait for the winner's release (about two settle pauses), not for the lease's
 * lifetime; and both sessions must be stored.
 */
import { performance } from 'node:perf_hooks';
import { createTimerSleep, silentLogger, systemClock } from '../../src/core/common/ports';
import { sessionsKey } from '../../src/core/sessions/record';
import { SessionManager } from '../../src/core/sessions/manager';
import type { StoredSession } from '../../src/core/sessions/model';
import { MemorySecretStore } from '../support/memorySecretStore';
import { keyChanges } from '../support/windows';

/** How many times the two windows race; the worst round is reported. */
export const LEASE_CONTENTION_ROUNDS = 20;

/** Only a key in the in-memory store: nothing is sent anywhere. */
const ENDPOINT = 'https://127.0.0.1/lease-bench';

/** The slower window's save time in each round, ms, and the worst of them. */
export async function measureLeaseContention(rounds = LEASE_CONTENTION_ROUNDS): Promise<{ leaseContentionMs: number; leaseContentionSamplesMs: number[] }> {
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) samples.push(await raceOnce(round));
  return { leaseContentionMs: Math.max(...samples), leaseContentionSamplesMs: samples };
}

/** Two windows saving at once: the slower one's time, ms; throws when a session was lost. */
async function raceOnce(round: number): Promise<number> {
  const store = new MemorySecretStore();
  const window = (owner: string) =>
    new SessionManager({
      key: sessionsKey(ENDPOINT, `${ENDPOINT}/start`),
      store,
      clock: systemClock,
      logger: silentLogger,
      lease: { sleep: createTimerSleep(), onDidChange: keyChanges(store), owner },
      refresh: async () => undefined,
    });
  const sessions = ['A', 'B'].map((owner) => benchSession(`${owner}-${round}`));
  const start = performance.now();
  const times = await Promise.all(
    sessions.map(async (session) => {
      await window(`window-${session.id}`).save(session);
      return performance.now() - start;
    }),
  );
  const stored = await window('check').list();
  if (stored.length !== sessions.length) throw new Error(`two windows saving at once kept ${stored.length} of ${sessions.length} sessions`);
  return Math.round(Math.max(...times));
}

function benchSession(id: string): StoredSession {
  const now = Math.floor(Date.now() / 1000);
  return { id, account: { id: `user-${id}`, label: `${id}@example.com` }, scopes: ['openid'], accessToken: `bench-access-token-${id}`, expiresAt: now + 3600, clientId: 'bench-client' };
}
