/**
 * One device-code sign-in as a person sees it: the profile resolved once (a region asked
 * for when the default profile has none, the user portal URL when it is empty), the user
 * code shown with the service's host, a cancellable progress while polling, and the
 * session stored. The provider learns of it from SecretStorage's change event, as it
 * learns of another window's.
 */
import * as vscode from 'vscode';
import { plainText } from '../../core/common/displayText';
import { isIdentityCenterError } from '../../core/common/errors';
import type { InstanceRuntime } from '../../core/instance/runtime';
import { DEFAULT_PROFILE } from '../../core/profiles/profile';
import { sessionFromTokens, StoredSession } from '../../core/sessions/model';
import { signIn as deviceCodeSignIn } from '../../core/signin/signIn';
import type { SignInRequest } from '../lazy';
import { defaultClientName } from '../settings';
import { host, partsOf } from './instances';
import { pickRegion } from './regionPick';
import { resolveStartUrl, showUserCode, withSignInProgress } from './signInUi';

/**
 * The runtime of profile `name` (the window's when undefined). Interactive, a default
 * profile with no region asks for one first; otherwise a missing one is the error.
 */
export async function instanceFor(name: string | undefined, interactive: boolean): Promise<InstanceRuntime> {
  const { instances } = host();
  try {
    return instances.runtime(name);
  } catch (error) {
    if (!interactive || !isIdentityCenterError(error, 'configuration') || error.setting !== 'region' || instances.nameOf(name) !== DEFAULT_PROFILE) throw error;
    await pickRegion();
    return instances.runtime(name);
  }
}

/** Signs in to the profile the request names (the window's when none); concurrent calls to one instance share one flow. */
export async function signIn(request: SignInRequest): Promise<StoredSession> {
  const runtime = await instanceFor(request.profile, request.interactive);
  return partsOf(runtime).signIns.run(() => runSignIn(runtime, request));
}

/** One sign-in, on the endpoint, scopes and user portal of the profile as they were when it began. */
async function runSignIn(first: InstanceRuntime, request: SignInRequest): Promise<StoredSession> {
  const { clock, sleep, log, userCodes } = host();
  let runtime = first;
  if (!runtime.profile.startUrl) {
    // Asked for and saved: the profile now names its user portal, and has a runtime of its own.
    await resolveStartUrl(runtime.profile, request.interactive);
    runtime = host().instances.runtime(runtime.profile.name);
  }
  const startUrl = await resolveStartUrl(runtime.profile, request.interactive);
  const { registration, sessions, oidc } = partsOf(runtime);
  const sessionScopes = [...new Set([...runtime.profile.scopes, ...(request.scopes ?? [])])];
  const abort = new AbortController();
  const service = new URL(runtime.profile.endpoint).host;
  const result = await withSignInProgress(
    abort,
    service,
    (signal, onUserCode) =>
      deviceCodeSignIn(
        {
          clients: {
            ensureClient: (clientNameIfNone, ensureSignal) => registration.ensureClient({ clientNameIfNone, signal: ensureSignal }),
            dropRejected: (client) => registration.dropRejected(client.clientId),
          },
          oidc,
          clock,
          sleep,
          logger: log,
          showUserCode: (prompt) => {
            onUserCode(prompt);
            userCodes.fire({ prompt, cancel: () => abort.abort() });
            return showUserCode(prompt, service, request.interactive, abort.signal);
          },
        },
        { startUrl, clientNameIfNone: request.clientName ?? defaultClientName() },
        signal,
      ),
    () => clock.now(),
  );
  const session = sessionFromTokens(result.tokens, sessionScopes, result.client.clientId, Math.floor(clock.now() / 1000));
  const { persisted } = await sessions.save(session);
  if (!persisted) {
    // Kept in this window's memory only: no storage event tells the runtime.
    runtime.changed('sessions');
    void vscode.window.showWarningMessage(
      vscode.l10n.t(
        'Signed in, but VS Code\'s secret storage could not keep the session, so it lasts until this window closes. Check that the system keyring is unlocked; the next sign-in stores it again.',
      ),
    );
  }
  log.info(`Signed in as ${plainText(session.account.label)} at ${service}; the session ends at ${new Date(session.expiresAt * 1000).toISOString()}.`);
  return session;
}
