/**
 * What commands and the public API return: the registration and the session without
 * any secret, in the shapes the README's Commands table documents, and times shown to a person.
 */
import * as vscode from 'vscode';
import { formatLocalTime } from '../core/common/localTime';
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

/**
 * When `record` (a session, a registration's secret, credentials) ends, on this computer's
 * clock, as people read it in the display language: "at 15:42", "tomorrow at 09:10", or a
 * short date and time. `nowMs` (the extension's clock, where it has one) decides what today is.
 */
export function formatEnd(record: { expiresAt: number; clockOffsetMs?: number }, nowMs?: number): string {
  return formatLocalTime(record.expiresAt * 1000 - (record.clockOffsetMs ?? 0), vscode.env.language, nowMs);
}
