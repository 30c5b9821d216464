/**
 * The lazy half of each profile's runtime: the OIDC and portal clients and the managers
 * that register, store sessions and fetch agency credentials, made on first use and kept
 * per runtime; and the transport, rebuilt when the network settings change.
 */
import { readFileSync } from 'fs';
import { SingleFlight } from '../../core/common/singleFlight';
import { CredentialManager } from '../../core/credentials/manager';
import type { InstanceRuntime } from '../../core/instance/runtime';
import { OidcClient } from '../../core/oidc/client';
import { PortalClient } from '../../core/portal/client';
import { requirePortalEndpoint } from '../../core/profiles/profile';
import { RegistrationManager } from '../../core/registration/manager';
import { SessionManager } from '../../core/sessions/manager';
import type { StoredSession } from '../../core/sessions/model';
import { legacySessionsKey } from '../../core/sessions/record';
import type { HttpTransport } from '../../core/transport/port';
import { createTransportFromSettings, type UndiciTransport } from '../../core/transport/undici';
import type { Host } from '../lazy';

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

let connected: Host | undefined;
const parts = new WeakMap<InstanceRuntime, InstanceParts>();

/** Hands the lazy half the window's parts; `dist/lazy.js` is loaded once, and this is called then. */
export function connect(host: Host): void {
  connected = host;
}

/** The window's parts. */
export function host(): Host {
  if (!connected) throw new Error('The lazy bundle was loaded without its host');
  return connected;
}

/**
 * The runtime of profile `name` (the window's when undefined), or undefined while the
 * default profile has no region or endpoint yet: nothing can be stored for it then.
 */
export function instanceIfSet(name: string | undefined): InstanceRuntime | undefined {
  const { instances } = host();
  if (!name && !instances.profile().endpoint) return undefined;
  return instances.runtime(name);
}

/** The clients and managers of `runtime`, made on first use. */
export function partsOf(runtime: InstanceRuntime): InstanceParts {
  let made = parts.get(runtime);
  if (!made) {
    made = makeParts(runtime);
    parts.set(runtime, made);
  }
  return made;
}

function makeParts(runtime: InstanceRuntime): InstanceParts {
  const { store, clock, logger } = runtime.ports;
  const { sleep, windowId: owner, onSecretChange } = host();
  const lease = { sleep, owner, onDidChange: onSecretChange };
  const { endpoint, portalEndpoint, scopes } = runtime.profile;
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
    portalEndpoint,
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

let current: { key: string; transport: UndiciTransport } | undefined;

/**
 * The transport, built on first use from the proxy and trust settings. When those change,
 * the next request gets a new one and the old one closes after its requests end, so a new
 * `http.proxy` or CA file takes effect without reloading.
 */
export function transport(): HttpTransport {
  const raw = host().settings.network();
  // Holds proxy passwords: compared in memory only, never logged.
  const key = JSON.stringify(raw);
  if (current?.key === key) return current.transport;
  const previous = current?.transport;
  current = { key, transport: createTransportFromSettings(raw, (file) => readFileSync(file, 'utf8'), host().log) };
  void previous?.close();
  return current.transport;
}
