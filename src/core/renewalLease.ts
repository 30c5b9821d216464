/**
 * One renewal across windows. Every VS Code window runs its own extension host, and
 * all of them read the same SecretStorage: when a registration falls due, each would
 * register on its own. Before renewing, a window writes a short lease record beside
 * the registration, reads it back after a pause (SecretStorage has no compare-and-set,
 * so the last writer wins and everyone sees the same winner), and only the holder
 * registers. The others wait for the registration record to change, or for the lease
 * to run out (a window that died while holding it), then look again.
 */
import { Clock, SecretStore, Sleep } from './ports';

/** How long a lease holds: longer than a registration with its retries (30 s). */
export const LEASE_TTL_MS = 45_000;

/** The pause between writing the lease and reading it back, so a concurrent writer shows. */
export const LEASE_SETTLE_MS = 500;

/** Rounds of contention after which a window renews anyway rather than wait forever. */
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

/** The lease for renewing the record under `recordKey`. */
export class RenewalLease {
  private readonly leaseKey: string;

  constructor(
    private readonly recordKey: string,
    private readonly deps: LeaseDeps,
  ) {
    this.leaseKey = `${recordKey}|renewal-lease`;
  }

  /**
   * Resolves true when this window should renew, false when another window renewed
   * meanwhile (`isRenewed` said so after a change or a lease ran out).
   */
  async acquire(isRenewed: () => Promise<boolean>): Promise<boolean> {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const held = await this.read();
      if (held && held.owner !== this.deps.owner && held.expiresAtMs > this.deps.clock.now()) {
        await this.waitForRecordChange(held.expiresAtMs);
        if (await isRenewed()) return false;
        continue;
      }
      await this.deps.store.store(this.leaseKey, JSON.stringify({ owner: this.deps.owner, expiresAtMs: this.deps.clock.now() + LEASE_TTL_MS }));
      await this.deps.sleep(LEASE_SETTLE_MS);
      if ((await this.read())?.owner === this.deps.owner) return true;
    }
    return !(await isRenewed());
  }

  /** Removes the lease if this window still holds it. */
  async release(): Promise<void> {
    if ((await this.read())?.owner === this.deps.owner) await this.deps.store.delete(this.leaseKey);
  }

  private async read(): Promise<LeaseRecord | undefined> {
    const text = await this.deps.store.get(this.leaseKey);
    if (text === undefined) return undefined;
    try {
      const value = JSON.parse(text) as Partial<LeaseRecord>;
      if (typeof value.owner === 'string' && typeof value.expiresAtMs === 'number' && Number.isFinite(value.expiresAtMs)) {
        return { owner: value.owner, expiresAtMs: value.expiresAtMs };
      }
    } catch {
      // A corrupt lease is no lease.
    }
    return undefined;
  }

  /** Resolves when the registration record changes, or at `untilMs` at the latest. */
  private waitForRecordChange(untilMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = new AbortController();
      const unsubscribe = this.deps.onDidChange?.((key) => {
        if (key === this.recordKey) done();
      });
      function done(): void {
        unsubscribe?.();
        timer.abort();
        resolve();
      }
      this.deps.sleep(Math.max(0, untilMs - this.deps.clock.now()), timer.signal).then(done, done);
    });
  }
}
