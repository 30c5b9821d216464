/**
 * The stored client registration: one versioned JSON record in SecretStorage per
 * endpoint and scope set, written only whole.
 */
import { IdentityCenterError, isIdentityCenterError } from '../common/errors';
import type { Logger, SecretStore } from '../common/ports';
import * as l10n from '@vscode/l10n';
import { parseVersionedRecord, serializeVersionedRecord } from '../common/records';
import { normalizeEndpoint } from '../common/url';
import { optionalServiceUrl, optionalStringArray, requireClientId, requireEpochSeconds, requireString } from '../common/validate';
import { MAX_BELIEVABLE_OFFSET_MS } from './clockSkew';
import type { ClientRegistration } from './model';

/** Version of the stored record's format; a record of another version is treated as absent. */
export const RECORD_VERSION = 1;

/** The SecretStorage key of the registration for one endpoint and scope set. */
export function registrationKey(endpoint: string, scopes: readonly string[]): string {
  const scopeSet = [...new Set(scopes)].sort().join(' ');
  return `iamIdentityCenter.registration.v${RECORD_VERSION}|${normalizeEndpoint(endpoint)}|${scopeSet}`;
}

/** The JSON text stored for a registration. */
export function serializeRegistration(registration: ClientRegistration): string {
  return serializeVersionedRecord(RECORD_VERSION, registration);
}

/** Parses a stored record; throws a `protocol` error when it is corrupt or of another version. */
export function parseStoredRegistration(text: string): ClientRegistration {
  const what = l10n.t('The stored registration');
  const record = parseVersionedRecord(text, RECORD_VERSION, what);
  const registration: ClientRegistration = {
    endpoint: requireString(record, 'endpoint', what, 2048),
    clientName: requireString(record, 'clientName', what, 4096),
    clientId: requireClientId(record, 'clientId', what),
    clientSecret: requireString(record, 'clientSecret', what, 8192),
    issuedAt: requireEpochSeconds(record, 'issuedAt', what),
    expiresAt: requireEpochSeconds(record, 'expiresAt', what),
    authorizationEndpoint: optionalServiceUrl(record, 'authorizationEndpoint', what),
    tokenEndpoint: optionalServiceUrl(record, 'tokenEndpoint', what),
    scopes: optionalStringArray(record, 'scopes', what) ?? [],
  };
  const offset = record.clockOffsetMs;
  if (offset !== undefined) {
    if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || Math.abs(offset) > MAX_BELIEVABLE_OFFSET_MS) {
      throw new IdentityCenterError('protocol', l10n.t('{0} has an unusable `clockOffsetMs`', what));
    }
    registration.clockOffsetMs = offset;
  }
  return registration;
}

/**
 * The registration as it will read back from storage, or a `protocol` error: only a
 * whole record is ever stored, so a partial one never replaces a good one.
 */
export function roundTripValidated(value: ClientRegistration): ClientRegistration {
  let text: string;
  try {
    text = serializeRegistration(value);
  } catch {
    throw new IdentityCenterError('protocol', l10n.t('The registration could not be stored: it is not plain data.'));
  }
  return parseStoredRegistration(text);
}

/**
 * The registration stored under `key`, even when expired; undefined when none, or corrupt
 * (logged, to be replaced by the next registration). Reading needs no request.
 */
export async function readStoredRegistration(store: SecretStore, key: string, logger: Logger): Promise<ClientRegistration | undefined> {
  let text: string | undefined;
  try {
    text = await store.get(key);
  } catch (error) {
    throw registrationStorageError(l10n.t('read'), error);
  }
  if (text === undefined) return undefined;
  try {
    return parseStoredRegistration(text);
  } catch (error) {
    logger.warn(`${isIdentityCenterError(error) ? error.message : 'unreadable'}: it is ignored and will be replaced by the next registration.`);
    return undefined;
  }
}

/** `action`: what failed, localized where it is written ("read", "save", "delete"). */
export function registrationStorageError(action: string, cause: unknown): IdentityCenterError {
  return new IdentityCenterError(
    'storage',
    l10n.t('Could not {0} the client registration in VS Code\'s secret storage. Retry; if it keeps failing, check that the system keyring is unlocked.', action),
    { cause },
  );
}
