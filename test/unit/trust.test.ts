/**
 * Text from the service stays text, and the service's answers cannot smuggle a secret
 * or an unbounded time into what is shown, logged or stored: display safety, client id
 * rules, redaction of echoed secrets, bounded stored times and the never-expiring secret.
 */
import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import { marked } from 'marked';
import { cleanText, isPlainText, markdownLiteral, plainText } from '../../src/core/common/displayText';
import { isIdentityCenterError, redactSecrets } from '../../src/core/common/errors';
import { NON_EXPIRING_SECRET_RENEWAL_SECONDS, parseClientInfo } from '../../src/core/oidc/responses';
import { accountFromIdToken, type StoredSession } from '../../src/core/sessions/model';
import { parseSessions, serializeSessions } from '../../src/core/sessions/record';
import { MAX_EPOCH_SECONDS } from '../../src/core/common/validate';
import { rejectsWith } from '../support/assertions';
import { useEmulator } from '../support/emulatorFixture';

const ENDPOINT = 'https://oidc.example.com';
const NOW_S = 1_700_000_000;
const INPUT = { clientName: 'laptop', scopes: ['openid'] };
const GOOD_INFO = { client_id: 'cid-1', client_secret: 'csecret-1', client_id_issued_at: NOW_S, client_secret_expires_at: NOW_S + 3600 };

function jwt(claims: unknown): string {
  return `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;
}

describe('names inside markdown (the terminal environment description)', () => {
  /** What a person reads of rendered HTML: tags out, the entities marked uses decoded. */
  const shownText = (html: string) =>
    html
      .replace(/<[^>]*>/g, '')
      .replace(/&(lt|gt|quot|#39|amp);/g, (_all, name: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[name] ?? '')
      .trim();

  it('renders hostile names as their plain text, with no link, as marked (GFM, like VS Code) renders them', () => {
    for (const name of ['<https://evil.example>', '[x](command:workbench.action.quit)', 'https://evil.example/a_b', 'www.evil.example', 'a@evil.example', '**bold** `code` # h', '<b>html</b>']) {
      const html = marked.parse(markdownLiteral(name), { gfm: true, async: false });
      assert.doesNotMatch(html, /<(?!\/?p>)/, `${name} → ${html}`);
      assert.equal(shownText(html), plainText(name), name);
    }
  });

  it('property: no string renders a tag other than the paragraph, and every visible character stays', () => {
    const printable = fc.string({ unit: fc.constantFrom(...'abc:/.@<>[]()*_`#!-~|\\&"\' wx'.split('')), maxLength: 40 });
    fc.assert(
      fc.property(printable, (name) => {
        const html = marked.parse(markdownLiteral(name), { gfm: true, async: false });
        assert.doesNotMatch(html, /<(?!\/?p>)/, html);
        assert.equal(shownText(html).replace(/\s+/g, ' '), plainText(name).trim().replace(/\s+/g, ' '));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('plain text for service and token strings', () => {
  it('breaks markdown links and icons, drops invisible characters, and cuts long text', () => {
    assert.equal(plainText('[Open](command:workbench.action.quit)'), '[Open] (command:workbench.action.quit)');
    assert.equal(plainText('[a]([b](https://evil.example))'), '[a] ([b] (https://evil.example))');
    assert.equal(plainText('$(sync~spin) signed in'), '$ (sync~spin) signed in');
    assert.equal(plainText('ab\u202Ecd\u200Be\nf\u0007'), 'abcdef');
    assert.equal(plainText('x'.repeat(300), 10), `${'x'.repeat(9)}…`);
    assert.equal(plainText('[Open]\u200B(command:x)'), '[Open] (command:x)', 'an invisible character cannot hide the link syntax');
  });

  it('cleans a name or description where it arrives: line breaks to a space, invisible characters out, trimmed, cut', () => {
    assert.equal(cleanText(' Line one\r\n\tline two\u2028three\n'), 'Line one line two three');
    assert.equal(cleanText('iic\u200DDev\u200Feloper\u202E\uFEFF\u0007'), 'iicDeveloper');
    assert.equal(cleanText('broken \uD800half'), 'broken half');
    assert.equal(cleanText('\u200D \u200F\n'), '', 'nothing to show');
    assert.equal(cleanText('x'.repeat(300), 10), `${'x'.repeat(9)}…`);
    assert.equal(cleanText('[Open](command:x)'), '[Open](command:x)', 'link syntax is broken where it is shown (plainText), not in the data');
  });

  it('calls text plain only when nothing would change and it is not blank', () => {
    assert.equal(isPlainText('alice@example.com'), true);
    for (const value of ['[x](command:y)', '$(alert)', 'a\u202Eb', '   ', '', 42, undefined]) assert.equal(isPlainText(value), false, String(value));
  });

  it('takes no account label with link or icon syntax from the id token: the next claim is used', () => {
    assert.deepEqual(accountFromIdToken(jwt({ sub: 'u1', preferred_username: '[Click](command:workbench.action.quit)', email: 'alice@example.com' })), {
      id: 'u1',
      label: 'alice@example.com',
    });
    assert.equal(accountFromIdToken(jwt({ sub: '$(alert)', name: '$(alert)' })).label, 'IAM Identity Center user');
  });
});

describe('client ids from the service', () => {
  const parse = (clientId: unknown) => parseClientInfo({ client_info: { ...GOOD_INFO, client_id: clientId } }, INPUT, ENDPOINT, NOW_S * 1000);

  it('accepts the characters services use', () => {
    for (const id of ['cid-0123abcd', 'f3c1e0a2-5b7d-4e11-9a3c-2d8e7f6a1b90', 'AbC_123.x~y+z/w=', 'tenant:app@region']) assert.equal(parse(id).clientId, id);
  });

  it('refuses markdown, spaces, control and non-ASCII characters, and over 256 characters, without quoting them', () => {
    for (const id of ['[x](command:y)', 'a b', 'a\nb', 'ｃｉｄ', 'a'.repeat(257), '$(alert)']) {
      assert.throws(() => parse(id), (error: unknown) => isIdentityCenterError(error, 'protocol') && !error.message.includes(id), id);
    }
  });
});

describe('client_secret_expires_at 0 (RFC 7591: never expires)', () => {
  it('is accepted and renewed on a 90-day schedule', () => {
    const registration = parseClientInfo({ client_info: { ...GOOD_INFO, client_secret_expires_at: 0 } }, INPUT, ENDPOINT, NOW_S * 1000);
    assert.equal(registration.expiresAt, NOW_S + NON_EXPIRING_SECRET_RENEWAL_SECONDS);
  });
});

describe('stored times are bounded', () => {
  const session: StoredSession = { id: 's', account: { id: 'u', label: 'u' }, scopes: [], accessToken: 'a', expiresAt: NOW_S, clientId: 'cid-1' };

  it('a stored session expiring after the year 9999 is a corrupt record', () => {
    assert.equal(parseSessions(serializeSessions([{ ...session, expiresAt: MAX_EPOCH_SECONDS }]))[0].expiresAt, MAX_EPOCH_SECONDS);
    assert.throws(() => parseSessions(serializeSessions([{ ...session, expiresAt: MAX_EPOCH_SECONDS + 1 }])), (error: unknown) => isIdentityCenterError(error, 'protocol'));
    assert.throws(() => parseSessions(serializeSessions([{ ...session, expiresAt: Number.MAX_SAFE_INTEGER }])), (error: unknown) => isIdentityCenterError(error, 'protocol'));
  });
});

describe('secrets echoed by the service are cut from its text', () => {
  const fx = useEmulator();

  it('redactSecrets replaces every occurrence, leaving short values alone', () => {
    assert.equal(redactSecrets('a SECRET1 b SECRET1', ['SECRET1', undefined, 'ab']), 'a [secret] b [secret]');
  });

  it('the client secret and device code are not in the error a request carrying them gets', async () => {
    const oidc = fx.oidc();
    const client = await oidc.registerClient(INPUT);
    const echo = (text: string) => ({ type: 'status' as const, status: 400, body: { error_code: 'IIC.1001', error_msg: `bad request: ${text}` } });

    fx.emulator.injectFault(echo(`client_secret=${client.clientSecret}`), { path: '/v1/device/authorize' });
    const authorizeError = await rejectsWith(oidc.startDeviceAuthorization(client, 'https://start.example.com'), 'service');
    assert.match(authorizeError.serviceText ?? '', /client_secret=\[secret\]/);

    const authorization = await oidc.startDeviceAuthorization(client, 'https://start.example.com');
    fx.emulator.injectFault(echo(`device_code ${authorization.deviceCode} from ${client.clientSecret}`), { path: '/v1/tokens' });
    const pollError = await rejectsWith(oidc.pollDeviceToken(client, authorization.deviceCode), 'service');
    for (const error of [authorizeError, pollError]) {
      const everything = JSON.stringify({ message: error.message, text: error.serviceText, code: error.code }) + fx.logger.text();
      assert.ok(!everything.includes(client.clientSecret) && !everything.includes(authorization.deviceCode), everything);
    }
  });
});
