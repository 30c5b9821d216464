/**
 * One request to a service (the OIDC API or the portal API), the way every request is
 * sent: relative to the endpoint (so a private deployment's path prefix is kept),
 * logged with its method, path, status and duration (never the query, headers or
 * body), and retried per a policy when no answer arrived or the status is 429 or 5xx.
 */
import { IdentityCenterError, SettingKey } from '../common/errors';
import { Clock, createTimerSleep, Logger, Sleep } from '../common/ports';
import { normalizeEndpoint } from '../common/url';
import type { HttpResponse, HttpTransport } from './port';
import { DEFAULT_RETRY_POLICY, httpRetryDecision, NO_RETRY, RetryPolicy, withRetry } from './retry';

/** What a service client is built from. */
export interface ServiceClientDeps {
  /** Base URL of the service, already validated (https, or http on loopback). */
  endpoint: string;
  /** The setting that chose `endpoint`: a failure to reach it names that setting. Absent: `endpoint`. */
  setting?: SettingKey;
  /** Returns the transport; called on first use so the HTTP stack loads lazily. */
  transport: () => HttpTransport;
  clock: Clock;
  logger: Logger;
  /**
   * How retried requests retry. Absent: `DEFAULT_RETRY_POLICY`, real timers and
   * `Math.random`. Tests give a fake `sleep` and a fixed `random`, or
   * `policy: NO_RETRY` to see a single failure as it is.
   */
  retry?: { policy?: RetryPolicy; sleep?: Sleep; random?: () => number };
}

/** One request. */
export interface ServiceRequest {
  method: 'GET' | 'POST';
  /** The path below the endpoint, e.g. `/v1/clients`. */
  path: string;
  /** Query parameters, URL-encoded here. */
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** A JSON body (POST). */
  body?: object;
  /** Whether a lost answer may be asked for again (see each client for why). */
  retried: boolean;
  /** A shorter limit for the whole exchange than the transport's, in ms. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Sends `request` to the service of `deps`; see the file's comment. */
export async function sendServiceRequest(deps: ServiceClientDeps, request: ServiceRequest): Promise<HttpResponse> {
  const url = new URL(request.path.replace(/^\/+/, ''), `${normalizeEndpoint(deps.endpoint)}/`);
  for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.set(name, value);
  const { clock, logger } = deps;
  const line = `${request.method} ${url.pathname}`;
  const policy = request.retried ? (deps.retry?.policy ?? DEFAULT_RETRY_POLICY) : NO_RETRY;
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  if (request.body !== undefined) headers['content-type'] = 'application/json;charset=UTF-8';
  const sendOnce = async (): Promise<HttpResponse> => {
    const startedAt = clock.now();
    try {
      const response = await deps.transport().send({
        method: request.method,
        url: url.toString(),
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: request.signal,
        timeoutMs: request.timeoutMs,
        setting: deps.setting,
      });
      logger.info(`${line} ${response.status} ${clock.now() - startedAt} ms`);
      return response;
    } catch (error) {
      const kind = error instanceof IdentityCenterError ? error.kind : 'network';
      logger.warn(`${line} failed (${kind}) after ${clock.now() - startedAt} ms`);
      throw error;
    }
  };
  return withRetry(sendOnce, (outcome) => httpRetryDecision(outcome, clock.now()), policy, {
    clock,
    sleep: deps.retry?.sleep ?? createTimerSleep(),
    random: deps.retry?.random ?? Math.random,
    signal: request.signal,
    onRetry: (event) =>
      logger.info(`${line}: ${event.reason}; attempt ${event.attempt + 1} of ${policy.maxAttempts} in ${event.delayMs} ms${event.retryAfter ? ' (Retry-After)' : ''}`),
  });
}
