/**
 * The stored credentials of one agency: a versioned JSON record in SecretStorage, keyed
 * by portal endpoint, account and agency, written only whole.
 */
import { IdentityCenterError } from '../common/errors';
import { parseVersionedRecord, serializeVersionedRecord } from '../common/records';
import { normalizeEndpoint } from '../common/url';
import { requireEpochSeconds, requireString } from '../common/validate';
import { MAX_BELIEVABLE_OFFSET_MS } from '../registration/clockSkew';
import type { AgencyCredentials, AgencySelection } from './model';

/** Version of the stored credentials record. */
export const CREDENTIALS_RECORD_VERSION = 1;

/** The SecretStorage key of one agency's credentials at one portal endpoint. */
export function credentialsKey(portalEndpoint: string, selection: Pick<AgencySelection, 'accountId' | 'agencyUrn'>): string {
  return `iamIdentityCenter.credentials.v${CREDENTIALS_RECORD_VERSION}|${normalizeEndpoint(portalEndpoint)}|${selection.accountId}|${selection.agencyUrn}`;
}

/** The stored text of credentials. */
export function serializeCredentials(credentials: AgencyCredentials): string {
  return serializeVersionedRecord(CREDENTIALS_RECORD_VERSION, credentials);
}

/** Parses stored credentials; throws a `protocol` error when the record is corrupt. */
export function parseStoredCredentials(text: string): AgencyCredentials {
  const what = 'The stored agency credentials';
  const record = parseVersionedRecord(text, CREDENTIALS_RECORD_VERSION, what);
  const credentials: AgencyCredentials = {
    accessKeyId: requireString(record, 'accessKeyId', what, 128),
    secretAccessKey: requireString(record, 'secretAccessKey', what, 1024),
    sessionToken: requireString(record, 'sessionToken', what, 16384),
    issuedAt: requireEpochSeconds(record, 'issuedAt', what),
    expiresAt: requireEpochSeconds(record, 'expiresAt', what),
  };
  const offset = record.clockOffsetMs;
  if (offset !== undefined) {
    if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || Math.abs(offset) > MAX_BELIEVABLE_OFFSET_MS) {
      throw new IdentityCenterError('protocol', `${what} have an unusable \`clockOffsetMs\``);
    }
    credentials.clockOffsetMs = offset;
  }
  return credentials;
}
