/**
 * The device-code sign-in end to end: a usable client first, then device
 * authorization, the person's approval, and the tokens. A client the service
 * rejects is dropped, registered again once, and the flow restarted once.
 */
import { plainText } from '../common/displayText';
import { isIdentityCenterError } from '../common/errors';
import { Clock, Logger, Sleep } from '../common/ports';
import type { DeviceAuthorization } from '../oidc/deviceAuthorization';
import type { OidcClient } from '../oidc/client';
import type { ClientRegistration } from '../registration/model';
import type { TokenSet } from '../sessions/model';
import { pollForToken } from './deviceFlow';

/** The parts of a device authorization a person may see (no device code). */
export type UserCodePrompt = Omit<DeviceAuthorization, 'deviceCode'>;

/** The registration calls sign-in needs. */
export interface ClientSource {
  /** A usable client; `signal` is the sign-in's cancellation, passed through to a renewal. */
  ensureClient(clientNameIfNone: string | undefined, signal?: AbortSignal): Promise<ClientRegistration>;
  dropRejected(client: ClientRegistration): Promise<void>;
}

/** What `signIn` is built from. */
export interface SignInDeps {
  clients: ClientSource;
  oidc: OidcClient;
  clock: Clock;
  sleep: Sleep;
  logger: Logger;
  /**
   * Shows the user code; called once per device authorization. Polling starts when it
   * resolves (a modal resolves once the user has taken the code); a rejection ends the
   * sign-in with it.
   */
  showUserCode(prompt: UserCodePrompt): void | Promise<void>;
}

/** What to sign in with. */
export interface SignInRequest {
  startUrl: string;
  clientNameIfNone?: string;
}

/** The tokens, and the client that obtained them. */
export interface SignInResult {
  tokens: TokenSet;
  client: ClientRegistration;
}

/** Runs the device-code flow; rejects with an `IdentityCenterError`. */
export async function signIn(deps: SignInDeps, request: SignInRequest, signal?: AbortSignal): Promise<SignInResult> {
  let clientNameIfNone = request.clientNameIfNone;
  for (let attempt = 1; ; attempt++) {
    const client = await deps.clients.ensureClient(clientNameIfNone, signal);
    try {
      const authorization = await deps.oidc.startDeviceAuthorization(client, request.startUrl, signal);
      const { deviceCode, ...prompt } = authorization;
      deps.logger.info(`Sign-in started: enter code ${prompt.userCode} at ${plainText(prompt.verificationUri)}`);
      await deps.showUserCode(prompt);
      const tokens = await pollForToken(
        authorization,
        { poll: (pollSignal) => deps.oidc.pollDeviceToken(client, deviceCode, pollSignal), clock: deps.clock, sleep: deps.sleep, logger: deps.logger },
        signal,
      );
      return { tokens, client };
    } catch (error) {
      if (attempt === 1 && isIdentityCenterError(error, 'rejectedClient')) {
        deps.logger.warn(`The service rejected client ${client.clientId}; registering again and restarting the sign-in once.`);
        await deps.clients.dropRejected(client);
        clientNameIfNone = client.clientName;
        continue;
      }
      throw error;
    }
  }
}
