/**
 * Sessions: the stored record (round trip, corrupt records), the account label taken
 * from the `id_token` for display only, the expiry margin, scopes, and refresh.
 */
import { strict as assert } from 'node:assert';
import { isIdentityCenterError } from '../../src/core/common/errors';
import type { TokenSet } from '../../src/core/sessions/model';
import { accountFromIdToken, hasScopes, isSessionValid, NEUTRAL_ACCOUNT_LABEL, refreshedSession, SESSION_EXPIRY_MARGIN_SECONDS, sessionFromTokens, type StoredSession } from '../../src/core/sessions/model';
import { legacySessionsKey, parseSessions, serializeSessions, sessionsKey } from '../../src/core/sessions/record';

/** An unsigned JWT with these claims; the header and signature are never read. */
function jwt(claims: unknown, payloadOverride?: string): string {
  const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  const payload = payloadOverride ?? Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${header}.${payload}.c2lnbmF0dXJl`;
}

const NEUTRAL = { id: NEUTRAL_ACCOUNT_LABEL, label: NEUTRAL_ACCOUNT_LABEL };

const session = (overrides: Partial<StoredSession> = {}): StoredSession => ({
  id: 'session-1',
  account: { id: 'user-0001', label: 'test.user@example.com' },
  scopes: ['openid', 'profile'],
  accessToken: 'atoken-SECRET-1',
  expiresAt: 1_700_003_600,
  refreshToken: 'rtoken-SECRET-1',
  clientId: 'cid-1',
  ...overrides,
});

function rejectsAsProtocol(text: string): void {
  assert.throws(
    () => parseSessions(text),
    (error: unknown) => isIdentityCenterError(error, 'protocol') && !error.message.includes('SECRET'),
    `should reject ${text.slice(0, 120)}`,
  );
}

describe('sessions record', () => {
  it('keys one record per instance: endpoint (trailing slashes aside) and user portal', () => {
    const start = 'https://d-1.portal.example.com/start';
    assert.equal(sessionsKey('https://oidc.example.com/', start), sessionsKey('https://oidc.example.com', start));
    assert.equal(sessionsKey('https://oidc.example.com//', start), `iamIdentityCenter.sessions.v1|https://oidc.example.com|${start}`);
    assert.notEqual(sessionsKey('https://a.example.com', start), sessionsKey('https://b.example.com', start));
    assert.notEqual(sessionsKey('https://a.example.com', start), sessionsKey('https://a.example.com', 'https://d-2.portal.example.com/start'), 'two portals in one region');
  });

  it('reads the key the release before profiles wrote: the endpoint alone', () => {
    assert.equal(legacySessionsKey('https://oidc.example.com//'), 'iamIdentityCenter.sessions.v1|https://oidc.example.com');
    assert.ok(!sessionsKey('https://oidc.example.com', '').endsWith('oidc.example.com'), 'no profile key is the legacy key');
  });

  it('round-trips sessions with and without a refresh token, with the version', () => {
    const withRefresh = session();
    const withoutRefresh = session({ id: 'session-2', refreshToken: undefined, scopes: [] });
    delete withoutRefresh.refreshToken;
    const text = serializeSessions([withRefresh, withoutRefresh]);
    assert.equal(JSON.parse(text).version, 1);
    const parsed = parseSessions(text);
    assert.deepEqual(parsed, [withRefresh, withoutRefresh]);
    assert.equal('refreshToken' in parsed[1], false);
    assert.deepEqual(parseSessions(serializeSessions([])), []);
  });

  it('treats a null refresh token as absent and drops non-string scopes', () => {
    const text = JSON.stringify({ version: 1, sessions: [{ ...session(), refreshToken: null, scopes: ['openid', 7, null, 'email'] }] });
    const [parsed] = parseSessions(text);
    assert.equal('refreshToken' in parsed, false);
    assert.deepEqual(parsed.scopes, ['openid', 'email']);
  });

  it('rejects every truncation of a valid record', () => {
    const text = serializeSessions([session()]);
    for (let length = 0; length < text.length; length++) rejectsAsProtocol(text.slice(0, length));
  });

  const good = session();
  const corrupt: [string, unknown][] = [
    ['null', null],
    ['an array', [good]],
    ['a string', 'sessions'],
    ['another version', { version: 2, sessions: [good] }],
    ['no version', { sessions: [good] }],
    ['a string version', { version: '1', sessions: [good] }],
    ['sessions not a list', { version: 1, sessions: { 0: good } }],
    ['a null session', { version: 1, sessions: [null] }],
    ['a session without account', { version: 1, sessions: [{ ...good, account: undefined }] }],
    ['an account without label', { version: 1, sessions: [{ ...good, account: { id: 'x' } }] }],
    ['an empty account label', { version: 1, sessions: [{ ...good, account: { id: 'x', label: '' } }] }],
    ['scopes not a list', { version: 1, sessions: [{ ...good, scopes: 'openid' }] }],
    ['no access token', { version: 1, sessions: [{ ...good, accessToken: undefined }] }],
    ['an empty access token', { version: 1, sessions: [{ ...good, accessToken: '' }] }],
    ['a numeric access token', { version: 1, sessions: [{ ...good, accessToken: 12345 }] }],
    ['an oversized access token', { version: 1, sessions: [{ ...good, accessToken: 'a'.repeat(16385) }] }],
    ['an oversized id', { version: 1, sessions: [{ ...good, id: 'i'.repeat(257) }] }],
    ['a string expiry', { version: 1, sessions: [{ ...good, expiresAt: '1700003600' }] }],
    ['a fractional expiry', { version: 1, sessions: [{ ...good, expiresAt: 1700003600.5 }] }],
    ['a negative expiry', { version: 1, sessions: [{ ...good, expiresAt: -1 }] }],
    ['an unsafe expiry', { version: 1, sessions: [{ ...good, expiresAt: 2 ** 60 }] }],
    ['no client id', { version: 1, sessions: [{ ...good, clientId: undefined }] }],
    ['a numeric refresh token', { version: 1, sessions: [{ ...good, refreshToken: 5 }] }],
    ['an empty refresh token', { version: 1, sessions: [{ ...good, refreshToken: '' }] }],
    ['one bad session among good ones', { version: 1, sessions: [good, { ...good, accessToken: null }] }],
  ];
  for (const [name, record] of corrupt) {
    it(`rejects ${name} as a protocol error without quoting it`, () => rejectsAsProtocol(JSON.stringify(record) ?? 'undefined'));
  }

  it('does not take fields from a __proto__ key', () => {
    const text = `{"version":1,"sessions":[{"__proto__":${JSON.stringify(good)}}]}`;
    rejectsAsProtocol(text);
    assert.equal(({} as Record<string, unknown>).accessToken, undefined, 'Object.prototype stays clean');
  });
});

describe('accountFromIdToken', () => {
  const claims = { sub: 'user-0001', preferred_username: 'alice', email: 'alice@example.com', name: 'Alice Liddell' };

  it('prefers preferred_username, then email, then name, and uses sub as the id', () => {
    assert.deepEqual(accountFromIdToken(jwt(claims)), { id: 'user-0001', label: 'alice' });
    assert.deepEqual(accountFromIdToken(jwt({ ...claims, preferred_username: undefined })), { id: 'user-0001', label: 'alice@example.com' });
    assert.deepEqual(accountFromIdToken(jwt({ sub: 'u', name: 'Alice Liddell' })), { id: 'u', label: 'Alice Liddell' });
  });

  it('uses the label as the id when sub is missing or unusable', () => {
    assert.deepEqual(accountFromIdToken(jwt({ email: 'alice@example.com' })), { id: 'alice@example.com', label: 'alice@example.com' });
    assert.deepEqual(accountFromIdToken(jwt({ sub: 42, email: 'e@x' })), { id: 'e@x', label: 'e@x' });
    assert.deepEqual(accountFromIdToken(jwt({ sub: 'a\nb', email: 'e@x' })), { id: 'e@x', label: 'e@x' });
  });

  it('uses the neutral label when the id token is missing or malformed', () => {
    const malformed: (string | undefined)[] = [
      undefined,
      '',
      'no-dots-at-all',
      'header.',
      'header..signature',
      'header.!!!not-base64!!!.sig',
      jwt(undefined, Buffer.from('not json').toString('base64url')),
      jwt(undefined, Buffer.from('{"preferred_username":"alice"').toString('base64url')),
      jwt(['alice']),
      jwt('alice'),
      jwt(null),
      jwt(42),
      jwt({}),
      jwt({ preferred_username: 'alice' }).split('.')[0],
    ];
    for (const token of malformed) assert.deepEqual(accountFromIdToken(token), NEUTRAL, `token ${String(token)}`);
    assert.deepEqual(accountFromIdToken(jwt({ sub: 'only-sub' })), { id: 'only-sub', label: NEUTRAL_ACCOUNT_LABEL });
  });

  it('skips claims of the wrong type', () => {
    assert.deepEqual(accountFromIdToken(jwt({ preferred_username: 7, email: ['a'], name: 'Named' })), { id: 'Named', label: 'Named' });
    assert.deepEqual(accountFromIdToken(jwt({ preferred_username: { toString: 'x' }, email: null, name: true })), NEUTRAL);
    assert.deepEqual(accountFromIdToken(jwt({ preferred_username: '', email: '', name: '' })), NEUTRAL);
  });

  it('skips hostile claims: control, bidi, zero-width and line-separator characters', () => {
    for (const hostile of ['ali\u0000ce', 'alice\n', 'a\tb', '\u001b[31mred', 'evil\u202Egnp.exe', 'a\u200Bb', 'a\u2028b', 'a\u2029b', '\u007f', 'x\uFEFF']) {
      assert.deepEqual(accountFromIdToken(jwt({ preferred_username: hostile, email: 'safe@example.com' })).label, 'safe@example.com', JSON.stringify(hostile));
      assert.deepEqual(accountFromIdToken(jwt({ preferred_username: hostile, email: hostile, name: hostile })), NEUTRAL, JSON.stringify(hostile));
    }
  });

  it('skips oversized claims and ignores an oversized payload', () => {
    assert.equal(accountFromIdToken(jwt({ preferred_username: 'a'.repeat(256) })).label, 'a'.repeat(256));
    assert.equal(accountFromIdToken(jwt({ preferred_username: 'a'.repeat(257), name: 'Short' })).label, 'Short');
    const huge = jwt({ preferred_username: 'alice', padding: 'p'.repeat(20_000) });
    assert.deepEqual(accountFromIdToken(huge), NEUTRAL);
    assert.deepEqual(accountFromIdToken(`x.${'A'.repeat(5_000_000)}.y`), NEUTRAL);
  });

  it('ignores claims hidden behind __proto__', () => {
    const payload = Buffer.from('{"__proto__":{"preferred_username":"mallory","sub":"m"}}').toString('base64url');
    assert.deepEqual(accountFromIdToken(jwt(undefined, payload)), NEUTRAL);
    assert.equal(({} as Record<string, unknown>).preferred_username, undefined);
  });

  it('never returns the token itself', () => {
    const token = jwt({ sub: 'u', preferred_username: 'alice' });
    const account = accountFromIdToken(token);
    assert.ok(!JSON.stringify(account).includes(token.split('.')[1]));
  });

  // BUG (reported): a claim made only of spaces passes `isDisplayable` and becomes a blank account label.
  it('skips a claim that is only whitespace', () => {
    for (const blank of [' ', '   ', '\u3000', '\u00a0\u00a0']) {
      assert.equal(accountFromIdToken(jwt({ preferred_username: blank, email: 'safe@example.com' })).label, 'safe@example.com', JSON.stringify(blank));
    }
  });
});

describe('session expiry and scopes', () => {
  it('is valid strictly before expiresAt minus the 60 s margin', () => {
    assert.equal(SESSION_EXPIRY_MARGIN_SECONDS, 60);
    const s = { expiresAt: 1_000 };
    assert.equal(isSessionValid(s, 0), true);
    assert.equal(isSessionValid(s, 939_999), true);
    assert.equal(isSessionValid(s, 940_000), false);
    assert.equal(isSessionValid(s, 1_000_000), false);
    assert.equal(isSessionValid(s, 2_000_000), false);
    assert.equal(isSessionValid({ expiresAt: 30 }, 0), false, 'a token shorter than the margin is never valid');
  });

  it('has every asked scope, in any order; asking none is always satisfied', () => {
    const s = { scopes: ['openid', 'profile', 'email'] };
    assert.equal(hasScopes(s, []), true);
    assert.equal(hasScopes(s, ['email', 'openid']), true);
    assert.equal(hasScopes(s, ['openid', 'openid']), true);
    assert.equal(hasScopes(s, ['openid', 'admin']), false);
    assert.equal(hasScopes({ scopes: [] }, ['openid']), false);
    assert.equal(hasScopes(s, ['OPENID']), false, 'scopes are case-sensitive');
  });
});

describe('sessionFromTokens and refreshedSession', () => {
  const tokens = (overrides: Partial<TokenSet> = {}): TokenSet => ({
    accessToken: 'atoken-NEW',
    tokenType: 'Bearer',
    expiresAtMs: 1_700_007_200_999,
    ...overrides,
  });

  it('builds a session from tokens: floor of the expiry, a fresh id, the account, copied scopes', () => {
    const scopes = ['openid'];
    const a = sessionFromTokens(tokens({ idToken: jwt({ sub: 'u', email: 'e@x' }), refreshToken: 'r' }), scopes, 'cid-1');
    const b = sessionFromTokens(tokens(), scopes, 'cid-1');
    assert.equal(a.expiresAt, 1_700_007_200);
    assert.deepEqual(a.account, { id: 'u', label: 'e@x' });
    assert.equal(a.refreshToken, 'r');
    assert.equal(a.clientId, 'cid-1');
    assert.match(a.id, /^[0-9a-f-]{36}$/);
    assert.notEqual(a.id, b.id);
    assert.deepEqual(b.account, NEUTRAL);
    assert.equal('refreshToken' in b, false);
    scopes.push('mutated');
    assert.deepEqual(a.scopes, ['openid']);
    assert.deepEqual(parseSessions(serializeSessions([a, b])), [a, b]);
  });

  it('keeps id, account, scopes and client; takes the new access token and expiry', () => {
    const old = session();
    const next = refreshedSession(old, tokens({ refreshToken: 'rtoken-NEW', idToken: jwt({ preferred_username: 'someone-else' }) }));
    assert.equal(next.id, old.id);
    assert.deepEqual(next.account, old.account);
    assert.deepEqual(next.scopes, old.scopes);
    assert.equal(next.clientId, old.clientId);
    assert.equal(next.accessToken, 'atoken-NEW');
    assert.equal(next.expiresAt, 1_700_007_200);
    assert.equal(next.refreshToken, 'rtoken-NEW');
    assert.equal(old.accessToken, 'atoken-SECRET-1', 'the old session is not mutated');
    assert.equal(old.refreshToken, 'rtoken-SECRET-1');
  });

  it('keeps the old refresh token when none is returned', () => {
    const next = refreshedSession(session(), tokens());
    assert.equal(next.refreshToken, 'rtoken-SECRET-1');
    const withoutAny = session();
    delete withoutAny.refreshToken;
    assert.equal('refreshToken' in refreshedSession(withoutAny, tokens()), false);
  });
});
