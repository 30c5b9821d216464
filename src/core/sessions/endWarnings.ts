/**
 * "Your session ends soon" for sessions that cannot be refreshed: which are due for the
 * warning now, claimed once across windows. The sessions already warned about are a
 * small record in SecretStorage, changed under its lease, so of several windows whose
 * timers fire at the same moment exactly one warns, and a restart does not warn again.
 */
import { LeaseDeps, RecordLease } from '../common/lease';
import type { Clock, SecretStore } from '../common/ports';
import { parseVersionedRecord, serializeVersionedRecord } from '../common/records';
import { sessionEndWarningAtMs, StoredSession } from './model';

/** Version of the record of sessions warned about. */
const WARNINGS_RECORD_VERSION = 1;

/** What the warnings are built from. */
export interface SessionEndWarningsDeps {
  /** The SecretStorage key of the record of sessions warned about (one per sessions record). */
  key: string;
  store: SecretStore;
  clock: Clock;
  /** Coordinates with other windows; absent: this process only. */
  lease?: Omit<LeaseDeps, 'store' | 'clock'>;
}

/** Decides, once across windows, which sessions to warn about. */
export class SessionEndWarnings {
  constructor(private readonly deps: SessionEndWarningsDeps) {}

  /**
   * The sessions of `sessions` whose warning is due now and that no window has warned
   * about: they are marked warned, and this window is the one to warn. Sessions gone
   * from `sessions` are dropped from the record.
   */
  async claimDue(sessions: readonly StoredSession[]): Promise<StoredSession[]> {
    const now = this.deps.clock.now();
    const due = sessions.filter((session) => {
      const at = sessionEndWarningAtMs(session);
      return at !== undefined && at <= now && now < session.expiresAt * 1000;
    });
    if (due.length === 0) return [];
    const claim = async (): Promise<StoredSession[]> => {
      const warned = await this.warned();
      const fresh = due.filter((session) => !warned.has(session.id));
      if (fresh.length === 0) return [];
      const kept = sessions.map((session) => session.id).filter((id) => warned.has(id) || fresh.some((session) => session.id === id));
      await this.deps.store.store(this.deps.key, serializeVersionedRecord(WARNINGS_RECORD_VERSION, { warned: kept }));
      return fresh;
    };
    if (!this.deps.lease) return claim();
    return new RecordLease(this.deps.key, { ...this.deps.lease, store: this.deps.store, clock: this.deps.clock }).hold(claim);
  }

  /** The ids of the sessions warned about; a corrupt record reads as none. */
  private async warned(): Promise<Set<string>> {
    const text = await this.deps.store.get(this.deps.key);
    if (text === undefined) return new Set();
    try {
      const ids = parseVersionedRecord(text, WARNINGS_RECORD_VERSION, 'The record of session warnings').warned;
      return new Set(Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : []);
    } catch {
      return new Set();
    }
  }
}
