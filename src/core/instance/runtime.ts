/**
 * One profile's runtime in one window: what activation needs of an IAM Identity Center
 * instance, and nothing that sends a request. It reads the stored registration, sessions
 * and agency credentials, keeps their renewal schedules, knows the window's agency, and
 * hands every piece of work that needs the network, a write or a prompt to the lazily
 * loaded half (`InstanceWork`). It never imports `vscode`: two windows are two runtimes on
 * one store, and the unit tests run them so.
 *
 * Sign Out in any window deletes the sessions record; every window sees that change,
 * takes the credentials out of its processes and asks the portal nothing more.
 */
import { IdentityCenterError, isIdentityCenterError } from '../common/errors';
import type { Clock, Logger, SecretStore, Sleep } from '../common/ports';
import { RenewalScheduler } from '../common/renewalScheduler';
import { markInUse, WindowSelection, type SelectionMementos } from '../agencies/selection';
import { type AgencyCredentials, type AgencySelection, areUsable, renewableCredentials } from '../credentials/model';
import { credentialsKey, legacyCredentialsKey, readStoredCredentials } from '../credentials/record';
import { instanceKey, type ProfileTarget } from '../profiles/profile';
import { isUsable, renewableOf } from '../registration/expiry';
import type { ClientRegistration } from '../registration/model';
import { readStoredRegistration, registrationKey } from '../registration/record';
import { hasScopes, isSessionValid, type StoredSession } from '../sessions/model';
import { legacySessionsKey, readStoredSessions, sessionsKey } from '../sessions/record';
import * as l10n from '@vscode/l10n';

/** What an expired session became when the lazy half tried to refresh it. */
export type SessionRenewal = { kind: 'refreshed' | 'refreshedElsewhere'; session: StoredSession } | { kind: 'removed'; session?: StoredSession } | { kind: 'kept' };

/**
 * The work of an instance that needs the network, a write or a prompt: done by the lazily
 * loaded half, which the first call loads. The one way from activation into it.
 */
export interface InstanceWork {
  /** Registers again (the stored registration is due, or there is none): one request for any number of callers and windows. */
  renewRegistration(instance: InstanceRuntime, signal?: AbortSignal): Promise<ClientRegistration>;
  /** Refreshes an expired session, or removes it when it cannot be refreshed. */
  refreshSession(instance: InstanceRuntime, session: StoredSession, signal?: AbortSignal): Promise<SessionRenewal>;
  /** Fetches the agency's credentials again (they are due): one request for any number of callers and windows. */
  renewCredentials(instance: InstanceRuntime, selection: AgencySelection, signal?: AbortSignal): Promise<AgencyCredentials>;
  /** Says once that the agency's credentials cannot be renewed until the user signs in again. */
  signInNeeded(instance: InstanceRuntime, selection: AgencySelection, current?: AgencyCredentials): void;
  /** Told once when the service issues client secrets that expire too soon to renew on time. */
  shortLivedSecrets?(lifetimeMs: number): void;
}

/** Where the window's processes get the agency's credentials (terminals; debug sessions read `usableCredentials`). */
export interface CredentialSink {
  show(selection: AgencySelection, credentials: AgencyCredentials): void;
  clear(): void;
}

/** What changed in an instance, for the status bar, the accounts view and the provider. */
export type InstanceChange = 'sessions' | 'agency';

/** What a runtime is built from. */
export interface InstanceDeps {
  profile: ProfileTarget;
  store: SecretStore;
  clock: Clock;
  /** Waits until a renewal falls due: real timers, even when tests make other waits instant. */
  scheduleSleep: Sleep;
  logger: Logger;
  /** Tells of a changed SecretStorage key, from this window or another; returns an unsubscribe function. */
  onSecretChange(listener: (key: string) => void): () => void;
  mementos: SelectionMementos;
  /** Names this window in the marks of credentials in use (`agencies/selection.ts`). */
  windowId: string;
  work: InstanceWork;
  /** Reads the records the release before profiles wrote (the `default` profile only). */
  legacy?: boolean;
}

/** The agency in use and, when they have not ended, its credentials. */
export interface AgencyState {
  selection: AgencySelection;
  credentials?: AgencyCredentials;
}

/** One profile's instance in one window. */
export class InstanceRuntime {
  readonly profile: ProfileTarget;
  /** What identifies the instance: its endpoint and user portal. */
  readonly key: string;
  readonly registrationKey: string;
  readonly sessionsKey: string;
  /** The sessions record of the release before profiles, read while the new one is absent. */
  readonly legacySessionsKey?: string;
  readonly selection: WindowSelection;
  /** Sessions this window signed in but could not store: kept for the window's life, so approved tokens are not lost. */
  readonly unsaved = new Map<string, StoredSession>();
  private readonly registrationSchedule: RenewalScheduler;
  private readonly credentialSchedule: RenewalScheduler;
  private readonly listeners = new Set<(change: InstanceChange) => void>();
  private readonly unsubscribe: () => void;
  private sink?: CredentialSink;
  /** The credentials last put into the window's processes. */
  private current?: AgencyCredentials;
  /** Whether the last read found any stored session: a change to none is a Sign Out. */
  private hadSessions?: boolean;
  /** The selection whose "sign in again" notice was shown, until a session appears. */
  private signInNoticeFor?: string;

  constructor(private readonly deps: InstanceDeps) {
    const { profile } = deps;
    this.profile = profile;
    this.key = instanceKey(profile);
    this.registrationKey = registrationKey(profile.endpoint, profile.scopes);
    this.sessionsKey = sessionsKey(profile.endpoint, profile.startUrl);
    if (deps.legacy) this.legacySessionsKey = legacySessionsKey(profile.endpoint);
    this.selection = new WindowSelection(deps.mementos, this.key, deps.legacy);
    this.registrationSchedule = new RenewalScheduler({
      what: 'the client registration',
      clock: deps.clock,
      sleep: deps.scheduleSleep,
      logger: deps.logger,
      renew: async (signal) => renewableOf(await this.usableRegistration(signal)),
      onShortLifetime: (lifetimeMs) => deps.work.shortLivedSecrets?.(lifetimeMs),
    });
    this.credentialSchedule = new RenewalScheduler({
      what: 'the agency credentials',
      clock: deps.clock,
      sleep: deps.scheduleSleep,
      logger: deps.logger,
      renew: async (signal) => renewableCredentials(await this.fetchCredentials(signal)),
    });
    this.unsubscribe = deps.onSecretChange((key) => {
      if (key === this.sessionsKey || key === this.legacySessionsKey) void this.sessionsChanged();
      else if (key === this.registrationKey) void this.registrationChanged();
    });
  }

  /** The store, clock and logger the lazy half works with for this instance. */
  get ports(): Pick<InstanceDeps, 'store' | 'clock' | 'logger'> {
    return this.deps;
  }

  /** Listens to changes of the sessions or the agency; returns an unsubscribe function. */
  onDidChange(listener: (change: InstanceChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells the listeners; the lazy half calls it after it changed what they show. */
  changed(change: InstanceChange): void {
    for (const listener of [...this.listeners]) listener(change);
  }

  // The registration.

  /** The stored registration, even when expired; undefined when none (or corrupt). */
  storedRegistration(): Promise<ClientRegistration | undefined> {
    return readStoredRegistration(this.deps.store, this.registrationKey, this.deps.logger);
  }

  /** A usable registration: the stored one, else one registered again by the lazy half; the schedule follows it. */
  async ensureRegistration(signal?: AbortSignal): Promise<ClientRegistration> {
    return this.followRegistration(await this.usableRegistration(signal));
  }

  private async usableRegistration(signal?: AbortSignal): Promise<ClientRegistration> {
    const stored = await this.storedRegistration();
    if (stored && isUsable(stored, this.deps.clock.now())) return stored;
    return this.deps.work.renewRegistration(this, signal);
  }

  /** Puts the renewal schedule on `registration` (after a registration the lazy half made); returns it. */
  followRegistration(registration: ClientRegistration): ClientRegistration {
    this.registrationSchedule.start(renewableOf(registration));
    return registration;
  }

  /**
   * At startup: a stored registration gets its renewal schedule (renewed first when it is
   * due). Sends nothing while the stored one is usable; none stored, nothing is done.
   */
  async scheduleRegistration(): Promise<void> {
    try {
      const stored = await this.storedRegistration();
      if (!stored) return;
      if (isUsable(stored, this.deps.clock.now())) this.followRegistration(stored);
      else await this.ensureRegistration();
    } catch (error) {
      this.deps.logger.warn(`Background renewal of the client registration failed: ${messageOf(error)}`);
      this.registrationSchedule.retryLater();
    }
  }

  /** After the registration record changed (a registration here or in another window, or Forget): the schedule follows it; nothing is sent. */
  private async registrationChanged(): Promise<void> {
    const stored = await this.storedRegistration().catch(() => undefined);
    if (stored && isUsable(stored, this.deps.clock.now())) this.followRegistration(stored);
    else if (!stored) this.registrationSchedule.stop();
  }

  // The sessions.

  /** Every stored session, valid or not; the release before profiles' record while this one is absent. */
  async storedSessions(): Promise<StoredSession[]> {
    let stored = await readStoredSessions(this.deps.store, this.sessionsKey, this.deps.logger);
    if (!stored && this.legacySessionsKey) stored = await readStoredSessions(this.deps.store, this.legacySessionsKey, this.deps.logger);
    return [...(stored ?? []).filter((session) => !this.unsaved.has(session.id)), ...this.unsaved.values()];
  }

  /** The sessions with every scope asked for that are valid now, expired ones refreshed first (or removed). */
  async liveSessions(scopes: readonly string[] = []): Promise<StoredSession[]> {
    const live: StoredSession[] = [];
    for (const stored of await this.storedSessions()) {
      if (!hasScopes(stored, scopes)) continue;
      if (isSessionValid(stored, this.deps.clock.now())) live.push(stored);
      else {
        const renewed = await this.deps.work.refreshSession(this, stored).catch((error: unknown) => {
          this.deps.logger.warn(`Could not refresh the session: ${messageOf(error)}`);
          return { kind: 'kept' as const };
        });
        if (renewed.kind === 'refreshed' || renewed.kind === 'refreshedElsewhere') live.push(renewed.session);
      }
    }
    return live;
  }

  /** A valid access token of this instance, or a `signInRequired` error. */
  async accessToken(): Promise<string> {
    const [session] = await this.liveSessions();
    if (session) return session.accessToken;
    throw notSignedIn();
  }

  /** True while a session is stored, valid or not: signed out, stored agency credentials are no longer used. */
  private async signedIn(): Promise<boolean> {
    return (await this.storedSessions()).length > 0;
  }

  /** After the sessions record changed (here or in another window): none left is a Sign Out; a new one resumes the credentials. */
  private async sessionsChanged(): Promise<void> {
    let any: boolean;
    try {
      any = (await this.storedSessions()).length > 0;
    } catch (error) {
      this.deps.logger.warn(`Could not read the sign-in sessions: ${messageOf(error)}`);
      return;
    }
    const had = this.hadSessions;
    this.hadSessions = any;
    if (!any && had !== false) this.release();
    if (any && had === false) {
      this.signInNoticeFor = undefined;
      if (this.sink) void this.resume();
    }
    this.changed('sessions');
  }

  // The agency.

  /** The agency in use in this window and, while signed in and until they end, its credentials; no request. */
  async agencyState(): Promise<AgencyState | undefined> {
    const selection = this.selection.current();
    if (!selection) return undefined;
    const stored = async () => ((await this.signedIn()) ? this.storedCredentials(selection) : undefined);
    const credentials = this.current ?? (await stored().catch(() => undefined));
    const live = credentials && credentials.expiresAt * 1000 - (credentials.clockOffsetMs ?? 0) > this.deps.clock.now();
    return live ? { selection, credentials } : { selection };
  }

  /**
   * The agency in use with credentials usable now: the ones in hand, else renewed first by
   * the lazy half. A `configuration` error when no agency is in use.
   */
  async usableCredentials(signal?: AbortSignal): Promise<Required<AgencyState>> {
    const state = await this.agencyState();
    if (!state) throw new IdentityCenterError('configuration', l10n.t('No agency is selected. Select an account and an agency to use one.'));
    if (state.credentials && areUsable(state.credentials, this.deps.clock.now())) return { selection: state.selection, credentials: state.credentials };
    return { selection: state.selection, credentials: await this.renewCredentials(signal) };
  }

  /** The stored credentials of `selection` for this instance (the release before profiles' record while this one is absent), without any request. */
  async storedCredentials(selection: AgencySelection): Promise<AgencyCredentials | undefined> {
    const stored = await readStoredCredentials(this.deps.store, this.credentialsKey(selection), this.deps.logger);
    const legacy = this.legacyCredentialsKey(selection);
    return stored ?? (legacy === undefined ? undefined : readStoredCredentials(this.deps.store, legacy, this.deps.logger));
  }

  /** The SecretStorage key of `selection`'s credentials for this instance, at this profile's portal. */
  credentialsKey(selection: Pick<AgencySelection, 'accountId' | 'agencyUrn'>): string {
    return credentialsKey(this.deps.profile.portalEndpoint, selection, this.key);
  }

  /** The key the release before profiles kept `selection`'s credentials under: read, and forgotten, by the `default` profile only. */
  legacyCredentialsKey(selection: Pick<AgencySelection, 'accountId' | 'agencyUrn'>): string | undefined {
    return this.deps.legacy ? legacyCredentialsKey(this.deps.profile.portalEndpoint, selection) : undefined;
  }

  /**
   * Makes this runtime feed the window's processes (it serves the window's profile): while
   * signed in, the agency in use is restored, its stored credentials used while good (no
   * request), and renewed in the background when due.
   */
  async attach(sink: CredentialSink): Promise<void> {
    this.sink = sink;
    const selection = await this.selection.settle();
    this.hadSessions = await this.signedIn().catch(() => false);
    if (!selection || !this.hadSessions) return;
    try {
      const stored = await this.storedCredentials(selection);
      if (stored && renewableCredentials(stored).dueAtMs > this.deps.clock.now()) this.use(selection, stored);
      else void this.resume();
    } catch (error) {
      this.deps.logger.warn(`Could not read the agency credentials: ${messageOf(error)}`);
    }
  }

  /** Stops feeding the window's processes (another profile serves the window now). */
  detach(): void {
    this.release();
    this.sink = undefined;
  }

  /** Makes `selection` this window's agency with its new `credentials` (after the lazy half fetched them). */
  async adopt(selection: AgencySelection, credentials: AgencyCredentials): Promise<void> {
    await this.selection.choose(selection);
    this.signInNoticeFor = undefined;
    this.use(selection, credentials);
  }

  /**
   * Stops using credentials in this window: off the schedule, out of memory and out of new
   * processes. It cannot fail, so Sign Out and Stop Using always get this far.
   */
  release(): void {
    this.credentialSchedule.stop();
    const had = this.current !== undefined;
    this.current = undefined;
    this.sink?.clear();
    if (this.sink) void markInUse(this.deps.mementos.shared, this.deps.windowId, undefined);
    if (had) this.changed('agency');
  }

  /** Forgets this window's agency (after `release`); other windows keep theirs. */
  async forgetSelection(): Promise<void> {
    await this.selection.clear();
    this.changed('agency');
  }

  /** Renews the agency's credentials now (they are due, or a command needs them); the schedule follows. */
  async renewCredentials(signal?: AbortSignal): Promise<AgencyCredentials> {
    const credentials = await this.fetchCredentials(signal);
    if (this.sink) this.credentialSchedule.start(renewableCredentials(credentials));
    return credentials;
  }

  /** Fetches the agency's credentials through the lazy half; a needed sign-in is said once, then the schedule waits for one. */
  private async fetchCredentials(signal?: AbortSignal): Promise<AgencyCredentials> {
    const selection = this.selection.current();
    if (!selection) throw new IdentityCenterError('configuration', l10n.t('No agency is selected. Select an account and an agency to use one.'));
    try {
      // Signed out, the stored credentials are not handed out again, however usable.
      if (!(await this.signedIn())) throw notSignedIn();
      const credentials = await this.deps.work.renewCredentials(this, selection, signal);
      this.use(selection, credentials, false);
      return credentials;
    } catch (error) {
      if (isIdentityCenterError(error, 'signInRequired')) {
        if (this.signInNoticeFor !== selection.agencyUrn) {
          this.signInNoticeFor = selection.agencyUrn;
          this.deps.work.signInNeeded(this, selection, this.current);
        }
        // Nothing is asked of the portal again until a session appears.
        this.credentialSchedule.stop();
      }
      throw error;
    }
  }

  /** Fetches the agency's credentials in the background (a start with due ones, or a new sign-in). */
  private async resume(): Promise<void> {
    const selection = this.selection.current();
    if (!selection) return;
    try {
      this.use(selection, await this.deps.work.renewCredentials(this, selection));
      this.signInNoticeFor = undefined;
    } catch (error) {
      if (isIdentityCenterError(error, 'signInRequired')) return;
      this.deps.logger.warn(`Could not renew the agency credentials: ${messageOf(error)}`);
      this.credentialSchedule.retryLater();
    }
  }

  /** Puts credentials into the window's processes and onto the schedule, and tells the listeners. */
  private use(selection: AgencySelection, credentials: AgencyCredentials, schedule = true): void {
    this.current = credentials;
    if (this.sink) {
      this.sink.show(selection, credentials);
      const { expiresAtMs } = renewableCredentials(credentials);
      void markInUse(this.deps.mementos.shared, this.deps.windowId, this.credentialsKey(selection), expiresAtMs);
      if (schedule) this.credentialSchedule.start(renewableCredentials(credentials));
    }
    this.changed('agency');
  }

  /** Re-applies the credentials in hand (the terminal setting or the workspace trust changed). */
  refreshSink(): void {
    const selection = this.selection.current();
    if (selection && this.current) this.sink?.show(selection, this.current);
    else this.sink?.clear();
  }

  /** Stops the schedules and the storage listener. */
  dispose(): void {
    this.registrationSchedule.stop();
    this.credentialSchedule.stop();
    this.unsubscribe();
    this.listeners.clear();
  }
}

function notSignedIn(): IdentityCenterError {
  return new IdentityCenterError('signInRequired', l10n.t('You are not signed in to IAM Identity Center. Sign in, then retry.'), { remedy: 'signIn' });
}

function messageOf(error: unknown): string {
  return isIdentityCenterError(error) ? error.message : 'unexpected error';
}
