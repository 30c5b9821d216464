/**
 * The lazily loaded half of the extension, `dist/transport.js` (built from
 * `src/core/transport/bundle.ts`): the HTTP stack, the OIDC client and the sign-in.
 * Activation with a stored registration never loads it; the first request does.
 *
 * It also reads what decides how requests reach the service: VS Code's `http.proxy`,
 * `http.noProxy`, `http.proxyStrictSSL` and `http.proxyAuthorization`, the proxy and CA
 * variables of the environment, and `iamIdentityCenter.caCertificates`. The core gets
 * them as plain data, because VS Code's own proxy support does not reach the bundled
 * undici.
 */
import { readFileSync } from 'fs';
import * as vscode from 'vscode';
import type { Logger } from '../core/common/ports';
import { NETWORK_ENV_NAMES, type RawNetworkSettings } from '../core/common/networkSettings';
import type { HttpTransport } from '../core/transport/port';
import type { UndiciTransport } from '../core/transport/undici';
import { SECTION } from './settings';

/** What `dist/transport.js` exports. */
export type TransportBundle = typeof import('../core/transport/bundle');

/** The setting that lists extra CA certificate files (PEM) to trust. */
export const CA_CERTIFICATES_SETTING = 'caCertificates';

let loaded: TransportBundle | undefined;

/**
 * Loads `dist/transport.js` on first use, handing it the display language's translations
 * for its messages; a start with a stored registration never calls this.
 */
export function loadTransportBundle(): TransportBundle {
  if (!loaded) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require('./transport.js') as TransportBundle;
    if (vscode.l10n.bundle) loaded.configureLocalization({ contents: vscode.l10n.bundle });
  }
  return loaded;
}

/**
 * The transport, built on first use from the proxy and trust settings. When those
 * change, the next request gets a new transport and the old one closes after its
 * requests end, so a new `http.proxy` or CA file takes effect without reloading.
 */
export function lazyTransport(logger: Logger, readRaw: () => RawNetworkSettings = () => readRawNetworkSettings()): () => HttpTransport {
  let current: { key: string; transport: UndiciTransport } | undefined;
  return () => {
    const raw = readRaw();
    const key = networkSettingsKey(raw);
    if (current?.key === key) return current.transport;
    const { createTransportFromSettings } = loadTransportBundle();
    const previous = current?.transport;
    current = { key, transport: createTransportFromSettings(raw, (file) => readFileSync(file, 'utf8'), logger) };
    void previous?.close();
    return current.transport;
  };
}

/**
 * The raw settings and environment, cheap to read on every request. Compare
 * `networkSettingsKey` of two reads to know whether the transport must be rebuilt.
 */
export function readRawNetworkSettings(env: NodeJS.ProcessEnv = process.env): RawNetworkSettings {
  const http = vscode.workspace.getConfiguration('http');
  const ours = vscode.workspace.getConfiguration(SECTION);
  const picked: Record<string, string | undefined> = {};
  for (const name of NETWORK_ENV_NAMES) picked[name] = env[name];
  return {
    proxy: http.get<unknown>('proxy'),
    noProxy: http.get<unknown>('noProxy'),
    proxyStrictSSL: http.get<unknown>('proxyStrictSSL'),
    proxyAuthorization: http.get<unknown>('proxyAuthorization'),
    caCertificates: ours.get<unknown>(CA_CERTIFICATES_SETTING),
    env: picked,
  };
}

/**
 * A string that changes when any network setting does. It holds
 * `http.proxyAuthorization` and proxy passwords, so it is kept in memory for
 * comparison only: never log it.
 */
export function networkSettingsKey(raw: RawNetworkSettings): string {
  return JSON.stringify(raw);
}
