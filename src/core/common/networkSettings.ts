/**
 * The network settings as the VS Code side reads them and the lazily loaded transport
 * consumes them: plain, unchecked data, so reading them at activation loads nothing of
 * the HTTP stack. `transport/networkConfig.ts` decides what they mean.
 */

/** The environment variables that matter to the network; only these are kept. */
export const NETWORK_ENV_NAMES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY', 'no_proxy', 'NO_PROXY', 'NODE_EXTRA_CA_CERTS'] as const;

/** The network settings as a host reads them, unchecked (settings are user JSON). */
export interface RawNetworkSettings {
  /** `http.proxy`. */
  proxy?: unknown;
  /** `http.noProxy`. */
  noProxy?: unknown;
  /** `http.proxyStrictSSL` (default true). */
  proxyStrictSSL?: unknown;
  /** `http.proxyAuthorization`. */
  proxyAuthorization?: unknown;
  /** `iamIdentityCenter.caCertificates`: path(s) of PEM files to trust. */
  caCertificates?: unknown;
  /** The process environment; only `NETWORK_ENV_NAMES` are read. */
  env: Readonly<Record<string, string | undefined>>;
}
