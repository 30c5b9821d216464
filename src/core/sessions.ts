/**
 * Signed-in sessions: their SecretStorage record (one per endpoint, holding every
 * session of it), the account label taken from the `id_token` for display only, and
 * the expiry rule.
 */
import { randomUUID } from 'crypto';
import { isPlainText } from './displayText';
import { IdentityCenterError } from './errors';
import { TokenSet } from './oidcClient';
import { isJsonObject, JsonObject, optionalString, requireClientId, requireEpochSeconds, requireString } from './validate';

/** Version of the stored sessions record. */
export const SESSIONS_RECORD_VERSION = 1;

/** The label used when the service gave no readable `id_token`. */
export const NEUTRAL_ACCOUNT_LABEL = 'IAM Identity Center user';

/** A session is treated as expired this many seconds before its token does. */
export const SESSION_EXPIRY_MARGIN_SECONDS = 60;

/** One signed-in session. `accessToken` and `refreshToken` are secrets. */
export interface StoredSession {
  id: string;
  account: { id: string; label: string };
  scopes: string[];
  accessToken: string;
  /** Epoch seconds. */
  expiresAt: number;
  refreshToken?: string;
  /** The client that obtained the tokens; a refresh must use the same one. */
  clientId: string;
}

/** The SecretStorage key of the sessions of one endpoint. */
export function sessionsKey(endpoint: string): string {
  return `iamIdentityCenter.sessions.v${SESSIONS_RECORD_VERSION}|${endpoint.replace(/\/+$/, '')}`;
}

/** The stored text for a list of sessions. */
export function serializeSessions(sessions: readonly StoredSession[]): string {
  return JSON.stringify({ version: SESSIONS_RECORD_VERSION, sessions });
}

/** Parses the stored sessions; throws a `protocol` error when the record is corrupt. */
export function parseSessions(text: string): StoredSession[] {
  const what = 'The stored sessions';
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    throw new IdentityCenterError('protocol', `${what} are not JSON`);
  }
  if (!isJsonObject(record) || record.version !== SESSIONS_RECORD_VERSION || !Array.isArray(record.sessions)) {
    throw new IdentityCenterError('protocol', `${what} have an unknown format`);
  }
  return record.sessions.map((item: unknown) => parseSession(item, what));
}

function parseSession(item: unknown, what: string): StoredSession {
  if (!isJsonObject(item) || !isJsonObject(item.account) || !Array.isArray(item.scopes)) {
    throw new IdentityCenterError('protocol', `${what} hold a malformed session`);
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
  return session;
}

/** True while the session's token has more than the margin left. */
export function isSessionValid(session: Pick<StoredSession, 'expiresAt'>, nowMs: number): boolean {
  return nowMs < (session.expiresAt - SESSION_EXPIRY_MARGIN_SECONDS) * 1000;
}

/** True when the session was granted every scope asked for. */
export function hasScopes(session: Pick<StoredSession, 'scopes'>, scopes: readonly string[]): boolean {
  return scopes.every((scope) => session.scopes.includes(scope));
}

/**
 * The account shown for an `id_token`: its claims are decoded for display only (the
 * signature is not checked, and nothing is decided on them).
 */
export function accountFromIdToken(idToken: string | undefined): { id: string; label: string } {
  const claims = decodeJwtPayload(idToken);
  const label = [claims?.preferred_username, claims?.email, claims?.name].find(isDisplayable);
  const id = isDisplayable(claims?.sub) ? claims.sub : undefined;
  return { id: id ?? label ?? NEUTRAL_ACCOUNT_LABEL, label: label ?? NEUTRAL_ACCOUNT_LABEL };
}

/** A claim shown as it is: plain text (no invisible characters, link or icon syntax), at most 256 characters. */
function isDisplayable(value: unknown): value is string {
  return isPlainText(value, 256);
}

function decodeJwtPayload(token: string | undefined): JsonObject | undefined {
  const payload = token?.split('.')[1];
  if (!payload || payload.length > 16384) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return isJsonObject(claims) ? claims : undefined;
  } catch {
    return undefined;
  }
}

/** A new session from freshly issued tokens. */
export function sessionFromTokens(tokens: TokenSet, scopes: readonly string[], clientId: string): StoredSession {
  const session: StoredSession = {
    id: randomUUID(),
    account: accountFromIdToken(tokens.idToken),
    scopes: [...scopes],
    accessToken: tokens.accessToken,
    expiresAt: Math.floor(tokens.expiresAtMs / 1000),
    clientId,
  };
  if (tokens.refreshToken !== undefined) session.refreshToken = tokens.refreshToken;
  return session;
}

/** The session after a refresh: same id and account, new tokens. */
export function refreshedSession(session: StoredSession, tokens: TokenSet): StoredSession {
  const next: StoredSession = { ...session, accessToken: tokens.accessToken, expiresAt: Math.floor(tokens.expiresAtMs / 1000) };
  if (tokens.refreshToken !== undefined) next.refreshToken = tokens.refreshToken;
  return next;
}
