/**
 * The stored credentials of one agency: a versioned JSON record in SecretStorage, keyed
 * by portal endpoint, account, agency and instance, written only whole.
 */
import * as l10n from '@vscode/l10n';
import { IdentityCenterError, isIdentityCenterError } from '../common/errors';
import type { Logger, SecretStore } from '../common/ports';
import { parseVersionedRecord, serializeVersionedRecord } from '../common/records';
import { normalizeEndpoint } from '../common/url';
import { requireEpochSeconds, requireString } from '../common/validate';
import { MAX_BELIEVABLE_OFFSET_MS } from '../registration/clockSkew';
import type { AgencyCredentials, AgencySelection } from './model';

/** Version of the stored credentials record. */
export const CREDENTIALS_RECORD_VERSION = 1;

/** How every credentials record's SecretStorage key starts. */
export const CREDENTIALS_KEY_PREFIX = `iamIdentityCenter.credentials.v${CREDENTIALS_RECORD_VERSION}|`;

/**
 * The SecretStorage key of one agency's credentials at one portal endpoint for one
 * instance (`instance` is its `instanceKey`): two profiles that use the same agency keep
 * two records, so signing out of one forgets only its own.
 */
export function credentialsKey(portalEndpoint: string, selection: Pick<AgencySelection, 'accountId' | 'agencyUrn'>, instance: string): string {
  return `${legacyCredentialsKey(portalEndpoint, selection)}|${instance}`;
}

/**
 * The key the release before profiles kept an agency's credentials under: the portal
 * endpoint and the agency alone. The `default` profile reads it while its own record is
 * absent, so an upgrade sends no request while the stored credentials are good.
 */
export function legacyCredentialsKey(portalEndpoint: string, selection: Pick<AgencySelection, 'accountId' | 'agencyUrn'>): string {
  return `${CREDENTIALS_KEY_PREFIX}${normalizeEndpoint(portalEndpoint)}|${selection.accountId}|${selection.agencyUrn}`;
}

/** The stored text of credentials. */
export function serializeCredentials(credentials: AgencyCredentials): string {
  return serializeVersionedRecord(CREDENTIALS_RECORD_VERSION, credentials);
}

/** Parses stored credentials; throws a `protocol` error when the record is corrupt. */
export function parseStoredCredentials(text: string): AgencyCredentials {
  const what = l10n.t('The stored agency credentials');
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
      throw new IdentityCenterError('protocol', l10n.t('{0} have an unusable `clockOffsetMs`', what));
    }
    credentials.clockOffsetMs = offset;
  }
  return credentials;
}

/**
 * The credentials stored under `key`, even when expired; undefined when none, or corrupt
 * (logged, to be replaced). Reading needs no request, so a start uses this alone.
 */
export async function readStoredCredentials(store: SecretStore, key: string, logger: Logger): Promise<AgencyCredentials | undefined> {
  let text: string | undefined;
  try {
    text = await store.get(key);
  } catch (error) {
    throw credentialsStorageError(l10n.t('read'), error);
  }
  if (text === undefined) return undefined;
  try {
    return parseStoredCredentials(text);
  } catch (error) {
    logger.warn(`${isIdentityCenterError(error) ? error.message : 'The stored agency credentials are unreadable'}: they are ignored and will be replaced.`);
    return undefined;
  }
}

/** Deletes the credentials stored under `key`. */
export async function forgetStoredCredentials(store: SecretStore, key: string): Promise<void> {
  try {
    await store.delete(key);
  } catch (error) {
    throw credentialsStorageError(l10n.t('delete'), error);
  }
}

/** `action`: what failed, localized where it is written ("read", "save", "delete"). */
export function credentialsStorageError(action: string, cause: unknown): IdentityCenterError {
  return new IdentityCenterError(
    'storage',
    l10n.t('Could not {0} the agency credentials in VS Code\'s secret storage. Check that the system keyring is unlocked, then retry.', action),
    { cause },
  );
}
