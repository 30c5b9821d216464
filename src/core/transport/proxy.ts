/**
 * How a request reaches the service: which proxy (if any) carries it, and which
 * certificates are trusted. Decisions over plain data (files are read through an
 * injected function), so the VS Code adapter
 * (`src/vscode/transportBundle.ts`) reads the settings and the environment, and the
 * transport (`undici.ts`) asks here for each request URL. Trust and the raw settings
 * are turned into this data by `networkConfig.ts`.
 *
 * Proxy choice, in order:
 *   1. `http.proxy` (VS Code setting) when set: used for every target, except those
 *      `http.noProxy` lists. `NO_PROXY` does not apply to it: the setting wins over
 *      the environment as a whole.
 *   2. Otherwise the environment, lower-case name first (as curl and undici read it):
 *      `https_proxy`/`HTTPS_PROXY` for https targets, falling back to
 *      `http_proxy`/`HTTP_PROXY` (as VS Code and undici do); `http_proxy`/`HTTP_PROXY`
 *      for http targets. Targets listed in `NO_PROXY` or `http.noProxy` go direct.
 *      (`ALL_PROXY` and SOCKS proxies are not supported.)
 *
 * Bypass lists (`http.noProxy` entries, `NO_PROXY` split on commas or spaces):
 * `*` (everything), `host` or `.host` or `*.host` (that domain and its subdomains, as
 * curl treats them), `host:port`, an IP address, an IP range in CIDR form
 * (`10.0.0.0/8`), and `<-loopback>`.
 *
 * Loopback targets (`localhost`, `127.0.0.0/8`, `::1`) never go through a proxy:
 * a remote proxy would reach its own loopback, not ours. Chromium has the same
 * implicit rule and the same way out: the bypass entry `<-loopback>` removes it, so a
 * local debugging proxy (and the tests' loopback proxy) can carry loopback traffic.
 */
import { BlockList, isIP } from 'node:net';
import { IdentityCenterError } from '../common/errors';
import * as l10n from '@vscode/l10n';
import { isLoopbackHost } from '../common/url';

/** Where the proxy in use was configured: named in messages so the user knows what to fix. */
export type ProxySource = 'http.proxy' | 'https_proxy' | 'HTTPS_PROXY' | 'http_proxy' | 'HTTP_PROXY';

/** The proxy settings as plain data: VS Code's `http.*` settings and the process environment. */
export interface ProxyConfig {
  /** `http.proxy`; empty or absent means "look at the environment". */
  proxy?: string;
  /** `http.noProxy`: targets that never use a proxy. */
  noProxy?: readonly string[];
  /** `http.proxyAuthorization`: a whole `Proxy-Authorization` value; overrides credentials in the proxy URL. */
  proxyAuthorization?: string;
  /** The environment (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`, either case). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** A proxy, ready to use. */
export interface ProxyServer {
  /** `http://host:port` without credentials: safe to log and show. */
  origin: string;
  /** The `Proxy-Authorization` value (`Basic …` from URL credentials). Never log it. */
  authorization?: string;
  /** Where it was configured. */
  source: ProxySource;
}

/** How one request travels: straight to the target, or through a proxy. */
export type ProxyRoute =
  | { kind: 'direct'; reason: 'unconfigured' | 'bypassed' | 'loopback' }
  | { kind: 'proxy'; proxy: ProxyServer };

/** A parsed bypass list. */
export interface BypassList {
  /** `*`: nothing uses the proxy. */
  all: boolean;
  /** `<-loopback>`: loopback targets may use the proxy. */
  proxyLoopback: boolean;
  /** Host rules: exact host or domain suffix, with an optional port. */
  hosts: { host: string; port?: number }[];
  /** IP addresses and CIDR ranges (`10.0.0.0/8`, `::1`). */
  ranges: string[];
  /** Entries that could not be understood (`buildNetworkConfig` warns about them). */
  ignored: string[];
}

/** Decides the route of a request to `target` (an absolute http or https URL). */
export function resolveProxy(target: URL | string, config: ProxyConfig = {}): ProxyRoute {
  const url = typeof target === 'string' ? new URL(target) : target;
  const settingBypass = parseBypassList(config.noProxy ?? []);
  const setting = config.proxy?.trim();
  let proxy: ProxyServer | undefined;
  let bypass: BypassList;
  if (setting) {
    proxy = parseProxyUrl(setting, 'http.proxy');
    bypass = settingBypass;
  } else {
    const env = config.env ?? {};
    const names: ProxySource[] = url.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'] : ['http_proxy', 'HTTP_PROXY'];
    const source = names.find((name) => nonEmpty(env[name]));
    if (!source) return { kind: 'direct', reason: 'unconfigured' };
    proxy = parseProxyUrl(env[source] as string, source);
    bypass = mergeBypassLists(settingBypass, parseBypassList(nonEmpty(env.no_proxy) ?? nonEmpty(env.NO_PROXY) ?? ''));
  }
  const host = hostOf(url);
  if (isLoopbackHost(host) && !bypass.proxyLoopback) return { kind: 'direct', reason: 'loopback' };
  if (isBypassed(url, bypass)) return { kind: 'direct', reason: 'bypassed' };
  const authorization = nonEmpty(config.proxyAuthorization) ?? proxy.authorization;
  return { kind: 'proxy', proxy: { ...proxy, authorization } };
}

/**
 * Parses a proxy URL: `http://` or `https://` (a bare `host:port` means `http://`),
 * with optional `user:password@`, which become a Basic `Proxy-Authorization` value.
 * Throws a `configuration` error that names `source` and never quotes the URL,
 * since it may hold a password.
 */
export function parseProxyUrl(text: string, source: ProxySource): ProxyServer {
  const trimmed = text.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw proxyConfigError(source, l10n.t('is not a valid URL'));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw proxyConfigError(source, l10n.t('uses {0} proxies, which are not supported: use an http:// or https:// proxy', url.protocol.slice(0, 12)));
  }
  if (!url.hostname) throw proxyConfigError(source, l10n.t('has no host'));
  let authorization: string | undefined;
  if (url.username || url.password) {
    try {
      const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
      authorization = `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
    } catch {
      throw proxyConfigError(source, l10n.t('has credentials that are not correctly percent-encoded'));
    }
  }
  return { origin: `${url.protocol}//${url.host}`, authorization, source };
}

/** Parses `http.noProxy` entries or a `NO_PROXY` value (comma- or space-separated). */
export function parseBypassList(entries: string | readonly string[]): BypassList {
  const list: BypassList = { all: false, proxyLoopback: false, hosts: [], ranges: [], ignored: [] };
  const items = (typeof entries === 'string' ? [entries] : entries).flatMap((entry) => entry.split(/[\s,]+/));
  for (const raw of items) {
    let entry = raw.trim().toLowerCase().replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
    if (!entry) continue;
    if (entry === '<-loopback>') {
      list.proxyLoopback = true;
      continue;
    }
    if (entry === '*') {
      list.all = true;
      continue;
    }
    entry = entry.replace(/\/+$/, '').replace(/\.$/, '');
    if (entry.includes('/') || isIP(entry.replace(/^\[(.*)\]$/, '$1')) !== 0) {
      if (addRange(new BlockList(), entry)) list.ranges.push(entry);
      else list.ignored.push(raw.trim());
      continue;
    }
    const parsed = splitHostPort(entry);
    if (!parsed) {
      list.ignored.push(raw.trim());
      continue;
    }
    const host = parsed.host.replace(/^\*?\.+/, '');
    if (!host) {
      list.ignored.push(raw.trim());
      continue;
    }
    list.hosts.push(parsed.port === undefined ? { host } : { host, port: parsed.port });
  }
  return list;
}

/** True when `target` is on the bypass list (loopback is decided separately by `resolveProxy`). */
export function isBypassed(target: URL, list: BypassList): boolean {
  if (list.all) return true;
  const host = hostOf(target);
  const port = target.port ? Number(target.port) : target.protocol === 'https:' ? 443 : 80;
  const family = isIP(host);
  if (family !== 0 && list.ranges.length > 0) {
    const addresses = new BlockList();
    for (const range of list.ranges) addRange(addresses, range);
    if (addresses.check(host, family === 6 ? 'ipv6' : 'ipv4')) return true;
  }
  return list.hosts.some((rule) => {
    if (rule.port !== undefined && rule.port !== port) return false;
    if (host === rule.host) return true;
    return family === 0 && isIP(rule.host) === 0 && host.endsWith(`.${rule.host}`);
  });
}

/** `http://host:port (from http.proxy)`: how messages and logs name a proxy, never with credentials. */
export function describeProxy(proxy: ProxyServer): string {
  return `${proxy.origin} (from ${proxy.source})`;
}

/** The target's host name in lower case, without IPv6 brackets or a trailing dot. */
function hostOf(url: URL): string {
  return url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

function mergeBypassLists(a: BypassList, b: BypassList): BypassList {
  return {
    all: a.all || b.all,
    proxyLoopback: a.proxyLoopback || b.proxyLoopback,
    hosts: [...a.hosts, ...b.hosts],
    ranges: [...a.ranges, ...b.ranges],
    ignored: [...a.ignored, ...b.ignored],
  };
}

/** Adds an address or `address/prefix` to `list`; false when it is neither. */
function addRange(list: BlockList, entry: string): boolean {
  const [address, prefixText, extra] = entry.replace(/^\[(.*)\](\/\d+)?$/, '$1$2').split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  const type = family === 6 ? 'ipv6' : 'ipv4';
  if (prefixText === undefined) {
    list.addAddress(address, type);
    return true;
  }
  const prefix = Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText) || prefix > (family === 6 ? 128 : 32)) return false;
  list.addSubnet(address, prefix, type);
  return true;
}

/** Splits `host`, `host:port`, `[v6]`, `[v6]:port` or a bare IPv6 address. */
function splitHostPort(entry: string): { host: string; port?: number } | undefined {
  const bracketed = /^\[([0-9a-f:.]+)\](?::(\d{1,5}))?$/.exec(entry);
  if (bracketed) return withPort(bracketed[1], bracketed[2]);
  if (isIP(entry) === 6) return { host: entry };
  const plain = /^([a-z0-9*._-]+)(?::(\d{1,5}))?$/.exec(entry);
  return plain ? withPort(plain[1], plain[2]) : undefined;
}

function withPort(host: string, portText: string | undefined): { host: string; port?: number } | undefined {
  if (portText === undefined) return { host };
  const port = Number(portText);
  return port >= 1 && port <= 65535 ? { host, port } : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
}

function proxyConfigError(source: ProxySource, problem: string): IdentityCenterError {
  const message =
    source === 'http.proxy'
      ? l10n.t('The http.proxy setting {0}. Fix it (for example http://proxy.example.com:8080), then retry.', problem)
      : l10n.t('The {0} environment variable {1}. Fix it (for example http://proxy.example.com:8080), then retry.', source, problem);
  return new IdentityCenterError('configuration', message);
}
