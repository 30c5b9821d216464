/**
 * Builds the extension's parts from its context: the log channel, the clock, the
 * secret store, the lazily loaded HTTP stack and the registration service.
 */
import { readFileSync } from 'fs';
import * as vscode from 'vscode';
import { createTimerSleep } from '../core/timers';
import { IdentityCenterError } from '../core/errors';
import { HttpTransport } from '../core/http';
import type { UserCodePrompt } from '../core/signIn';
import { Clock, Logger, SecretStore, Sleep } from '../core/ports';
import type { RawNetworkSettings } from '../core/proxy';
import type { UndiciTransport } from '../core/undiciTransport';
import { networkSettingsKey, readRawNetworkSettings } from './networkSettings';
import { RegistrationService } from './registrationService';

/** The parts `activate()` wires together. */
export interface Services {
  log: vscode.LogOutputChannel;
  clock: AdjustableClock;
  store: SecretStore;
  sleep: Sleep;
  registrations: RegistrationService;
  /** Set in Test mode: waits pass at once on the clock, so sign-in tests never sleep. */
  instantTime: { enabled: boolean };
  /** Told of each user code shown at sign-in (the Test-mode API lets tests listen). */
  userCodeListeners: Set<(prompt: UserCodePrompt) => void>;
  /** The lazily loaded OIDC client, sign-in and HTTP stack. */
  network: () => NetworkModule;
}

/** The system clock, which the integration tests can move forward (Test mode only). */
export class AdjustableClock implements Clock {
  private offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  /** Moves this clock forward by `ms`. */
  advance(ms: number): void {
    this.offsetMs += ms;
  }
  /** Back to the system time. */
  reset(): void {
    this.offsetMs = 0;
  }
}

/** Wraps SecretStorage's Thenables as the core's `SecretStore`. */
export function secretStoreOf(secrets: vscode.SecretStorage): SecretStore {
  return {
    get: async (key) => secrets.get(key),
    store: async (key, value) => secrets.store(key, value),
    delete: async (key) => secrets.delete(key),
  };
}

/** The lazily loaded part of the extension: `dist/transport.js` (see `core/networkBundle.ts`). */
export type NetworkModule = typeof import('../core/networkBundle');

let networkModule: NetworkModule | undefined;

/** Loads `dist/transport.js` on first use; a start with a stored registration never calls this. */
export function loadNetwork(): NetworkModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  networkModule ??= require('./transport.js') as NetworkModule;
  return networkModule;
}

/**
 * Loads `dist/transport.js` (undici) the first time a request is sent, configured
 * from the proxy and trust settings (`networkSettings.ts`). When those change, the
 * next request gets a new transport and the old one closes after its requests end,
 * so a new `http.proxy` or CA file takes effect without reloading the window.
 */
export function lazyTransport(logger: Logger, readRaw: () => RawNetworkSettings = () => readRawNetworkSettings()): () => HttpTransport {
  let current: { key: string; transport: UndiciTransport } | undefined;
  return () => {
    const raw = readRaw();
    const key = networkSettingsKey(raw);
    if (current?.key === key) return current.transport;
    const { createTransportFromSettings } = loadNetwork();
    const previous = current?.transport;
    current = { key, transport: createTransportFromSettings(raw, (file) => readFileSync(file, 'utf8'), logger) };
    void previous?.close();
    return current.transport;
  };
}

/**
 * A `Sleep` on real timers, or, while `instant.enabled` (Test mode only), one that
 * moves the adjustable clock at once.
 */
export function switchableSleep(clock: AdjustableClock, instant: { enabled: boolean }): Sleep {
  const timerSleep = createTimerSleep();
  return async (ms, signal) => {
    if (!instant.enabled) return timerSleep(ms, signal);
    if (signal?.aborted) throw new IdentityCenterError('cancelled', 'Cancelled.');
    await new Promise((resolve) => setImmediate(resolve));
    if (signal?.aborted) throw new IdentityCenterError('cancelled', 'Cancelled.');
    clock.advance(ms);
  };
}

/** Creates the services for one extension host. */
export function createServices(context: vscode.ExtensionContext): Services {
  const log = vscode.window.createOutputChannel('IAM Identity Center', { log: true });
  const clock = new AdjustableClock();
  const instantTime = { enabled: false };
  const store = secretStoreOf(context.secrets);
  const sleep = switchableSleep(clock, instantTime);
  const onSecretChange = (listener: (key: string) => void) => {
    const subscription = context.secrets.onDidChange((event) => listener(event.key));
    return () => subscription.dispose();
  };
  const registrations = new RegistrationService({
    store,
    clock,
    sleep,
    scheduleSleep: createTimerSleep(),
    logger: log,
    onSecretChange,
    network: loadNetwork,
    transport: lazyTransport(log),
    onShortLivedSecrets: (lifetimeMs) =>
      void vscode.window.showWarningMessage(
        `IAM Identity Center issues client secrets that expire ${Math.round(lifetimeMs / 1000)} seconds after they are issued, too soon to renew them on time. The extension renews at most every few minutes, so sign-in may fail. Ask your administrator to check the service's client secret lifetime.`,
      ),
  });
  return { log, clock, store, sleep, registrations, instantTime, userCodeListeners: new Set(), network: loadNetwork };
}
