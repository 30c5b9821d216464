/**
 * What commands and the public API return: the registration and the session without
 * any secret, in the shapes the README's Commands table documents, and times shown to a person.
 */
import type { ClientRegistration } from '../core/registration/model';

/** The registration as commands return it: everything but the secret. */
export interface ClientSummary {
  clientId: string;
  clientName: string;
  /** Epoch seconds. */
  issuedAt: number;
  /** Epoch seconds. */
  expiresAt: number;
  endpoint: string;
  scopes: string[];
}

/** Strips the secret from a registration. */
export function summarize(registration: ClientRegistration): ClientSummary {
  return {
    clientId: registration.clientId,
    clientName: registration.clientName,
    issuedAt: registration.issuedAt,
    expiresAt: registration.expiresAt,
    endpoint: registration.endpoint,
    scopes: [...registration.scopes],
  };
}

/** What `signIn` resolves to: the session, without its tokens. */
export interface SessionSummary {
  /** The account label, as the Accounts menu shows it. */
  account: string;
  /** When the access token expires, epoch seconds. */
  expiresAt: number;
  scopes: string[];
}

/** An epoch-seconds time in the user's local time zone. */
export function formatLocalTime(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toLocaleString();
}
