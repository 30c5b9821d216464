/**
 * One device-code sign-in as a person sees it: the settings resolved once (a region
 * asked for when none is set, the start URL when it is empty), the user code shown with
 * the service's host, a cancellable progress while polling, and the session stored.
 */
import * as vscode from 'vscode';
import { plainText } from '../../core/common/displayText';
import type { Clock, Logger, Sleep } from '../../core/common/ports';
import { sessionFromTokens, StoredSession } from '../../core/sessions/model';
import type { UserCodePrompt } from '../../core/signin/signIn';
import type { EndpointRegistry } from '../endpoints';
import { defaultClientName } from '../settings';
import type { TransportBundle } from '../transportBundle';
import { resolveStartUrl, showUserCode, withSignInProgress } from './signInUi';

/** What a sign-in is run with. */
export interface SignInContext {
  endpoints: EndpointRegistry;
  clock: Clock;
  sleep: Sleep;
  logger: Logger;
  transportBundle: () => TransportBundle;
  /** Told of each user code shown, with the way to cancel this sign-in. */
  reportUserCode(prompt: UserCodePrompt, cancel: () => void): void;
  /** Told of the stored session and the SecretStorage key of the sessions it joined. */
  reportSignedIn(session: StoredSession, sessionsKey: string): void;
}

/** How a sign-in was asked for. */
export interface SignInRequest {
  /** False under automation: no prompt, modal or pick list. */
  interactive: boolean;
  /** Extra scopes asked for by `getSession`; the settings' scopes are always included. */
  scopes?: readonly string[];
  /** The client name to register under when no client is stored; default `VS Code (hostname)`. */
  clientName?: string;
}

/** One sign-in, on the endpoint, scopes and start URL of the settings as they were when it began. */
export async function runSignIn(context: SignInContext, request: SignInRequest): Promise<StoredSession> {
  const target = await context.endpoints.resolve(request.interactive);
  const clients = context.endpoints.clientsFor(target);
  const startUrl = await resolveStartUrl(target.startUrl, request.interactive);
  const sessionScopes = [...new Set([...target.scopes, ...(request.scopes ?? [])])];
  const abort = new AbortController();
  const host = new URL(clients.endpoint).host;
  const result = await withSignInProgress(
    abort,
    host,
    (signal, onUserCode) =>
      context.transportBundle().signIn(
        {
          clients: {
            ensureClient: (clientNameIfNone, ensureSignal) => context.endpoints.ensureClient(clients, { clientNameIfNone, signal: ensureSignal }),
            dropRejected: (client) => clients.registration.dropRejected(client.clientId),
          },
          oidc: clients.oidc(),
          clock: context.clock,
          sleep: context.sleep,
          logger: context.logger,
          showUserCode: (prompt) => {
            onUserCode(prompt);
            context.reportUserCode(prompt, () => abort.abort());
            return showUserCode(prompt, host, request.interactive, abort.signal);
          },
        },
        { startUrl, clientNameIfNone: request.clientName ?? defaultClientName() },
        signal,
      ),
    () => context.clock.now(),
  );
  const session = sessionFromTokens(result.tokens, sessionScopes, result.client.clientId, Math.floor(context.clock.now() / 1000));
  const { persisted } = await clients.sessions.save(session);
  if (!persisted) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t(
        'Signed in, but VS Code\'s secret storage could not keep the session, so it lasts until this window closes. Check that the system keyring is unlocked; the next sign-in stores it again.',
      ),
    );
  }
  context.logger.info(`Signed in as ${plainText(session.account.label)} at ${host}; the session ends at ${new Date(session.expiresAt * 1000).toISOString()}.`);
  context.reportSignedIn(session, clients.sessions.key);
  return session;
}
