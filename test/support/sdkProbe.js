/**
 * sdkProbe.js: proves, with a client nobody here wrote, that the environment a process
 * gets from the extension is enough for the real Huawei Cloud Node.js SDK to sign. It
 * builds the SDK's IAM v3 client from the environment alone and makes one cheap call
 * against the loopback emulator, which checks every signature.
 *
 *   node test/support/sdkProbe.js <resultFile> [<iamEndpoint>]
 *
 * It reads:
 *   HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK, HUAWEICLOUD_SDK_SECURITY_TOKEN
 *       the credentials. The SDK reads them itself (`ClientBuilder.build()`); the probe
 *       only compares them with Terraform's names below.
 *   HW_ACCESS_KEY, HW_SECRET_KEY, HW_SECURITY_TOKEN
 *       Terraform's names for the same values: compared, never sent (`hwVariables`).
 *   HUAWEICLOUD_SDK_IAM_ENDPOINT, or the second argument (which wins)
 *       required: the emulator's base URL, e.g. `http://127.0.0.1:PORT`; loopback only.
 *       The SDK sends its lookup there; the probe makes it the region's IAM endpoint too.
 *       Without it, or with any other host, the probe sends nothing and exits 2.
 *   HUAWEICLOUD_SDK_TYPE (optional, read by the SDK)
 *       `GlobalCredentials` makes the SDK look up the account (`GET /v3/auth/domains`)
 *       instead of the region's project (`GET /v3/projects?name=cn-north-4`).
 *
 * It calls `keystoneListAuthProjects` (`GET /v3/auth/projects`) in region cn-north-4,
 * after the SDK's own lookup, and writes one JSON object to <resultFile> (whole, through
 * a rename): `{ ok, status, accountId, agencyUrn, errorCode, hwVariables }`.
 *   ok           true when the call was answered 200
 *   status       the HTTP status of the call, or of the request refused first; 0 when none
 *   accountId    `domain_id` of the first project answered (null unless ok)
 *   agencyUrn    the emulator's `emulator_caller.agency_urn` (null unless ok)
 *   errorCode    the refusal's `error_code` (e.g. `APIGW.0301`), `noAnswer`, `configuration`; null when ok
 *   hwVariables  `same` when the three HW_ variables hold the SDK variables' values,
 *                `different`, or `missing`
 * Never a secret. The SDK prints each failed request to stdout, headers and security token
 * included: the probe swallows all console output while it runs, and prints only its
 * own fixed usage and configuration messages.
 *
 * Exit status: 0 when the call succeeded, 1 when it was refused or failed, 2 when the
 * probe could not run (no result file given, no or no loopback endpoint), 3 when the
 * probe itself broke (then there may be no result file).
 */
'use strict';
const fs = require('fs');
const http = require('http');
const https = require('https');

/** The region the client is built for; the emulator has a project there in every account. */
const REGION = 'cn-north-4';
/** Hosts the probe may reach: this machine only. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);
const SDK_VARIABLES = ['HUAWEICLOUD_SDK_AK', 'HUAWEICLOUD_SDK_SK', 'HUAWEICLOUD_SDK_SECURITY_TOKEN'];
const HW_VARIABLES = ['HW_ACCESS_KEY', 'HW_SECRET_KEY', 'HW_SECURITY_TOKEN'];
const USAGE = 'usage: node sdkProbe.js <resultFile> [<iamEndpoint>] (or set HUAWEICLOUD_SDK_IAM_ENDPOINT)\n';

/** True when `text` is an http(s) URL on a loopback host. */
function isLoopbackUrl(text) {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.has(bareHost(url.hostname));
  } catch {
    return false;
  }
}

function bareHost(host) {
  return String(host).replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

/**
 * Makes `request` and `get` of each module (node's `http`, `https`) throw for any host
 * but loopback, before a byte leaves: whatever path inside the SDK picks a host (a
 * default endpoint, a proxy), it never reaches a real Huawei Cloud host.
 */
function guardLoopback(modules) {
  for (const httpModule of modules) {
    for (const name of ['request', 'get']) {
      const original = httpModule[name];
      httpModule[name] = function loopbackOnly(...args) {
        if (!LOOPBACK_HOSTS.has(targetHost(args))) throw new Error('sdkProbe reaches nothing but loopback');
        return original.apply(this, args);
      };
    }
  }
}

/** The host of an `http.request(url?, options?, callback?)` call; options win over the URL, as in node. */
function targetHost([first, second]) {
  const url = typeof first === 'string' || first instanceof URL ? new URL(String(first)) : undefined;
  const options = url ? (second && typeof second === 'object' ? second : {}) : first || {};
  return bareHost(options.hostname || options.host || (url && url.hostname) || 'localhost');
}

/** Swallows everything written to stdout and stderr; returns a writer to the real stderr, for the probe's own fixed messages. */
function swallowConsoleOutput() {
  const stderrWrite = process.stderr.write.bind(process.stderr);
  const swallow = (_chunk, encoding, callback) => {
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') done();
    return true;
  };
  process.stdout.write = swallow;
  process.stderr.write = swallow;
  return stderrWrite;
}

/** `same`, `different` or `missing`: whether Terraform's variables hold what the SDK's hold. */
function hwVariables(env) {
  if (HW_VARIABLES.some((name) => env[name] === undefined)) return 'missing';
  return HW_VARIABLES.every((name, i) => env[name] === env[SDK_VARIABLES[i]]) ? 'same' : 'different';
}

/** The IAM v3 client for REGION at `endpoint`, its credentials from the environment; one cheap call. */
async function callIam(endpoint) {
  const { Region } = require('@huaweicloud/huaweicloud-sdk-core/region/region');
  const { IamClient } = require('@huaweicloud/huaweicloud-sdk-iam/v3/public-api');
  try {
    // customUserAgent: without it the SDK writes an id to ~/.huaweicloud/application_id.
    const client = IamClient.newBuilder().withRegion(new Region(REGION, [endpoint])).withOptions({ customUserAgent: 'iic-sdk-probe' }).build();
    const answer = await client.keystoneListAuthProjects();
    const project = Array.isArray(answer.projects) ? answer.projects[0] : undefined;
    const caller = answer.emulator_caller || {};
    return { ok: answer.httpStatusCode === 200, status: answer.httpStatusCode, accountId: textOrNull(project && project.domain_id), agencyUrn: textOrNull(caller.agency_urn), errorCode: null };
  } catch (error) {
    const status = error && typeof error.httpStatusCode === 'number' ? error.httpStatusCode : 0;
    const code = error && typeof error.errorCode === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(error.errorCode) ? error.errorCode : 'noAnswer';
    return { ok: false, status, accountId: null, agencyUrn: null, errorCode: code };
  }
}

function textOrNull(value) {
  return typeof value === 'string' ? value : null;
}

/** Writes the result whole: to a file beside it, then renamed, so a reader never sees half of it. */
function writeResult(file, result) {
  const partial = `${file}.partial`;
  fs.writeFileSync(partial, `${JSON.stringify(result)}\n`);
  fs.renameSync(partial, file);
}

async function main(args) {
  const [resultFile, endpointArgument] = args;
  if (!resultFile) {
    process.stderr.write(USAGE);
    return 2;
  }
  const endpoint = (endpointArgument || process.env.HUAWEICLOUD_SDK_IAM_ENDPOINT || '').replace(/\/+$/, '');
  if (!isLoopbackUrl(endpoint)) {
    process.stderr.write(`sdkProbe: HUAWEICLOUD_SDK_IAM_ENDPOINT must be a loopback http(s) URL, e.g. http://127.0.0.1:PORT; nothing was sent.\n${USAGE}`);
    writeResult(resultFile, { ok: false, status: 0, accountId: null, agencyUrn: null, errorCode: 'configuration', hwVariables: hwVariables(process.env) });
    return 2;
  }
  process.env.HUAWEICLOUD_SDK_IAM_ENDPOINT = endpoint;
  guardLoopback([http, https]);
  swallowConsoleOutput();
  const result = await callIam(endpoint);
  writeResult(resultFile, { ...result, hwVariables: hwVariables(process.env) });
  return result.ok ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    () => process.exit(3),
  );
}

module.exports = { guardLoopback, isLoopbackUrl };
