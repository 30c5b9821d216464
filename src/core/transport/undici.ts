/**
 * The real `HttpTransport`, over undici. Bundled as its own file (`dist/transport.js`)
 * and loaded on first network use, so activation with a stored registration never
 * loads the HTTP stack.
 *
 * VS Code patches Node's `http`/`https` and global `fetch` for proxies, but not a
 * bundled undici, so this transport routes each request itself: `proxy.ts` decides
 * direct or which proxy from the settings and environment it is given as data, and a
 * dispatcher per route carries it. Through a proxy, https targets are tunnelled with
 * `CONNECT`; http targets (loopback only, and only with `<-loopback>`) are forwarded in
 * absolute form (`POST http://host/path`), undici's `proxyTunnel: false`. Every
 * dispatcher keeps the connect timeout, to the proxy as well as through it, and the
 * trust settings (extra CAs, `http.proxyStrictSSL`).
 */
import * as tls from 'node:tls';
import { Agent, Dispatcher, Pool, ProxyAgent, request } from 'undici';
import { cancelledError, IdentityCenterError, SettingKey } from '../common/errors';
import * as l10n from '@vscode/l10n';
import type { RawNetworkSettings } from '../common/networkSettings';
import { settingLabel } from '../common/settingLabels';
import { Logger, silentLogger } from '../common/ports';
import { buildNetworkConfig, NetworkConfig } from './networkConfig';
import { classifyNetworkError, proxyAuthenticationError, requestTarget, timedOut } from './networkErrors';
import { DEFAULT_TRANSPORT_LIMITS, HttpRequest, HttpResponse, HttpTransport, TransportLimits } from './port';
import { describeProxy, ProxyRoute, ProxyServer, resolveProxy } from './proxy';

/** How to build the transport. */
export interface UndiciTransportOptions {
  limits?: Partial<TransportLimits>;
  /** One dispatcher for every request, instead of those built from `network` (tests). */
  dispatcher?: Dispatcher;
  /** Proxy and trust settings, as plain data (see `proxy.ts`). Absent: direct, Node's default trust. */
  network?: NetworkConfig;
  /** Gets one line per route the first time it is used; never a credential. */
  logger?: Logger;
}

/** The transport, plus a way to release its connections when the settings change. */
export interface UndiciTransport extends HttpTransport {
  /** Closes every dispatcher once its in-flight requests end. */
  close(): Promise<void>;
}

/** Creates the undici-backed transport with connect, header, body and total timeouts, a body cap, proxies and trust. */
export function createUndiciTransport(options: UndiciTransportOptions = {}): UndiciTransport {
  const limits: TransportLimits = { ...DEFAULT_TRANSPORT_LIMITS, ...options.limits };
  const routes = new RouteTable(limits, options);
  return {
    send: (req) => send(req, limits, routes),
    close: () => routes.close(),
  };
}

/** One route's dispatcher, and the proxy it goes through (for error messages). */
interface Route {
  dispatcher: Dispatcher;
  proxy?: ProxyServer;
}

/** Picks, builds once and caches the dispatcher for each route. */
class RouteTable {
  private readonly logger: Logger;
  /** TLS for direct connections: always verified. */
  private readonly connectTls: tls.ConnectionOptions & { timeout: number };
  /** TLS through a proxy: `http.proxyStrictSSL: false` relaxes these only, as VS Code's own proxy support does. */
  private readonly proxiedTls: tls.ConnectionOptions & { timeout: number };
  private direct?: Dispatcher;
  private readonly proxies = new Map<string, Dispatcher>();
  private readonly logged = new Set<string>();

  constructor(
    private readonly limits: TransportLimits,
    private readonly options: UndiciTransportOptions,
  ) {
    this.logger = options.logger ?? silentLogger;
    const trust = options.network?.tls ?? {};
    const extra = trust.extraCaCertificates ?? [];
    this.connectTls = { timeout: limits.connectTimeoutMs };
    if (extra.length > 0) this.connectTls.ca = [...defaultRootCertificates(), ...extra];
    this.proxiedTls = trust.strictSSL === false ? { ...this.connectTls, rejectUnauthorized: false } : { ...this.connectTls };
  }

  routeFor(url: string): Route {
    if (this.options.dispatcher) return { dispatcher: this.options.dispatcher };
    const target = new URL(url);
    const route = resolveProxy(target, this.options.network?.proxy);
    this.logRoute(target, route);
    if (route.kind === 'direct') {
      this.direct ??= new Agent({ connect: { ...this.connectTls } });
      return { dispatcher: this.direct };
    }
    const key = `${route.proxy.origin}\n${route.proxy.authorization ?? ''}`;
    let dispatcher = this.proxies.get(key);
    if (!dispatcher) {
      dispatcher = this.proxyAgent(route.proxy);
      this.proxies.set(key, dispatcher);
    }
    return { dispatcher, proxy: route.proxy };
  }

  async close(): Promise<void> {
    const all = [this.direct, ...this.proxies.values()].filter((d): d is Dispatcher => d !== undefined);
    this.direct = undefined;
    this.proxies.clear();
    await Promise.all(all.map((d) => d.close().catch(() => undefined)));
  }

  private proxyAgent(proxy: ProxyServer): Dispatcher {
    const connectTimeoutMs = this.limits.connectTimeoutMs;
    return new ProxyAgent({
      uri: proxy.origin,
      token: proxy.authorization,
      // http targets: absolute-form forwarding; https targets are tunnelled regardless.
      proxyTunnel: false,
      // TLS to the target inside the tunnel, and to an https proxy: same trust and connect timeout.
      requestTls: { ...this.proxiedTls },
      proxyTls: { ...this.proxiedTls },
      // The proxy must answer CONNECT within the connect timeout, not undici's 300 s default.
      clientFactory: (origin: URL, opts: object) => new Pool(origin, { ...opts, headersTimeout: connectTimeoutMs }),
    });
  }

  private logRoute(target: URL, route: ProxyRoute): void {
    const text =
      route.kind === 'proxy'
        ? `Requests to ${target.host} go through the proxy ${describeProxy(route.proxy)}${route.proxy.authorization ? ', with credentials' : ''}.`
        : route.reason === 'unconfigured'
          ? undefined
          : `Requests to ${target.host} go direct (${route.reason === 'loopback' ? 'loopback address' : 'listed in the no-proxy settings'}).`;
    if (text === undefined || this.logged.has(text)) return;
    this.logged.add(text);
    this.logger.info(text);
  }
}

/**
 * Node's default roots, which any `ca` option replaces: `tls.getCACertificates('default')`
 * where Node has it (22.15+: bundled roots plus NODE_EXTRA_CA_CERTS, and the system
 * store under --use-system-ca), else the bundled Mozilla roots.
 */
function defaultRootCertificates(): string[] {
  const getCACertificates = (tls as { getCACertificates?: (type?: string) => string[] }).getCACertificates;
  if (typeof getCACertificates === 'function') {
    try {
      return [...getCACertificates('default')];
    } catch {
      // Fall back to the bundled roots below.
    }
  }
  return [...tls.rootCertificates];
}

async function send(req: HttpRequest, limits: TransportLimits, routes: RouteTable): Promise<HttpResponse> {
  if (req.signal?.aborted) throw cancelledError();
  const route = routes.routeFor(req.url);
  const target = requestTarget(req.url, req.setting);
  const total = new AbortController();
  const timer = setTimeout(() => total.abort(), Math.min(limits.totalTimeoutMs, req.timeoutMs ?? Infinity));
  const onCallerAbort = () => total.abort();
  req.signal?.addEventListener('abort', onCallerAbort, { once: true });
  try {
    const response = await request(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      dispatcher: route.dispatcher,
      signal: total.signal,
      headersTimeout: limits.headersTimeoutMs,
      bodyTimeout: limits.bodyIdleTimeoutMs,
    });
    if (route.proxy && response.statusCode === 407) {
      response.body.destroy();
      throw proxyAuthenticationError(route.proxy);
    }
    const body = await readCapped(response.body, limits.maxBodyBytes, target.setting);
    return { status: response.statusCode, headers: flattenHeaders(response.headers), body };
  } catch (error) {
    if (error instanceof IdentityCenterError) throw error;
    if (req.signal?.aborted) throw cancelledError();
    if (total.signal.aborted) throw timedOut(error, target, route.proxy);
    throw classifyNetworkError(error, route.proxy, target);
  } finally {
    clearTimeout(timer);
    req.signal?.removeEventListener('abort', onCallerAbort);
  }
}

async function readCapped(body: AsyncIterable<Buffer> & { destroy(error?: Error): unknown }, maxBytes: number, setting: SettingKey): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      throw new IdentityCenterError(
        'protocol',
        l10n.t(
          'IAM Identity Center sent a response larger than {0} KB, which is not what the service sends. Check the {1} setting and any proxy, then retry.',
          Math.round(maxBytes / 1024),
          settingLabel(setting),
        ),
        { setting },
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/**
 * The transport for raw network settings, as the extension builds it on its first
 * request: the proxy rules and CA files are read here, inside the lazily loaded
 * bundle, so activation carries none of it. Logs the setup's notes and warnings;
 * throws a `configuration` error for an unusable CA file.
 */
export function createTransportFromSettings(raw: RawNetworkSettings, readFile: (path: string) => string, logger: Logger): UndiciTransport {
  const setup = buildNetworkConfig(raw, readFile);
  for (const warning of setup.warnings) logger.warn(warning);
  for (const note of setup.notes) logger.info(note);
  return createUndiciTransport({ network: setup.config, logger });
}
