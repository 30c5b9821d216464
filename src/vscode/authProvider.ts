/**
 * The `iam-identity-center` authentication provider, for VS Code's Accounts menu and for
 * other extensions: the sessions of the window's profile, or of the profile a
 * `profile:<name>` scope names. Sessions are read from SecretStorage; a change there,
 * from a sign-in here or in another window, reaches VS Code as `onDidChangeSessions`.
 */
import * as vscode from 'vscode';
import { plainText } from '../core/common/displayText';
import type { InstanceRegistry } from '../core/instance/registry';
import type { InstanceRuntime } from '../core/instance/runtime';
import type { StoredSession } from '../core/sessions/model';
import type { LazyBundle } from './lazy';
import type { Settings } from './settings';

/** The authentication provider id other extensions ask for (`package.json` `contributes.authentication`). */
export const PROVIDER_ID = 'iam-identity-center';

/** The context key that is true while the window's profile has a stored session (`package.json` `viewsWelcome`, menus). */
export const SIGNED_IN_CONTEXT = 'iamIdentityCenter.signedIn';

/** The scope that names a profile: `profile:<name>`. */
const PROFILE_SCOPE = 'profile:';

/** What the provider is built from. */
export interface AuthProviderDeps {
  instances: InstanceRegistry;
  settings: Settings;
  lazy: () => LazyBundle;
  /** Sets a context key (and ticks the walkthrough step it completes). */
  setContext(key: string, value: boolean): void;
}

/** Sessions for VS Code's Accounts menu and for other extensions. */
export class IdentityCenterAuthProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly changes = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changes.event;
  private readonly unsubscribe: () => void;
  /** The sessions last reported to VS Code, by id, with their runtime: to tell what changed. */
  private reported = new Map<string, { session: vscode.AuthenticationSession; runtime: InstanceRuntime }>();

  constructor(private readonly deps: AuthProviderDeps) {
    this.unsubscribe = deps.instances.onDidChange((runtime, change) => {
      if (runtime && change !== 'agency') void this.sync(runtime);
      else if (!runtime) this.deps.setContext(SIGNED_IN_CONTEXT, false);
    });
  }

  /** Valid sessions with all of `scopes`, of the profile a `profile:<name>` scope names (else the window's); expired ones are refreshed first. */
  async getSessions(scopes?: readonly string[]): Promise<vscode.AuthenticationSession[]> {
    const { runtime, rest, named } = this.target(scopes);
    if (!runtime) return [];
    return (await runtime.liveSessions(rest)).map((session) => this.toSession(session, runtime, named));
  }

  /** Called by VS Code for `getSession(…, { createIfNone: true })` and the Accounts menu: a sign-in. */
  async createSession(scopes: readonly string[]): Promise<vscode.AuthenticationSession> {
    const { profile, rest } = splitScopes(scopes);
    const session = await this.deps.lazy().signIn({ interactive: true, scopes: rest, profile });
    const runtime = this.deps.instances.runtime(profile);
    return this.toSession(session, runtime, profile !== undefined);
  }

  /** Signs out of one session; the client registration stays. */
  async removeSession(sessionId: string): Promise<void> {
    const runtime = this.reported.get(sessionId)?.runtime ?? this.deps.instances.current();
    if (runtime) await this.deps.lazy().removeSession(runtime, sessionId);
  }

  /** Reports what changed in `runtime`'s stored sessions, and whether the window's profile is signed in. */
  async sync(runtime: InstanceRuntime): Promise<void> {
    let stored: StoredSession[];
    try {
      stored = await runtime.storedSessions();
    } catch {
      return;
    }
    if (runtime === this.deps.instances.windowInstance()) this.deps.setContext(SIGNED_IN_CONTEXT, stored.length > 0);
    const sessions = stored.map((session) => this.toSession(session, runtime, false));
    const ids = new Set(sessions.map((session) => session.id));
    const added = sessions.filter((session) => !this.reported.has(session.id));
    const changed = sessions.filter((session) => this.reported.has(session.id) && this.reported.get(session.id)?.session.accessToken !== session.accessToken);
    const removed = [...this.reported.values()].filter((entry) => entry.runtime.key === runtime.key && !ids.has(entry.session.id)).map((entry) => entry.session);
    for (const session of removed) this.reported.delete(session.id);
    for (const session of sessions) this.reported.set(session.id, { session, runtime });
    if (added.length + changed.length + removed.length > 0) this.changes.fire({ added, changed, removed });
  }

  /** Releases the event emitter and the registry listener. */
  dispose(): void {
    this.unsubscribe();
    this.changes.dispose();
  }

  /** The runtime a scope list asks for, the other scopes, and whether a profile was named. */
  private target(scopes?: readonly string[]): { runtime?: InstanceRuntime; rest: string[]; named: boolean } {
    const { profile, rest } = splitScopes(scopes ?? []);
    try {
      return { runtime: this.deps.instances.runtime(profile), rest, named: profile !== undefined };
    } catch {
      return { rest, named: false };
    }
  }

  /**
   * A stored session as VS Code's API shapes it. The account label is shown, so it is
   * plain text; with more than one profile it names the profile. Asked for by a profile
   * scope, the session carries that scope too.
   */
  private toSession(session: StoredSession, runtime: InstanceRuntime, named: boolean): vscode.AuthenticationSession {
    const label = plainText(session.account.label);
    const several = this.deps.settings.profileNames().length > 1;
    const profile = runtime.profile.name;
    return {
      id: session.id,
      accessToken: session.accessToken,
      account: { id: session.account.id, label: several ? vscode.l10n.t('{0} ({1})', label, plainText(profile)) : label },
      scopes: named ? [...session.scopes, `${PROFILE_SCOPE}${profile}`] : [...session.scopes],
    };
  }
}

/** The profile a `profile:<name>` scope names, and the other scopes. */
function splitScopes(scopes: readonly string[]): { profile?: string; rest: string[] } {
  const named = scopes.find((scope) => scope.startsWith(PROFILE_SCOPE));
  return { profile: named?.slice(PROFILE_SCOPE.length), rest: scopes.filter((scope) => !scope.startsWith(PROFILE_SCOPE)) };
}
