/**
 * The lazy half of each profile's runtime: its clients and managers
 * (`core/instance/parts.ts`), made on first use and kept per runtime; and the transport,
 * rebuilt when the network settings change.
 */
import { readFileSync } from 'fs';
import { instanceParts, type InstanceParts } from '../../core/instance/parts';
import type { InstanceRuntime } from '../../core/instance/runtime';
import type { HttpTransport } from '../../core/transport/port';
import { createTransportFromSettings, type UndiciTransport } from '../../core/transport/undici';
import type { Host } from '../lazy';

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
  const { sleep, windowId: owner, onSecretChange } = host();
  return instanceParts(runtime, { transport, sleep, lease: { owner, onDidChange: onSecretChange } });
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
