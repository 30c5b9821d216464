/**
 * The one classifier of a failed HTTP answer, whatever the service: the class of its
 * status (429 throttling, 500 to 599 an outage, any other the service's final answer),
 * what may pass if tried again, and what every service client reads from the answer and
 * maps alike (a web page or non-JSON body that a proxy sent, throttling, an outage).
 * The retries, `isTransientFailure` and the OIDC and portal error mappers all decide
 * here, so they cannot disagree; each client keeps only its own answers (a rejected
 * client, a sign-in to renew, a wrong endpoint).
 */
import * as l10n from '@vscode/l10n';
import { FailureDetails, IdentityCenterError, isCertificateErrorCode, isIdentityCenterError, SettingKey } from '../common/errors';
import { settingLabel } from '../common/settingLabels';
import type { HttpResponse } from './port';
import { looksLikeHtml, safeJson, serviceErrorCode, serviceText } from './responseBody';

/**
 * What a failed status says: `throttled` (429) and `outage` (500 to 599) may pass if
 * tried again later; `final` (any other status, 408 included) is the service's answer.
 */
export type HttpFailureClass = 'throttled' | 'outage' | 'final';

/** The class of `status`: see `HttpFailureClass`. */
export function httpFailureClass(status: number): HttpFailureClass {
  if (status === 429) return 'throttled';
  return status >= 500 && status <= 599 ? 'outage' : 'final';
}

/**
 * True for a failure that may pass if tried again later: no answer arrived (`network`,
 * `timeout`, but not a certificate problem, which only a setting fixes), or the service
 * answered with a status that is not `final`. Every other answer, `invalid_grant`
 * included, is final.
 */
export function isTransientFailure(error: unknown): error is IdentityCenterError {
  if (isIdentityCenterError(error, 'network', 'timeout')) return !isCertificateErrorCode(error.code);
  return isIdentityCenterError(error, 'service') && error.status !== undefined && httpFailureClass(error.status) !== 'final';
}

/**
 * Reads `Retry-After` (RFC 9110 §10.2.3): delay-seconds, or an HTTP date. A date is
 * measured against the response's own `Date` header when there is one, so a wrong
 * local clock does not stretch or cut the wait; otherwise against `nowMs` (NaN when the
 * caller has no clock: then a date without a `Date` header is unreadable). Returns
 * milliseconds (0 for a date in the past), or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number, responseDate?: string): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d{1,9}$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  const reference = responseDate === undefined ? NaN : Date.parse(responseDate);
  const waitMs = at - (Number.isNaN(reference) ? nowMs : reference);
  return Number.isFinite(waitMs) ? Math.max(0, waitMs) : undefined;
}

/** A failed answer as every error mapper reads it, once. */
export interface FailedAnswer {
  status: number;
  /** The body as JSON; undefined for a web page or a body that is not JSON: not the service's answer. */
  body: unknown;
  /** What messages quote: `<code>, HTTP <status>`, or `HTTP <status>` without a safe code. */
  label: string;
  /** What the error carries: the status, the code, the service's text (secrets cut out), `Retry-After`. */
  details: FailureDetails;
}

/**
 * Reads a failed `response`: its body unless it is a web page, its code, its free text
 * with the request's `secrets` cut out, and its `Retry-After`, measured against `nowMs`
 * when it is a date and the response has no `Date`.
 */
export function readFailedAnswer(response: HttpResponse, secrets: readonly string[], nowMs: number): FailedAnswer {
  const { status } = response;
  const body = looksLikeHtml(response) ? undefined : safeJson(response);
  const code = serviceErrorCode(body);
  const retryAfterMs = parseRetryAfter(response.headers['retry-after'], nowMs, response.headers.date);
  const details = { status, code, serviceText: serviceText(body, secrets), retryAfterSeconds: retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000) };
  return { status, body, label: code ? `${code}, HTTP ${status}` : `HTTP ${status}`, details };
}

/**
 * The error every service client gives alike, or undefined when the answer is the
 * client's own to map: an answer that is not the service's (a proxy's page: check
 * `setting`, the endpoint that was called, and the proxy), throttling, or an outage.
 * `action` is what failed, in the words of "Could not {action}".
 */
export function sharedFailureError(answer: FailedAnswer, action: string, setting: SettingKey): IdentityCenterError | undefined {
  const { label, details } = answer;
  if (answer.body === undefined) {
    return new IdentityCenterError(
      'service',
      l10n.t('Could not {0}: the answer ({1}) did not come from IAM Identity Center, perhaps from a proxy. Check the {2} setting and your proxy settings, then retry.', action, label, settingLabel(setting)),
      { ...details, setting },
    );
  }
  switch (httpFailureClass(answer.status)) {
    case 'throttled':
      return new IdentityCenterError('service', l10n.t('IAM Identity Center is throttling requests ({0}). Wait a minute, then retry.', label), details);
    case 'outage':
      return new IdentityCenterError('service', l10n.t('IAM Identity Center could not {0} ({1}). The service may be unavailable: retry in a few minutes.', action, label), details);
    case 'final':
      return undefined;
  }
}
