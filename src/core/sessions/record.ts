/**
 * The stored sessions: one versioned JSON record in SecretStorage per endpoint, holding
 * every session of it.
 */
import { IdentityCenterError } from '../common/errors';
import * as l10n from '@vscode/l10n';
import { parseVersionedRecord, serializeVersionedRecord } from '../common/records';
import { normalizeEndpoint } from '../common/url';
import { isJsonObject, JsonObject, optionalString, requireClientId, requireEpochSeconds, requireString } from '../common/validate';
import type { StoredSession } from './model';

/** Version of the stored sessions record. */
export const SESSIONS_RECORD_VERSION = 1;

/** The SecretStorage key of the sessions of one endpoint. */
export function sessionsKey(endpoint: string): string {
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
