/**
 * What a failed connection means to a person: a certificate that could not be verified,
 * a proxy that refused or wants credentials, a timeout, or no route at all. Each error
 * names the setting or variable to fix.
 */
import { IdentityCenterError, isCertificateErrorCode } from '../common/errors';
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
        `The proxy ${proxy.origin} could not connect to IAM Identity Center (HTTP ${status}). Check iamIdentityCenter.endpoint, ${settingOf(proxy)} and the no-proxy settings (http.noProxy, NO_PROXY), then retry.`,
        { cause: error, status, code: 'PROXY_REFUSED' },
      );
    }
    if (code && PROXY_UNREACHABLE.has(code)) {
      return new IdentityCenterError(
        'network',
        `Could not reach the proxy ${proxy.origin} (${code}). Check ${settingOf(proxy)}, then retry.`,
        { cause: error, code },
      );
    }
  }
  const reason = code ? ` (${code})` : '';
  return new IdentityCenterError(
    'network',
    `Could not reach IAM Identity Center${reason}${proxy ? ` through the proxy ${proxy.origin}` : ''}. Check your network connection and iamIdentityCenter.endpoint, then retry.`,
    { cause: error, code },
  );
}

function certificateError(cause: unknown, code: string, proxy: ProxyServer | undefined): IdentityCenterError {
  const what = code === 'ERR_TLS_CERT_ALTNAME_INVALID' ? 'names another host' : 'could not be verified';
  const via = proxy ? `; reached through the proxy ${proxy.origin}` : '';
  return new IdentityCenterError(
    'network',
    `The TLS certificate of IAM Identity Center ${what} (${code}${via}). If a proxy or firewall inspects TLS, add its CA certificate (a PEM file) to the iamIdentityCenter.caCertificates setting or NODE_EXTRA_CA_CERTS; otherwise check iamIdentityCenter.endpoint. Then retry.`,
    { cause, code },
  );
}

/** The proxy wants credentials (HTTP 407), or refused the ones given. */
export function proxyAuthenticationError(proxy: ProxyServer, cause?: unknown): IdentityCenterError {
  const problem = proxy.authorization ? 'rejected the proxy credentials' : 'requires credentials';
  return new IdentityCenterError(
    'configuration',
    `The proxy ${proxy.origin} ${problem} (HTTP 407). Put the right user name and password in ${settingOf(proxy)} as http://user:password@host:port (percent-encode special characters), then retry.`,
    { cause, status: 407, code: 'PROXY_AUTH_REQUIRED' },
  );
}

/** The setting or variable a user edits to fix this proxy. */
function settingOf(proxy: ProxyServer): string {
  return proxy.source === 'http.proxy' ? 'the http.proxy setting' : `the ${proxy.source} environment variable`;
}

/** The service (or the proxy) did not answer in time. */
export function timedOut(cause: unknown, proxy?: ProxyServer): IdentityCenterError {
  const via = proxy ? ` through the proxy ${proxy.origin}` : '';
  const check = proxy ? `your network connection, ${settingOf(proxy)} and iamIdentityCenter.endpoint` : 'your network connection and iamIdentityCenter.endpoint';
  return new IdentityCenterError('timeout', `IAM Identity Center did not answer in time${via}. Check ${check}, then retry.`, { cause });
}
