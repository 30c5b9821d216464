/**
 * The `iam-identity-center` authentication provider: sessions from the device-code
 * sign-in, kept in SecretStorage, refreshed when the service gave a refresh token,
 * and kept in sync across windows through `secrets.onDidChange`.
 */
import * as vscode from 'vscode';
import { isIdentityCenterError } from '../core/errors';
import { Clock, Logger, SecretStore, Sleep } from '../core/ports';
import { hasScopes, isSessionValid, refreshedSession, sessionFromTokens, SessionRepository, StoredSession } from '../core/sessions';
import type { UserCodePrompt } from '../core/signIn';
import { RegistrationService } from './registrationService';
import type { NetworkModule, Services } from './services';
import { defaultClientName, readSettings } from './settings';
import { resolveStartUrl, showUserCode, withSignInProgress } from './signInUi';

/** The provider id of the contract. */
export const PROVIDER_ID = 'iam-identity-center';

/** The provider's label. */
export const PROVIDER_LABEL = 'IAM Identity Center';

/** What the provider is built from. */
export interface AuthProviderDeps {
  registrations: RegistrationService;
  store: SecretStore;
  secrets: vscode.SecretStorage;
  clock: Clock;
  sleep: Sleep;
  logger: Logger;
  /** Loads the sign-in code on first use. */
  network: () => NetworkModule;
  /** Told of each user code shown (the integration tests approve through it). */
  onUserCode?: (prompt: UserCodePrompt) => void;
}

/** How a sign-in was asked for. */
export interface SignInOptions {
  /** False under automation: no prompt, modal or pick list. */
  interactive: boolean;
  /** Extra scopes asked for by `getSession`; the settings' scopes are always included. */
  scopes?: readonly string[];
  /** The client name to register under when no client is stored; default `VS Code (hostname)`. */
  clientName?: string;
}

/** Creates the provider for an extension host's services. */
export function createAuthProvider(context: vscode.ExtensionContext, services: Services): IdentityCenterAuthProvider {
  return new IdentityCenterAuthProvider({
    ...services,
    secrets: context.secrets,
    logger: services.log,
    onUserCode: (prompt) => services.userCodeListeners.forEach((listener) => listener(prompt)),
  });
}

/** Sessions for VS Code's Accounts menu and for other extensions. */
export class IdentityCenterAuthProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly changes = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changes.event;
  private readonly subscriptions: vscode.Disposable[] = [this.changes];
  private signInFlight?: Promise<StoredSession>;
  private signInAbort?: AbortController;
  private readonly refreshes = new Map<string, Promise<StoredSession | undefined>>();
  /** The sessions last reported, by id, to tell what another window changed. */
  private known = new Map<string, vscode.AuthenticationSession>();
  /** Expiry (epoch seconds) of the sessions last returned, for the status bar. */
  private readonly expiries = new Map<string, number>();

  constructor(private readonly deps: AuthProviderDeps) {
    this.subscriptions.push(
      deps.secrets.onDidChange((event) => {
        const repository = this.repository();
        if (repository && event.key === repository.key) void this.reload();
      }),
    );
    void this.reload();
  }

  /** Valid sessions with all of `scopes`; expired ones are refreshed, or removed when they cannot be. */
  async getSessions(scopes?: readonly string[]): Promise<vscode.AuthenticationSession[]> {
    const repository = this.repository();
    if (!repository) return [];
    const sessions: vscode.AuthenticationSession[] = [];
    for (const stored of await repository.list()) {
      if (scopes && !hasScopes(stored, scopes)) continue;
      const live = isSessionValid(stored, this.deps.clock.now()) ? stored : await this.refreshOrRemove(repository, stored);
      if (live) {
        this.expiries.set(live.id, live.expiresAt);
        sessions.push(toAuthenticationSession(live));
      }
    }
    return sessions;
  }

  /** When a session returned by `getSessions` ends, in epoch seconds. */
  expiresAt(sessionId: string): number | undefined {
    return this.expiries.get(sessionId);
  }

  /** Called by VS Code for `getSession(…, { createIfNone: true })` and the Accounts menu. */
  async createSession(scopes: readonly string[]): Promise<vscode.AuthenticationSession> {
    return toAuthenticationSession(await this.signIn({ interactive: true, scopes }));
  }

  /** Signs out of one session; the client registration stays. */
  async removeSession(sessionId: string): Promise<void> {
    const repository = this.repository();
    const removed = repository ? await repository.remove(sessionId) : undefined;
    if (removed) this.report({ removed: [toAuthenticationSession(removed)] });
  }

  /** Signs out of every session of the current endpoint; returns how many there were. */
  async removeAll(): Promise<number> {
    const repository = this.repository();
    if (!repository) return 0;
    const sessions = await repository.list();
    for (const session of sessions) await this.removeSession(session.id);
    return sessions.length;
  }

  /** Runs the device-code sign-in; concurrent calls share one flow. */
  signIn(options: SignInOptions): Promise<StoredSession> {
    if (!this.signInFlight) {
      const flight: Promise<StoredSession> = this.runSignIn(options).finally(() => {
        if (this.signInFlight === flight) this.signInFlight = undefined;
      });
      this.signInFlight = flight;
    }
    return this.signInFlight;
  }

  /** Cancels a sign-in in progress, as its notification's Cancel button does. */
  cancelSignIn(): void {
    this.signInAbort?.abort();
  }

  /** Releases the event emitter and the storage listener. */
  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private async runSignIn(options: SignInOptions): Promise<StoredSession> {
    const { oidc, manager, scopes } = await this.deps.registrations.parts(options.interactive);
    const startUrl = await resolveStartUrl(readSettings().startUrl, options.interactive);
    const sessionScopes = [...new Set([...scopes, ...(options.scopes ?? [])])];
    const abort = new AbortController();
    this.signInAbort = abort;
    const result = await withSignInProgress(
      abort,
      (signal, onUserCode) =>
        this.deps.network().signIn(
          {
            clients: {
              ensureClient: (clientNameIfNone) => this.deps.registrations.ensureClient(clientNameIfNone),
              dropRejected: (client) => manager.dropRejected(client.clientId),
            },
            oidc: oidc(),
            clock: this.deps.clock,
            sleep: this.deps.sleep,
            logger: this.deps.logger,
            showUserCode: (prompt) => {
              onUserCode(prompt);
              showUserCode(prompt);
              this.deps.onUserCode?.(prompt);
            },
          },
          { startUrl, clientNameIfNone: options.clientName ?? defaultClientName() },
          signal,
        ),
      () => this.deps.clock.now(),
    );
    const session = sessionFromTokens(result.tokens, sessionScopes, result.client.clientId);
    await this.repository()?.save(session);
    this.deps.logger.info(`Signed in as ${session.account.label}; the session ends at ${new Date(session.expiresAt * 1000).toISOString()}.`);
    this.report({ added: [toAuthenticationSession(session)] });
    return session;
  }

  private refreshOrRemove(repository: SessionRepository, stored: StoredSession): Promise<StoredSession | undefined> {
    let pending = this.refreshes.get(stored.id);
    if (!pending) {
      pending = this.refresh(repository, stored).finally(() => this.refreshes.delete(stored.id));
      this.refreshes.set(stored.id, pending);
    }
    return pending;
  }

  private async refresh(repository: SessionRepository, stored: StoredSession): Promise<StoredSession | undefined> {
    if (stored.refreshToken) {
      try {
        const { oidc } = await this.deps.registrations.parts(false);
        const client = await this.deps.registrations.ensureClient();
        if (client.clientId === stored.clientId) {
          const next = refreshedSession(stored, await oidc().refreshToken(client, stored.refreshToken));
          await repository.save(next);
          this.deps.logger.info(`Refreshed the session of ${next.account.label}.`);
          this.report({ changed: [toAuthenticationSession(next)] });
          return next;
        }
        this.deps.logger.info('The session was issued to an earlier client registration and cannot be refreshed.');
      } catch (error) {
        if (isIdentityCenterError(error, 'network', 'timeout', 'service')) {
          this.deps.logger.warn(`Could not refresh the session now (${error.kind}); it stays until the service can be reached.`);
          return undefined;
        }
        this.deps.logger.warn(`The session could not be refreshed (${isIdentityCenterError(error) ? error.kind : 'error'}); it is removed.`);
      }
    }
    this.deps.logger.info(`The session of ${stored.account.label} expired and was removed. Sign in again.`);
    await this.removeSession(stored.id);
    return undefined;
  }

  /** Re-reads the stored sessions (another window may have changed them) and reports the difference. */
  async reload(): Promise<void> {
    const repository = this.repository();
    const sessions = (repository ? await repository.list() : []).map(toAuthenticationSession);
    const next = new Map(sessions.map((session) => [session.id, session]));
    const added = sessions.filter((session) => !this.known.has(session.id));
    const changed = sessions.filter((session) => this.known.has(session.id) && this.known.get(session.id)?.accessToken !== session.accessToken);
    const removed = [...this.known.values()].filter((session) => !next.has(session.id));
    this.known = next;
    if (added.length + changed.length + removed.length > 0) this.changes.fire({ added, changed, removed });
  }

  private report(change: { added?: vscode.AuthenticationSession[]; removed?: vscode.AuthenticationSession[]; changed?: vscode.AuthenticationSession[] }): void {
    for (const session of [...(change.added ?? []), ...(change.changed ?? [])]) this.known.set(session.id, session);
    for (const session of change.removed ?? []) this.known.delete(session.id);
    this.changes.fire({ added: change.added ?? [], removed: change.removed ?? [], changed: change.changed ?? [] });
  }

  private repository(): SessionRepository | undefined {
    let endpoint: string | undefined;
    try {
      endpoint = readSettings().endpoint;
    } catch {
      return undefined;
    }
    return endpoint ? new SessionRepository(endpoint, this.deps.store, this.deps.logger) : undefined;
  }
}

/** A stored session as VS Code's API shapes it. */
export function toAuthenticationSession(session: StoredSession): vscode.AuthenticationSession {
  return { id: session.id, accessToken: session.accessToken, account: { ...session.account }, scopes: [...session.scopes] };
}
