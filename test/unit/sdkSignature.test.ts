/**
 * The emulator's SDK-HMAC-SHA256 check against the worked example of Huawei Cloud's API
 * Request Signing Guide ("Constructing a Standard Request" … "Calculating the
 * Signature"): a request nobody here signed is accepted, and each part changed after
 * signing, each wrong key, token or time is refused with its own reason.
 */
import { strict as assert } from 'node:assert';
import { canonicalRequest, MAX_SIGNATURE_SKEW_MS, sha256Hex, verifySdkSignature, type SignedRequest, type SigningKey } from '../support/emulator/sdkSignature';

/** The guide's example: querying VPCs, signed at 20191115T033655Z. */
const EXAMPLE_AK = 'QTWAOYTTINDUT2QVKYUC';
const EXAMPLE_SK = 'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc';
const EXAMPLE_SIGNATURE = '7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe';
const EXAMPLE_CANONICAL = [
  'GET',
  '/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/',
  'limit=2&marker=13551d6b-755d-4757-b956-536f674975c0',
  'content-type:application/json',
  'host:service.region.example.com',
  'x-sdk-date:20191115T033655Z',
  '',
  'content-type;host;x-sdk-date',
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
].join('\n');
const SIGNED_AT = Date.UTC(2019, 10, 15, 3, 36, 55);
const TOKEN = 'a-security-token';

function exampleRequest(): SignedRequest {
  return {
    method: 'GET',
    path: '/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs',
    search: '?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0',
    headers: {
      host: 'service.region.example.com',
      'content-type': 'application/json',
      'x-sdk-date': '20191115T033655Z',
      // Not signed in the example; the check compares it with the issued token.
      'x-security-token': TOKEN,
      authorization: `SDK-HMAC-SHA256 Access=${EXAMPLE_AK}, SignedHeaders=content-type;host;x-sdk-date, Signature=${EXAMPLE_SIGNATURE}`,
    },
    body: '',
  };
}

const exampleKey: SigningKey = { accessKeyId: EXAMPLE_AK, secretAccessKey: EXAMPLE_SK, sessionToken: TOKEN, expiresAtMs: SIGNED_AT + 3600_000 };

function verify(request: SignedRequest, nowMs = SIGNED_AT, key: SigningKey = exampleKey) {
  return verifySdkSignature(request, (ak) => (ak === key.accessKeyId ? key : undefined), nowMs);
}

function refusal(request: SignedRequest, nowMs?: number, key?: SigningKey): string {
  const verdict = verify(request, nowMs, key);
  return verdict.accepted ? 'accepted' : verdict.refusal;
}

function changed(change: (request: SignedRequest) => void): SignedRequest {
  const request = exampleRequest();
  change(request);
  return request;
}

describe('SDK-HMAC-SHA256 check (emulator)', () => {
  it('builds the guide\'s canonical request, and accepts the guide\'s signature with the issued token', () => {
    const request = exampleRequest();
    assert.equal(canonicalRequest(request, ['content-type', 'host', 'x-sdk-date']), EXAMPLE_CANONICAL);
    assert.equal(sha256Hex(EXAMPLE_CANONICAL), 'b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a');
    const verdict = verify(request);
    assert.ok(verdict.accepted);
    assert.equal(verdict.key, exampleKey);
  });

  it('refuses the request when anything signed changed after signing', () => {
    const cases: Record<string, (r: SignedRequest) => void> = {
      method: (r) => (r.method = 'DELETE'),
      path: (r) => (r.path = '/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/other'),
      'query value': (r) => (r.search = '?limit=3&marker=13551d6b-755d-4757-b956-536f674975c0'),
      'extra query parameter': (r) => (r.search += '&name=x'),
      'signed header': (r) => (r.headers['content-type'] = 'text/plain'),
      host: (r) => (r.headers.host = 'service.region.example.com:8443'),
      body: (r) => (r.body = '{}'),
      signature: (r) => (r.headers.authorization = r.headers.authorization.replace(/Signature=./, 'Signature=0')),
    };
    for (const [what, change] of Object.entries(cases)) assert.equal(refusal(changed(change)), 'signature', what);
  });

  it('ignores what is not signed, and reads the query in any order and encoding of the same values', () => {
    assert.equal(refusal(changed((r) => (r.headers['user-agent'] = 'anything'))), 'accepted');
    assert.equal(refusal(changed((r) => (r.search = '?marker=13551d6b-755d-4757-b956-536f674975c0&limit=2'))), 'accepted');
    assert.equal(refusal(changed((r) => (r.search = '?limit=%32&marker=13551d6b%2D755d-4757-b956-536f674975c0'))), 'accepted');
  });

  it('refuses a signature made with another secret key', () => {
    assert.equal(refusal(exampleRequest(), SIGNED_AT, { ...exampleKey, secretAccessKey: `${EXAMPLE_SK}x` }), 'signature');
  });

  it('refuses an access key it never issued, and names no credentials', () => {
    const verdict = verify(exampleRequest(), SIGNED_AT, { ...exampleKey, accessKeyId: 'SOMEONEELSE' });
    assert.deepEqual(verdict, { accepted: false, refusal: 'unknownAccessKey' });
  });

  it('refuses a missing or foreign security token', () => {
    assert.equal(refusal(changed((r) => delete r.headers['x-security-token'])), 'securityToken');
    assert.equal(refusal(changed((r) => (r.headers['x-security-token'] = `${TOKEN}x`))), 'securityToken');
    assert.equal(refusal(changed((r) => (r.headers['x-security-token'] = ''))), 'securityToken');
  });

  it('accepts X-Sdk-Date up to 15 minutes from its clock either way, and refuses it beyond', () => {
    assert.equal(refusal(exampleRequest(), SIGNED_AT + MAX_SIGNATURE_SKEW_MS), 'accepted');
    assert.equal(refusal(exampleRequest(), SIGNED_AT - MAX_SIGNATURE_SKEW_MS), 'accepted');
    assert.equal(refusal(exampleRequest(), SIGNED_AT + MAX_SIGNATURE_SKEW_MS + 1000), 'staleDate');
    assert.equal(refusal(exampleRequest(), SIGNED_AT - MAX_SIGNATURE_SKEW_MS - 1000), 'staleDate');
  });

  it('refuses credentials past their end, even with a good signature', () => {
    assert.equal(refusal(exampleRequest(), SIGNED_AT, { ...exampleKey, expiresAtMs: SIGNED_AT }), 'expired');
    assert.equal(refusal(exampleRequest(), SIGNED_AT, { ...exampleKey, expiresAtMs: SIGNED_AT + 1 }), 'accepted');
  });

  it('refuses a request without a well-formed signature', () => {
    const authorization = exampleRequest().headers.authorization;
    const cases: Record<string, (r: SignedRequest) => void> = {
      'no Authorization': (r) => delete r.headers.authorization,
      'another algorithm': (r) => (r.headers.authorization = authorization.replace('SDK-HMAC-SHA256', 'AWS4-HMAC-SHA256')),
      'a short signature': (r) => (r.headers.authorization = authorization.slice(0, -1)),
      'no X-Sdk-Date': (r) => delete r.headers['x-sdk-date'],
      'an X-Sdk-Date in another form': (r) => (r.headers['x-sdk-date'] = '2019-11-15T03:36:55Z'),
      'an X-Sdk-Date that is no time': (r) => (r.headers['x-sdk-date'] = '20191315T033655Z'),
      'host not signed': (r) => (r.headers.authorization = authorization.replace('content-type;host;x-sdk-date', 'content-type;x-sdk-date')),
      'x-sdk-date not signed': (r) => (r.headers.authorization = authorization.replace('content-type;host;x-sdk-date', 'content-type;host')),
      'a signed header missing': (r) => (r.headers.authorization = authorization.replace('content-type;host;x-sdk-date', 'content-type;host;x-extra;x-sdk-date')),
      'a broken percent-encoding': (r) => (r.search = '?limit=%E0%A4'),
    };
    for (const [what, change] of Object.entries(cases)) assert.equal(refusal(changed(change)), 'malformed', what);
  });

  it('encodes the canonical URI and query as RFC 3986 says: unreserved characters bare, the rest %XX, names then values sorted', () => {
    const request: SignedRequest = { method: 'get', path: '/v3/a%20b/%7Euser', search: "?b=2&a=%7E&a=1&c&d=x*y'", headers: {}, body: '' };
    const [method, uri, query] = (canonicalRequest(request, []) ?? '').split('\n');
    assert.equal(method, 'GET');
    assert.equal(uri, '/v3/a%20b/~user/');
    assert.equal(query, 'a=1&a=~&b=2&c=&d=x%2Ay%27');
    const unsigned = canonicalRequest({ ...request, headers: { 'x-sdk-content-sha256': 'UNSIGNED-PAYLOAD' }, body: 'anything' }, []);
    assert.ok(unsigned?.endsWith('\nUNSIGNED-PAYLOAD'));
  });
});
