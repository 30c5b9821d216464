/**
 * An agency's short-lived STS credentials, with their expiry rule, and the selection
 * (the agency in use) they are fetched and stored for. The portal lists the accounts
 * and agencies (`portal/model.ts`) and issues the credentials; this folder keeps them.
 * The selection is not secret; the credentials are, like a client secret.
 */
import { renewalMarginSeconds } from '../common/expiry';
import type { Renewable } from '../common/renewalScheduler';

/** The agency in use: ids and names only, nothing secret; it survives restarts. */
export interface AgencySelection {
  accountId: string;
  accountName: string;
  agencyName: string;
  agencyUrn: string;
  permissionSetName: string;
}

/** Temporary credentials of one agency. The access key id counts as a secret too. */
export interface AgencyCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** When they were received, epoch seconds on the service's clock. */
  issuedAt: number;
  /** When they end, epoch seconds on the service's clock. */
  expiresAt: number;
  /** The service's clock minus ours when they arrived, in ms; absent when negligible. */
  clockOffsetMs?: number;
}

/** The credentials' times for the renewal schedule, on this computer's clock. */
export function renewableCredentials(credentials: Pick<AgencyCredentials, 'issuedAt' | 'expiresAt' | 'clockOffsetMs'>): Renewable {
  const offsetMs = credentials.clockOffsetMs ?? 0;
  return {
    issuedAtMs: credentials.issuedAt * 1000 - offsetMs,
    dueAtMs: (credentials.expiresAt - renewalMarginSeconds(credentials)) * 1000 - offsetMs,
    expiresAtMs: credentials.expiresAt * 1000 - offsetMs,
  };
}

/** True while the credentials have more than their renewal margin left, `nowMs` on this computer's clock. */
export function areUsable(credentials: Pick<AgencyCredentials, 'issuedAt' | 'expiresAt' | 'clockOffsetMs'>, nowMs: number): boolean {
  return nowMs < renewableCredentials(credentials).dueAtMs;
}
