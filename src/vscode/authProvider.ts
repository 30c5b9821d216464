/**
 * The `iam-identity-center` authentication provider: sessions from the device-code
 * sign-in, kept in SecretStorage, refreshed when the service gave a refresh token,
 * and kept in sync across windows through `secrets.onDidChange`.
 */
import * as vscode from 'vscode';
import { plainText } from '../core/common/displayText';
import { isIdentityCenterError } from '../core/common/errors';
import type { Clock, Logger, Sleep } from '../core/common/ports';
import { SingleFlight } from '../core/common/singleFlight';
import type { SessionManager } from '../core/sessions/manager';
import { hasScopes, isSessionValid, StoredSession } from '../core/sessions/model';
import type { UserCodePrompt } from '../core/signin/signIn';
import type { EndpointClients, EndpointRegistry } from './endpoints';
import type { Services } from './services';
import { readSettings } from './settings';
import { setStateContext } from './walkthrough';
import type { TransportBundle } from './transportBundle';
import type { SignInRequest } from './ui/signIn';
import type { UiBundle } from './uiBundle';

/** The authentication provider id other extensions ask for (`package.json` `contributes.authentication`). */
export const PROVIDER_ID = 'iam-identity-center';

/** The context key that is true while a session is stored (`package.json` `viewsWelcome`, menus). */
export const SIGNED_IN_CONTEXT = 'iamIdentityCenter.signedIn';

/** What the provider is built from. */
export interface AuthProviderDeps {
  endpoints: EndpointRegistry;
  secrets: vscode.SecretStorage;
  clock: Clock;
  sleep: Sleep;
  logger: Logger;
  /** Loads the sign-in code on first use. */
  transportBundle: () => TransportBundle;
  /** Loads the sign-in's UI on first use. */
  uiBundle: () => UiBundle;
}

/** A user code a sign-in shows, and how to cancel that sign-in (as its notification's Cancel button does). */
export interface UserCodeShown {
  prompt: UserCodePrompt;
  cancel(): void;
}

/** How a sign-in was asked for. */
export type SignInOptions = SignInRequest;

/** Creates the provider for an extension host's services. */
export function createAuthProvider(context: vscode.ExtensionContext, services: Services): IdentityCenterAuthProvider {
  return new IdentityCenterAuthProvider({ ...services, secrets: context.secrets, logger: services.log });
}

/** Sessions for VS Code's Accounts menu and for other extensions. */
export class IdentityCenterAuthProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly changes = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changes.event;
  private readonly userCodes = new vscode.EventEmitter<UserCodeShown>();
  /** Fires with each user code a sign-in shows (the code and page, never the device code). */
  readonly onDidShowUserCode = this.userCodes.event;
  private readonly subscriptions: vscode.Disposable[] = [this.changes, this.userCodes];
  private readonly signInFlight = new SingleFlight<StoredSession>();
  /** The sessions last reported to VS Code, by id, to tell what another window changed. */
  private reportedSessions = new Map<string, vscode.AuthenticationSession>();

  constructor(private readonly deps: AuthProviderDeps) {
    this.subscriptions.push(
      deps.secrets.onDidChange((event) => {
        if (event.key === this.sessions()?.key) this.syncInBackground();
      }),
    );
    this.syncInBackground();
  }

  /** Valid sessions with all of `scopes`; expired ones are refreshed, or removed when they cannot be. */
  async getSessions(scopes?: readonly string[]): Promise<vscode.AuthenticationSession[]> {
    return (await this.liveSessions(scopes)).map(toAuthenticationSession);
  }

  /** The stored sessions behind `getSessions`, with their expiry (for the status bar). */
  async liveSessions(scopes?: readonly string[]): Promise<StoredSession[]> {
    const sessions = this.sessions();
    if (!sessions) return [];
    const live: StoredSession[] = [];
    for (const stored of await sessions.list()) {
      if (scopes && !hasScopes(stored, scopes)) continue;
      const current = isSessionValid(stored, this.deps.clock.now()) ? stored : await this.refreshOrRemove(sessions, stored);
      if (current) live.push(current);
    }
    return live;
  }

  /** Called by VS Code for `getSession(…, { createIfNone: true })` and the Accounts menu. */
  async createSession(scopes: readonly string[]): Promise<vscode.AuthenticationSession> {
    return toAuthenticationSession(await this.signIn({ interactive: true, scopes }));
  }

  /** Signs out of one session; the client registration stays. */
  async removeSession(sessionId: string): Promise<void> {
    const removed = await this.sessions()?.remove(sessionId);
    if (removed) this.fireChange({ removed: [toAuthenticationSession(removed)] });
  }

  /** The SecretStorage key of the sessions record in force, or undefined when no endpoint is set. */
  sessionsKey(): string | undefined {
    return this.sessions()?.key;
  }

  /** Every stored session of the current endpoint, valid or not (Sign Out ends their portal sessions). */
  async storedSessions(): Promise<StoredSession[]> {
    return (await this.sessions()?.list()) ?? [];
  }

  /** Signs out of every session of the current endpoint; returns how many there were. */
  async removeAll(): Promise<number> {
    const sessions = this.sessions();
    if (!sessions) return 0;
    const all = await sessions.list();
    for (const session of all) await this.removeSession(session.id);
    return all.length;
  }

  /** Runs the device-code sign-in; concurrent calls share one flow. */
  signIn(options: SignInOptions): Promise<StoredSession> {
    return this.signInFlight.run(() => this.runSignIn(options));
  }

  /** Releases the event emitter and the storage listener. */
  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  /** One sign-in, in the lazily loaded UI bundle; its session is reported when it belongs to the endpoint in force. */
  private runSignIn(options: SignInOptions): Promise<StoredSession> {
    return this.deps.uiBundle().runSignIn(
      {
        ...this.deps,
        reportUserCode: (prompt, cancel) => this.userCodes.fire({ prompt, cancel }),
        reportSignedIn: (session, sessionsKey) => {
          if (this.sessions()?.key === sessionsKey) this.fireChange({ added: [toAuthenticationSession(session)] });
        },
      },
      options,
    );
  }

  private async refreshOrRemove(sessions: SessionManager, stored: StoredSession): Promise<StoredSession | undefined> {
    const outcome = await sessions.refreshOrRemove(stored).catch((error: unknown) => {
      this.deps.logger.warn(`Could not refresh the session: ${isIdentityCenterError(error) ? error.message : 'unexpected error'}`);
      return { kind: 'kept' as const };
    });
    switch (outcome.kind) {
      case 'refreshed':
        this.fireChange({ changed: [toAuthenticationSession(outcome.session)] });
        return outcome.session;
      case 'refreshedElsewhere':
        return outcome.session;
      case 'removed':
        if (outcome.session) this.fireChange({ removed: [toAuthenticationSession(outcome.session)] });
        return undefined;
      default:
        return undefined;
    }
  }

  /** Re-reads the stored sessions (another window may have changed them) and reports the difference. */
  async syncFromStorage(): Promise<void> {
    const stored = await this.sessions()?.list();
    const sessions = (stored ?? []).map(toAuthenticationSession);
    const next = new Map(sessions.map((session) => [session.id, session]));
    const added = sessions.filter((session) => !this.reportedSessions.has(session.id));
    const changed = sessions.filter((session) => this.reportedSessions.has(session.id) && this.reportedSessions.get(session.id)?.accessToken !== session.accessToken);
    const removed = [...this.reportedSessions.values()].filter((session) => !next.has(session.id));
    this.reportedSessions = next;
    this.updateSignedInContext();
    if (added.length + changed.length + removed.length > 0) this.changes.fire({ added, changed, removed });
  }

  /** `iamIdentityCenter.signedIn`, which the accounts view's welcome content, menus and walkthrough read. */
  private updateSignedInContext(): void {
    setStateContext(SIGNED_IN_CONTEXT, this.reportedSessions.size > 0, 'signIn');
  }

  /** `syncFromStorage()` from an event or a timer: a storage failure is logged, never left unhandled. */
  syncInBackground(): void {
    this.syncFromStorage().catch((error: unknown) => {
      this.deps.logger.warn(`Could not read the sign-in sessions: ${isIdentityCenterError(error) ? error.message : 'unexpected error'}`);
    });
  }

  private fireChange(change: { added?: vscode.AuthenticationSession[]; removed?: vscode.AuthenticationSession[]; changed?: vscode.AuthenticationSession[] }): void {
    for (const session of [...(change.added ?? []), ...(change.changed ?? [])]) this.reportedSessions.set(session.id, session);
    for (const session of change.removed ?? []) this.reportedSessions.delete(session.id);
    this.updateSignedInContext();
    this.changes.fire({ added: change.added ?? [], removed: change.removed ?? [], changed: change.changed ?? [] });
  }

  /** The sessions of the endpoint in force now, or undefined when none is set (or it is unusable). */
  private sessions(): SessionManager | undefined {
    let clients: EndpointClients | undefined;
    try {
      const settings = readSettings();
      if (settings.endpoint) clients = this.deps.endpoints.clientsFor({ endpoint: settings.endpoint, scopes: settings.scopes });
    } catch {
      return undefined;
    }
    return clients?.sessions;
  }
}

/** A stored session as VS Code's API shapes it; the account label is shown, so it is plain text. */
export function toAuthenticationSession(session: StoredSession): vscode.AuthenticationSession {
  return { id: session.id, accessToken: session.accessToken, account: { id: session.account.id, label: plainText(session.account.label) }, scopes: [...session.scopes] };
}
