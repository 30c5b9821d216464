/**
 * How requests reach the service: the proxy decision (pure), the trust settings, and
 * real traffic through a loopback proxy and to a loopback https emulator with a CA
 * the test makes; then the OIDC client's retries against emulator faults. Every
 * socket stays on 127.0.0.1.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isIdentityCenterError } from '../../src/core/common/errors';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpRequest, HttpTransport } from '../../src/core/transport/port';
import { classifyNetworkError, requestTarget } from '../../src/core/transport/networkErrors';
import { PortalClient } from '../../src/core/portal/client';
import { OidcClient } from '../../src/core/oidc/client';
import { systemClock } from '../../src/core/common/ports';
import { buildNetworkConfig, NetworkConfig } from '../../src/core/transport/networkConfig';
import { describeProxy, parseBypassList, parseProxyUrl, ProxyConfig, resolveProxy } from '../../src/core/transport/proxy';
import { NO_RETRY } from '../../src/core/transport/retry';
import { createUndiciTransport, UndiciTransport } from '../../src/core/transport/undici';
import { IdentityCenterEmulator } from '../support/emulator/emulator';
import { EXAMPLE_HOSTS, startExampleHosts, type ExampleHostsService } from '../support/exampleHosts';
import { fakeSleep } from '../support/fakeTime';
import { rejectsWith } from '../support/assertions';
import { MemoryLogger } from '../support/memoryLogger';
import { TestProxy } from '../support/proxyServer';
import { createTestCa, opensslVersion, TestCa } from '../support/testCa';
import { useEmulator } from '../support/emulatorFixture';


/** The route as a short string: `direct:<reason>` or `proxy:<origin>:<source>`. */
function route(target: string, config: ProxyConfig): string {
  const decided = resolveProxy(target, config);
  return decided.kind === 'direct' ? `direct:${decided.reason}` : `proxy:${decided.proxy.origin}:${decided.proxy.source}`;
}

describe('proxy decision', () => {
  const corp = 'http://proxy.corp:8080';
  const target = 'https://oidc.cn-north-4.myhuaweicloud.com/v1/clients';

  it('goes direct when nothing is configured', () => {
    assert.equal(route(target, {}), 'direct:unconfigured');
    assert.equal(route(target, { proxy: '  ', env: { HTTPS_PROXY: '' } }), 'direct:unconfigured');
  });

  it('uses http.proxy for https and http targets, and it wins over the environment', () => {
    assert.equal(route(target, { proxy: corp, env: { HTTPS_PROXY: 'http://env:1' } }), `proxy:${corp}:http.proxy`);
    assert.equal(route('http://intranet.corp/x', { proxy: corp }), `proxy:${corp}:http.proxy`);
  });

  it('reads the environment: lower case first, https falls back to HTTP_PROXY, http ignores HTTPS_PROXY', () => {
    assert.equal(route(target, { env: { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:1' } }), 'proxy:http://lower:1:https_proxy');
    assert.equal(route(target, { env: { HTTPS_PROXY: 'http://upper:1', HTTP_PROXY: 'http://plain:1' } }), 'proxy:http://upper:1:HTTPS_PROXY');
    assert.equal(route(target, { env: { HTTP_PROXY: 'http://plain:1' } }), 'proxy:http://plain:1:HTTP_PROXY');
    assert.equal(route('http://intranet.corp/', { env: { HTTPS_PROXY: 'http://upper:1' } }), 'direct:unconfigured');
    assert.equal(route('http://intranet.corp/', { env: { http_proxy: 'http://plain:1' } }), 'proxy:http://plain:1:http_proxy');
  });

  it('matches NO_PROXY by exact host, domain suffix with or without a dot, *., host:port, IP, CIDR and *', () => {
    const via = (noProxy: string, url = target) => route(url, { env: { HTTPS_PROXY: corp, HTTP_PROXY: corp, NO_PROXY: noProxy } });
    const proxied = `proxy:${corp}:HTTPS_PROXY`;
    assert.equal(via('oidc.cn-north-4.myhuaweicloud.com'), 'direct:bypassed');
    assert.equal(via('myhuaweicloud.com'), 'direct:bypassed', 'a bare domain covers its subdomains (curl)');
    assert.equal(via('.myhuaweicloud.com'), 'direct:bypassed');
    assert.equal(via('.myhuaweicloud.com', 'https://myhuaweicloud.com/'), 'direct:bypassed', 'a leading dot also covers the domain itself (curl)');
    assert.equal(via('*.myhuaweicloud.com'), 'direct:bypassed');
    assert.equal(via('huaweicloud.com'), proxied, 'matches whole labels only');
    assert.equal(via('OIDC.CN-NORTH-4.MYHUAWEICLOUD.COM.'), 'direct:bypassed', 'case and a trailing dot do not matter');
    assert.equal(via('example.com, oidc.cn-north-4.myhuaweicloud.com:443'), 'direct:bypassed', 'the default https port');
    assert.equal(via('oidc.cn-north-4.myhuaweicloud.com:8443'), proxied, 'another port');
    assert.equal(via('other.example  *'), 'direct:bypassed');
    assert.equal(via('10.1.2.3', 'https://10.1.2.3/'), 'direct:bypassed');
    assert.equal(via('10.0.0.0/8', 'https://10.200.0.1/'), 'direct:bypassed');
    assert.equal(via('10.0.0.0/8', 'https://11.0.0.1/'), proxied);
    assert.equal(via('10.0.0.0/8', 'https://10.example.com/'), proxied, 'a range never matches a name');
    assert.equal(via('fd00::/8', 'https://[fd12::1]/'), 'direct:bypassed');
    assert.equal(via('[fd12::1]:443', 'https://[fd12::1]/'), 'direct:bypassed');
    assert.equal(via('10.0.0.0/99, not a host!, 300.1.1.1/8', 'https://10.0.0.1/'), proxied, 'bad entries are ignored');
    assert.deepEqual(parseBypassList('10.0.0.0/99, a!b').ignored, ['10.0.0.0/99', 'a!b']);
  });

  it('applies http.noProxy to both the setting and the environment, NO_PROXY only to the environment', () => {
    assert.equal(route(target, { proxy: corp, noProxy: ['.myhuaweicloud.com'] }), 'direct:bypassed');
    assert.equal(route(target, { proxy: corp, env: { NO_PROXY: '*' } }), `proxy:${corp}:http.proxy`);
    assert.equal(route(target, { noProxy: ['myhuaweicloud.com'], env: { HTTPS_PROXY: corp } }), 'direct:bypassed');
  });

  it('sends loopback targets direct, unless the bypass list says <-loopback>', () => {
    for (const url of ['http://127.0.0.1:8080/', 'http://localhost/', 'http://[::1]:9/', 'http://127.1.2.3/']) {
      assert.equal(route(url, { proxy: corp }), 'direct:loopback', url);
      assert.equal(route(url, { env: { HTTP_PROXY: corp, HTTPS_PROXY: corp } }), 'direct:loopback', url);
      assert.equal(route(url, { proxy: corp, noProxy: ['<-loopback>'] }), `proxy:${corp}:http.proxy`, url);
    }
    assert.equal(route('http://127.0.0.1/', { env: { HTTP_PROXY: corp, NO_PROXY: '<-loopback>' } }), `proxy:${corp}:HTTP_PROXY`);
    assert.equal(route('http://127.0.0.1/', { env: { HTTP_PROXY: corp, NO_PROXY: '<-loopback>,127.0.0.1' } }), 'direct:bypassed');
  });

  it('turns URL credentials into Basic Proxy-Authorization and keeps them out of the origin', () => {
    const proxy = parseProxyUrl('http://alice:p%40ss%20word@proxy.corp:3128', 'HTTPS_PROXY');
    assert.equal(proxy.origin, 'http://proxy.corp:3128');
    assert.equal(proxy.authorization, `Basic ${Buffer.from('alice:p@ss word').toString('base64')}`);
    assert.equal(describeProxy(proxy), 'http://proxy.corp:3128 (from HTTPS_PROXY)');
    assert.equal(parseProxyUrl('proxy.corp:3128', 'http.proxy').origin, 'http://proxy.corp:3128', 'no scheme means http://');
    assert.equal(parseProxyUrl('https://proxy.corp', 'http.proxy').origin, 'https://proxy.corp');
    assert.equal(parseProxyUrl('http://bob@proxy.corp', 'http.proxy').authorization, `Basic ${Buffer.from('bob:').toString('base64')}`);
  });

  it('lets http.proxyAuthorization override URL credentials', () => {
    const decided = resolveProxy(target, { proxy: 'http://a:b@proxy.corp:1', proxyAuthorization: 'Negotiate abc' });
    assert.equal(decided.kind === 'proxy' && decided.proxy.authorization, 'Negotiate abc');
  });

  it('refuses unusable proxy URLs with a configuration error that never quotes the password', () => {
    for (const [text, pattern] of [
      ['socks5://user:hunter2@proxy.corp:1080', /socks5: proxies, which are not supported/],
      ['http://user:hunter2@', /not a valid URL|has no host/],
      ['http://user:%E0%A4%A@proxy.corp', /not correctly percent-encoded/],
    ] as const) {
      assert.throws(
        () => resolveProxy(target, { proxy: text }),
        (error: unknown) => isIdentityCenterError(error, 'configuration') && pattern.test(error.message) && /http\.proxy setting/.test(error.message) && !error.message.includes('hunter2'),
        text,
      );
    }
    assert.throws(() => resolveProxy(target, { env: { HTTPS_PROXY: 'ftp://x' } }), /HTTPS_PROXY environment variable/);
  });
});

describe('network settings to configuration', () => {
  const dir = tmpdir();
  const files: Record<string, string> = {};
  const read = (path: string): string => {
    if (!(path in files)) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    return files[path];
  };
  const pem = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';
  before(() => {
    files[join(dir, 'corp.pem')] = `junk before\n${pem}${pem}`;
    files[join(dir, 'extra.pem')] = pem;
    files[join(dir, 'ca.der')] = '0\x82\x01\x0a binary';
  });

  it('reads the CA files of the setting and NODE_EXTRA_CA_CERTS, and keeps only the network variables', () => {
    const setup = buildNetworkConfig(
      {
        proxy: ' http://proxy.corp:8080 ',
        noProxy: ['a.corp', 7, ''],
        proxyStrictSSL: true,
        caCertificates: [join(dir, 'corp.pem')],
        env: { NODE_EXTRA_CA_CERTS: join(dir, 'extra.pem'), HTTPS_PROXY: 'http://env:1', PATH: '/bin', SECRET_TOKEN: 'x' },
      },
      read,
    );
    assert.equal(setup.config.tls?.extraCaCertificates?.length, 3);
    assert.equal(setup.config.tls?.strictSSL, true);
    assert.deepEqual(setup.config.proxy, {
      proxy: 'http://proxy.corp:8080',
      noProxy: ['a.corp'],
      env: { NODE_EXTRA_CA_CERTS: join(dir, 'extra.pem'), HTTPS_PROXY: 'http://env:1' },
    });
    assert.deepEqual(setup.warnings, []);
    assert.deepEqual(setup.notes, ['Trusting 3 extra CA certificate(s) besides the bundled roots.']);
  });

  it('warns about bypass entries it cannot read', () => {
    const setup = buildNetworkConfig({ noProxy: ['ok.corp', 'bad entry!'], env: { NO_PROXY: '10.0.0.0/99' } }, read);
    assert.match(setup.warnings.join('\n'), /Ignoring no-proxy entries .*: "entry!", "10\.0\.0\.0\/99"\.$/);
  });

  it('accepts one path as a string', () => {
    assert.equal(buildNetworkConfig({ caCertificates: join(dir, 'extra.pem'), env: {} }, read).config.tls?.extraCaCertificates?.length, 1);
  });

  it('fails with a configuration error naming the setting when a CA file is missing, relative or not PEM', () => {
    for (const [path, pattern] of [
      [join(dir, 'missing.pem'), /could not read .*missing\.pem.* \(ENOENT\)/],
      ['corp.pem', /not an absolute path/],
      [join(dir, 'ca.der'), /holds no PEM certificate.*openssl x509 -inform der/],
    ] as const) {
      assert.throws(
        () => buildNetworkConfig({ caCertificates: [path], env: {} }, read),
        (error: unknown) =>
          isIdentityCenterError(error, 'configuration') && /^A file in the CA certificates setting is not usable: /.test(error.message) && pattern.test(error.message) && error.setting === 'caCertificates',
        path,
      );
    }
  });

  it('only warns about an unusable NODE_EXTRA_CA_CERTS, as Node does', () => {
    const setup = buildNetworkConfig({ env: { NODE_EXTRA_CA_CERTS: join(dir, 'missing.pem') } }, read);
    assert.deepEqual(setup.config.tls?.extraCaCertificates, []);
    assert.match(setup.warnings.join('\n'), /NODE_EXTRA_CA_CERTS: could not read .*; continuing without it/);
  });

  it('warns loudly when http.proxyStrictSSL is false', () => {
    const setup = buildNetworkConfig({ proxyStrictSSL: false, env: {} }, read);
    assert.equal(setup.config.tls?.strictSSL, false);
    assert.match(setup.warnings.join('\n'), /http\.proxyStrictSSL is false: TLS certificates are NOT verified/);
  });
});

describe('requests through a loopback proxy', () => {
  const fx = useEmulator();
  let proxy: TestProxy;
  let authProxy: TestProxy;
  let hangingProxy: TestProxy;
  const transports: UndiciTransport[] = [];
  const credentials = { username: 'alice', password: 'p@ss word' };

  before(async () => {
    proxy = await TestProxy.start();
    authProxy = await TestProxy.start({ auth: credentials });
    hangingProxy = await TestProxy.start({ hangConnect: true });
  });
  after(async () => {
    await Promise.all([proxy.close(), authProxy.close(), hangingProxy.close()]);
    await Promise.all(transports.map((t) => t.close()));
  });
  beforeEach(() => {
    proxy.clearLog();
    authProxy.clearLog();
  });

  function client(network: NetworkConfig, endpoint = fx.emulator.url, limits = {}): OidcClient {
    const transport = createUndiciTransport({ network, logger: fx.logger, limits: { totalTimeoutMs: 5000, ...limits } });
    transports.push(transport);
    return fx.oidc({ endpoint, transport: () => transport, clock: systemClock });
  }
  const register = (c: OidcClient) => c.registerClient({ clientName: 'through a proxy', scopes: ['openid'] });

  it('forwards an http request in absolute form through http.proxy, as the proxy log shows', async () => {
    await register(client({ proxy: { proxy: proxy.url, noProxy: ['<-loopback>'] } }));
    assert.deepEqual(proxy.log(), [{ method: 'POST', target: `${fx.emulator.url}/v1/clients`, status: 200 }]);
    assert.equal(fx.emulator.requests('/v1/clients').length, 1);
    assert.match(fx.logger.text(), new RegExp(`go through the proxy ${proxy.url} \\(from http\\.proxy\\)`));
  });

  it('uses HTTP_PROXY from the environment when the setting is empty', async () => {
    await register(client({ proxy: { proxy: '', env: { HTTP_PROXY: proxy.url, NO_PROXY: '<-loopback>' } } }));
    assert.equal(proxy.log().length, 1);
  });

  it('goes direct for a loopback target unless <-loopback> is listed', async () => {
    await register(client({ proxy: { proxy: proxy.url } }));
    await register(client({ proxy: { env: { HTTP_PROXY: proxy.url } } }));
    assert.deepEqual(proxy.log(), []);
    assert.equal(fx.emulator.requests('/v1/clients').length, 2);
  });

  it('bypasses the proxy for a host in NO_PROXY or http.noProxy', async () => {
    await register(client({ proxy: { env: { HTTP_PROXY: proxy.url, NO_PROXY: '<-loopback>, 127.0.0.1' } } }));
    const port = new URL(fx.emulator.url).port;
    await register(client({ proxy: { proxy: proxy.url, noProxy: ['<-loopback>', `127.0.0.1:${port}`] } }));
    await register(client({ proxy: { env: { HTTP_PROXY: proxy.url, no_proxy: '<-loopback>,127.0.0.0/8' } } }));
    assert.deepEqual(proxy.log(), []);
    assert.equal(fx.emulator.requests('/v1/clients').length, 3);
  });

  it('answers a 407 to a forwarded request with a configuration error that names http.proxy credentials', async () => {
    const error = await rejectsWith(register(client({ proxy: { proxy: authProxy.url, noProxy: ['<-loopback>'] } })), 'configuration');
    assert.match(error.message, /requires credentials \(HTTP 407\).*http\.proxy setting as http:\/\/user:password@host:port/);
    assert.equal(error.status, 407);
    assert.equal(fx.emulator.requests().length, 0, 'nothing reached the service');
    assert.deepEqual(authProxy.log().map((e) => e.status), [407]);
  });

  it('names the environment variable when the proxy came from it', async () => {
    const error = await rejectsWith(register(client({ proxy: { env: { HTTP_PROXY: authProxy.url, NO_PROXY: '<-loopback>' } } })), 'configuration');
    assert.match(error.message, /the HTTP_PROXY environment variable/);
  });

  it('says the credentials were rejected when they are wrong', async () => {
    const wrong = authProxy.url.replace('http://', 'http://alice:wrong@');
    const error = await rejectsWith(register(client({ proxy: { proxy: wrong, noProxy: ['<-loopback>'] } })), 'configuration');
    assert.match(error.message, /rejected the proxy credentials \(HTTP 407\)/);
    assert.ok(!error.message.includes('wrong'));
  });

  it('sends the credentials of the proxy URL as Basic Proxy-Authorization, and never logs them', async () => {
    const url = authProxy.url.replace('http://', `http://${credentials.username}:${encodeURIComponent(credentials.password)}@`);
    const registration = await register(client({ proxy: { proxy: url, noProxy: ['<-loopback>'] } }));
    const basic = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
    assert.deepEqual(authProxy.log(), [{ method: 'POST', target: `${fx.emulator.url}/v1/clients`, status: 200, proxyAuthorization: basic }]);
    assert.equal(fx.emulator.requests('/v1/clients')[0].headers['proxy-authorization'], undefined, 'the proxy credentials stop at the proxy');
    assert.match(fx.logger.text(), /with credentials/);
    for (const secret of [credentials.password, encodeURIComponent(credentials.password), basic.slice(6), registration.clientSecret]) {
      assert.ok(!fx.logger.text().includes(secret), 'the log holds no credential');
    }
  });

  it('reports a proxy that cannot be reached by name', async () => {
    const error = await rejectsWith(register(client({ proxy: { proxy: 'http://127.0.0.1:1', noProxy: ['<-loopback>'] } })), 'network');
    assert.match(error.message, /Could not reach the proxy http:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\)\. Check the http\.proxy setting/);
  });

  it('keeps the connect timeout when the proxy never answers CONNECT', async function () {
    this.timeout(20_000);
    if (!opensslVersion()) this.skip();
    const tls = createTestCa();
    const https = await IdentityCenterEmulator.start({ https: { key: tls.key, cert: tls.cert } });
    try {
      const started = Date.now();
      const slow = client({ proxy: { proxy: hangingProxy.url, noProxy: ['<-loopback>'] } }, https.url, { connectTimeoutMs: 1000, totalTimeoutMs: 30_000 });
      await rejectsWith(register(slow), 'timeout');
      const elapsed = Date.now() - started;
      assert.ok(elapsed < 8000, `ended after ${elapsed} ms, near the 1 s connect timeout, not the 30 s total timeout`);
      assert.deepEqual(hangingProxy.log().map((e) => e.method), ['CONNECT']);
    } finally {
      await https.close();
      tls.dispose();
    }
  });
});

const readUtf8 = (path: string): string => readFileSync(path, 'utf8');

describe('TLS against a loopback https emulator with a CA made by the test', () => {
  let ca: TestCa;
  let otherCa: TestCa;
  let emulator: IdentityCenterEmulator;
  let proxy: TestProxy;
  let logger: MemoryLogger;
  const transports: UndiciTransport[] = [];

  before(async function () {
    const version = opensslVersion();
    if (!version) {
      this.skip();
      return;
    }
    ca = createTestCa();
    otherCa = createTestCa('Some Other CA');
    emulator = await IdentityCenterEmulator.start({ https: { key: ca.key, cert: ca.cert } });
    proxy = await TestProxy.start();
  });
  after(async () => {
    await emulator?.close();
    await proxy?.close();
    await Promise.all(transports.map((t) => t.close()));
    ca?.dispose();
    otherCa?.dispose();
  });
  beforeEach(() => {
    emulator.reset();
    proxy.clearLog();
    logger = new MemoryLogger();
  });

  function client(network: NetworkConfig): { oidc: OidcClient; sends: () => number } {
    const transport = createUndiciTransport({ network, logger, limits: { totalTimeoutMs: 5000 } });
    transports.push(transport);
    let sends = 0;
    const counting: HttpTransport = { send: (req) => (sends++, transport.send(req)) };
    const oidc = new OidcClient({ endpoint: emulator.url, transport: () => counting, clock: systemClock, logger });
    return { oidc, sends: () => sends };
  }
  const register = (c: OidcClient) => c.registerClient({ clientName: 'tls', scopes: ['openid'] });

  it('serves https on 127.0.0.1', () => {
    assert.match(emulator.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('without the CA: a network error that names the setting to fix, and no retry', async () => {
    const { oidc, sends } = client({});
    const error = await rejectsWith(register(oidc), 'network');
    const host = new URL(emulator.url).host;
    assert.ok(
      error.message.startsWith(`The TLS certificate of IAM Identity Center at ${host} could not be verified (`),
      `names the host it tried: ${error.message}`,
    );
    assert.match(error.message, /could not be verified \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\)/);
    assert.match(error.message, /the CA certificates setting/);
    assert.equal(error.setting, 'caCertificates', 'Open Settings opens the CA certificates setting');
    assert.equal(sends(), 1, 'a certificate problem is not retried (the default policy retries network errors)');
    assert.equal(emulator.requests().length, 0);
  });

  it('with another CA: still refused', async () => {
    await rejectsWith(register(client({ tls: { extraCaCertificates: [otherCa.caPem] } }).oidc), 'network');
  });

  it('with the CA: registers', async () => {
    const registration = await register(client({ tls: { extraCaCertificates: [ca.caPem] } }).oidc);
    assert.equal(registration.endpoint, emulator.url);
    assert.equal(emulator.requests('/v1/clients').length, 1);
  });

  it('with the CA given as iamIdentityCenter.caCertificates or NODE_EXTRA_CA_CERTS files: registers', async () => {
    const fromSetting = buildNetworkConfig({ caCertificates: [ca.caPath], env: {} }, readUtf8);
    await register(client(fromSetting.config).oidc);
    const bundle = join(tmpdir(), `iic-extra-${process.pid}.pem`);
    writeFileSync(bundle, `${otherCa.caPem}${ca.caPem}`);
    const fromEnv = buildNetworkConfig({ env: { NODE_EXTRA_CA_CERTS: bundle } }, readUtf8);
    assert.equal(fromEnv.config.tls?.extraCaCertificates?.length, 2);
    await register(client(fromEnv.config).oidc);
    assert.equal(emulator.requests('/v1/clients').length, 2);
  });

  it('with http.proxyStrictSSL false: a direct connection is still verified', async () => {
    const error = await rejectsWith(register(client({ tls: { strictSSL: false } }).oidc), 'network');
    assert.match(error.message, /TLS certificate of IAM Identity Center at 127\.0\.0\.1:\d+ could not be verified/);
    assert.equal(emulator.requests().length, 0);
  });

  it('with http.proxyStrictSSL false: a connection through the proxy registers without the CA', async () => {
    await register(client({ proxy: { env: { HTTPS_PROXY: proxy.url, NO_PROXY: '<-loopback>' } }, tls: { strictSSL: false } }).oidc);
    assert.deepEqual(proxy.log().map((e) => e.method), ['CONNECT']);
    assert.equal(emulator.requests('/v1/clients').length, 1);
  });

  it('answers a 407 to CONNECT with the same configuration error, and tunnels once given the credentials', async () => {
    const guarded = await TestProxy.start({ auth: { username: 'bob', password: 's3cret' } });
    try {
      const trust = { extraCaCertificates: [ca.caPem] };
      const error = await rejectsWith(register(client({ proxy: { env: { HTTPS_PROXY: guarded.url, NO_PROXY: '<-loopback>' } }, tls: trust }).oidc), 'configuration');
      assert.match(error.message, /requires credentials \(HTTP 407\).*the HTTPS_PROXY environment variable/);
      const withCredentials = guarded.url.replace('http://', 'http://bob:s3cret@');
      await register(client({ proxy: { env: { HTTPS_PROXY: withCredentials, NO_PROXY: '<-loopback>' } }, tls: trust }).oidc);
      assert.deepEqual(guarded.log().map((e) => `${e.method} ${e.status}`), ['CONNECT 407', 'CONNECT 200']);
      assert.ok(!logger.text().includes('s3cret'));
    } finally {
      await guarded.close();
    }
  });

  it('tunnels through the proxy with CONNECT and verifies the CA inside the tunnel', async () => {
    const port = new URL(emulator.url).port;
    await register(client({ proxy: { env: { HTTPS_PROXY: proxy.url, NO_PROXY: '<-loopback>' } }, tls: { extraCaCertificates: [ca.caPem] } }).oidc);
    assert.deepEqual(proxy.log(), [{ method: 'CONNECT', target: `127.0.0.1:${port}`, status: 200 }]);
    assert.equal(emulator.requests('/v1/clients').length, 1);
    proxy.clearLog();
    const error = await rejectsWith(register(client({ proxy: { proxy: proxy.url, noProxy: ['<-loopback>'] } }).oidc), 'network');
    assert.match(error.message, /at 127\.0\.0\.1:\d+ could not be verified \([A-Z_]+; reached through the proxy http:\/\/127\.0\.0\.1:\d+\)\..*the CA certificates setting/);
    assert.deepEqual(proxy.log().map((e) => e.method), ['CONNECT'], 'the tunnel opened; the certificate inside it was refused');
  });
});

describe('the emulator under example.com names, as the screenshots reach it', () => {
  let hosts: ExampleHostsService;
  const logger = new MemoryLogger();
  const transports: UndiciTransport[] = [];

  before(async function () {
    if (!opensslVersion()) {
      this.skip();
      return;
    }
    hosts = await startExampleHosts();
  });
  after(async () => {
    await hosts?.close();
    await Promise.all(transports.map((t) => t.close()));
  });

  /** A transport set up from the settings the screenshots write, as the extension reads them. */
  function transport(): UndiciTransport {
    const { settings, machineSettings } = hosts;
    const network = buildNetworkConfig({ proxy: settings['http.proxy'], caCertificates: machineSettings['iamIdentityCenter.caCertificates'], env: {} }, readUtf8).config;
    const created = createUndiciTransport({ network, logger, limits: { totalTimeoutMs: 5000 } });
    transports.push(created);
    return created;
  }

  it('registers and starts a sign-in at the example endpoint through the proxy, which names the example verification page', async () => {
    const through = transport();
    const oidc = new OidcClient({ endpoint: EXAMPLE_HOSTS.endpoint, transport: () => through, clock: systemClock, logger, retry: { policy: NO_RETRY } });
    const registration = await oidc.registerClient({ clientName: 'example hosts', scopes: ['openid'] });
    const device = await oidc.startDeviceAuthorization(registration, EXAMPLE_HOSTS.startUrl);
    assert.equal(device.verificationUri, EXAMPLE_HOSTS.verificationUri);
    assert.equal(device.verificationUriComplete, `${EXAMPLE_HOSTS.verificationUri}?user_code=${device.userCode}`);
    assert.deepEqual(hosts.emulator.requests().map((request) => request.path), ['/v1/clients', '/v1/device/authorize']);
    assert.ok(hosts.proxy.log().every((entry) => entry.target === 'oidc.cn-north-4.example.com:443' && entry.status === 200), JSON.stringify(hosts.proxy.log()));
  });

  it('reaches the portal under its example name, and no other name', async () => {
    const through = transport();
    const portal = new PortalClient({ endpoint: EXAMPLE_HOSTS.portalEndpoint, transport: () => through, clock: systemClock, logger, retry: { policy: NO_RETRY } });
    await assert.rejects(portal.listAccounts('not-a-token'), (error: unknown) => isIdentityCenterError(error) && error.kind !== 'network');
    assert.equal(hosts.emulator.requests('/v1/assigned-accounts').length, 1);
    const elsewhere = new PortalClient({ endpoint: 'https://portal-identitycenter.myhuaweicloud.com', transport: () => through, clock: systemClock, logger, retry: { policy: NO_RETRY } });
    await rejectsWith(elsewhere.listAccounts('not-a-token'), 'network');
    assert.deepEqual(hosts.proxy.log().at(-1), { method: 'CONNECT', target: 'portal-identitycenter.myhuaweicloud.com:443', status: 403 });
  });
});

describe('a service that cannot be reached', () => {
  let closedPort: number;
  const logger = new MemoryLogger();
  const transports: UndiciTransport[] = [];

  before(async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closedPort = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
  });
  after(async () => {
    await Promise.all(transports.map((t) => t.close()));
  });

  function transport(): UndiciTransport {
    const created = createUndiciTransport({ logger, limits: { totalTimeoutMs: 5000 } });
    transports.push(created);
    return created;
  }

  /** A transport that fails as an unknown host does, for hosts no test may reach. */
  const unknownHost = (sent: HttpRequest[]): HttpTransport => ({
    send: async (request) => {
      sent.push(request);
      throw classifyNetworkError(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }), undefined, requestTarget(request.url, request.setting));
    },
  });

  it('names the host and port it tried and the Endpoint setting, which the error carries to open', async () => {
    const direct = transport();
    const oidc = new OidcClient({ endpoint: `http://127.0.0.1:${closedPort}`, transport: () => direct, clock: systemClock, logger, retry: { policy: NO_RETRY } });
    const error = await rejectsWith(oidc.registerClient({ clientName: 'unreachable', scopes: ['openid'] }), 'network');
    assert.equal(error.message, `Could not reach IAM Identity Center at 127.0.0.1:${closedPort} (ECONNREFUSED). Check your network connection and the Endpoint setting, then retry.`);
    assert.equal(error.setting, 'endpoint');
  });

  it('names the host only: never the user name, password, path or query of the URL', async () => {
    const error = await rejectsWith(
      transport().send({ method: 'GET', url: `http://alice:hunter22@127.0.0.1:${closedPort}/v1/secret-path?access=token-abcd`, setting: 'portalEndpoint' }),
      'network',
    );
    assert.match(error.message, new RegExp(`at 127\\.0\\.0\\.1:${closedPort} \\(ECONNREFUSED\\)\\. Check your network connection and the Portal endpoint setting`));
    for (const hidden of ['alice', 'hunter22', 'secret-path', 'access', 'token-abcd']) assert.ok(!error.message.includes(hidden), hidden);
    assert.equal(error.setting, 'portalEndpoint');
  });

  it("a region's own endpoint names the Region setting; the portal client names the Portal endpoint setting", async () => {
    const sent: HttpRequest[] = [];
    const regional = new OidcClient({ endpoint: 'https://oidc.cn-north-4.myhuaweicloud.com', transport: () => unknownHost(sent), clock: systemClock, logger, retry: { policy: NO_RETRY } });
    const error = await rejectsWith(regional.registerClient({ clientName: 'regional', scopes: ['openid'] }), 'network');
    assert.equal(error.message, 'Could not reach IAM Identity Center at oidc.cn-north-4.myhuaweicloud.com (ENOTFOUND). Check your network connection and the Region setting, then retry.');
    assert.equal(error.setting, 'region');
    const custom = new OidcClient({ endpoint: 'https://sso.corp.example/oidc', transport: () => unknownHost(sent), clock: systemClock, logger, retry: { policy: NO_RETRY } });
    assert.equal((await rejectsWith(custom.registerClient({ clientName: 'custom', scopes: ['openid'] }), 'network')).setting, 'endpoint');
    const portal = new PortalClient({ endpoint: 'https://portal-identitycenter.myhuaweicloud.com', transport: () => unknownHost(sent), clock: systemClock, logger, retry: { policy: NO_RETRY } });
    const portalError = await rejectsWith(portal.listAccounts('token'), 'network');
    assert.match(portalError.message, /at portal-identitycenter\.myhuaweicloud\.com \(ENOTFOUND\)\. Check your network connection and the Portal endpoint setting/);
    assert.equal(portalError.setting, 'portalEndpoint');
    assert.deepEqual(sent.map((request) => request.setting), ['region', 'endpoint', 'portalEndpoint']);
  });

  it('a timeout names the host and the setting', () => {
    const error = classifyNetworkError(Object.assign(new Error('headers'), { code: 'UND_ERR_HEADERS_TIMEOUT' }), undefined, { host: 'sso.corp.example:8443', setting: 'endpoint' });
    assert.equal(error.kind, 'timeout');
    assert.equal(error.message, 'IAM Identity Center at sso.corp.example:8443 did not answer in time. Check your network connection and the Endpoint setting, then retry.');
    assert.equal(error.setting, 'endpoint');
  });
});

describe('OidcClient retries against emulator faults', () => {
  const fx = useEmulator({ limits: { totalTimeoutMs: 2000, headersTimeoutMs: 1000, bodyIdleTimeoutMs: 500 } });
  let sleeps: number[];
  let oidc: OidcClient;
  const posts = (path = '/v1/clients') => fx.emulator.requests(path).length;
  const register = () => oidc.registerClient({ clientName: 'retried', scopes: ['openid'] });

  beforeEach(() => {
    sleeps = [];
    oidc = fx.oidc({ retry: { sleep: fakeSleep(fx.clock, { record: sleeps }), random: () => 0.5 } });
  });

  it('503 then 200: succeeds with two POSTs after one jittered backoff', async () => {
    fx.emulator.injectFault({ type: 'status', status: 503 }, { path: '/v1/clients' });
    await register();
    assert.equal(posts(), 2);
    assert.deepEqual(sleeps, [250]);
    assert.ok(fx.logger.lines.includes('info: POST /v1/clients: HTTP 503; attempt 2 of 3 in 250 ms'), fx.logger.text());
  });

  it('429 with Retry-After: waits exactly that long', async () => {
    fx.emulator.injectFault({ type: 'status', status: 429, headers: { 'retry-after': '2' } }, { path: '/v1/clients' });
    await register();
    assert.equal(posts(), 2);
    assert.deepEqual(sleeps, [2000]);
  });

  it('429 with a Retry-After beyond the cap: fails at once, keeping the wait for the message', async () => {
    fx.emulator.injectFault({ type: 'status', status: 429, headers: { 'retry-after': '3600' } }, { path: '/v1/clients' });
    const error = await rejectsWith(register(), 'service');
    assert.equal(error.retryAfterSeconds, 3600);
    assert.equal(posts(), 1);
  });

  it('400 is an answer: not retried', async () => {
    fx.emulator.injectFault({ type: 'status', status: 400, body: { error_code: 'IIC.1001', error_msg: 'bad' } }, { path: '/v1/clients' });
    await rejectsWith(register(), 'service');
    assert.equal(posts(), 1);
    assert.deepEqual(sleeps, []);
  });

  it('a reset with no response, then 200: retried', async () => {
    fx.emulator.injectFault({ type: 'reset' }, { path: '/v1/clients' });
    await register();
    assert.equal(posts(), 2);
  });

  it('a reset mid-body, then 200: retried, leaving the first client orphaned on the server (the documented trade-off)', async () => {
    const clientSecrets = () => fx.emulator.issuedSecrets().filter((s) => s.startsWith('csecret-')).length;
    const before = clientSecrets();
    fx.emulator.injectFault({ type: 'resetMidBody' }, { path: '/v1/clients' });
    const registration = await register();
    assert.equal(posts(), 2);
    assert.equal(clientSecrets() - before, 2, 'two clients exist; one is in use');
    assert.ok(fx.emulator.issuedSecrets().includes(registration.clientSecret));
  });

  it('three 503s: gives up after three POSTs with the service error', async () => {
    fx.emulator.injectFault({ type: 'status', status: 503 }, { path: '/v1/clients', times: 3 });
    const error = await rejectsWith(register(), 'service');
    assert.equal(error.status, 503);
    assert.equal(posts(), 3);
    assert.deepEqual(sleeps, [250, 500]);
  });

  it('a timeout (the server hangs), then 200: retried', async () => {
    fx.emulator.injectFault({ type: 'hang' }, { path: '/v1/clients' });
    await register();
    assert.equal(posts(), 2);
  });

  it('cancelled during the backoff: no second POST', async () => {
    const abort = new AbortController();
    oidc = fx.oidc({ retry: { sleep: fakeSleep(fx.clock, { onSleep: () => abort.abort() }), random: () => 0.5 } });
    fx.emulator.injectFault({ type: 'status', status: 503 }, { path: '/v1/clients' });
    await rejectsWith(oidc.registerClient({ clientName: 'c', scopes: [] }, abort.signal), 'cancelled');
    assert.equal(posts(), 1);
  });

  it('retries device authorization on 503', async () => {
    const registration = await register();
    fx.emulator.injectFault({ type: 'status', status: 503 }, { path: '/v1/device/authorize' });
    await oidc.startDeviceAuthorization(registration, 'https://portal.example.com/start');
    assert.equal(posts('/v1/device/authorize'), 2);
  });

  it('never retries /v1/tokens: the device flow has its own retry', async () => {
    const registration = await register();
    const authorization = await oidc.startDeviceAuthorization(registration, 'https://portal.example.com/start');
    fx.emulator.injectFault({ type: 'status', status: 503 }, { path: '/v1/tokens' });
    await rejectsWith(oidc.pollDeviceToken(registration, authorization.deviceCode), 'service');
    fx.emulator.injectFault({ type: 'reset' }, { path: '/v1/tokens' });
    await rejectsWith(oidc.pollDeviceToken(registration, authorization.deviceCode), 'network');
    assert.equal(posts('/v1/tokens'), 2);
    assert.deepEqual(sleeps, []);
  });
});
