/**
 * Everything that runs only once a request is sent, bundled as `dist/transport.js` and
 * loaded on first use: the HTTP stack (undici), the OIDC client with its retries, and
 * the device-code sign-in. A start with a stored registration loads none of it.
 */
export { createTransportFromSettings, createUndiciTransport } from './undiciTransport';
export { OidcClient } from './oidcClient';
export { signIn } from './signIn';
