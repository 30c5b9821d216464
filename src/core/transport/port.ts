/**
 * The small HTTP interface the core depends on. It is injected so tests and the
 * activation path never load the real HTTP stack; `undici.ts` beside it is
 * the real thing.
 */
import type { SettingKey } from '../common/errors';

/** One request. Bodies are JSON text; the core never sends anything else. */
export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Aborts the request; the transport rejects with kind `cancelled`. */
  signal?: AbortSignal;
  /** A shorter limit for the whole exchange than the transport's, in ms (a best-effort call). */
  timeoutMs?: number;
  /** The setting that chose `url`: a failure to reach it names that setting. Absent: `endpoint`. */
  setting?: SettingKey;
}

/** One response, its body read whole (and capped by the transport). */
export interface HttpResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends requests. Rejects only with an `IdentityCenterError` of kind `network`,
 * `timeout`, `protocol` (body too large) or `cancelled`; an HTTP error status is a
 * response, not a rejection.
 */
export interface HttpTransport {
  send(request: HttpRequest): Promise<HttpResponse>;
}

/** Limits that keep a hung or hostile server from hanging a command or eating memory. */
export interface TransportLimits {
  /** Milliseconds to open the connection (TCP and TLS). */
  connectTimeoutMs: number;
  /** Milliseconds from sending the request to the end of the response headers. */
  headersTimeoutMs: number;
  /** Milliseconds of silence allowed between body chunks. */
  bodyIdleTimeoutMs: number;
  /** Milliseconds for the whole exchange, so a server that trickles bytes still ends. */
  totalTimeoutMs: number;
  /** Largest body accepted, in bytes. */
  maxBodyBytes: number;
}

/** The limits used unless a caller asks for others. */
export const DEFAULT_TRANSPORT_LIMITS: TransportLimits = {
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 15_000,
  bodyIdleTimeoutMs: 10_000,
  totalTimeoutMs: 30_000,
  maxBodyBytes: 256 * 1024,
};
