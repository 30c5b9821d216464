/**
 * One writer across windows. Every VS Code window runs its own extension host, and all
 * of them read the same SecretStorage: when a registration falls due, each would
 * register on its own, and two windows updating the sessions record would each write
 * back what they read, losing the other's change. Before such work, a window writes a
 * short lease record beside the record it protects, reads it back after a pause
 * (SecretStorage has no compare-and-set, so the last writer wins and everyone sees the
 * same winner), and only the holder goes on. The others wait for the protected record
 * to change, for the lease to be released or taken over, or for it to run out (a window
 * that died while holding it), then look again. The release matters: the holder writes
 * the record before it releases, so a waiter woken by the record finds the lease still
 * held for a moment, and without a wake at the release it would sleep out the lease.
 *
 * A lease never holds longer than `LEASE_TTL_MS`: a record claiming more (a stale or
 * forged one) is ignored, so no wait lasts longer than one lease's lifetime.
 */
import { cancelledError } from './errors';
import { Clock, SecretStore, Sleep } from './ports';

/** How long a lease holds: longer than a registration with its retries (30 s). */
export const LEASE_TTL_MS = 45_000;

/** The pause between writing the lease and reading it back, so a concurrent writer shows. */
export const LEASE_SETTLE_MS = 500;

/** Leeway for a lease written a moment ago by a window whose clock reads a little ahead. */
const LEASE_CLOCK_LEEWAY_MS = 5_000;

/** Rounds of contention after which a window goes on anyway rather than wait forever. */
const MAX_ROUNDS = 4;

/** What the lease is built from. */
export interface LeaseDeps {
  store: SecretStore;
  clock: Clock;
  sleep: Sleep;
  /** Tells of changes to any key (VS Code's `SecretStorage.onDidChange`); returns an unsubscribe function. */
  onDidChange?: (listener: (key: string) => void) => () => void;
  /** Identifies this window; random per extension host. */
  owner: string;
}

interface LeaseRecord {
  owner: string;
  expiresAtMs: number;
}

/** The lease for changing the record under `recordKey`. */
export class RecordLease {
  private readonly leaseKey: string;

  constructor(
    private readonly recordKey: string,
    private readonly deps: LeaseDeps,
  ) {
    this.leaseKey = `${recordKey}|renewal-lease`;
  }

  /**
   * Resolves true when this window should do the work, false when another window did it
   * meanwhile (`isDone` said so after a change or a lease ran out). Rejects with a
   * `cancelled` error when `signal` aborts.
   */
  async acquire(isDone: () => Promise<boolean>, signal?: AbortSignal): Promise<boolean> {
    // Changes to the record or the lease, counted from before any read, so that one
    // landing between a read and the wait that follows it still ends that wait.
    let changes = 0;
    let wake = (): void => undefined;
    const unsubscribe = this.deps.onDidChange?.((key) => {
      if (key === this.recordKey || key === this.leaseKey) {
        changes++;
        wake();
      }
    });
    try {
      for (let round = 0; round < MAX_ROUNDS; round++) {
        throwIfAborted(signal);
        let seen = changes;
        const held = await this.read();
        if (held && held.owner !== this.deps.owner) {
          // A wake that finds `held` still in force (the same end: its holder wrote the
          // record and has yet to release) is the same round; the wait goes on to the release.
          do {
            if (seen === changes) {
              const waitMs = Math.min(Math.max(0, held.expiresAtMs - this.deps.clock.now()), LEASE_TTL_MS);
              const timer = new AbortController();
              wake = () => timer.abort();
              await this.deps.sleep(waitMs, signal ? AbortSignal.any([signal, timer.signal]) : timer.signal).catch(() => throwIfAborted(signal));
            }
            seen = changes;
            if (await isDone()) return false;
          } while ((await this.read())?.expiresAtMs === held.expiresAtMs);
          continue;
        }
        await this.deps.store.store(this.leaseKey, JSON.stringify({ owner: this.deps.owner, expiresAtMs: this.deps.clock.now() + LEASE_TTL_MS }));
        await this.deps.sleep(LEASE_SETTLE_MS, signal);
        if ((await this.read())?.owner === this.deps.owner) return true;
      }
      return !(await isDone());
    } finally {
      unsubscribe?.();
    }
  }

  /** Runs `work` as the lease holder (waiting for another holder first), then releases it. */
  async hold<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(async () => false, signal);
    try {
      return await work();
    } finally {
      await this.release().catch(() => undefined);
    }
  }

  /** Removes the lease if this window still holds it. */
  async release(): Promise<void> {
    if ((await this.read())?.owner === this.deps.owner) await this.deps.store.delete(this.leaseKey);
  }

  /** The lease in force: undefined when none, corrupt, run out, or claiming more than a lease's lifetime. */
  private async read(): Promise<LeaseRecord | undefined> {
    const text = await this.deps.store.get(this.leaseKey);
    if (text === undefined) return undefined;
    let value: Partial<LeaseRecord>;
    try {
      value = JSON.parse(text) as Partial<LeaseRecord>;
    } catch {
      return undefined;
    }
    const now = this.deps.clock.now();
    const { owner, expiresAtMs } = value ?? {};
    if (typeof owner !== 'string' || owner.length > 256 || typeof expiresAtMs !== 'number' || !Number.isFinite(expiresAtMs)) return undefined;
    if (expiresAtMs <= now || expiresAtMs > now + LEASE_TTL_MS + LEASE_CLOCK_LEEWAY_MS) return undefined;
    return { owner, expiresAtMs };
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError(signal.reason);
}
