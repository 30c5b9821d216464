/**
 * URLs that decide where a request goes: the endpoints from the settings, and the
 * verification URI from the service. One place for what counts as loopback, what an
 * acceptable service URL is, and how an endpoint is written as a key.
 */

/** True for loopback host names: `127.0.0.1` (any 127/8), `localhost`, `[::1]`. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Parses a URL that may carry credentials or tokens to the service: https, or http
 * on a loopback host only. Returns undefined when it is not acceptable.
 */
export function parseServiceUrl(text: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.username || url.password) return undefined;
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  return undefined;
}

/**
 * The verification URI as it is shown and opened: its normalized form, `new URL(text).href`.
 * Undefined unless it is https (http only on a loopback host, and only when the OIDC
 * endpoint is on loopback too), carries no credentials, and normalizes to what was sent
 * after trimming. Only a lower-cased scheme and host, a default port and the root path's
 * slash may differ; anything else (a host in another script turned into punycode, a
 * backslash, a dot segment) is a sign the text reads differently from where it leads.
 */
export function parseVerificationUri(text: string, endpointIsLoopback: boolean): string | undefined {
  const sent = text.trim();
  let url: URL;
  try {
    url = new URL(sent);
  } catch {
    return undefined;
  }
  if (url.username || url.password) return undefined;
  const loopbackHttp = url.protocol === 'http:' && endpointIsLoopback && isLoopbackHost(url.hostname);
  if (url.protocol !== 'https:' && !loopbackHttp) return undefined;
  const parts = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/is.exec(sent);
  if (!parts) return undefined;
  const host = parts[2].toLowerCase().replace(url.protocol === 'https:' ? /:443$/ : /:80$/, '');
  const rest = parts[3].startsWith('/') ? parts[3] : `/${parts[3]}`;
  return `${parts[1].toLowerCase()}${host}${rest}` === url.href ? url.href : undefined;
}

/** True when the base URL of a service is on a loopback host. */
export function isLoopbackUrl(text: string): boolean {
  try {
    return isLoopbackHost(new URL(text).hostname);
  } catch {
    return false;
  }
}

/**
 * An endpoint as the extension keys and logs it: the URL's normalized form without
 * trailing slashes, so `https://host/` and `https://host` are one endpoint.
 */
export function normalizeEndpoint(endpoint: string): string {
  let text = endpoint.trim();
  try {
    text = new URL(text).toString();
  } catch {
    // Not a URL: keyed as written (the settings refuse such a value before it gets here).
  }
  return text.replace(/\/+$/, '');
}
