/**
 * The lazy half of one profile's runtime: the OIDC and portal clients and the managers
 * that register, store sessions and fetch agency credentials, wired to the runtime's
 * store, clock, log and record keys. `src/vscode/ui/instances.ts` makes them on first use
 * for each runtime; the unit tests make them the same way, so what they prove of the
 * runtimes holds for the wiring the extension ships.
 */
import type { LeaseDeps } from '../common/lease';
import type { Sleep } from '../common/ports';
import { SingleFlight } from '../common/singleFlight';
import { CredentialManager } from '../credentials/manager';
import { OidcClient } from '../oidc/client';
import { PortalClient } from '../portal/client';
import { requirePortalEndpoint } from '../profiles/profile';
import { RegistrationManager } from '../registration/manager';
import { SessionManager } from '../sessions/manager';
import type { StoredSession } from '../sessions/model';
import { legacySessionsKey } from '../sessions/record';
import type { HttpTransport } from '../transport/port';
import type { InstanceRuntime } from './runtime';

/** The clients and managers of one runtime. */
export interface InstanceParts {
  oidc: OidcClient;
  /** The portal client; a `configuration` error when the profile's portal endpoint is unusable. */
  portal: PortalClient;
  registration: RegistrationManager;
  sessions: SessionManager;
  credentials: CredentialManager;
  /** Concurrent sign-ins to this instance share one flow. */
  signIns: SingleFlight<StoredSession>;
}

/** What the window gives every runtime's parts. */
export interface InstancePartsDeps {
  /** Returns the transport; called on each request, so a changed network setting takes effect. */
  transport: () => HttpTransport;
  /** Waits between retries and in leases. */
  sleep: Sleep;
  /** This window's part in the leases across windows: its name, and news of changes to any SecretStorage key from any window. */
  lease: Required<Pick<LeaseDeps, 'owner' | 'onDidChange'>>;
}

/** Makes the clients and managers of `runtime`; nothing is sent. */
export function instanceParts(runtime: InstanceRuntime, deps: InstancePartsDeps): InstanceParts {
  const { store, clock, logger } = runtime.ports;
  const { transport, sleep } = deps;
  const lease = { sleep, ...deps.lease };
  const { endpoint, scopes } = runtime.profile;
  const oidc = new OidcClient({ endpoint, transport, clock, logger, retry: { sleep } });
  let portalClient: PortalClient | undefined;
  const portal = () => (portalClient ??= new PortalClient({ endpoint: requirePortalEndpoint(runtime.profile), transport, clock, logger, retry: { sleep } }));
  const registration = new RegistrationManager({ endpoint, scopes, registrar: oidc, store, clock, logger, lease });
  const sessions = new SessionManager({
    key: runtime.sessionsKey,
    legacyKey: legacySessionsKey(endpoint),
    readsLegacy: runtime.legacySessionsKey !== undefined,
    unsaved: runtime.unsaved,
    store,
    clock,
    logger,
    lease,
    refresh: async (session, signal) => {
      const client = await registration.ensureClient({ signal });
      if (client.clientId !== session.clientId || !session.refreshToken) return undefined;
      return oidc.refreshToken(client, session.refreshToken, signal);
    },
  });
  const credentials = new CredentialManager({
    keyOf: (selection) => runtime.credentialsKey(selection),
    store,
    clock,
    logger,
    lease,
    fetch: async (selection, signal) => portal().getCredentials(await runtime.accessToken(), selection, signal),
  });
  return {
    oidc,
    get portal() {
      return portal();
    },
    registration,
    sessions,
    credentials,
    signIns: new SingleFlight<StoredSession>(),
  };
}
