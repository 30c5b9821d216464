/**
 * Keeps an agency's temporary credentials valid the way the client registration is:
 * the stored ones are used while they have more than their renewal margin left (a
 * tenth of their lifetime, at most an hour); then they are fetched again, once for any
 * number of concurrent callers in this window, and once across windows (the record's
 * lease). A fetch that fails or answers badly leaves the stored credentials as they
 * were. Everything that needs credentials calls `ensure()`.
 *
 * Fetching always needs the HTTP stack, so this class ships in the lazily loaded
 * `dist/transport.js`; reading and deleting the stored record (`./record.ts`) do not.
 */
import * as l10n from '@vscode/l10n';
import { plainText } from '../common/displayText';
import { IdentityCenterError } from '../common/errors';
import { LeaseDeps, RecordLease } from '../common/lease';
import { Clock, Logger, SecretStore } from '../common/ports';
import { KeyedSingleFlight } from '../common/singleFlight';
import { AgencyCredentials, AgencySelection, areUsable } from './model';
import { credentialsStorageError, readStoredCredentials, serializeCredentials } from './record';

/** Fetches new credentials of `selection` from the portal (with a valid access token). */
export type CredentialFetcher = (selection: AgencySelection, signal: AbortSignal) => Promise<AgencyCredentials>;

/** What a `CredentialManager` is built from. */
export interface CredentialManagerDeps {
  /** The SecretStorage key of an agency's credentials (`credentialsKey`: the portal endpoint, the agency and the instance). */
  keyOf(selection: Pick<AgencySelection, 'accountId' | 'agencyUrn'>): string;
  store: SecretStore;
  clock: Clock;
  logger: Logger;
  /** Coordinates fetches with other windows sharing the store; absent: this process only. */
  lease?: Omit<LeaseDeps, 'store' | 'clock'>;
  fetch: CredentialFetcher;
}

/** Options of `ensure`. */
export interface EnsureCredentialsOptions {
  /** Fetch new credentials even when the stored ones are usable (selecting an agency). */
  fresh?: boolean;
  /** Stops this caller's wait; the fetch itself stops only when every waiting caller has. */
  signal?: AbortSignal;
}

/** Owns the stored credentials of the agencies used with one instance. */
export class CredentialManager {
  private readonly fetches = new KeyedSingleFlight<AgencyCredentials>();

  constructor(private readonly deps: CredentialManagerDeps) {}

  /** The SecretStorage key of `selection`'s credentials. */
  key(selection: Pick<AgencySelection, 'accountId' | 'agencyUrn'>): string {
    return this.deps.keyOf(selection);
  }

  /** The stored credentials of `selection`, even when expired; undefined when none or corrupt. */
  stored(selection: AgencySelection): Promise<AgencyCredentials | undefined> {
    return readStoredCredentials(this.deps.store, this.key(selection), this.deps.logger);
  }

  /**
   * Usable credentials of `selection`: the stored ones while usable (unless `fresh`),
   * else new ones. Concurrent calls share one fetch.
   */
  async ensure(selection: AgencySelection, options: EnsureCredentialsOptions = {}): Promise<AgencyCredentials> {
    if (!options.fresh) {
      const current = await this.stored(selection);
      if (current && areUsable(current, this.deps.clock.now())) return current;
    }
    const fresh = options.fresh === true;
    return this.fetches.run(`${this.key(selection)}|${fresh}`, (signal) => this.fetchOnce(selection, fresh, signal), options.signal);
  }

  private async fetchOnce(selection: AgencySelection, fresh: boolean, signal: AbortSignal): Promise<AgencyCredentials> {
    if (!this.deps.lease) return this.fetchNow(selection, signal);
    const lease = new RecordLease(this.key(selection), { ...this.deps.lease, store: this.deps.store, clock: this.deps.clock });
    let fetchedElsewhere: AgencyCredentials | undefined;
    const acquired = await lease.acquire(async () => {
      if (fresh) return false;
      const again = await this.stored(selection);
      fetchedElsewhere = again && areUsable(again, this.deps.clock.now()) ? again : undefined;
      return fetchedElsewhere !== undefined;
    }, signal);
    if (!acquired && fetchedElsewhere) return fetchedElsewhere;
    try {
      return await this.fetchNow(selection, signal);
    } finally {
      await lease.release().catch(() => undefined);
    }
  }

  private async fetchNow(selection: AgencySelection, signal: AbortSignal): Promise<AgencyCredentials> {
    const credentials = await this.deps.fetch(selection, signal);
    if (!areUsable(credentials, this.deps.clock.now())) {
      throw new IdentityCenterError(
        'protocol',
        l10n.t('IAM Identity Center issued agency credentials that are already expired or about to. Check that the computer’s clock is right, then retry.'),
      );
    }
    try {
      await this.deps.store.store(this.key(selection), serializeCredentials(credentials));
    } catch (error) {
      throw credentialsStorageError(l10n.t('save'), error);
    }
    this.deps.logger.info(`New credentials for agency ${plainText(selection.agencyName)} in account ${plainText(selection.accountName)}; they end at ${new Date(credentials.expiresAt * 1000).toISOString()}.`);
    return credentials;
  }
}
