/**
 * Turns the raw network settings (`common/networkSettings.ts`) into what the transport
 * obeys: the proxy rules as data, and which certificates are trusted (Node's bundled
 * roots, `NODE_EXTRA_CA_CERTS` and `iamIdentityCenter.caCertificates`).
 */
import { homedir } from 'node:os';
import { isAbsolute } from 'node:path';
import { IdentityCenterError } from '../common/errors';
import * as l10n from '@vscode/l10n';
import { NETWORK_ENV_NAMES, RawNetworkSettings } from '../common/networkSettings';
import { parseBypassList, ProxyConfig } from './proxy';

/** Certificate trust for TLS connections (to the service and to an https proxy). */
export interface TlsConfig {
  /**
   * Extra CA certificates (PEM text) trusted on top of Node's bundled roots, e.g. a
   * corporate CA that re-signs traffic. Empty or absent: Node's default trust.
   */
  extraCaCertificates?: readonly string[];
  /** False turns certificate verification off (`http.proxyStrictSSL: false`). Default true. */
  strictSSL?: boolean;
}

/** Everything the transport needs to know about the network, as plain data. */
export interface NetworkConfig {
  proxy?: ProxyConfig;
  tls?: TlsConfig;
}

/** A `NetworkConfig` and what the host should log about it (never a secret). */
export interface NetworkSetup {
  config: NetworkConfig;
  /** One line each, for the log at info level. */
  notes: string[];
  /** One line each, for the log at warning level. */
  warnings: string[];
}

/**
 * Turns raw settings into a `NetworkConfig`, reading the CA files with `readFile`.
 *
 * Trust follows `NODE_EXTRA_CA_CERTS` semantics, made explicit: Node reads that
 * variable only at process start (and not in every host), and any `ca` option
 * replaces its default store, so the file is read here and added, with the files of
 * `iamIdentityCenter.caCertificates`, to the bundled roots. An unreadable
 * `NODE_EXTRA_CA_CERTS` is a warning, as in Node; an unreadable or non-PEM file in
 * the setting is a `configuration` error naming the setting and the path.
 */
export function buildNetworkConfig(raw: RawNetworkSettings, readFile: (path: string) => string): NetworkSetup {
  const notes: string[] = [];
  const warnings: string[] = [];
  const env: Record<string, string> = {};
  for (const name of NETWORK_ENV_NAMES) {
    const value = raw.env[name];
    if (value !== undefined && value.trim() !== '') env[name] = value;
  }
  const proxy: ProxyConfig = { env };
  if (typeof raw.proxy === 'string' && raw.proxy.trim() !== '') proxy.proxy = raw.proxy.trim();
  const noProxy = stringList(raw.noProxy);
  if (noProxy.length > 0) proxy.noProxy = noProxy;
  if (typeof raw.proxyAuthorization === 'string' && raw.proxyAuthorization.trim() !== '') proxy.proxyAuthorization = raw.proxyAuthorization.trim();
  const ignored = [...parseBypassList(noProxy).ignored, ...parseBypassList(env.no_proxy ?? env.NO_PROXY ?? '').ignored];
  if (ignored.length > 0) warnings.push(`Ignoring no-proxy entries that are not a host, host:port, IP address or CIDR range: ${ignored.map((e) => JSON.stringify(e.slice(0, 100))).join(', ')}.`);

  const extraCaCertificates: string[] = [];
  const extraFile = env.NODE_EXTRA_CA_CERTS;
  if (extraFile !== undefined) {
    const read = readPemFile(extraFile.trim(), readFile);
    if ('problem' in read) warnings.push(`NODE_EXTRA_CA_CERTS: ${read.problem}; continuing without it.`);
    else extraCaCertificates.push(...read.certificates);
  }
  for (const path of stringList(raw.caCertificates)) {
    const read = readPemFile(path, readFile);
    if ('problem' in read) {
      throw new IdentityCenterError(
        'configuration',
        l10n.t('A file in the CA certificates setting is not usable: {0}. Give the full path of a PEM file (convert a DER .cer with "openssl x509 -inform der -in ca.cer -out ca.pem"), then retry.', read.problem),
        { cause: read.cause, setting: 'caCertificates' },
      );
    }
    extraCaCertificates.push(...read.certificates);
  }
  if (extraCaCertificates.length > 0) notes.push(`Trusting ${extraCaCertificates.length} extra CA certificate(s) besides the bundled roots.`);
  const strictSSL = raw.proxyStrictSSL !== false;
  if (!strictSSL) {
    warnings.push('http.proxyStrictSSL is false: TLS certificates are NOT verified on connections through a proxy, so anyone on that path can read the tokens. Trust your proxy\'s CA with iamIdentityCenter.caCertificates instead.');
  }
  return { config: { proxy, tls: { extraCaCertificates, strictSSL } }, notes, warnings };
}

function stringList(value: unknown): string[] {
  const items = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
  return items.filter((item): item is string => typeof item === 'string' && item.trim() !== '').map((item) => item.trim());
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----/g;

/** The PEM certificates in the file at `path` (`~/` expanded), or what is wrong with it. */
function readPemFile(path: string, readFile: (path: string) => string): { certificates: string[] } | { problem: string; cause?: unknown } {
  const expanded = path.startsWith('~/') || path === '~' ? `${homedir()}${path.slice(1)}` : path;
  const shown = JSON.stringify(path.slice(0, 300));
  if (!isAbsolute(expanded)) return { problem: l10n.t('{0} is not an absolute path', shown) };
  let text: string;
  try {
    text = readFile(expanded);
  } catch (error) {
    const code = typeof (error as { code?: unknown }).code === 'string' ? ` (${(error as { code: string }).code})` : '';
    return { problem: l10n.t('could not read {0}{1}', shown, code), cause: error };
  }
  const certificates = text.match(PEM_CERTIFICATE) ?? [];
  if (certificates.length === 0) return { problem: l10n.t('{0} holds no PEM certificate ("-----BEGIN CERTIFICATE-----")', shown) };
  return { certificates };
}
