/**
 * The agency in use and its temporary credentials, kept valid while VS Code runs: the
 * selection (ids and names, in `globalState`, surviving restarts), the credentials (in
 * SecretStorage, through the core's `CredentialManager`), their renewal schedule, and
 * the terminal environment that carries them.
 *
 * A start with a selection whose stored credentials are still usable sends no request.
 * When a renewal needs a new sign-in, the user is told once, with a Sign In action,
 * and nothing is asked of the portal again until a session appears.
 */
import type { WindowLease } from '../../core/common/lease';
import * as vscode from 'vscode';
import { IdentityCenterError, isIdentityCenterError } from '../../core/common/errors';
import type { Clock, Logger, SecretStore, Sleep } from '../../core/common/ports';
import { RenewalScheduler } from '../../core/common/renewalScheduler';
import type { CredentialManager } from '../../core/credentials/manager';
import { credentialsKey, readStoredCredentials } from '../../core/credentials/record';
import { AgencyCredentials, AgencySelection, parseSelection, renewableCredentials } from '../../core/credentials/model';
import type { PortalClient } from '../../core/portal/client';
import type { StoredSession } from '../../core/sessions/model';
import type { HttpTransport } from '../../core/transport/port';
import type { IdentityCenterAuthProvider } from '../authProvider';
import { readPortalEndpoint, SECTION } from '../settings';
import type { TransportBundle } from '../transportBundle';
import type { UiBundle } from '../uiBundle';
import { TERMINAL_CREDENTIALS_SETTING, TerminalCredentials } from './terminal';
import { setStateContext } from '../walkthrough';

/** The context key true while an agency is selected (the walkthrough's step completes on it). */
export const AGENCY_SELECTED_CONTEXT = 'iamIdentityCenter.agencySelected';

/** The `globalState` key of the selection. */
export const SELECTION_KEY = 'iamIdentityCenter.selectedAgency';

/** What the service is built from. */
export interface AgencyServiceDeps {
  globalState: vscode.Memento;
  environment: vscode.GlobalEnvironmentVariableCollection;
  provider: IdentityCenterAuthProvider;
  store: SecretStore;
  clock: Clock;
  /** Waits between retries and for other windows' leases. */
  sleep: Sleep;
  /** Waits until a renewal falls due (real timers). */
  scheduleSleep: Sleep;
  logger: Logger;
  /** Names this window in leases, and tells of other windows' writes. */
  lease: WindowLease;
  transportBundle: () => TransportBundle;
  uiBundle: () => UiBundle;
  transport: () => HttpTransport;
}

/** The selection and, when there are usable or unexpired ones, its credentials. */
export interface AgencyState {
  selection: AgencySelection;
  credentials?: AgencyCredentials;
}

/** Owns the selected agency and keeps its credentials valid. */
export class AgencyService implements vscode.Disposable {
  private readonly changes = new vscode.EventEmitter<void>();
  /** Fires when the selection or its credentials change. */
  readonly onDidChange = this.changes.event;
  /** The terminal environment, and the open terminals that got credentials from it. */
  readonly terminal: TerminalCredentials;
  private readonly scheduler: RenewalScheduler;
  private readonly credentialManagers = new Map<string, CredentialManager>();
  private readonly portalClients = new Map<string, PortalClient>();
  private readonly subscriptions: vscode.Disposable[] = [this.changes];
  /** The credentials last put into the terminal environment, for the status bar. */
  private current?: AgencyCredentials;
  /** The selection whose "sign in again" notice was shown: once per selection until a session appears. */
  private signInNoticeFor?: string;

  /** `deps` are public so the lazily loaded commands reach the store and state without more code here. */
  constructor(readonly deps: AgencyServiceDeps) {
    this.terminal = new TerminalCredentials(deps.environment);
    this.scheduler = new RenewalScheduler({
      what: 'the agency credentials',
      clock: deps.clock,
      sleep: deps.scheduleSleep,
      logger: deps.logger,
      renew: async (signal) => renewableCredentials(await this.renew(signal)),
    });
    this.subscriptions.push(
      deps.provider.onDidChangeSessions((event) => {
        if (event.added?.length) void this.resumeAfterSignIn();
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(`${SECTION}.${TERMINAL_CREDENTIALS_SETTING}`)) this.showInTerminals();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.showInTerminals()),
      vscode.window.onDidOpenTerminal((terminal) => this.terminal.opened(terminal)),
      vscode.window.onDidCloseTerminal((terminal) => this.terminal.holding.delete(terminal)),
    );
  }

  /** The agency in use, from `globalState`; undefined when none (or the stored value is unusable). */
  selection(): AgencySelection | undefined {
    return parseSelection(this.deps.globalState.get(SELECTION_KEY));
  }

  /** The selection and its unexpired credentials, without any request. */
  async state(): Promise<AgencyState | undefined> {
    const selection = this.selection();
    if (!selection) return undefined;
    const credentials = this.current ?? (await this.stored(selection).catch(() => undefined));
    const live = credentials && credentials.expiresAt * 1000 - (credentials.clockOffsetMs ?? 0) > this.deps.clock.now();
    return live ? { selection, credentials } : { selection };
  }

  /**
   * What the status bar shows and its menu offers, without any request: the live
   * session, and the agency in use: the selection while signed in, or while its
   * credentials last after the session ended (terminals still get them).
   */
  async inUse(): Promise<{ session?: StoredSession; agency?: AgencyState }> {
    const [session] = await this.deps.provider.liveSessions().catch(() => []);
    const agency = await this.state();
    return { session, agency: session || agency?.credentials ? agency : undefined };
  }

  /**
   * Makes `selection` the agency in use with its new `credentials`: saved as the
   * selection, put into terminals and onto the renewal schedule.
   */
  async adopt(selection: AgencySelection, credentials: AgencyCredentials): Promise<void> {
    await this.deps.globalState.update(SELECTION_KEY, { ...selection });
    this.signInNoticeFor = undefined;
    this.use(selection, credentials);
  }

  /**
   * Stops using credentials in this window: off the renewal schedule, out of memory and
   * out of new terminals. It cannot fail, so Sign Out and Stop Using always get this far.
   */
  release(): void {
    this.scheduler.stop();
    this.current = undefined;
    this.terminal.clear();
    this.changed();
  }

  /** Forgets the selection (`release` first), and tells listeners. */
  async forgetSelection(): Promise<void> {
    await this.deps.globalState.update(SELECTION_KEY, undefined);
    this.changed();
  }

  /** Tells listeners, and the `agencySelected` context key, that the selection or its credentials changed. */
  private changed(): void {
    setStateContext(AGENCY_SELECTED_CONTEXT, this.selection() !== undefined, 'agency');
    this.changes.fire();
  }

  /**
   * At startup: usable stored credentials go into terminals and onto the schedule with
   * no request; credentials due for renewal are renewed in the background.
   */
  async restore(): Promise<void> {
    const selection = this.selection();
    if (!selection) return;
    setStateContext(AGENCY_SELECTED_CONTEXT, true, 'agency');
    try {
      const stored = await this.stored(selection);
      if (stored && renewableCredentials(stored).dueAtMs > this.deps.clock.now()) this.use(selection, stored);
      else void this.resumeAfterSignIn();
    } catch (error) {
      this.deps.logger.warn(`Could not read the agency credentials: ${isIdentityCenterError(error) ? error.message : 'unexpected error'}`);
    }
  }

  /** Stops the renewal schedule and the listeners. */
  dispose(): void {
    this.scheduler.stop();
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  /**
   * Renews the selection's credentials if they are due, as the schedule does when they
   * fall due; a needed sign-in is said once, then the schedule waits for one.
   */
  async renew(signal?: AbortSignal): Promise<AgencyCredentials> {
    const selection = this.selection();
    if (!selection) throw new IdentityCenterError('configuration', vscode.l10n.t('No agency is selected.'));
    try {
      const credentials = await this.manager().ensure(selection, { signal });
      this.use(selection, credentials, false);
      return credentials;
    } catch (error) {
      if (isIdentityCenterError(error, 'signInRequired')) {
        this.noticeSignInNeeded(selection);
        // Nothing is asked of the portal again until a session appears (resumeAfterSignIn).
        this.scheduler.stop();
      }
      throw error;
    }
  }

  /** After a sign-in (or at a start with credentials due): fetch the selection's credentials in the background. */
  private async resumeAfterSignIn(): Promise<void> {
    const selection = this.selection();
    if (!selection) return;
    try {
      const credentials = await this.manager().ensure(selection);
      this.signInNoticeFor = undefined;
      this.use(selection, credentials);
    } catch (error) {
      if (isIdentityCenterError(error, 'signInRequired')) return;
      this.deps.logger.warn(`Could not renew the agency credentials: ${isIdentityCenterError(error) ? error.message : 'unexpected error'}`);
      this.scheduler.retryLater();
    }
  }

  /** Puts credentials into terminals and onto the schedule, and tells listeners. */
  private use(selection: AgencySelection, credentials: AgencyCredentials, schedule = true): void {
    this.current = credentials;
    this.showInTerminals(selection);
    if (schedule) this.scheduler.start(renewableCredentials(credentials));
    this.changed();
  }

  /** Applies the terminal setting and the workspace trust to the current credentials. */
  private showInTerminals(selection = this.selection()): void {
    const enabled = vscode.workspace.isTrusted && vscode.workspace.getConfiguration(SECTION).get<boolean>(TERMINAL_CREDENTIALS_SETTING, true) !== false;
    if (selection && this.current) this.terminal.show(selection, this.current, enabled);
    else this.terminal.clear();
  }

  private noticeSignInNeeded(selection: AgencySelection): void {
    if (this.signInNoticeFor === selection.agencyUrn) return;
    this.signInNoticeFor = selection.agencyUrn;
    void this.deps.uiBundle().showAgencySignInNeeded(selection, this.current);
  }

  /** A valid access token: the current session's (refreshed when it can be), or a new sign-in when interactive. */
  async accessToken(interactive: boolean): Promise<string> {
    const [session] = await this.deps.provider.liveSessions();
    if (session) return session.accessToken;
    if (interactive) return (await this.deps.provider.signIn({ interactive: true })).accessToken;
    throw new IdentityCenterError('signInRequired', vscode.l10n.t('You are not signed in to IAM Identity Center. Sign in, then retry.'), { remedy: 'signIn' });
  }

  /** The stored credentials of `selection` at the portal endpoint in force, without loading the transport. */
  private stored(selection: AgencySelection): Promise<AgencyCredentials | undefined> {
    return readStoredCredentials(this.deps.store, credentialsKey(readPortalEndpoint(), selection), this.deps.logger);
  }

  /** The credentials manager of the portal endpoint in force (loading the transport bundle, which fetches). */
  manager(): CredentialManager {
    const portalEndpoint = readPortalEndpoint();
    let manager = this.credentialManagers.get(portalEndpoint);
    if (!manager) {
      const { CredentialManager } = this.deps.transportBundle();
      manager = new CredentialManager({
        portalEndpoint,
        store: this.deps.store,
        clock: this.deps.clock,
        logger: this.deps.logger,
        lease: { sleep: this.deps.sleep, onDidChange: this.deps.lease.onDidChange, owner: this.deps.lease.owner },
        fetch: async (selection, signal) => this.portal(portalEndpoint).getCredentials(await this.accessToken(false), selection, signal),
      });
      this.credentialManagers.set(portalEndpoint, manager);
    }
    return manager;
  }

  /** The portal client of the portal endpoint in force (loading the transport bundle). */
  portal(portalEndpoint = readPortalEndpoint()): PortalClient {
    let client = this.portalClients.get(portalEndpoint);
    if (!client) {
      const { PortalClient } = this.deps.transportBundle();
      client = new PortalClient({ endpoint: portalEndpoint, transport: this.deps.transport, clock: this.deps.clock, logger: this.deps.logger, retry: { sleep: this.deps.sleep } });
      this.portalClients.set(portalEndpoint, client);
    }
    return client;
  }
}
