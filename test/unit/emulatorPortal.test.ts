import { strict as assert } from 'node:assert';
import { generatedAccount, IdentityCenterEmulator, PORTAL_ERROR_CODES, type EmulatorAccount } from '../support/emulator/emulator';
import { EmulatorControl } from '../support/emulator/control';
import { useEmulator } from '../support/emulatorFixture';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: Json;
}

describe('IdentityCenterEmulator portal API', () => {
  const fx = useEmulator();
  let emulator: IdentityCenterEmulator;
  let token: string;

  beforeEach(() => {
    emulator = fx.emulator;
    token = emulator.issueAccessToken();
  });

  async function call(method: 'GET' | 'POST', path: string, query: Record<string, string> = {}, accessToken: string | null = token): Promise<Answer> {
    const search = new URLSearchParams(query).toString();
    const response = await fetch(`${emulator.url}${path}${search ? `?${search}` : ''}`, {
      method,
      headers: accessToken === null ? {} : { 'access-token': accessToken },
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // keep the text
    }
    return { status: response.status, headers: response.headers, text, body };
  }

  const get = (path: string, query?: Record<string, string>, accessToken?: string | null): Promise<Answer> => call('GET', path, query, accessToken);

  function assertError(answer: Answer, status: number, code: string): void {
    assert.equal(answer.status, status, answer.text);
    assert.equal(answer.body.error_code, code);
    assert.equal(typeof answer.body.error_msg, 'string');
    assert.equal(answer.body.request_id, answer.headers.get('x-request-id'));
  }

  /** Follows next_marker to the end; returns the items and how many requests it took. */
  async function collect(path: string, field: string, query: Record<string, string> = {}): Promise<{ items: Json[]; requests: number }> {
    const items: Json[] = [];
    let marker: string | null | undefined;
    let requests = 0;
    do {
      const answer = await get(path, marker ? { ...query, marker } : query);
      assert.equal(answer.status, 200, answer.text);
      requests += 1;
      assert.equal(answer.body.page_info.current_count, answer.body[field].length);
      items.push(...answer.body[field]);
      marker = answer.body.page_info.next_marker;
    } while (marker);
    return { items, requests };
  }

  it('lists the default accounts in one page, with next_marker null on the last page', async () => {
    const answer = await get('/v1/assigned-accounts');
    assert.equal(answer.status, 200);
    assert.equal(answer.body.account_list.length, 3);
    for (const account of answer.body.account_list) {
      assert.deepEqual(Object.keys(account).sort(), ['account_id', 'account_name', 'email_address']);
      assert.match(account.account_id, /^[0-9a-f]{32}$/);
    }
    assert.deepEqual(answer.body.page_info, { next_marker: null, current_count: 3 });
    emulator.configure({ lastPageMarker: 'absent' });
    assert.deepEqual((await get('/v1/assigned-accounts')).body.page_info, { current_count: 3 });
  });

  it('pages through 2000 accounts 200 at a time in exactly 10 requests, with the default and an explicit limit', async () => {
    emulator.configure({ accountCount: 2000 });
    for (const query of [{}, { limit: '200' }] as Record<string, string>[]) {
      emulator.clearRequests();
      const { items, requests } = await collect('/v1/assigned-accounts', 'account_list', query);
      assert.equal(requests, 10);
      assert.equal(items.length, 2000);
      assert.equal(new Set(items.map((a) => a.account_id)).size, 2000);
      assert.deepEqual(items[0], { account_id: generatedAccount(0).accountId, account_name: 'account-00001', email_address: 'account-00001@example.com' });
      assert.equal(items[1999].account_name, 'account-02000');
      const recorded = emulator.requests('/v1/assigned-accounts');
      assert.equal(recorded.length, 10);
      assert.equal(recorded[0].query.marker, undefined);
      assert.ok(recorded.slice(1).every((r) => r.query.marker && r.search.includes(encodeURIComponent(r.query.marker))));
    }
    assert.equal((await collect('/v1/assigned-accounts', 'account_list', { limit: '2000' })).requests, 1);
    emulator.configure({ accountCount: 20 });
    const sevens = await collect('/v1/assigned-accounts', 'account_list', { limit: '7' });
    assert.deepEqual([sevens.requests, sevens.items.length], [3, 20]);
  });

  it('refuses a limit outside 1..2000 and a marker it did not issue for that list, in the Huawei envelope', async () => {
    emulator.configure({ accountCount: 5 });
    for (const limit of ['0', '2001', 'abc', '', '1.5', '-1', '20000000000']) {
      assertError(await get('/v1/assigned-accounts', { limit }), 400, PORTAL_ERROR_CODES.badRequest);
    }
    const first = await get('/v1/assigned-accounts', { limit: '2' });
    const marker: string = first.body.page_info.next_marker;
    assert.match(marker, /[+/=]/, 'markers need URL encoding');
    assert.equal((await get('/v1/assigned-accounts', { limit: '2', marker })).body.account_list[0].account_name, 'account-00003');
    assert.equal((await get('/v1/assigned-accounts', { limit: '2', marker })).body.page_info.next_marker, (await get('/v1/assigned-accounts', { limit: '2', marker })).body.page_info.next_marker);
    for (const bad of ['nope', '', marker.replace('+', ' ')]) {
      assertError(await get('/v1/assigned-accounts', { marker: bad }), 400, PORTAL_ERROR_CODES.badRequest);
    }
    const unencoded = await fetch(`${emulator.url}/v1/assigned-accounts?marker=${marker}`, { headers: { 'access-token': token } });
    assert.equal(unencoded.status, 400, 'a raw + reads as a space');

    const accountId = generatedAccount(0).accountId;
    const agencyMarker = (await get('/v1/assigned-agencies', { account_id: accountId, limit: '1' })).body.page_info.next_marker;
    assertError(await get('/v1/assigned-accounts', { marker: agencyMarker }), 400, PORTAL_ERROR_CODES.badRequest);
    assertError(await get('/v1/assigned-agencies', { account_id: generatedAccount(1).accountId, marker: agencyMarker }), 400, PORTAL_ERROR_CODES.badRequest);
  });

  it('answers 401 without a token, and with an unknown, expired or revoked one; 400 for a header over 4096 characters', async () => {
    assertError(await get('/v1/assigned-accounts', {}, null), 401, PORTAL_ERROR_CODES.unauthorized);
    assertError(await get('/v1/assigned-accounts', {}, 'atoken-unknown'), 401, PORTAL_ERROR_CODES.unauthorized);
    assertError(await get('/v1/assigned-accounts', {}, 'x'.repeat(4096)), 401, PORTAL_ERROR_CODES.unauthorized);
    assertError(await get('/v1/assigned-accounts', {}, 'x'.repeat(4097)), 400, PORTAL_ERROR_CODES.badRequest);

    emulator.advanceClock(3599);
    assert.equal((await get('/v1/assigned-accounts')).status, 200);
    emulator.advanceClock(1);
    assertError(await get('/v1/assigned-accounts'), 401, PORTAL_ERROR_CODES.unauthorized);
    for (const path of ['/v1/assigned-agencies', '/v1/credentials']) assert.equal((await get(path)).status, 401, path);
    assert.equal((await call('POST', '/v1/logout')).status, 401);

    emulator.setClockOffset(0);
    emulator.configure({ tokenLifetimeSeconds: 60 });
    const short = emulator.issueAccessToken();
    emulator.advanceClock(60);
    assert.equal((await get('/v1/assigned-accounts', {}, short)).status, 401, 'tokenLifetimeSeconds sets the lifetime');

    emulator.setClockOffset(0);
    const other = emulator.issueAccessToken();
    emulator.revokeAccessToken(token);
    assertError(await get('/v1/assigned-accounts'), 401, PORTAL_ERROR_CODES.unauthorized);
    assert.equal((await get('/v1/assigned-accounts', {}, other)).status, 200);
    assert.throws(() => emulator.revokeAccessToken('atoken-unknown'), /Unknown access token/);
    assert.equal(emulator.revokeAccessTokens(), 2, 'other and short; token was already revoked');
    assert.equal((await get('/v1/assigned-accounts', {}, other)).status, 401);
  });

  it('accepts the access token of a real device-flow sign-in', async () => {
    const post = async (path: string, body: unknown): Promise<Json> => (await fetch(emulator.url + path, { method: 'POST', body: JSON.stringify(body) })).json();
    const { client_info: client } = await post('/v1/clients', {
      client_name: 'portal',
      client_type: 'public',
      token_endpoint_auth_method: 'client_secret_post',
      grant_types: [DEVICE_GRANT],
      response_types: ['code'],
    });
    const credentials = { client_id: client.client_id, client_secret: client.client_secret };
    const device = await post('/v1/device/authorize', { ...credentials, start_url: 'https://portal.example.com/start' });
    emulator.approve(device.user_code);
    const { token_info: tokens } = await post('/v1/tokens', { ...credentials, grant_type: DEVICE_GRANT, device_code: device.device_code });
    assert.equal((await get('/v1/assigned-accounts', {}, tokens.access_token)).status, 200);
    const refreshed = await post('/v1/tokens', { ...credentials, grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    assert.equal((await get('/v1/assigned-accounts', {}, refreshed.token_info.access_token)).status, 200);
  });

  it("lists an account's agencies, pages them, and refuses a missing or unassigned account", async () => {
    const [account] = emulator.currentSettings().accounts;
    const answer = await get('/v1/assigned-agencies', { account_id: account.accountId });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.agency_list[0], {
      account_id: account.accountId,
      agency_name: account.agencies[0].agencyName,
      permission_set_name: account.agencies[0].permissionSetName,
      agency_urn: `iam::${account.accountId}:agency:${account.agencies[0].agencyName}`,
      description: account.agencies[0].description,
    });
    assert.deepEqual(answer.body.page_info, { next_marker: null, current_count: 2 });
    const paged = await collect('/v1/assigned-agencies', 'agency_list', { account_id: account.accountId, limit: '1' });
    assert.equal(paged.requests, 2);
    assert.deepEqual(paged.items, answer.body.agency_list);

    assertError(await get('/v1/assigned-agencies'), 400, PORTAL_ERROR_CODES.badRequest);
    assertError(await get('/v1/assigned-agencies', { account_id: 'f'.repeat(32) }), 403, PORTAL_ERROR_CODES.forbidden);
    emulator.configure({ accountCount: 3 });
    assert.equal((await get('/v1/assigned-agencies', { account_id: generatedAccount(2).accountId })).body.agency_list.length, 2);
    assertError(await get('/v1/assigned-agencies', { account_id: generatedAccount(3).accountId }), 403, PORTAL_ERROR_CODES.forbidden);
  });

  it('issues agency credentials with expiration in epoch seconds or milliseconds, and records every part as a secret', async () => {
    const [account] = emulator.currentSettings().accounts;
    const urn = `iam::${account.accountId}:agency:${account.agencies[1].agencyName}`;
    emulator.setClockOffset(100);
    const seconds = await get('/v1/credentials', { target_account_id: account.accountId, agency_urn: urn });
    assert.equal(seconds.status, 200, seconds.text);
    const issued = seconds.body.agency_credentials;
    assert.deepEqual(Object.keys(issued).sort(), ['access_key_id', 'expiration', 'secret_access_key', 'session_token']);
    assert.ok(Number.isInteger(issued.expiration) && issued.expiration < 1e12);
    assert.ok(Math.abs(issued.expiration - (Date.now() / 1000 + 100 + 3600)) < 5);
    for (const secret of [issued.access_key_id, issued.secret_access_key, issued.session_token]) assert.ok(emulator.issuedSecrets().includes(secret));
    const [recorded] = emulator.issuedCredentials();
    assert.deepEqual(
      [recorded.accountId, recorded.agencyUrn, recorded.accessKeyId, recorded.secretAccessKey, recorded.sessionToken, recorded.expiration],
      [account.accountId, urn, issued.access_key_id, issued.secret_access_key, issued.session_token, issued.expiration],
    );
    assert.equal(recorded.expiresAtMs - recorded.issuedAtMs, 3600_000);

    emulator.configure({ credentialExpirationStyle: 'milliseconds', credentialLifetimeSeconds: 900 });
    const millis = (await get('/v1/credentials', { target_account_id: account.accountId, agency_urn: urn })).body.agency_credentials;
    assert.ok(millis.expiration > 1e12);
    assert.equal(millis.expiration, emulator.issuedCredentials()[1].expiresAtMs);
    assert.ok(Math.abs(millis.expiration - (Date.now() + 100_000 + 900_000)) < 5000);
    assert.notEqual(millis.session_token, issued.session_token);

    assertError(await get('/v1/credentials', { agency_urn: urn }), 400, PORTAL_ERROR_CODES.badRequest);
    assertError(await get('/v1/credentials', { target_account_id: account.accountId }), 400, PORTAL_ERROR_CODES.badRequest);
    const other = emulator.currentSettings().accounts[1];
    assertError(await get('/v1/credentials', { target_account_id: other.accountId, agency_urn: urn }), 403, PORTAL_ERROR_CODES.forbidden);
    assert.equal(emulator.issuedCredentials().length, 2);
  });

  it('takes an agency URN with odd characters back URL-encoded', async () => {
    const odd = 'iam::acct:agency:a b/ü?&=+#%';
    const accounts: EmulatorAccount[] = [
      { accountId: 'acct', accountName: 'Odd & "quoted" <name>', emailAddress: '', agencies: [{ agencyName: 'a', permissionSetName: 'P', description: 'd', agencyUrn: odd }] },
    ];
    emulator.configure({ accounts });
    const [agency] = (await get('/v1/assigned-agencies', { account_id: 'acct' })).body.agency_list;
    assert.equal(agency.agency_urn, odd);
    assert.equal((await get('/v1/credentials', { target_account_id: 'acct', agency_urn: odd })).status, 200);
    assert.equal(emulator.requests('/v1/credentials')[0].query.agency_urn, odd);
  });

  it('logs out: 200 with an empty body, then that token gets 401 and others still work', async () => {
    const other = emulator.issueAccessToken();
    const answer = await call('POST', '/v1/logout');
    assert.equal(answer.status, 200);
    assert.equal(answer.text, '');
    assert.equal(answer.headers.get('content-length'), '0');
    assertError(await get('/v1/assigned-accounts'), 401, PORTAL_ERROR_CODES.unauthorized);
    assert.equal((await call('POST', '/v1/logout')).status, 401);
    assert.equal((await get('/v1/assigned-accounts', {}, other)).status, 200);
    assert.deepEqual(emulator.loggedOutAccessTokens(), [token]);
  });

  it('validates portal settings, and reset() forgets portal state', async () => {
    const bad: object[] = [
      { accounts: 'none' },
      { accounts: [{ accountId: '', accountName: 'n', emailAddress: 'e', agencies: [] }] },
      { accounts: [{ accountId: 'a', accountName: 'n', emailAddress: 'e' }] },
      { accounts: [{ accountId: 'a', accountName: 'n', emailAddress: 'e', agencies: [{ agencyName: 'x', permissionSetName: 'p' }] }] },
      { accounts: ['a', 'a'].map((accountId) => ({ accountId, accountName: 'n', emailAddress: 'e', agencies: [] })) },
      { accounts: [{ accountId: 'a', accountName: 'n', emailAddress: 'e', agencies: ['x', 'x'].map((agencyName) => ({ agencyName, permissionSetName: 'p', description: '' })) }] },
      { accountCount: -1 },
      { accountCount: 1.5 },
      { accountCount: 10_000_001 },
      { credentialLifetimeSeconds: -1 },
      { credentialExpirationStyle: 'epoch' },
      { lastPageMarker: '' },
    ];
    for (const settings of bad) assert.throws(() => emulator.configure(settings), TypeError, JSON.stringify(settings));
    await assert.rejects(IdentityCenterEmulator.start({ accountCount: -1 }), TypeError);

    const started = await IdentityCenterEmulator.start({ accountCount: 4, credentialExpirationStyle: 'milliseconds' });
    try {
      assert.equal(started.currentSettings().accountCount, 4);
      const accounts = started.currentSettings().accounts;
      accounts[0].accountName = 'changed';
      assert.notEqual(started.currentSettings().accounts[0].accountName, 'changed', 'settings are copies');
    } finally {
      await started.close();
    }

    await call('POST', '/v1/logout');
    const [account] = emulator.currentSettings().accounts;
    await get('/v1/credentials', { target_account_id: account.accountId, agency_urn: `iam::${account.accountId}:agency:${account.agencies[0].agencyName}` });
    emulator.reset();
    assert.deepEqual([emulator.loggedOutAccessTokens(), emulator.issuedCredentials()], [[], []]);
    assert.equal((await get('/v1/assigned-accounts')).status, 401, 'reset forgets access tokens');
  });

  it('applies faults on portal paths, matching the path without the query', async () => {
    emulator.injectFault({ type: 'status', status: 503, headers: { 'Retry-After': '2' } }, { path: '/v1/assigned-accounts' });
    emulator.injectFault({ type: 'body', contentType: 'text/html', body: '<html>portal down</html>' }, { path: '/v1/credentials' });
    const unavailable = await get('/v1/assigned-accounts', { limit: '5' });
    assert.deepEqual([unavailable.status, unavailable.body.error_code, unavailable.headers.get('retry-after')], [503, 'IIC.503', '2']);
    assert.equal((await get('/v1/assigned-accounts', { limit: '5' })).status, 200);
    const html = await get('/v1/credentials', { target_account_id: 'x', agency_urn: 'y' });
    assert.deepEqual([html.status, html.text], [200, '<html>portal down</html>']);
    assert.equal(emulator.issuedCredentials().length, 0);
  });

  it('a fault with a query hits only requests with those values: one account\'s agency list, in process and over HTTP', async () => {
    const [production, staging] = emulator.currentSettings().accounts;
    emulator.injectFault({ type: 'status', status: 500 }, { path: '/v1/assigned-agencies', query: { account_id: staging.accountId }, times: 2 });
    assert.equal((await get('/v1/assigned-agencies', { account_id: production.accountId })).status, 200);
    assertError(await get('/v1/assigned-agencies', { account_id: staging.accountId, limit: '5' }), 500, 'IIC.500');
    const control = new EmulatorControl(emulator.url);
    await control.clearFaults();
    assert.equal((await get('/v1/assigned-agencies', { account_id: staging.accountId })).status, 200, 'cleared');
    await control.injectFault({ type: 'patch', remove: ['agency_list.0.agency_urn'] }, { path: '/v1/assigned-agencies', query: { account_id: staging.accountId } });
    assert.ok('agency_urn' in (await get('/v1/assigned-agencies', { account_id: production.accountId })).body.agency_list[0]);
    assert.ok(!('agency_urn' in (await get('/v1/assigned-agencies', { account_id: staging.accountId })).body.agency_list[0]));
    assert.throws(() => emulator.injectFault({ type: 'reset' }, { query: { account_id: 1 } as never }), TypeError);
  });

  it('serves odd rows as configured: line breaks, invisible characters, and an agency URN of another account', async () => {
    const [account] = emulator.currentSettings().accounts;
    const agencies = [
      { agencyName: 'iic\u200DDeveloper', permissionSetName: 'Dev\u200Fel', description: 'Line one\nline two', agencyUrn: `iam::${account.accountId}:agency:iic_Developer` },
      { agencyName: 'other', permissionSetName: 'p', description: '', agencyUrn: 'iam::0123456789abcdef:agency:other' },
    ];
    emulator.configure({ accounts: [{ ...account, accountName: 'prod\u200Fuction', agencies }] });
    assert.equal((await get('/v1/assigned-accounts')).body.account_list[0].account_name, 'prod\u200Fuction');
    const listed = (await get('/v1/assigned-agencies', { account_id: account.accountId })).body.agency_list;
    assert.deepEqual(
      listed.map((row: Json) => [row.agency_name, row.permission_set_name, row.description, row.agency_urn]),
      agencies.map((agency) => [agency.agencyName, agency.permissionSetName, agency.description, agency.agencyUrn]),
    );
  });

  it('repeatMarker: a page whose next_marker is the marker it was asked with', async () => {
    emulator.configure({ accountCount: 5 });
    emulator.injectFault({ type: 'repeatMarker' }, { path: '/v1/assigned-accounts', times: 3 });
    const first = await get('/v1/assigned-accounts', { limit: '2' });
    assert.equal(first.body.account_list[0].account_name, 'account-00001');
    const again = await get('/v1/assigned-accounts', { limit: '2', marker: first.body.page_info.next_marker });
    assert.equal(again.body.account_list[0].account_name, 'account-00001', 'the first page names itself as next');
    const loop = await get('/v1/assigned-accounts', { limit: '2', marker: again.body.page_info.next_marker });
    assert.equal(loop.body.page_info.next_marker, again.body.page_info.next_marker);
    const normal = await get('/v1/assigned-accounts', { limit: '2', marker: loop.body.page_info.next_marker });
    assert.notEqual(normal.body.page_info.next_marker, loop.body.page_info.next_marker, 'the fault was used up');

    emulator.injectFault({ type: 'repeatMarker' }, { path: '/v1/credentials' });
    assert.equal((await get('/v1/credentials')).status, 400, 'other paths are handled normally');
  });

  it('pageSize: a server that ignores limit, for short pages and a huge one', async () => {
    emulator.configure({ accountCount: 5000 });
    emulator.injectFault({ type: 'pageSize', size: 3 });
    const short = await get('/v1/assigned-accounts');
    assert.equal(short.body.page_info.current_count, 3);
    const next = await get('/v1/assigned-accounts', { limit: '1', marker: short.body.page_info.next_marker });
    assert.equal(next.body.account_list[0].account_name, 'account-00004');
    emulator.injectFault({ type: 'pageSize', size: 5000 }, { path: '/v1/assigned-accounts' });
    const huge = await get('/v1/assigned-accounts', { limit: '10' });
    assert.equal(huge.body.account_list.length, 5000);
    assert.deepEqual(huge.body.page_info, { next_marker: null, current_count: 5000 });
  });

  it('patch: missing fields, odd values and an agency URN with odd characters, on any JSON answer', async () => {
    const [account] = emulator.currentSettings().accounts;
    emulator.injectFault({ type: 'patch', remove: ['account_list.*.account_name', 'page_info.current_count'], set: { 'page_info.next_marker': '' } });
    const missing = await get('/v1/assigned-accounts');
    assert.deepEqual(Object.keys(missing.body.account_list[0]).sort(), ['account_id', 'email_address']);
    assert.deepEqual(missing.body.page_info, { next_marker: '' });

    const odd = 'iam::x:agency:a b/ü?&=+#%\n';
    emulator.injectFault({ type: 'patch', set: { 'agency_list.0.agency_urn': odd, 'agency_list.1.description': null }, remove: ['page_info'] });
    const agencies = await get('/v1/assigned-agencies', { account_id: account.accountId });
    assert.deepEqual([agencies.body.agency_list[0].agency_urn, agencies.body.agency_list[1].description, 'page_info' in agencies.body], [odd, null, false]);

    emulator.injectFault({ type: 'patch', set: { 'agency_credentials.expiration': '2030-01-01T00:00:00Z', 'extra.deep.field': 1 } }, { path: '/v1/credentials' });
    const urn = `iam::${account.accountId}:agency:${account.agencies[0].agencyName}`;
    const credentials = await get('/v1/credentials', { target_account_id: account.accountId, agency_urn: urn });
    assert.equal(credentials.body.agency_credentials.expiration, '2030-01-01T00:00:00Z');
    assert.deepEqual(credentials.body.extra, { deep: { field: 1 } });
    emulator.injectFault({ type: 'patch', remove: ['account_list.0'] });
    assert.equal((await get('/v1/assigned-accounts')).body.account_list.length, 2);

    emulator.injectFault({ type: 'patch', set: { x: 1 } }, { path: '/v1/logout' });
    assert.equal((await call('POST', '/v1/logout')).text, '', 'a body that is not JSON is sent unchanged');

    for (const fault of [
      { type: 'patch' },
      { type: 'patch', set: [] },
      { type: 'patch', remove: 'page_info' },
      { type: 'patch', set: { '__proto__.polluted': true } },
      { type: 'patch', remove: ['page_info..x'] },
      { type: 'pageSize', size: -1 },
      { type: 'pageSize', size: 1.5 },
    ]) {
      assert.throws(() => emulator.injectFault(fault as never), TypeError, JSON.stringify(fault));
    }
  });

  it('is driven over HTTP by EmulatorControl: tokens, logouts, credentials and portal settings', async () => {
    const control = new EmulatorControl(emulator.url);
    const issued = await control.issueAccessToken();
    assert.match(issued, /^atoken-/);
    assert.equal((await control.configure({ accountCount: 450 })).accountCount, 450);
    assert.equal((await collect('/v1/assigned-accounts', 'account_list')).requests, 3);
    const account = generatedAccount(0);
    const urn = `iam::${account.accountId}:agency:${account.agencies[0].agencyName}`;
    const credentials = (await get('/v1/credentials', { target_account_id: account.accountId, agency_urn: urn }, issued)).body.agency_credentials;
    assert.equal((await control.issuedCredentials())[0].sessionToken, credentials.session_token);
    assert.deepEqual((await control.requests('/v1/credentials'))[0].query, { target_account_id: account.accountId, agency_urn: urn });

    await control.injectFault({ type: 'patch', remove: ['account_list'] }, { path: '/v1/assigned-accounts' });
    assert.equal((await get('/v1/assigned-accounts', {}, issued)).body.account_list, undefined);

    await call('POST', '/v1/logout', {}, issued);
    assert.deepEqual(await control.loggedOutAccessTokens(), [issued]);
    await control.revokeAccessToken(token);
    assert.equal((await get('/v1/assigned-accounts')).status, 401);
    await assert.rejects(control.revokeAccessToken('atoken-unknown'), /Unknown access token/);
    const third = await control.issueAccessToken();
    assert.equal(await control.revokeAccessTokens(), 2, 'issued (logged out, not revoked) and third');
    assert.equal((await get('/v1/assigned-accounts', {}, third)).status, 401);

    await control.reset();
    assert.deepEqual([await control.loggedOutAccessTokens(), await control.issuedCredentials()], [[], []]);
    assert.equal((await control.currentSettings()).accountCount, null);
  });
});
