/**
 * The client registration as the extension knows it: what `POST /v1/clients` issued,
 * where, and under which name. Shared by the stored record, the manager and the OIDC
 * client.
 */

/** A registered client as the service issued it, plus where and under which name. */
export interface ClientRegistration {
  /** Base URL of the OIDC service it was registered with. */
  endpoint: string;
  clientName: string;
  clientId: string;
  clientSecret: string;
  /** Epoch seconds. */
  issuedAt: number;
  /** Epoch seconds. */
  expiresAt: number;
  authorizationEndpoint?: string;
  tokenEndpoint?: string;
  scopes: string[];
  /** The service's clock minus ours when it registered, in ms; absent when negligible. */
  clockOffsetMs?: number;
}

/** What `registerClient` asks for. */
export interface RegisterClientInput {
  clientName: string;
  scopes: string[];
}
