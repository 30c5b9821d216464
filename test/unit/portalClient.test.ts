/**
 * The portal client against the emulator over real loopback HTTP: every page followed
 * with one limit, credentials in both expiration forms, odd rows kept cleaned or left
 * out alone (never failing the list), and every bad answer (missing fields, a non-JSON
 * body, a huge list, a page marker that repeats) ending in a clear error, never a loop,
 * never a secret in a message.
 */
import { strict as assert } from 'node:assert';
import { isIdentityCenterError } from '../../src/core/common/errors';
import { MAX_LISTED_ITEMS, MAX_PAGES, PAGE_LIMIT, PortalClient } from '../../src/core/portal/client';
import { rejectsWith } from '../support/assertions';
import { useEmulator } from '../support/emulatorFixture';

const PRODUCTION = '5c3f0e8a9b2d4e71a6f08c1d2e3b4a59';
const SANDBOX = 'a0d2c4e6f8b14357968a0b1c2d3e4f57';

describe('PortalClient against the emulator', () => {
  const fx = useEmulator({ limits: { totalTimeoutMs: 2000 } });
  let portal: PortalClient;
  let token: string;

  beforeEach(() => {
    portal = fx.portal();
    token = fx.emulator.issueAccessToken();
  });

  const listRequests = (path: string) => fx.emulator.requests(path);

  it('lists the assigned accounts with names and addresses, sending the token in the access-token header', async () => {
    const accounts = await portal.listAccounts(token);
    assert.deepEqual(
      accounts.map((a) => [a.accountName, a.email]),
      [
        ['production', 'cloud-production@example.com'],
        ['staging', 'cloud-staging@example.com'],
        ['sandbox', 'cloud-sandbox@example.com'],
      ],
    );
    const [request] = listRequests('/v1/assigned-accounts');
    assert.equal(request.headers['access-token'], token);
    assert.equal(request.query.limit, String(PAGE_LIMIT));
  });

  it('follows every page of 2000 accounts at 200 a page: exactly 10 requests, the same limit each time', async () => {
    fx.emulator.configure({ accountCount: 2000 });
    const accounts = await portal.listAccounts(token);
    assert.equal(accounts.length, 2000);
    assert.equal(new Set(accounts.map((a) => a.accountId)).size, 2000);
    const requests = listRequests('/v1/assigned-accounts');
    assert.equal(requests.length, 10);
    assert.ok(requests.every((r) => r.query.limit === '200'));
    assert.equal(requests[0].query.marker, undefined);
    assert.ok(requests.slice(1).every((r) => typeof r.query.marker === 'string' && /[+/=]/.test(r.query.marker)), 'markers are URL-encoded and come back whole');
  });

  it('reads a last page whose next_marker is absent as well as null', async () => {
    fx.emulator.configure({ accountCount: 450, lastPageMarker: 'absent' });
    assert.equal((await portal.listAccounts(token)).length, 450);
    assert.equal(listRequests('/v1/assigned-accounts').length, 3);
  });

  it("lists an account's agencies with their URN, permission set and description", async () => {
    const agencies = await portal.listAgencies(token, PRODUCTION);
    assert.deepEqual(agencies[0], {
      accountId: PRODUCTION,
      agencyName: 'iic_ReadOnlyAccess_7d41',
      agencyUrn: `iam::${PRODUCTION}:agency:iic_ReadOnlyAccess_7d41`,
      permissionSetName: 'ReadOnlyAccess',
      description: 'Read-only access to every service.',
    });
    assert.equal(listRequests('/v1/assigned-agencies')[0].query.account_id, PRODUCTION);
  });

  for (const style of ['seconds', 'milliseconds'] as const) {
    it(`issues credentials with expiration in ${style}, read as epoch seconds`, async () => {
      fx.emulator.configure({ credentialExpirationStyle: style, credentialLifetimeSeconds: 900 });
      const urn = `iam::${PRODUCTION}:agency:iic_ReadOnlyAccess_7d41`;
      const credentials = await portal.getCredentials(token, { accountId: PRODUCTION, agencyUrn: urn });
      const [issued] = fx.emulator.issuedCredentials();
      assert.equal(credentials.accessKeyId, issued.accessKeyId);
      assert.equal(credentials.secretAccessKey, issued.secretAccessKey);
      assert.equal(credentials.sessionToken, issued.sessionToken);
      assert.equal(credentials.expiresAt, Math.floor(issued.expiresAtMs / 1000));
      assert.equal(credentials.expiresAt - credentials.issuedAt, 900);
      const [request] = listRequests('/v1/credentials');
      assert.deepEqual([request.query.target_account_id, request.query.agency_urn], [PRODUCTION, urn]);
    });
  }

  it('a refused or ended token asks to sign in again; logout ends the portal session', async () => {
    await portal.listAccounts(token);
    await portal.logout(token);
    assert.deepEqual(fx.emulator.loggedOutAccessTokens(), [token]);
    const afterLogout = await rejectsWith(portal.listAccounts(token), 'signInRequired');
    assert.match(afterLogout.message, /Sign in again/);
    assert.equal(afterLogout.remedy, 'signIn');
    const other = fx.emulator.issueAccessToken();
    fx.emulator.revokeAccessToken(other);
    await rejectsWith(portal.listAccounts(other), 'signInRequired');
  });

  it('a 403 on a new request is a permission the user lacks; on a request that worked, a sign-in that ended', async () => {
    const missing = await rejectsWith(portal.listAgencies(token, 'f'.repeat(32)), 'service');
    assert.match(missing.message, /administrator/);
    await portal.listAccounts(token);
    fx.emulator.injectFault({ type: 'status', status: 403, body: { error_code: 'IIC.1000', error_msg: 'forbidden' } }, { path: '/v1/assigned-accounts' });
    await rejectsWith(portal.listAccounts(token), 'signInRequired');
  });

  it('a repeated page marker ends the listing with an error after one extra page, never a loop', async () => {
    fx.emulator.configure({ accountCount: 1000 });
    fx.emulator.injectFault({ type: 'repeatMarker' }, { path: '/v1/assigned-accounts', times: 50 });
    const error = await rejectsWith(portal.listAccounts(token), 'protocol');
    assert.match(error.message, /repeats a page marker/);
    assert.ok(listRequests('/v1/assigned-accounts').length <= 2);
  });

  it('an empty page that points at itself is a repeated marker', async () => {
    fx.emulator.configure({ accountCount: 10 });
    fx.emulator.injectFault({ type: 'pageSize', size: 0 }, { path: '/v1/assigned-accounts', times: 1000 });
    assert.match((await rejectsWith(portal.listAccounts(token), 'protocol')).message, /repeats a page marker/);
    assert.equal(listRequests('/v1/assigned-accounts').length, 2);
  });

  it('a listing of one entry a page ends after the page limit', async () => {
    fx.emulator.configure({ accountCount: 10_000 });
    fx.emulator.injectFault({ type: 'pageSize', size: 1 }, { path: '/v1/assigned-accounts', times: 1000 });
    const error = await rejectsWith(portal.listAccounts(token), 'protocol');
    assert.match(error.message, new RegExp(`more than ${MAX_PAGES} pages`));
    assert.equal(listRequests('/v1/assigned-accounts').length, MAX_PAGES);
  });

  it('a huge list is refused: past the entry limit across pages, or past the body cap in one', async () => {
    fx.emulator.configure({ accountCount: MAX_LISTED_ITEMS + 1 });
    assert.match((await rejectsWith(portal.listAccounts(token), 'protocol')).message, /more than 10000 entries/);
    assert.equal(listRequests('/v1/assigned-accounts').length, Math.ceil((MAX_LISTED_ITEMS + 1) / PAGE_LIMIT));
    fx.emulator.injectFault({ type: 'pageSize', size: MAX_LISTED_ITEMS + 1 }, { path: '/v1/assigned-accounts' });
    assert.match((await rejectsWith(portal.listAccounts(token), 'protocol')).message, /larger than 256 KB/);
  });

  it("lists the sandbox account's agencies, one of them with a blank description", async () => {
    const agencies = await portal.listAgencies(token, SANDBOX);
    assert.deepEqual(
      agencies.map((a) => [a.agencyName, a.description]),
      [
        ['iic_AdministratorAccess_2b90', 'Full access to the sandbox.'],
        ['iic_BillingViewer_e3f8', ''],
      ],
    );
  });

  it('keeps a row with a line break or an invisible character in its text, and cleans the text', async () => {
    const urn = (name: string) => `iam::${PRODUCTION}:agency:${name}`;
    fx.emulator.configure({
      accounts: [
        {
          accountId: PRODUCTION,
          accountName: '\u200Fprod\u200Duction\n',
          emailAddress: ' ops@example.com\t',
          agencies: [
            { agencyName: 'iic\u200DDeveloper', permissionSetName: 'Dev\u200Feloper', description: 'Line one\r\nline two\u2028three', agencyUrn: urn('iic_Developer') },
            { agencyName: '\u200D \u200F', permissionSetName: '\n', description: ' \t ', agencyUrn: urn('iic_Blank') },
            { agencyName: `A${'b'.repeat(300)}`, permissionSetName: 'ReadOnly\u202Eevil', description: 'ok', agencyUrn: urn('iic_Long') },
          ],
        },
      ],
    });
    assert.deepEqual(await portal.listAccounts(token), [{ accountId: PRODUCTION, accountName: 'production', email: 'ops@example.com' }]);
    const [developer, blank, long] = await portal.listAgencies(token, PRODUCTION);
    assert.deepEqual(developer, { accountId: PRODUCTION, agencyName: 'iicDeveloper', agencyUrn: urn('iic_Developer'), permissionSetName: 'Developer', description: 'Line one line two three' });
    assert.deepEqual([blank.agencyName, blank.permissionSetName, blank.description], ['iic_Blank', '', ''], 'blank text is absent; the name falls back to the URN');
    assert.equal([...long.agencyName].length, 256);
    assert.ok(long.agencyName.endsWith('…'));
    assert.equal(long.permissionSetName, 'ReadOnlyevil');
    assert.ok(!fx.logger.text().includes('left out'), 'no row was left out');
  });

  it('reads optional text of the wrong type as absent', async () => {
    fx.emulator.injectFault({ type: 'patch', set: { 'account_list.0.account_name': 42, 'account_list.0.email_address': ['x'] } }, { path: '/v1/assigned-accounts' });
    const [account] = await portal.listAccounts(token);
    assert.deepEqual(account, { accountId: PRODUCTION, accountName: '', email: '' });
    fx.emulator.injectFault(
      { type: 'patch', set: { 'agency_list.0.description': 42, 'agency_list.0.agency_name': 7, 'agency_list.0.permission_set_name': { name: 'x' }, 'agency_list.1.description': null } },
      { path: '/v1/assigned-agencies' },
    );
    const [first, second] = await portal.listAgencies(token, PRODUCTION);
    assert.deepEqual([first.agencyName, first.permissionSetName, first.description], ['iic_ReadOnlyAccess_7d41', '', '']);
    assert.equal(second.description, '');
  });

  it('leaves out only rows without a usable id or URN, or of another account, and logs how many and why without their text', async () => {
    fx.emulator.injectFault({ type: 'patch', remove: ['account_list.0.account_id'], set: { 'account_list.1.account_id': 'not an id!' } }, { path: '/v1/assigned-accounts' });
    assert.deepEqual((await portal.listAccounts(token)).map((a) => a.accountName), ['sandbox']);
    assert.match(fx.logger.text(), /warn: The account list left out 2 of 3 rows \(2 no usable account_id\)/);

    const odd = [`iam::${PRODUCTION}:agency:[Open](command:x)`, `iam::${PRODUCTION}:agency:a b`, `iam::${PRODUCTION}:agency:../../x`, 'iam::0123:agency:other-account'];
    fx.emulator.configure({
      accounts: [
        {
          accountId: PRODUCTION,
          accountName: 'p',
          emailAddress: 'p@example.com',
          agencies: [
            { agencyName: 'kept', permissionSetName: 'p', description: '' },
            { agencyName: 'odd', permissionSetName: 'p', description: '' },
            ...odd.map((agencyUrn, i) => ({ agencyName: `odd${i}`, permissionSetName: 'p', description: '', agencyUrn })),
          ],
        },
      ],
    });
    fx.emulator.injectFault({ type: 'patch', remove: ['agency_list.2.agency_urn'], set: { 'agency_list.1.account_id': 'f'.repeat(32), 'agency_list.6': 'not a row' } }, { path: '/v1/assigned-agencies' });
    assert.deepEqual((await portal.listAgencies(token, PRODUCTION)).map((a) => a.agencyName), ['kept']);
    assert.match(fx.logger.text(), new RegExp(`warn: The agency list of account ${PRODUCTION} left out 6 of 7 rows \\(2 of another account, 3 no usable agency_urn, 1 not an object\\)`));
    for (const text of [...odd, 'odd', 'not a row', 'command:x']) assert.ok(!fx.logger.text().includes(text), `the log quotes ${text}`);
  });

  it('keeps a row listed twice once', async () => {
    fx.emulator.injectFault({ type: 'patch', set: { 'account_list.2.account_id': PRODUCTION } }, { path: '/v1/assigned-accounts' });
    assert.deepEqual((await portal.listAccounts(token)).map((a) => a.accountName), ['production', 'staging']);
    assert.match(fx.logger.text(), /left out 1 of 3 rows \(1 listed before\)/);
  });

  it('missing fields and a non-JSON body are clear protocol errors', async () => {
    const urn = `iam::${PRODUCTION}:agency:iic_ReadOnlyAccess_7d41`;
    const cases: [string, () => Promise<unknown>][] = [
      ['/v1/assigned-accounts', () => portal.listAccounts(token)],
      ['/v1/credentials', () => portal.getCredentials(token, { accountId: PRODUCTION, agencyUrn: urn })],
    ];
    fx.emulator.injectFault({ type: 'patch', remove: ['account_list'] }, { path: '/v1/assigned-accounts' });
    assert.match((await rejectsWith(cases[0][1](), 'protocol')).message, /account_list/);
    for (const field of ['access_key_id', 'secret_access_key', 'session_token', 'expiration']) {
      fx.emulator.injectFault({ type: 'patch', remove: [`agency_credentials.${field}`] }, { path: '/v1/credentials' });
      assert.match((await rejectsWith(cases[1][1](), 'protocol')).message, new RegExp(field));
    }
    fx.emulator.injectFault({ type: 'patch', set: { 'agency_credentials.secret_access_key': 'abc\nexport EVIL=1' } }, { path: '/v1/credentials' });
    await rejectsWith(cases[1][1](), 'protocol');
    for (const [path, call] of cases) {
      fx.emulator.injectFault({ type: 'body', status: 200, contentType: 'text/html', body: '<html>proxy login</html>' }, { path });
      assert.match((await rejectsWith(call(), 'protocol')).message, /web page/);
      fx.emulator.injectFault({ type: 'body', status: 200, contentType: 'application/json', body: '{"account_list": [' }, { path });
      await rejectsWith(call(), 'protocol');
    }
  });

  it('credentials already expired are refused', async () => {
    fx.emulator.injectFault({ type: 'patch', set: { 'agency_credentials.expiration': 1_000_000_000 } }, { path: '/v1/credentials' });
    await rejectsWith(portal.getCredentials(token, { accountId: PRODUCTION, agencyUrn: `iam::${PRODUCTION}:agency:iic_ReadOnlyAccess_7d41` }), 'expired');
  });

  it('logout gives up after its short limit when the service hangs', async () => {
    fx.emulator.injectFault({ type: 'hang' }, { path: '/v1/logout' });
    const started = Date.now();
    await rejectsWith(portal.logout(token), 'timeout');
    assert.ok(Date.now() - started < 4000);
  });

  it('never puts the token or a credential in a message or the log', async () => {
    const urn = `iam::${PRODUCTION}:agency:iic_ReadOnlyAccess_7d41`;
    await portal.getCredentials(token, { accountId: PRODUCTION, agencyUrn: urn });
    fx.emulator.injectFault({ type: 'status', status: 400, body: { error_code: 'IIC.400', error_msg: `bad token ${token}` } }, { path: '/v1/assigned-accounts' });
    const error = await rejectsWith(portal.listAccounts(token), 'service');
    assert.ok(!(error.serviceText ?? '').includes(token));
    const everything = `${error.message}${fx.logger.text()}`;
    for (const secret of fx.emulator.issuedSecrets()) assert.ok(!everything.includes(secret), 'a secret leaked');
    assert.ok(isIdentityCenterError(error));
  });
});
