/**
 * Everything that runs only once a request is sent, bundled as `dist/transport.js` and
 * loaded on first use (`src/vscode/transportBundle.ts`): the HTTP stack (undici), the
 * OIDC and portal clients with their retries, and the device-code sign-in. A start with a stored
 * registration loads none of it. A new API client is exported here.
 */

export { config as configureLocalization } from '@vscode/l10n';
export { createTransportFromSettings, createUndiciTransport } from './undici';
export { OidcClient } from '../oidc/client';
export { signIn } from '../signin/signIn';
export { PortalClient } from '../portal/client';
export { CredentialManager } from '../credentials/manager';
