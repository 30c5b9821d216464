/**
 * The stored sessions: one versioned JSON record in SecretStorage per endpoint, holding
 * every session of it.
 */
import { IdentityCenterError, isIdentityCenterError } from '../common/errors';
import type { Logger, SecretStore } from '../common/ports';
import * as l10n from '@vscode/l10n';
import { parseVersionedRecord, serializeVersionedRecord } from '../common/records';
import { normalizeEndpoint } from '../common/url';
import { isJsonObject, JsonObject, optionalString, requireClientId, requireEpochSeconds, requireString } from '../common/validate';
import type { StoredSession } from './model';

/** Version of the stored sessions record. */
export const SESSIONS_RECORD_VERSION = 1;

/** The SecretStorage key of the sessions of one instance: its OIDC endpoint and its user portal. */
export function sessionsKey(endpoint: string, startUrl: string): string {
  return `${legacySessionsKey(endpoint)}|${startUrl.trim()}`;
}

/**
 * The key the release before profiles kept sessions under: the endpoint alone. The
 * `default` profile (the flat settings that release used) reads it while its own record
 * is absent, and its first write moves the sessions over, so an upgrade keeps them.
 */
export function legacySessionsKey(endpoint: string): string {
  return `iamIdentityCenter.sessions.v${SESSIONS_RECORD_VERSION}|${normalizeEndpoint(endpoint)}`;
}

/** The stored text for a list of sessions. */
export function serializeSessions(sessions: readonly StoredSession[]): string {
  return serializeVersionedRecord(SESSIONS_RECORD_VERSION, { sessions });
}

/** Parses the stored sessions; throws a `protocol` error when the record is corrupt. */
export function parseSessions(text: string): StoredSession[] {
  const what = l10n.t('The stored sessions');
  const record = parseVersionedRecord(text, SESSIONS_RECORD_VERSION, what);
  if (!Array.isArray(record.sessions)) throw new IdentityCenterError('protocol', l10n.t('{0} have no list of sessions', what));
  return record.sessions.map((item: unknown) => parseSession(item, what));
}

function parseSession(item: unknown, what: string): StoredSession {
  if (!isJsonObject(item) || !isJsonObject(item.account) || !Array.isArray(item.scopes)) {
    throw new IdentityCenterError('protocol', l10n.t('{0} hold a malformed session', what));
  }
  const account = item.account as JsonObject;
  const session: StoredSession = {
    id: requireString(item, 'id', what, 256),
    account: { id: requireString(account, 'id', what, 1024), label: requireString(account, 'label', what, 1024) },
    scopes: item.scopes.filter((scope): scope is string => typeof scope === 'string'),
    accessToken: requireString(item, 'accessToken', what, 16384),
    expiresAt: requireEpochSeconds(item, 'expiresAt', what),
    clientId: requireClientId(item, 'clientId', what),
  };
  const refreshToken = optionalString(item, 'refreshToken', what, 16384);
  if (refreshToken !== undefined) session.refreshToken = refreshToken;
  if (item.issuedAt !== undefined) session.issuedAt = requireEpochSeconds(item, 'issuedAt', what);
  return session;
}

/**
 * The sessions stored under `key`; undefined when there is no record, none when it is
 * corrupt (logged; the next write replaces it). Reading needs no request.
 */
export async function readStoredSessions(store: SecretStore, key: string, logger: Logger): Promise<StoredSession[] | undefined> {
  let text: string | undefined;
  try {
    text = await store.get(key);
  } catch (error) {
    throw sessionsStorageError(l10n.t('read'), error);
  }
  if (text === undefined) return undefined;
  try {
    return parseSessions(text);
  } catch (error) {
    logger.warn(`${isIdentityCenterError(error) ? error.message : 'The stored sessions are unreadable'}: they are ignored and will be replaced at the next sign-in.`);
    return [];
  }
}

/** `action`: what failed, localized where it is written ("read", "save"). */
export function sessionsStorageError(action: string, cause: unknown): IdentityCenterError {
  return new IdentityCenterError(
    'storage',
    l10n.t('Could not {0} the sign-in session in VS Code\'s secret storage. Check that the system keyring is unlocked, then retry.', action),
    { cause },
  );
}
