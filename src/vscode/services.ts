/**
 * The composition root: builds the extension's parts from its context (the log
 * channel, the clock, the secret store, the lazily loaded HTTP stack and the endpoint
 * registry). `activate()` registers them; nothing here runs a request.
 */
import type { WindowLease } from '../core/common/lease';
import { randomUUID } from 'crypto';
import * as vscode from 'vscode';
import { Clock, createTimerSleep, SecretStore, Sleep, systemClock } from '../core/common/ports';
import type { HttpTransport } from '../core/transport/port';
import { AgencyService } from './agencies/agencyService';
import type { IdentityCenterAuthProvider } from './authProvider';
import { EndpointRegistry } from './endpoints';
import { lazyTransport, loadTransportBundle, TransportBundle } from './transportBundle';
import { loadUiBundle, UiBundle } from './uiBundle';

/** The parts `activate()` wires together. */
export interface Services {
  log: vscode.LogOutputChannel;
  clock: Clock;
  store: SecretStore;
  /** Waits between retries and polls. */
  sleep: Sleep;
  /** Waits until a renewal falls due: real timers, even when tests make other waits instant. */
  scheduleSleep: Sleep;
  endpoints: EndpointRegistry;
  /** The lazily loaded OIDC and portal clients, sign-in and HTTP stack. */
  transportBundle: () => TransportBundle;
  /** The lazily loaded command bodies, prompts and picks. */
  uiBundle: () => UiBundle;
  /** The HTTP transport, built on first use from the network settings. */
  transport: () => HttpTransport;
  /** Names this window in leases, and tells of SecretStorage changes from any window. */
  lease: WindowLease;
}

/** Time for the services: the system's, or (in Test mode) a clock and sleep the tests control. */
export interface ServiceTime {
  clock: Clock;
  sleep: Sleep;
}

/** Wraps SecretStorage's Thenables as the core's `SecretStore`. */
export function secretStoreOf(secrets: vscode.SecretStorage): SecretStore {
  return {
    get: async (key) => secrets.get(key),
    store: async (key, value) => secrets.store(key, value),
    delete: async (key) => secrets.delete(key),
  };
}

/** Creates the services for one extension host. */
export function createServices(context: vscode.ExtensionContext, time: ServiceTime = { clock: systemClock, sleep: createTimerSleep() }): Services {
  const log = vscode.window.createOutputChannel(vscode.l10n.t('IAM Identity Center'), { log: true });
  const { clock, sleep } = time;
  const store = secretStoreOf(context.secrets);
  const onSecretChange = (listener: (key: string) => void) => {
    const subscription = context.secrets.onDidChange((event) => listener(event.key));
    return () => subscription.dispose();
  };
  const lease = { owner: randomUUID(), onDidChange: onSecretChange };
  const transport = lazyTransport(log);
  const scheduleSleep = createTimerSleep();
  const endpoints = new EndpointRegistry({
    store,
    clock,
    sleep,
    scheduleSleep,
    logger: log,
    lease,
    transportBundle: loadTransportBundle,
    transport,
    pickRegion: async () => void (await loadUiBundle().pickRegion()),
    onShortLivedSecrets: (lifetimeMs) => loadUiBundle().warnOfShortLivedSecrets(lifetimeMs),
  });
  return { log, clock, store, sleep, scheduleSleep, endpoints, transportBundle: loadTransportBundle, uiBundle: loadUiBundle, transport, lease };
}

/** The agency service of an extension host: the selection, its credentials and the terminals. */
export function createAgencyService(context: vscode.ExtensionContext, services: Services, provider: IdentityCenterAuthProvider): AgencyService {
  return new AgencyService({
    globalState: context.globalState,
    environment: context.environmentVariableCollection,
    provider,
    store: services.store,
    clock: services.clock,
    sleep: services.sleep,
    scheduleSleep: services.scheduleSleep,
    logger: services.log,
    lease: services.lease,
    transportBundle: services.transportBundle,
    uiBundle: services.uiBundle,
    transport: services.transport,
  });
}
