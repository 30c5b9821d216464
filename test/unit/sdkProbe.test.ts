/**
 * The real Huawei Cloud Node.js SDK (`@huaweicloud/huaweicloud-sdk-iam`) signs with the
 * agency credentials the portal hands out, given nothing but the six variables the
 * extension puts into a process's environment (and the emulator's address): the probe
 * (`test/support/sdkProbe.js`) runs as a child process, and the emulator checks each
 * signature. Tampered, foreign, unknown, expired and stale ones are refused. Loopback only.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AgencyCredentials } from '../../src/core/credentials/model';
import { PortalClient } from '../../src/core/portal/client';
import { EmulatorControl } from '../support/emulator/control';
import { IAM_AUTH_ERROR_CODE, type IamRequestRecord } from '../support/emulator/emulator';
import { useEmulator } from '../support/emulatorFixture';
import type { SdkProbeResult } from '../support/sdkProbeResult';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { guardLoopback, isLoopbackUrl } = require('../../../test/support/sdkProbe.js') as {
  guardLoopback(modules: Array<Record<string, unknown>>): void;
  isLoopbackUrl(text: string): boolean;
};

/** The probe, run from its source: it is plain CommonJS and not compiled. */
const PROBE = path.resolve(__dirname, '../../../test/support/sdkProbe.js');
const PRODUCTION = '5c3f0e8a9b2d4e71a6f08c1d2e3b4a59';
const STAGING = '8e1b7a4c2f6d49a0b3c5d7e9f1a2b4c6';
const READ_ONLY = `iam::${PRODUCTION}:agency:iic_ReadOnlyAccess_7d41`;
const DEVELOPER = `iam::${STAGING}:agency:iic_Developer_51ce`;


interface ProbeRun {
  exitCode: number | null;
  result: SdkProbeResult;
  /** Everything the probe printed: kept for assertions, never shown. */
  output: string;
  /** What the probe left in its working and home folder, besides the result. */
  leftBehind: string[];
}

/** The variables the extension sets (`src/vscode/agencies/terminal.ts`, `CREDENTIAL_VARIABLES`), filled from `c`. */
function credentialVariables(c: Pick<AgencyCredentials, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'>): Record<string, string> {
  return {
    HUAWEICLOUD_SDK_AK: c.accessKeyId,
    HUAWEICLOUD_SDK_SK: c.secretAccessKey,
    HUAWEICLOUD_SDK_SECURITY_TOKEN: c.sessionToken,
    HW_ACCESS_KEY: c.accessKeyId,
    HW_SECRET_KEY: c.secretAccessKey,
    HW_SECURITY_TOKEN: c.sessionToken,
  };
}

describe('The Huawei Cloud SDK signs with agency credentials from the environment alone', function () {
  // Each run starts node and loads the SDK: about two seconds.
  this.timeout(30_000);

  const fx = useEmulator({ limits: { totalTimeoutMs: 5000 } });
  let portal: PortalClient;
  let token: string;
  let folder: string;

  beforeEach(() => {
    portal = fx.portal();
    token = fx.emulator.issueAccessToken();
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'iic-sdk-probe-'));
  });
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  const credentialsFor = (accountId: string, agencyUrn: string): Promise<AgencyCredentials> => portal.getCredentials(token, { accountId, agencyUrn });

  /** Runs the probe with `variables` and the emulator's address, and no other variable of ours: HOME and the working folder are a fresh folder. */
  function probe(variables: Record<string, string>, endpoint: string | null = fx.emulator.url): Promise<ProbeRun> {
    const resultFile = path.join(folder, 'result.json');
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: folder, USERPROFILE: folder, ...variables };
    if (process.env.SYSTEMROOT) env.SYSTEMROOT = process.env.SYSTEMROOT;
    if (endpoint !== null) env.HUAWEICLOUD_SDK_IAM_ENDPOINT = endpoint;
    return new Promise((resolve, reject) => {
      const child = execFile(process.execPath, [PROBE, resultFile], { env, cwd: folder, timeout: 25_000 }, (error, stdout, stderr) => {
        if (error && child.exitCode === null) return reject(new Error(`the probe did not finish: ${error.name}`));
        try {
          const result = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as SdkProbeResult;
          const leftBehind = fs.readdirSync(folder).filter((name) => name !== 'result.json');
          resolve({ exitCode: child.exitCode, result, output: `${stdout}${stderr}`, leftBehind });
        } catch {
          reject(new Error(`the probe wrote no result (exit ${child.exitCode})`));
        }
      });
    });
  }

  /** Asserts that nothing the probe printed or wrote, and nothing the IAM record holds, is a secret the emulator issued. */
  function assertNoSecret(run: ProbeRun): void {
    const seen = `${run.output}\n${JSON.stringify(run.result)}\n${JSON.stringify(fx.emulator.iamRequests())}`;
    for (const secret of fx.emulator.issuedSecrets()) assert.ok(!seen.includes(secret), 'no issued secret in the probe output, its result or the IAM record');
  }

  function iamCalls(): Array<Pick<IamRequestRecord, 'path' | 'accepted' | 'refusal' | 'credentialIndex'>> {
    return fx.emulator.iamRequests().map(({ path: p, accepted, refusal, credentialIndex }) => ({ path: p, accepted, credentialIndex, ...(refusal ? { refusal } : {}) }));
  }

  /** Asserts the probe was refused at its first signed request, for `refusal`. */
  function assertRefused(run: ProbeRun, refusal: string, credentialIndex: number | null = 0): void {
    assert.equal(run.exitCode, 1);
    assert.deepEqual(
      { ok: run.result.ok, status: run.result.status, errorCode: run.result.errorCode, accountId: run.result.accountId, agencyUrn: run.result.agencyUrn },
      { ok: false, status: 401, errorCode: IAM_AUTH_ERROR_CODE, accountId: null, agencyUrn: null },
    );
    assert.deepEqual(iamCalls(), [{ path: '/v3/projects', accepted: false, refusal, credentialIndex }], 'refused at the lookup; the call never went out');
    // assert.ok, not assert.equal: a failure must not echo what the SDK printed.
    assert.ok(run.output === '', 'the SDK printed the refused request (headers, token): the probe must swallow it');
    assertNoSecret(run);
  }

  it('accepts the credentials the portal issued: the SDK looks up the project, then calls, each signature checked; the answer names the agency', async () => {
    const issued = await credentialsFor(PRODUCTION, READ_ONLY);
    const run = await probe(credentialVariables(issued));
    assert.equal(run.exitCode, 0);
    assert.deepEqual(run.result, { ok: true, status: 200, accountId: PRODUCTION, agencyUrn: READ_ONLY, errorCode: null, hwVariables: 'same' });
    assert.deepEqual(iamCalls(), [
      { path: '/v3/projects', accepted: true, credentialIndex: 0 },
      { path: '/v3/auth/projects', accepted: true, credentialIndex: 0 },
    ]);
    const [lookup] = fx.emulator.requests('/v3/projects');
    assert.equal(lookup.query.name, 'cn-north-4');
    assert.equal(lookup.headers['x-security-token'], issued.sessionToken, 'the token travels in X-Security-Token');
    assert.match(lookup.headers.authorization, /^SDK-HMAC-SHA256 Access=\S+, SignedHeaders=[a-z;-]*x-security-token[a-z;-]*, Signature=[0-9a-f]{64}$/);
    assert.ok(run.output === '', 'the probe printed something');
    assert.deepEqual(run.leftBehind, [], 'no ~/.huaweicloud, no log file');
    assertNoSecret(run);
  });

  it('names the agency whose credentials it holds, of two issued in different accounts', async () => {
    await credentialsFor(PRODUCTION, READ_ONLY);
    const developer = await credentialsFor(STAGING, DEVELOPER);
    const run = await probe(credentialVariables(developer));
    assert.deepEqual([run.result.accountId, run.result.agencyUrn], [STAGING, DEVELOPER]);
    assert.ok(fx.emulator.iamRequests().every((r) => r.accepted && r.credentialIndex === 1 && r.agencyUrn === DEVELOPER));
  });

  it('with HUAWEICLOUD_SDK_TYPE=GlobalCredentials, looks up the account (GET /v3/auth/domains) instead, and is accepted', async () => {
    const run = await probe({ ...credentialVariables(await credentialsFor(PRODUCTION, READ_ONLY)), HUAWEICLOUD_SDK_TYPE: 'GlobalCredentials' });
    assert.equal(run.result.ok, true);
    assert.deepEqual(
      iamCalls().map((r) => r.path),
      ['/v3/auth/domains', '/v3/auth/projects'],
    );
    assert.equal(fx.emulator.requests('/v3/auth/projects')[0].headers['x-domain-id'], PRODUCTION, 'the SDK sends the account it looked up');
  });

  it('refuses a tampered secret key, and the probe prints nothing even when the SDK logs at debug level', async () => {
    const issued = await credentialsFor(PRODUCTION, READ_ONLY);
    const variables = { ...credentialVariables(issued), HUAWEICLOUD_SDK_SK: `${issued.secretAccessKey.slice(0, -1)}${issued.secretAccessKey.endsWith('a') ? 'b' : 'a'}`, DEBUG: 'DEBUG' };
    const run = await probe(variables);
    assertRefused(run, 'signature');
    assert.equal(run.result.hwVariables, 'different');
  });

  it('refuses another agency\'s security token with this agency\'s keys', async () => {
    const issued = await credentialsFor(PRODUCTION, READ_ONLY);
    const other = await credentialsFor(STAGING, DEVELOPER);
    assertRefused(await probe({ ...credentialVariables(issued), HUAWEICLOUD_SDK_SECURITY_TOKEN: other.sessionToken }), 'securityToken');
  });

  it('refuses an access key the portal never issued', async () => {
    const issued = await credentialsFor(PRODUCTION, READ_ONLY);
    assertRefused(await probe({ ...credentialVariables(issued), HUAWEICLOUD_SDK_AK: 'QTWAOYTTINDUT2QVKYUC' }), 'unknownAccessKey', null);
  });

  it('refuses the credentials once they expired on the emulator clock', async () => {
    fx.emulator.configure({ credentialLifetimeSeconds: 60 });
    const issued = await credentialsFor(PRODUCTION, READ_ONLY);
    fx.emulator.advanceClock(61);
    assertRefused(await probe(credentialVariables(issued)), 'expired');
  });

  it('refuses an X-Sdk-Date more than 15 minutes from the emulator clock, either way, while the credentials are still valid', async () => {
    const issued = await credentialsFor(PRODUCTION, READ_ONLY);
    fx.emulator.advanceClock(16 * 60);
    assertRefused(await probe(credentialVariables(issued)), 'staleDate');
    fx.emulator.reset();
    token = fx.emulator.issueAccessToken();
    const again = await credentialsFor(PRODUCTION, READ_ONLY);
    fx.emulator.setClockOffset(-16 * 60);
    assertRefused(await probe(credentialVariables(again)), 'staleDate');
  });

  it('reports the IAM record over the control API too, for tests in another process', async () => {
    await probe(credentialVariables(await credentialsFor(PRODUCTION, READ_ONLY)));
    assert.equal(fx.emulator.iamRequests().length, 2);
    assert.deepEqual(await new EmulatorControl(fx.emulator.url).iamRequests(), fx.emulator.iamRequests());
  });

  it('sends nothing and says why without the endpoint, or with one that is not loopback', async () => {
    const variables = credentialVariables(await credentialsFor(PRODUCTION, READ_ONLY));
    for (const endpoint of [null, 'https://iam.myhuaweicloud.com', 'http://127.0.0.1.example.com:8080', 'file:///tmp']) {
      const run = await probe(variables, endpoint);
      assert.equal(run.exitCode, 2, String(endpoint));
      assert.deepEqual(run.result, { ok: false, status: 0, accountId: null, agencyUrn: null, errorCode: 'configuration', hwVariables: 'same' });
      assert.match(run.output, /HUAWEICLOUD_SDK_IAM_ENDPOINT must be a loopback/);
      assertNoSecret(run);
    }
    assert.deepEqual(fx.emulator.iamRequests(), []);
  });

  it('guards node\'s http and https: a request to any host but loopback throws before it is made', () => {
    const made: unknown[] = [];
    const fake = { request: (...args: unknown[]) => made.push(args), get: (...args: unknown[]) => made.push(args) };
    guardLoopback([fake]);
    assert.throws(() => fake.request('https://iam.myhuaweicloud.com/v3/projects'), /nothing but loopback/);
    assert.throws(() => fake.request({ hostname: 'iam.cn-north-4.myhuaweicloud.com', path: '/' }), /nothing but loopback/);
    assert.throws(() => fake.get(new URL('http://127.0.0.1/'), { host: 'proxy.example.com' }), /nothing but loopback/, 'options win over the URL');
    assert.equal(made.length, 0);
    fake.request('http://127.0.0.1:1/');
    fake.get({ hostname: '::1' });
    fake.request({ host: 'localhost' });
    assert.equal(made.length, 3);
    assert.equal(isLoopbackUrl('http://[::1]:8080'), true);
    assert.equal(isLoopbackUrl('http://localhost.example.com'), false);
  });
});
