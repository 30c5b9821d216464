/**
 * Builds the extension's parts from its context: the log channel, the clock, the
 * secret store, the lazily loaded HTTP stack and the registration service.
 */
import * as vscode from 'vscode';
import { HttpTransport } from '../core/http';
import { Clock, SecretStore } from '../core/ports';
import { RegistrationService } from './registrationService';

/** The parts `activate()` wires together. */
export interface Services {
  log: vscode.LogOutputChannel;
  clock: AdjustableClock;
  store: SecretStore;
  registrations: RegistrationService;
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

/** Loads `dist/transport.js` (undici) the first time a request is sent. */
export function lazyTransport(): () => HttpTransport {
  let transport: HttpTransport | undefined;
  return () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    transport ??= (require('./transport.js') as typeof import('../core/undiciTransport')).createUndiciTransport();
    return transport;
  };
}

/** Creates the services for one extension host. */
export function createServices(context: vscode.ExtensionContext): Services {
  const log = vscode.window.createOutputChannel('IAM Identity Center', { log: true });
  const clock = new AdjustableClock();
  const store = secretStoreOf(context.secrets);
  const registrations = new RegistrationService({ store, clock, logger: log, transport: lazyTransport() });
  return { log, clock, store, registrations };
}
