/**
 * The sessions of one endpoint in SecretStorage: one record holds them all, so every
 * change is a read, a change and a write of the whole record. Two writers interleaving
 * would each write back what they read and lose the other's change (a rotated refresh
 * token, a sign-in in another window). So writes within this window run one at a time,
 * writes across windows take the record's lease (`common/lease.ts`), and each writer
 * re-reads the record after taking it and changes only the session it owns.
 *
 * A refresh is done once: concurrent callers in this window share it, and a window
 * that finds, after taking the lease, that another window already refreshed the
 * session uses that one. Only a transient failure (no answer, 429, 5xx) keeps an
 * expired session for a later try; any other answer, `invalid_grant` included, ends
 * the session once.
 */
import { plainText } from '../common/displayText';
import { isIdentityCenterError } from '../common/errors';
import * as l10n from '@vscode/l10n';
import { LeaseDeps, RecordLease } from '../common/lease';
import { Clock, Logger, SecretStore } from '../common/ports';
import { KeyedSingleFlight } from '../common/singleFlight';
import { isTransientFailure } from '../transport/httpFailure';
import { isSessionValid, refreshedSession, StoredSession, TokenSet } from './model';
import { readStoredSessions, serializeSessions, sessionsStorageError } from './record';

/** What a `SessionManager` is built from. */
export interface SessionManagerDeps {
  /** The sessions record's SecretStorage key (`sessionsKey`). */
  key: string;
  /**
   * The record the release before profiles kept for this endpoint (`legacySessionsKey`). The
   * `default` profile reads it while its own record is absent, and a profile of the same
   * instance shares that record; so while the legacy record remains, emptying `key` stores an
   * empty record rather than deleting it, and no Sign Out brings those sessions back.
   */
  legacyKey?: string;
  /** The legacy record is this profile's (the `default` one): read while `key` has none, and moved by the first write. */
  readsLegacy?: boolean;
  /** Sessions this window could not store, shared with the runtime that reads the sessions. */
  unsaved?: Map<string, StoredSession>;
  store: SecretStore;
  clock: Clock;
  logger: Logger;
  /** Coordinates writes with other windows sharing the store; absent: this process only. */
  lease?: Omit<LeaseDeps, 'store' | 'clock'>;
  /**
   * New tokens for `session` from its refresh token, with the client that obtained
   * it; undefined when that client is no longer the registered one.
   */
  refresh(session: StoredSession, signal?: AbortSignal): Promise<TokenSet | undefined>;
}

/** What became of an expired session that was to be refreshed. */
export type RefreshOutcome =
  | { kind: 'refreshed'; session: StoredSession }
  /** Another window refreshed it first; nothing was sent. */
  | { kind: 'refreshedElsewhere'; session: StoredSession }
  /** A transient failure: it stays, expired, for a later try. */
  | { kind: 'kept' }
  /** It ended (no refresh token, a final refusal, or its client is gone), or was already gone. */
  | { kind: 'removed'; session?: StoredSession };

/** How a save went: written, or held in this window's memory because storage kept failing. */
export interface SaveOutcome {
  persisted: boolean;
}

/** Owns the sessions record of one endpoint. */
export class SessionManager {
  readonly key: string;
  private writes: Promise<unknown> = Promise.resolve();
  private readonly refreshes = new KeyedSingleFlight<RefreshOutcome>();
  /** Sessions whose write failed twice: kept for this window's life, so approved tokens are not lost. */
  private readonly unsaved: Map<string, StoredSession>;

  constructor(private readonly deps: SessionManagerDeps) {
    this.key = deps.key;
    this.unsaved = deps.unsaved ?? new Map();
  }

  /** Every session, valid or not: the stored ones and any this window could not store. */
  async list(): Promise<StoredSession[]> {
    const stored = await this.read();
    return [...stored.filter((session) => !this.unsaved.has(session.id)), ...this.unsaved.values()];
  }

  /**
   * Adds the session, or replaces the one with its id. A failed write is tried once
   * more; if that fails too the session is kept in memory and `persisted` is false.
   */
  async save(session: StoredSession): Promise<SaveOutcome> {
    try {
      await this.change((sessions) => [...sessions.filter((existing) => existing.id !== session.id), session]);
      this.unsaved.delete(session.id);
      return { persisted: true };
    } catch (error) {
      if (!isIdentityCenterError(error, 'storage')) throw error;
      this.unsaved.set(session.id, session);
      this.deps.logger.warn(`The session of ${plainText(session.account.label)} could not be stored twice over; it is kept until this window closes.`);
      return { persisted: false };
    }
  }

  /** Removes the session with this id; returns it, or undefined when it was not there. */
  async remove(id: string): Promise<StoredSession | undefined> {
    const unsaved = this.unsaved.get(id);
    this.unsaved.delete(id);
    let removed: StoredSession | undefined;
    await this.change((sessions) => {
      removed = sessions.find((session) => session.id === id);
      return removed ? sessions.filter((session) => session.id !== id) : undefined;
    });
    return removed ?? unsaved;
  }

  /** Refreshes an expired session once, however many callers ask; see the file's comment. */
  refreshOrRemove(session: StoredSession, signal?: AbortSignal): Promise<RefreshOutcome> {
    return this.refreshes.run(session.id, (flightSignal) => this.refreshOnce(session, flightSignal), signal);
  }

  private async refreshOnce(expired: StoredSession, signal: AbortSignal): Promise<RefreshOutcome> {
    if (!expired.refreshToken) return this.end(expired, 'it has no refresh token');
    if (this.unsaved.has(expired.id)) return this.refreshNow(expired, signal, false);
    return this.exclusive(async () => {
      const current = (await this.read()).find((session) => session.id === expired.id);
      if (!current) return { kind: 'removed' };
      if (isSessionValid(current, this.deps.clock.now())) return { kind: 'refreshedElsewhere', session: current };
      return this.refreshNow(current, signal, true);
    }, async () => this.isValidNow(expired.id), signal);
  }

  /** Sends the refresh for `current` (the latest stored copy) and writes the outcome. */
  private async refreshNow(current: StoredSession, signal: AbortSignal, locked: boolean): Promise<RefreshOutcome> {
    let tokens: TokenSet | undefined;
    try {
      tokens = await this.deps.refresh(current, signal);
    } catch (error) {
      if (isTransientFailure(error) || isIdentityCenterError(error, 'cancelled', 'storage')) {
        this.deps.logger.warn(`Could not refresh the session now (${error.kind}); it stays until the service can be reached.`);
        return { kind: 'kept' };
      }
      const kind = isIdentityCenterError(error) ? error.kind : 'error';
      return this.end(current, `the service refused the refresh (${kind}${isIdentityCenterError(error) && error.status ? `, HTTP ${error.status}` : ''})`, locked);
    }
    if (!tokens) return this.end(current, 'it was issued to an earlier client registration', locked);
    const next = refreshedSession(current, tokens);
    if (this.unsaved.has(next.id)) this.unsaved.set(next.id, next);
    else {
      try {
        await this.write((sessions) => [...sessions.filter((session) => session.id !== next.id), next]);
      } catch (error) {
        if (!isIdentityCenterError(error, 'storage')) throw error;
        // The old refresh token may be spent: keep the new tokens rather than lose the session.
        this.unsaved.set(next.id, next);
        this.deps.logger.warn(`The refreshed session of ${plainText(next.account.label)} could not be stored; it is kept until this window closes.`);
      }
    }
    this.deps.logger.info(`Refreshed the session of ${plainText(next.account.label)}.`);
    return { kind: 'refreshed', session: next };
  }

  /** Ends a session for good, once, and says why in the log. */
  private async end(session: StoredSession, reason: string, locked = false): Promise<RefreshOutcome> {
    this.deps.logger.info(`The session of ${plainText(session.account.label)} ended: ${reason}. Sign in again.`);
    this.unsaved.delete(session.id);
    let removed: StoredSession | undefined;
    const drop = (sessions: StoredSession[]) => {
      removed = sessions.find((existing) => existing.id === session.id);
      return removed ? sessions.filter((existing) => existing.id !== session.id) : undefined;
    };
    if (locked) await this.write(drop);
    else await this.change(drop);
    return { kind: 'removed', session: removed ?? session };
  }

  private async isValidNow(id: string): Promise<boolean> {
    const current = (await this.read()).find((session) => session.id === id);
    return current !== undefined && isSessionValid(current, this.deps.clock.now());
  }

  /** Re-reads the record, applies `update` (undefined: no change) and writes it, holding both locks. */
  private change(update: (sessions: StoredSession[]) => StoredSession[] | undefined): Promise<void> {
    return this.exclusive(() => this.write(update));
  }

  /**
   * Runs `work` after this window's earlier writes, holding the record's lease across
   * windows. With `isDone`, another window's change may make the work unnecessary:
   * then `work` still runs, without the lease, re-reads and finds that out.
   */
  private exclusive<T>(work: () => Promise<T>, isDone?: () => Promise<boolean>, signal?: AbortSignal): Promise<T> {
    const run = async (): Promise<T> => {
      if (!this.deps.lease) return work();
      const lease = new RecordLease(this.key, { ...this.deps.lease, store: this.deps.store, clock: this.deps.clock });
      const held = await lease.acquire(isDone ?? (async () => false), signal).catch((error: unknown) => {
        if (isIdentityCenterError(error, 'cancelled')) throw error;
        throw sessionsStorageError(l10n.t('read'), error);
      });
      try {
        return await work();
      } finally {
        if (held) await lease.release().catch(() => undefined);
      }
    };
    const result = this.writes.then(run, run);
    this.writes = result.catch(() => undefined);
    return result;
  }

  /** Reads, changes and writes the record; a failed write is tried once more. Call only while exclusive. */
  private async write(update: (sessions: StoredSession[]) => StoredSession[] | undefined): Promise<void> {
    const next = update(await this.read());
    if (next === undefined) return;
    // A keyring that refuses deletes still takes an empty record: the last session always
    // goes. So does one that keeps a legacy record, which would otherwise be read again.
    const emptyRecord = () => this.deps.store.store(this.key, serializeSessions([]));
    const empty = async () => {
      if (await this.legacyRemains()) return emptyRecord();
      return this.deps.store.delete(this.key).catch(emptyRecord);
    };
    const attempt = () => (next.length === 0 ? empty() : this.deps.store.store(this.key, serializeSessions(next)));
    try {
      await attempt();
    } catch {
      try {
        await attempt();
      } catch (error) {
        throw sessionsStorageError(l10n.t('save'), error);
      }
    }
    // The sessions now live under the profile's key: the legacy record has moved.
    if (this.deps.readsLegacy && this.deps.legacyKey) await this.deps.store.delete(this.deps.legacyKey).catch(() => undefined);
  }

  /** True when the legacy record is still there (after an attempt to delete it, when it is this profile's). */
  private async legacyRemains(): Promise<boolean> {
    const { legacyKey, readsLegacy } = this.deps;
    if (!legacyKey) return false;
    if (readsLegacy) await this.deps.store.delete(legacyKey).catch(() => undefined);
    return (await this.deps.store.get(legacyKey).catch(() => undefined)) !== undefined;
  }

  /** The stored sessions (the legacy record's while this one has none); a corrupt record reads as none, with a warning. */
  private async read(): Promise<StoredSession[]> {
    const sessions = await readStoredSessions(this.deps.store, this.key, this.deps.logger);
    if (sessions || !this.deps.readsLegacy || !this.deps.legacyKey) return sessions ?? [];
    return (await readStoredSessions(this.deps.store, this.deps.legacyKey, this.deps.logger)) ?? [];
  }
}
