/**
 * The composition root: builds the extension's parts from its context (the log
 * channel, the clock, the secret store, the lazily loaded HTTP stack and the endpoint
 * registry). `activate()` registers them; nothing here runs a request.
 */
import * as vscode from 'vscode';
import { Clock, createTimerSleep, SecretStore, Sleep, systemClock } from '../core/common/ports';
import { EndpointRegistry } from './endpoints';
import { lazyTransport, loadTransportBundle, TransportBundle } from './transportBundle';

/** The parts `activate()` wires together. */
export interface Services {
  log: vscode.LogOutputChannel;
  clock: Clock;
  store: SecretStore;
  /** Waits between retries and polls. */
  sleep: Sleep;
  endpoints: EndpointRegistry;
  /** The lazily loaded OIDC client, sign-in and HTTP stack. */
  transportBundle: () => TransportBundle;
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
  const log = vscode.window.createOutputChannel('IAM Identity Center', { log: true });
  const { clock, sleep } = time;
  const store = secretStoreOf(context.secrets);
  const onSecretChange = (listener: (key: string) => void) => {
    const subscription = context.secrets.onDidChange((event) => listener(event.key));
    return () => subscription.dispose();
  };
  const endpoints = new EndpointRegistry({
    store,
    clock,
    sleep,
    scheduleSleep: createTimerSleep(),
    logger: log,
    onSecretChange,
    transportBundle: loadTransportBundle,
    transport: lazyTransport(log),
    onShortLivedSecrets: (lifetimeMs) =>
      void vscode.window.showWarningMessage(
        `IAM Identity Center issues client secrets that expire ${Math.round(lifetimeMs / 1000)} seconds after they are issued, too soon to renew them on time. The extension renews at most every few minutes, so sign-in may fail. Ask your administrator to check the service's client secret lifetime.`,
      ),
  });
  return { log, clock, store, sleep, endpoints, transportBundle: loadTransportBundle };
}
