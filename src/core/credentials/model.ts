/**
 * What a signed-in user reaches through the portal API (`docs/api.md`): the accounts
 * assigned to them, the agencies (Huawei's roles) they may take in each, and the
 * short-lived STS credentials of one agency, with their expiry rule. The selection is
 * not secret; the credentials are, like a client secret.
 */
import { renewalMarginSeconds } from '../common/expiry';
import type { Renewable } from '../common/renewalScheduler';
import { isJsonObject, JsonObject } from '../common/validate';

/** An account assigned to the user. */
export interface Account {
  accountId: string;
  accountName: string;
  /** The account's email address; empty when the service gave none. */
  email: string;
}

/** An agency the user may take in an account, through a permission set. */
export interface Agency {
  accountId: string;
  agencyName: string;
  /** `iam::<account id>:agency:<agency name>`, passed back to the service as given. */
  agencyUrn: string;
  permissionSetName: string;
  /** Empty when the administrator gave none. */
  description: string;
}

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

/** Huawei account ids: letters and digits (32 hex digits in practice). */
export const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9]{1,64}$/;

/**
 * An agency URN: `iam::<account id>:agency:<name>`, the name in letters, digits and
 * `_ . @ + = , -`. It goes into a query string and a stored key, so nothing else passes.
 */
export const AGENCY_URN_PATTERN = /^iam::([A-Za-z0-9]{1,64}):agency:([\p{L}\p{N}_.@+=,-]{1,128})$/u;

/** The selection as commands and `globalState` hold it, or undefined when `value` is not one. */
export function parseSelection(value: unknown): AgencySelection | undefined {
  if (!isJsonObject(value)) return undefined;
  const fields = ['accountId', 'accountName', 'agencyName', 'agencyUrn', 'permissionSetName'] as const;
  if (!fields.every((field) => typeof value[field] === 'string' && (value[field] as string).length <= 1024)) return undefined;
  const selection = Object.fromEntries(fields.map((field) => [field, (value as JsonObject)[field]])) as unknown as AgencySelection;
  const urn = AGENCY_URN_PATTERN.exec(selection.agencyUrn);
  if (!ACCOUNT_ID_PATTERN.test(selection.accountId) || !urn || urn[1] !== selection.accountId) return undefined;
  return selection;
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

/** True while the credentials have not expired (they may still be used, though due for renewal). */
export function haveNotExpired(credentials: Pick<AgencyCredentials, 'expiresAt' | 'clockOffsetMs'>, nowMs: number): boolean {
  return nowMs < credentials.expiresAt * 1000 - (credentials.clockOffsetMs ?? 0);
}
