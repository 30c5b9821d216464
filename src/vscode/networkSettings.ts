/**
 * Reads what decides how requests reach the service: VS Code's `http.proxy`,
 * `http.noProxy`, `http.proxyStrictSSL` and `http.proxyAuthorization`, the proxy and
 * CA variables of the environment, and `iamIdentityCenter.caCertificates`. The core
 * gets them as plain data (`core/proxy.ts` decides, the transport obeys), because
 * VS Code's own proxy support does not reach the bundled undici.
 */
import * as vscode from 'vscode';
import { NETWORK_ENV_NAMES, type RawNetworkSettings } from '../core/proxy';
import { SECTION } from './settings';

/** The setting that lists extra CA certificate files (PEM) to trust. */
export const CA_CERTIFICATES_SETTING = 'caCertificates';

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
