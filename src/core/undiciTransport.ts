/**
 * The real `HttpTransport`, over undici. Bundled as its own file (`dist/transport.js`)
 * and loaded on first network use, so activation with a stored registration never
 * loads the HTTP stack.
 */
import { Agent, Dispatcher, request } from 'undici';
import { IdentityCenterError } from './errors';
import { DEFAULT_TRANSPORT_LIMITS, HttpRequest, HttpResponse, HttpTransport, TransportLimits } from './http';

/** How to build the transport. */
export interface UndiciTransportOptions {
  limits?: Partial<TransportLimits>;
  /** A dispatcher to use instead of a fresh `Agent` (tests, proxies). */
  dispatcher?: Dispatcher;
}

const TLS_ERROR_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Creates the undici-backed transport with connect, header, body and total timeouts and a body cap. */
export function createUndiciTransport(options: UndiciTransportOptions = {}): HttpTransport {
  const limits: TransportLimits = { ...DEFAULT_TRANSPORT_LIMITS, ...options.limits };
  const dispatcher = options.dispatcher ?? new Agent({ connect: { timeout: limits.connectTimeoutMs } });
  return { send: (req) => send(req, limits, dispatcher) };
}

async function send(req: HttpRequest, limits: TransportLimits, dispatcher: Dispatcher): Promise<HttpResponse> {
  if (req.signal?.aborted) throw cancelled();
  const total = new AbortController();
  const timer = setTimeout(() => total.abort(), limits.totalTimeoutMs);
  const onCallerAbort = () => total.abort();
  req.signal?.addEventListener('abort', onCallerAbort, { once: true });
  try {
    const response = await request(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      dispatcher,
      signal: total.signal,
      headersTimeout: limits.headersTimeoutMs,
      bodyTimeout: limits.bodyIdleTimeoutMs,
    });
    const body = await readCapped(response.body, limits.maxBodyBytes);
    return { status: response.statusCode, headers: flattenHeaders(response.headers), body };
  } catch (error) {
    if (error instanceof IdentityCenterError) throw error;
    if (req.signal?.aborted) throw cancelled();
    if (total.signal.aborted) throw timedOut(error);
    throw classifyNetworkError(error);
  } finally {
    clearTimeout(timer);
    req.signal?.removeEventListener('abort', onCallerAbort);
  }
}

async function readCapped(body: AsyncIterable<Buffer> & { destroy(error?: Error): unknown }, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      throw new IdentityCenterError(
        'protocol',
        `IAM Identity Center sent a response larger than ${Math.round(maxBytes / 1024)} KB, which is not what the service sends. Check iamIdentityCenter.endpoint and any proxy, then retry.`,
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

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function classifyNetworkError(error: unknown): IdentityCenterError {
  const code = errorCode(error);
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return timedOut(error);
  }
  if (code && TLS_ERROR_CODES.has(code)) {
    return new IdentityCenterError(
      'network',
      `The TLS certificate of IAM Identity Center could not be verified (${code}). If a corporate proxy inspects TLS, add its CA certificate to the system trust store or NODE_EXTRA_CA_CERTS, then retry.`,
      { cause: error, code },
    );
  }
  const reason = code ? ` (${code})` : '';
  return new IdentityCenterError(
    'network',
    `Could not reach IAM Identity Center${reason}. Check your network connection and iamIdentityCenter.endpoint, then retry.`,
    { cause: error, code },
  );
}

function timedOut(cause: unknown): IdentityCenterError {
  return new IdentityCenterError(
    'timeout',
    'IAM Identity Center did not answer in time. Check your network connection and iamIdentityCenter.endpoint, then retry.',
    { cause },
  );
}

function cancelled(): IdentityCenterError {
  return new IdentityCenterError('cancelled', 'The request was cancelled.');
}
