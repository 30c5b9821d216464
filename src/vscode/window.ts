/**
 * The composition root: the window's parts, built once from the extension's context: the
 * log channel, time, the secret store, the settings, the profiles and their runtimes, the
 * terminals' environment, and the way into the lazy bundle. Nothing here sends a request.
 */
import { randomUUID } from 'crypto';
import * as vscode from 'vscode';
import { Clock, createTimerSleep, SecretStore, Sleep, systemClock } from '../core/common/ports';
import { InstanceRegistry } from '../core/instance/registry';
import type { InstanceWork } from '../core/instance/runtime';
import { Host, LazyBundle, loadLazy, UserCodeShown } from './lazy';
import { Settings } from './settings';
import { TerminalEnvironment } from './terminalEnvironment';

/** The window's parts: what the lazy bundle is handed, and the way into it. */
export interface Window extends Host {
  /** Loads the lazy bundle on first use. */
  lazy: () => LazyBundle;
}

/** Time for the window: the system's, or (in Test mode) a clock and sleep the tests control. */
export interface WindowTime {
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

/** Builds the window's parts. */
export function createWindow(context: vscode.ExtensionContext, time: WindowTime = { clock: systemClock, sleep: createTimerSleep() }): Window {
  const log = vscode.window.createOutputChannel(vscode.l10n.t('IAM Identity Center'), { log: true });
  const { clock, sleep } = time;
  const store = secretStoreOf(context.secrets);
  const onSecretChange = (listener: (key: string) => void) => {
    const subscription = context.secrets.onDidChange((event) => listener(event.key));
    return () => subscription.dispose();
  };
  const settings = new Settings();
  const terminals = new TerminalEnvironment(context.environmentVariableCollection, settings);
  const mementos = { window: context.workspaceState, shared: context.globalState };
  const windowId = randomUUID();
  const lazy = (): LazyBundle => loadLazy(parts);
  // Each piece of background work loads the lazy bundle when it is first needed.
  const work: InstanceWork = {
    renewRegistration: (...args) => lazy().work.renewRegistration(...args),
    refreshSession: (...args) => lazy().work.refreshSession(...args),
    renewCredentials: (...args) => lazy().work.renewCredentials(...args),
    signInNeeded: (...args) => lazy().work.signInNeeded(...args),
    shortLivedSecrets: (...args) => lazy().work.shortLivedSecrets?.(...args),
  };
  const instances = new InstanceRegistry({
    store,
    clock,
    scheduleSleep: createTimerSleep(),
    logger: log,
    onSecretChange,
    mementos,
    windowId,
    work,
    profiles: settings,
    sink: terminals,
  });
  const parts: Window = { log, clock, sleep, store, windowId, onSecretChange, mementos, settings, instances, terminals, userCodes: new vscode.EventEmitter<UserCodeShown>(), lazy };
  return parts;
}
