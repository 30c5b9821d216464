/**
 * What a failed connection means to a person: a certificate that could not be verified,
 * a proxy that refused or wants credentials, a timeout, or no route at all. Each error
 * names the host it tried (never its credentials, path or query) and the setting or
 * variable to fix, and carries that setting so the notification can open it.
 */
import { IdentityCenterError, isCertificateErrorCode, SettingKey } from '../common/errors';
import * as l10n from '@vscode/l10n';
import { settingLabel } from '../common/settingLabels';
import type { ProxyServer } from './proxy';

/** Where a failed request went: the host (and port) of its URL, and the setting that chose it. */
export interface RequestTarget {
  host: string;
  setting: SettingKey;
}

/** The target of a request to `url`: its host only, so no user name, password, path or query reaches a message. */
export function requestTarget(url: string, setting: SettingKey = 'endpoint'): RequestTarget {
  return { host: new URL(url).host, setting };
}

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

/** The error for a request to `target` that got no response: what failed, and what to fix. */
export function classifyNetworkError(error: unknown, proxy: ProxyServer | undefined, target: RequestTarget): IdentityCenterError {
  const codes = errorCodes(error);
  const certificate = codes.find(isCertificateErrorCode);
  if (certificate) return certificateError(error, certificate, proxy, target);
  const code = codes[0];
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return timedOut(error, target, proxy);
  }
  if (proxy) {
    const status = proxyRefusalStatus(error);
    if (status === 407) return proxyAuthenticationError(proxy, error);
    if (status !== undefined) {
      return new IdentityCenterError(
        'network',
        l10n.t(
          'The proxy {0} could not connect to {1} (HTTP {2}). Check the {3} setting, {4} and the no-proxy settings (http.noProxy, NO_PROXY), then retry.',
          proxy.origin,
          target.host,
          status,
          settingLabel(target.setting),
          settingOf(proxy),
        ),
        { cause: error, status, code: 'PROXY_REFUSED', setting: proxySetting(proxy) ?? target.setting },
      );
    }
    if (code && PROXY_UNREACHABLE.has(code)) {
      return new IdentityCenterError('network', l10n.t('Could not reach the proxy {0} ({1}). Check {2}, then retry.', proxy.origin, code, settingOf(proxy)), {
        cause: error,
        code,
        setting: proxySetting(proxy),
      });
    }
  }
  const reason = code ? ` (${code})` : '';
  const setting = settingLabel(target.setting);
  return new IdentityCenterError(
    'network',
    proxy
      ? l10n.t('Could not reach IAM Identity Center at {0}{1} through the proxy {2}. Check your network connection and the {3} setting, then retry.', target.host, reason, proxy.origin, setting)
      : l10n.t('Could not reach IAM Identity Center at {0}{1}. Check your network connection and the {2} setting, then retry.', target.host, reason, setting),
    { cause: error, code, setting: target.setting },
  );
}

function certificateError(cause: unknown, code: string, proxy: ProxyServer | undefined, target: RequestTarget): IdentityCenterError {
  const what = code === 'ERR_TLS_CERT_ALTNAME_INVALID' ? l10n.t('names another host') : l10n.t('could not be verified');
  const setting = settingLabel(target.setting);
  return new IdentityCenterError(
    'network',
    proxy
      ? l10n.t(
          'The TLS certificate of IAM Identity Center at {0} {1} ({2}; reached through the proxy {3}). If a proxy or firewall inspects TLS, add its CA certificate (a PEM file) to the CA certificates setting or NODE_EXTRA_CA_CERTS; otherwise check the {4} setting. Then retry.',
          target.host,
          what,
          code,
          proxy.origin,
          setting,
        )
      : l10n.t(
          'The TLS certificate of IAM Identity Center at {0} {1} ({2}). If a proxy or firewall inspects TLS, add its CA certificate (a PEM file) to the CA certificates setting or NODE_EXTRA_CA_CERTS; otherwise check the {3} setting. Then retry.',
          target.host,
          what,
          code,
          setting,
        ),
    { cause, code, setting: 'caCertificates' },
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
    { cause, status: 407, code: 'PROXY_AUTH_REQUIRED', setting: proxySetting(proxy) },
  );
}

/** The setting or variable a user edits to fix this proxy, as words. */
function settingOf(proxy: ProxyServer): string {
  return proxy.source === 'http.proxy' ? l10n.t('the http.proxy setting') : l10n.t('the {0} environment variable', proxy.source);
}

/** The setting that chose this proxy; undefined for an environment variable, which no button can open. */
function proxySetting(proxy: ProxyServer): SettingKey | undefined {
  return proxy.source === 'http.proxy' ? 'http.proxy' : undefined;
}

/** The service at `target` (or the proxy on the way) did not answer in time. */
export function timedOut(cause: unknown, target: RequestTarget, proxy?: ProxyServer): IdentityCenterError {
  const setting = settingLabel(target.setting);
  const message = proxy
    ? l10n.t('IAM Identity Center at {0} did not answer in time through the proxy {1}. Check your network connection, {2} and the {3} setting, then retry.', target.host, proxy.origin, settingOf(proxy), setting)
    : l10n.t('IAM Identity Center at {0} did not answer in time. Check your network connection and the {1} setting, then retry.', target.host, setting);
  return new IdentityCenterError('timeout', message, { cause, setting: target.setting });
}
