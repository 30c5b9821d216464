/**
 * Reading a service's answer body, whatever the API: JSON or a proxy's web page, the
 * error code worth quoting, and the free text kept for the debug log only. Shared by
 * the OIDC and portal clients.
 */
import { redactSecrets } from '../common/errors';
import * as l10n from '@vscode/l10n';
import { isJsonObject, parseJson, protocolError } from '../common/validate';
import type { HttpResponse } from './port';

/** The body as JSON, or undefined when it is not JSON. */
export function safeJson(response: HttpResponse): unknown {
  try {
    return JSON.parse(response.body);
  } catch {
    return undefined;
  }
}

/** Parses a response body as JSON, or throws a `protocol` error that hints at a proxy page. */
export function parseJsonBody(response: HttpResponse, what: string): unknown {
  if (looksLikeHtml(response)) {
    throw protocolError(l10n.t('{0} was a web page, not JSON (perhaps from a proxy)', what));
  }
  return parseJson(response.body, what);
}

/** True for a web page (a proxy's or gateway's), which is never read as the service's answer. */
export function looksLikeHtml(response: HttpResponse): boolean {
  const type = response.headers['content-type'] ?? '';
  return type.includes('text/html') || /^\s*</.test(response.body.slice(0, 64));
}

/**
 * Error codes worth quoting to a person: Huawei's `IIC.1001`-style codes, OAuth names
 * (`invalid_request`) and AWS-style names (`InvalidRequestException`). Anything else,
 * which could be an echoed secret, is kept out of messages.
 */
const SAFE_CODE = /^(?:[A-Z]{2,8}\.\d{1,6}|[a-z]{2,24}(?:_[a-z]{2,24}){0,4}|(?:[A-Z][a-z]{1,20}){1,6}Exception)$/;

/** The error code a response carries in either envelope, if it is a short token. */
export function serviceErrorCode(body: unknown): string | undefined {
  if (!isJsonObject(body)) return undefined;
  for (const field of ['error_code', 'error']) {
    const value = body[field];
    if (typeof value === 'string' && SAFE_CODE.test(value)) return value;
  }
  return undefined;
}

/** The service's own explanation, with the request's secrets cut out (a service may echo what it got). */
export function serviceText(body: unknown, secrets: readonly string[]): string | undefined {
  if (!isJsonObject(body)) return undefined;
  const text = body.error_msg ?? body.error_description;
  return typeof text === 'string' ? redactSecrets(text, secrets).slice(0, 500) : undefined;
}
