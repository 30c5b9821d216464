/**
 * A signed-in session: the tokens of one device-code sign-in, the account label taken
 * from the `id_token` for display only, and the expiry rule.
 */
import { randomUUID } from 'crypto';
import { isPlainText } from '../common/displayText';
import { isJsonObject, JsonObject } from '../common/validate';

/**
 * The account id and label used when the service gave no readable `id_token`. Stored
 * with the session and shown as VS Code's account name, so it is not translated: one
 * account keeps one name whatever the display language.
 */
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
  /** When the user signed in, epoch seconds (absent in records written before it was kept). */
  issuedAt?: number;
}

/** Tokens from `POST /v1/tokens`, checked, with the lifetime made absolute. */
export interface TokenSet {
  accessToken: string;
  tokenType: string;
  /** Epoch milliseconds. */
  expiresAtMs: number;
  refreshToken?: string;
  idToken?: string;
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

/** A new session from freshly issued tokens, signed in at `issuedAt` (epoch seconds) when given. */
export function sessionFromTokens(tokens: TokenSet, scopes: readonly string[], clientId: string, issuedAt?: number): StoredSession {
  const session: StoredSession = {
    id: randomUUID(),
    account: accountFromIdToken(tokens.idToken),
    scopes: [...scopes],
    accessToken: tokens.accessToken,
    expiresAt: Math.floor(tokens.expiresAtMs / 1000),
    clientId,
  };
  if (tokens.refreshToken !== undefined) session.refreshToken = tokens.refreshToken;
  if (issuedAt !== undefined) session.issuedAt = issuedAt;
  return session;
}

/** A session that cannot be refreshed is warned about this many seconds before it ends (ten minutes). */
export const SESSION_END_WARNING_SECONDS = 600;

/**
 * When to warn that `session` will end, epoch milliseconds: ten minutes before, or a
 * tenth of its life for a short session; undefined when it can be refreshed instead.
 */
export function sessionEndWarningAtMs(session: StoredSession): number | undefined {
  if (session.refreshToken) return undefined;
  const lifetime = session.issuedAt === undefined ? Infinity : Math.max(0, session.expiresAt - session.issuedAt);
  return (session.expiresAt - Math.min(SESSION_END_WARNING_SECONDS, lifetime / 10)) * 1000;
}

/** The next time (epoch ms) a warning that a session will end falls due among `sessions`, or undefined. */
export function nextSessionEndWarningAtMs(sessions: readonly StoredSession[]): number | undefined {
  const times = sessions.map((session) => sessionEndWarningAtMs(session)).filter((at): at is number => at !== undefined);
  return times.length > 0 ? Math.min(...times) : undefined;
}

/** The session after a refresh: same id and account, new tokens. */
export function refreshedSession(session: StoredSession, tokens: TokenSet): StoredSession {
  const next: StoredSession = { ...session, accessToken: tokens.accessToken, expiresAt: Math.floor(tokens.expiresAtMs / 1000) };
  if (tokens.refreshToken !== undefined) next.refreshToken = tokens.refreshToken;
  return next;
}
