/**
 * A real HTTP proxy on a loopback port, for tests: it tunnels `CONNECT` (https
 * targets) and forwards absolute-form requests (`POST http://host/path`, http
 * targets), can demand Basic credentials (407 otherwise), and logs everything that
 * passed through, so a test can prove its traffic went through the proxy.
 * It only ever connects to loopback targets: anything else gets 403, unless it is one
 * of the made-up host names it was told to resolve itself, to a loopback address.
 */
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';

/** One request the proxy handled. */
export interface ProxyLogEntry {
  /** `CONNECT` for a tunnel, else the forwarded request's method. */
  method: string;
  /** `host:port` for a tunnel, the absolute URL for a forwarded request. */
  target: string;
  /** The status the proxy answered with (200 for an established tunnel). */
  status: number;
  /** The `Proxy-Authorization` header received, if any (test credentials only). */
  proxyAuthorization?: string;
}

/** Options of `TestProxy.start`. */
export interface TestProxyOptions {
  /** Demand these Basic credentials; a request without them gets 407. */
  auth?: { username: string; password: string };
  /** Accept `CONNECT` but never answer it (a proxy that hangs). */
  hangConnect?: boolean;
  /**
   * Host names it resolves itself, each to a loopback `host:port`: a tunnel to `name:<any
   * port>` goes there. So a made-up https host (`oidc.cn-north-4.example.com`) reaches
   * the emulator without any name being looked up.
   */
  names?: Readonly<Record<string, string>>;
}

/** The proxy. `url` is `http://127.0.0.1:PORT`. */
export class TestProxy {
  private readonly entries: ProxyLogEntry[] = [];
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    private readonly options: TestProxyOptions,
  ) {}

  /** Starts a proxy on a free loopback port. */
  static async start(options: TestProxyOptions = {}): Promise<TestProxy> {
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const proxy = new TestProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, options);
    server.on('connection', (socket: net.Socket) => proxy.track(socket));
    server.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => proxy.onConnect(req, socket, head));
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => proxy.onRequest(req, res));
    return proxy;
  }

  /** Everything that went through, oldest first. */
  log(): ProxyLogEntry[] {
    return this.entries.map((entry) => ({ ...entry }));
  }

  /** Forgets the log. */
  clearLog(): void {
    this.entries.length = 0;
  }

  /** Stops listening and cuts every connection and tunnel. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  private authorized(req: http.IncomingMessage): boolean {
    const { auth } = this.options;
    if (!auth) return true;
    const expected = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
    return req.headers['proxy-authorization'] === expected;
  }

  private record(req: http.IncomingMessage, target: string, status: number): void {
    const entry: ProxyLogEntry = { method: req.method ?? '', target, status };
    if (req.headers['proxy-authorization'] !== undefined) entry.proxyAuthorization = req.headers['proxy-authorization'];
    this.entries.push(entry);
  }

  /** `target` (`host:port`) with a host of `names` replaced by its loopback address. */
  private resolve(target: string): string {
    const names = this.options.names ?? {};
    const host = target.replace(/:\d+$/, '').toLowerCase();
    return Object.hasOwn(names, host) ? names[host] : target;
  }

  private onConnect(req: http.IncomingMessage, client: net.Socket, head: Buffer): void {
    this.track(client);
    const target = req.url ?? '';
    const refuse = (status: number, reason: string, extra = ''): void => {
      this.record(req, target, status);
      client.end(`HTTP/1.1 ${status} ${reason}\r\n${extra}Content-Length: 0\r\nConnection: close\r\n\r\n`);
    };
    if (!this.authorized(req)) return refuse(407, 'Proxy Authentication Required', 'Proxy-Authenticate: Basic realm="test proxy"\r\n');
    const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(this.resolve(target));
    if (!match || !isLoopback(match[1])) return refuse(403, 'Forbidden');
    if (this.options.hangConnect) {
      this.record(req, target, 0);
      return;
    }
    const upstream = net.connect(Number(match[2]), match[1].replace(/^\[|\]$/g, ''));
    this.track(upstream);
    upstream.once('connect', () => {
      this.record(req, target, 200);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.once('error', () => {
      if (!client.writable) return;
      refuse(502, 'Bad Gateway');
    });
    client.once('error', () => upstream.destroy());
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const target = req.url ?? '';
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      this.record(req, target, 400);
      res.writeHead(400).end('This is a proxy: send absolute-form requests.');
      return;
    }
    if (!this.authorized(req)) {
      this.record(req, target, 407);
      res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="test proxy"', 'Content-Type': 'text/html' }).end('<html>Proxy authentication required</html>');
      return;
    }
    if (url.protocol !== 'http:' || !isLoopback(url.hostname)) {
      this.record(req, target, 403);
      res.writeHead(403).end();
      return;
    }
    const headers = { ...req.headers };
    for (const hop of ['proxy-authorization', 'proxy-connection', 'connection', 'keep-alive']) delete headers[hop];
    const upstream = http.request({ host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port || 80, method: req.method, path: `${url.pathname}${url.search}`, headers }, (answer) => {
      this.record(req, target, answer.statusCode ?? 0);
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      answer.once('error', () => res.destroy());
    });
    upstream.once('error', () => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      this.record(req, target, 502);
      res.writeHead(502, { 'Content-Type': 'text/html' }).end('<html>Bad gateway</html>');
    });
    req.pipe(upstream);
  }
}

function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}
