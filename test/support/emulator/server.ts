/**
 * The emulator's HTTP plumbing: it listens on 127.0.0.1 (http or https), reads and
 * records each request, applies queued faults, writes replies, and on close ends every
 * connection at once. What a request means is up to the `RequestHandler` it serves.
 */
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { patchBody, validateFault, type Fault, type FaultOptions, type PageFault } from './faults';

/** One request the emulator received on its API (control requests are not recorded). */
export interface RecordedRequest {
  method: string;
  /** The path without the query. */
  path: string;
  /** The query parameters, decoded; for a name given twice, the first value (the one the emulator acts on). */
  query: Record<string, string>;
  /** The query as sent, still encoded, with its leading `?`; empty when there is none. */
  search: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** Parsed JSON, the raw text when it is not JSON, or `undefined` when empty. */
  body: unknown;
  /** Emulator clock, milliseconds since the epoch. */
  receivedAt: number;
}

/** A response before it is written, so faults can delay, cut or trickle it. */
export interface Reply {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

/** One API request as a handler sees it. */
export interface ApiRequest {
  method: string;
  url: URL;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The body as text. */
  raw: string;
  /** Also sent back as `X-Request-Id`. */
  requestId: string;
  /** A queued fault that changes which items a list page holds, for the handler to carry out. */
  pageFault?: PageFault;
}

/** What the server asks of the emulator: its clock and its answers. */
export interface RequestHandler {
  /** The emulator clock, for the `Date` header and the request record. */
  now(): number;
  /** Answers a request to the API (recorded, and subject to faults). */
  api(request: ApiRequest): Reply;
  /** Answers a request under `/__control/` (neither recorded nor subject to faults). */
  control(method: string, url: URL, raw: string): Reply;
}

interface QueuedFault {
  fault: Fault;
  path?: string;
  query?: Record<string, string>;
  remaining: number;
}

const MAX_REQUEST_BYTES = 1024 * 1024;
/** The content type of every JSON answer. */
export const JSON_TYPE = 'application/json;charset=UTF-8';

/** A loopback HTTP(S) server that records requests and misbehaves on request. */
export class EmulatorServer {
  private handler?: RequestHandler;
  private recorded: RecordedRequest[] = [];
  private faults: QueuedFault[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closing?: Promise<void>;

  private constructor(
    private readonly server: http.Server | https.Server,
    /** Base URL, e.g. `http://127.0.0.1:PORT`. */
    readonly url: string,
  ) {
    server.on('connection', (socket: Socket) => this.track(socket));
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => void this.onRequest(req, res));
  }

  /** Listens on 127.0.0.1 (`port`, or a free one when 0), serving https when given a key and certificate. */
  static async listen(port: number, tls?: { key: string | Buffer; cert: string | Buffer }): Promise<EmulatorServer> {
    const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }) : http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address() as AddressInfo;
    return new EmulatorServer(server, `${tls ? 'https' : 'http'}://127.0.0.1:${address.port}`);
  }

  /** Starts answering with `handler`; until then every request gets a 503. */
  serve(handler: RequestHandler): void {
    this.handler = handler;
  }

  /** Stops listening and ends every connection at once, hung and trickling ones included. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const timer of this.timers) clearTimeout(timer);
      this.timers.clear();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
      for (const socket of this.sockets) socket.destroy();
    });
    return this.closing;
  }

  /** Requests received on the API, oldest first; only those to `path` when given. */
  requests(path?: string): RecordedRequest[] {
    return this.recorded.filter((r) => path === undefined || r.path === path).map((r) => structuredClone(r));
  }

  /** Forgets the recorded requests. */
  clearRequests(): void {
    this.recorded = [];
  }

  /** Queues a fault for the next matching API requests. */
  injectFault(fault: Fault, options: FaultOptions = {}): void {
    const times = options.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new TypeError('times must be a positive integer');
    if (options.path !== undefined && typeof options.path !== 'string') throw new TypeError('path must be a string');
    const { query } = options;
    if (query !== undefined && (typeof query !== 'object' || query === null || Array.isArray(query) || !Object.values(query).every((v) => typeof v === 'string'))) {
      throw new TypeError('query must map parameter names to strings');
    }
    this.faults.push({ fault: validateFault(fault), path: options.path, query: query && { ...query }, remaining: times });
  }

  /** Drops every queued fault. */
  clearFaults(): void {
    this.faults = [];
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  private later(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
  }

  private now(): number {
    return this.handler?.now() ?? Date.now();
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', this.url);
    let raw: string;
    try {
      raw = await readBody(req);
    } catch {
      this.send(res, requestId, huawei(413, 'IIC.413', 'The request body is too large.', requestId));
      return;
    }
    const handler = this.handler;
    if (!handler) {
      this.send(res, requestId, huawei(503, 'IIC.503', 'The emulator is starting.', requestId));
      return;
    }
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith('/__control/')) {
      this.send(res, requestId, handler.control(method, url, raw));
      return;
    }
    const headers = flattenHeaders(req.headers);
    this.recorded.push({ method, path: url.pathname, query: firstValues(url.searchParams), search: url.search, headers, body: parseLoosely(raw), receivedAt: this.now() });
    const handle = (pageFault?: PageFault): Reply => handler.api({ method, url, headers: { ...headers }, raw, requestId, pageFault });
    const fault = this.takeFault(url);
    if (fault) this.applyFault(fault, req, res, requestId, handle);
    else this.send(res, requestId, handle());
  }

  private send(res: http.ServerResponse, requestId: string, reply: Reply): void {
    if (gone(res) || res.headersSent) return;
    const body = Buffer.from(reply.body, 'utf8');
    this.writeHead(res, requestId, reply, body.length);
    res.end(body);
  }

  private writeHead(res: http.ServerResponse, requestId: string, reply: Reply, contentLength?: number): void {
    res.setHeader('Date', new Date(this.now()).toUTCString());
    res.setHeader('X-Request-Id', requestId);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Type', reply.contentType);
    if (contentLength !== undefined) res.setHeader('Content-Length', contentLength);
    for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
    res.writeHead(reply.status);
  }

  private takeFault(url: URL): Fault | undefined {
    const hits = (f: QueuedFault) =>
      (f.path === undefined || f.path === url.pathname) && Object.entries(f.query ?? {}).every(([name, value]) => url.searchParams.get(name) === value);
    const index = this.faults.findIndex(hits);
    if (index < 0) return undefined;
    const queued = this.faults[index];
    queued.remaining -= 1;
    if (queued.remaining <= 0) this.faults.splice(index, 1);
    return queued.fault;
  }

  private applyFault(fault: Fault, req: http.IncomingMessage, res: http.ServerResponse, requestId: string, handle: (pageFault?: PageFault) => Reply): void {
    switch (fault.type) {
      case 'status': {
        const body =
          fault.body === undefined
            ? JSON.stringify({ error_code: `IIC.${fault.status}`, error_msg: 'Injected fault.', request_id: requestId })
            : typeof fault.body === 'string'
              ? fault.body
              : JSON.stringify(fault.body);
        this.send(res, requestId, { status: fault.status, contentType: fault.contentType ?? JSON_TYPE, body, headers: fault.headers });
        return;
      }
      case 'body':
        this.send(res, requestId, { status: fault.status ?? 200, contentType: fault.contentType, body: fault.body });
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'resetMidBody': {
        const reply = handle();
        const body = Buffer.from(reply.body, 'utf8');
        this.writeHead(res, requestId, reply, body.length);
        res.write(body.subarray(0, Math.max(1, Math.floor(body.length / 2))), () => req.socket.destroy());
        return;
      }
      case 'hang':
        return;
      case 'delay':
        this.later(fault.ms, () => {
          if (!gone(res)) this.send(res, requestId, handle());
        });
        return;
      case 'trickle':
        this.trickle(res, requestId, handle(), fault.bytesPerTick, fault.tickMs);
        return;
      case 'oversized':
        void this.sendOversized(res, requestId, fault.bytes, fault.chunked ?? false);
        return;
      case 'repeatMarker':
      case 'pageSize':
        this.send(res, requestId, handle(fault));
        return;
      case 'patch': {
        const reply = handle();
        this.send(res, requestId, { ...reply, body: patchBody(reply.body, fault) });
        return;
      }
    }
  }

  private trickle(res: http.ServerResponse, requestId: string, reply: Reply, bytesPerTick: number, tickMs: number): void {
    const body = Buffer.from(reply.body, 'utf8');
    this.writeHead(res, requestId, reply, body.length);
    let offset = 0;
    const tick = (): void => {
      if (gone(res)) return;
      const chunk = body.subarray(offset, offset + bytesPerTick);
      offset += chunk.length;
      if (offset >= body.length) res.end(chunk);
      else {
        res.write(chunk);
        this.later(tickMs, tick);
      }
    };
    this.later(tickMs, tick);
  }

  private async sendOversized(res: http.ServerResponse, requestId: string, bytes: number, chunked: boolean): Promise<void> {
    const head = '{"padding":"';
    const tail = '"}';
    const padding = Math.max(0, bytes - head.length - tail.length);
    this.writeHead(res, requestId, { status: 200, contentType: JSON_TYPE, body: '' }, chunked ? undefined : head.length + padding + tail.length);
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const write = (data: string | Buffer): Promise<boolean> =>
      new Promise((resolve) => {
        if (res.destroyed) return resolve(false);
        if (res.write(data)) return resolve(true);
        const done = (): void => {
          res.off('drain', done);
          res.off('close', done);
          resolve(!res.destroyed);
        };
        res.once('drain', done);
        res.once('close', done);
      });
    if (!(await write(head))) return;
    for (let left = padding; left > 0; left -= chunk.length) {
      if (!(await write(left >= chunk.length ? chunk : chunk.subarray(0, left)))) return;
    }
    if (!res.destroyed) res.end(tail);
  }
}

/** A JSON answer. */
export function json(status: number, value: unknown): Reply {
  return { status, contentType: JSON_TYPE, body: JSON.stringify(value) };
}

/** An error in the Huawei envelope; `requestId` is also the `X-Request-Id` header. */
export function huawei(status: number, code: string, message: string, requestId: string): Reply {
  return json(status, { error_code: code, error_msg: message, request_id: requestId });
}

/** Parsed JSON, the raw text when it is not JSON, or `undefined` when empty. */
export function parseLoosely(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/** The body as a JSON object, or undefined when it is anything else. */
export function parseObject(raw: string): Record<string, unknown> | undefined {
  const value = parseLoosely(raw);
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** True when the client went away, so there is no one left to answer. */
function gone(res: http.ServerResponse): boolean {
  return res.destroyed || res.socket?.destroyed === true;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        reject(new Error('request body too large'));
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function firstValues(params: URLSearchParams): Record<string, string> {
  const names = new Set<string>();
  const first = [...params].filter(([name]) => !names.has(name) && Boolean(names.add(name)));
  return Object.fromEntries(first);
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
