/**
 * What a failed connection means to a person: a certificate that could not be verified,
 * a proxy that refused or wants credentials, a timeout, or no route at all. Each error
 * names the setting or variable to fix.
 */
import { IdentityCenterError, isCertificateErrorCode } from '../common/errors';
import * as l10n from '@vscode/l10n';
import type { ProxyServer } from './proxy';

/** The error codes along the `cause` chain, outermost first. */
function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

/** The status a proxy refused a tunnel or a forwarded request with, from undici's error text. */
function proxyRefusalStatus(error: unknown): number | undefined {
  const message = error instanceof Error ? error.message : '';
  const match = /Proxy response \((\d{3})\) !== 200|Proxy Authentication Required \((407)\)/.exec(message);
  return match ? Number(match[1] ?? match[2]) : undefined;
}

const PROXY_UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** The error for a request that got no response: what failed, and what to fix. */
export function classifyNetworkError(error: unknown, proxy: ProxyServer | undefined): IdentityCenterError {
  const codes = errorCodes(error);
  const certificate = codes.find(isCertificateErrorCode);
  if (certificate) return certificateError(error, certificate, proxy);
  const code = codes[0];
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return timedOut(error, proxy);
  }
  if (proxy) {
    const status = proxyRefusalStatus(error);
    if (status === 407) return proxyAuthenticationError(proxy, error);
    if (status !== undefined) {
      return new IdentityCenterError(
        'network',
        l10n.t('The proxy {0} could not connect to IAM Identity Center (HTTP {1}). Check iamIdentityCenter.endpoint, {2} and the no-proxy settings (http.noProxy, NO_PROXY), then retry.', proxy.origin, status, settingOf(proxy)),
        { cause: error, status, code: 'PROXY_REFUSED' },
      );
    }
    if (code && PROXY_UNREACHABLE.has(code)) {
      return new IdentityCenterError(
        'network',
        l10n.t('Could not reach the proxy {0} ({1}). Check {2}, then retry.', proxy.origin, code, settingOf(proxy)),
        { cause: error, code },
      );
    }
  }
  const reason = code ? ` (${code})` : '';
  return new IdentityCenterError(
    'network',
    proxy
      ? l10n.t('Could not reach IAM Identity Center{0} through the proxy {1}. Check your network connection and iamIdentityCenter.endpoint, then retry.', reason, proxy.origin)
      : l10n.t('Could not reach IAM Identity Center{0}. Check your network connection and iamIdentityCenter.endpoint, then retry.', reason),
    { cause: error, code },
  );
}

function certificateError(cause: unknown, code: string, proxy: ProxyServer | undefined): IdentityCenterError {
  const what = code === 'ERR_TLS_CERT_ALTNAME_INVALID' ? l10n.t('names another host') : l10n.t('could not be verified');
  return new IdentityCenterError(
    'network',
    proxy
      ? l10n.t(
          'The TLS certificate of IAM Identity Center {0} ({1}; reached through the proxy {2}). If a proxy or firewall inspects TLS, add its CA certificate (a PEM file) to the iamIdentityCenter.caCertificates setting or NODE_EXTRA_CA_CERTS; otherwise check iamIdentityCenter.endpoint. Then retry.',
          what,
          code,
          proxy.origin,
        )
      : l10n.t(
          'The TLS certificate of IAM Identity Center {0} ({1}). If a proxy or firewall inspects TLS, add its CA certificate (a PEM file) to the iamIdentityCenter.caCertificates setting or NODE_EXTRA_CA_CERTS; otherwise check iamIdentityCenter.endpoint. Then retry.',
          what,
          code,
        ),
    { cause, code },
  );
}

/** The proxy wants credentials (HTTP 407), or refused the ones given. */
export function proxyAuthenticationError(proxy: ProxyServer, cause?: unknown): IdentityCenterError {
  const problem = proxy.authorization ? l10n.t('rejected the proxy credentials') : l10n.t('requires credentials');
  return new IdentityCenterError(
    'configuration',
    l10n.t(
      'The proxy {0} {1} (HTTP 407). Put the right user name and password in {2} as http://user:password@host:port (percent-encode special characters), then retry.',
      proxy.origin,
      problem,
      settingOf(proxy),
    ),
    { cause, status: 407, code: 'PROXY_AUTH_REQUIRED' },
  );
}

/** The setting or variable a user edits to fix this proxy. */
function settingOf(proxy: ProxyServer): string {
  return proxy.source === 'http.proxy' ? l10n.t('the http.proxy setting') : l10n.t('the {0} environment variable', proxy.source);
}

/** The service (or the proxy) did not answer in time. */
export function timedOut(cause: unknown, proxy?: ProxyServer): IdentityCenterError {
  const message = proxy
    ? l10n.t('IAM Identity Center did not answer in time through the proxy {0}. Check your network connection, {1} and iamIdentityCenter.endpoint, then retry.', proxy.origin, settingOf(proxy))
    : l10n.t('IAM Identity Center did not answer in time. Check your network connection and iamIdentityCenter.endpoint, then retry.');
  return new IdentityCenterError('timeout', message, { cause });
}
