/**
 * The bench's measurements, each against the loopback emulator and the bench's own
 * production build: activation in fresh node processes, `registerClient` against a raw
 * undici request, the renewal storm, device-code polls, and the package.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as esbuild from 'esbuild';
import type { Agent as UndiciAgent, request as undiciRequest } from 'undici';
import type { HttpTransport } from '../../src/core/transport/port';
import { OidcClient, registrationRequestBody } from '../../src/core/oidc/client';
import { silentLogger, type Sleep } from '../../src/core/common/ports';
import { RegistrationManager } from '../../src/core/registration/manager';
import { registrationKey, serializeRegistration } from '../../src/core/registration/record';
import { serializeSessions, sessionsKey } from '../../src/core/sessions/record';
import { signIn } from '../../src/core/signin/signIn';
import type { IdentityCenterEmulator } from '../support/emulator/emulator';
import { FakeClock } from '../support/fakeTime';
import { MemorySecretStore } from '../support/memorySecretStore';
import type { ProbeInput, ProbeResult } from './activationProbe';
import { ACTIVATION_BUNDLE, bundleLayout, lazyFilesLoaded, ONE_LAZY_BUNDLE } from './layout';
import { measureActivationWithAgency } from './measureAgencies';
import type { Options } from './options';
import { packageVsix, REPO, WORK } from './packageVsix';

/** The bench's own production build, so it never disturbs dist/ (tests may be using it). */
export const BUILD = path.join(WORK, 'dist');
export const METAFILE = path.join(WORK, 'esbuild-meta.json');
const SHARED_TRANSPORT = path.join(WORK, 'shared-transport', 'shared-transport.js');
const SCOPES = ['openid'];
const DAY_SECONDS = 24 * 3600;

// ---- helpers ---------------------------------------------------------------------------

/** The median of `values`. */
export function median(values: number[]): number {
  return quantile(values, 0.5);
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** A stored registration record that is usable (or, with `expired`, due for renewal). */
function registrationRecord(endpoint: string, expired: boolean): [string, string] {
  const issuedAt = nowSeconds() - (expired ? 100 : 1) * DAY_SECONDS;
  return [
    registrationKey(endpoint, SCOPES),
    serializeRegistration({
      endpoint,
      clientName: 'Bench client',
      clientId: 'bench-client',
      clientSecret: 'bench-secret',
      issuedAt,
      expiresAt: issuedAt + 90 * DAY_SECONDS,
      scopes: SCOPES,
    }),
  ];
}

/**
 * A stored, valid session, as a signed-in user has on an ordinary start; under `key`, by
 * default where this checkout keeps the sessions of the emulator's instance.
 */
export function sessionRecord(endpoint: string, key = sessionsKey(endpoint, `${endpoint}/start`)): [string, string] {
  return [
    key,
    serializeSessions([
      {
        id: 'bench-session',
        account: { id: 'user-0001', label: 'test.user@example.com' },
        scopes: SCOPES,
        accessToken: 'bench-access-token',
        expiresAt: nowSeconds() + 3600,
        refreshToken: 'bench-refresh-token',
        clientId: 'bench-client',
      },
    ]),
  ];
}

/**
 * Runs `activationProbe.js` in a fresh node process. Asynchronously: the emulator
 * answers from this process's event loop.
 */
export function runProbe(input: ProbeInput): Promise<ProbeResult> {
  return runInFreshProcess(path.join(__dirname, 'activationProbe.js'), 'IIC_PROBE', input, 'activation probe');
}

/**
 * Runs `script` in a fresh node process with `input` as JSON in the environment variable
 * `variable`, and resolves with the last line it prints, parsed as JSON; rejects with its
 * stderr when it fails, and kills it after a minute. `what` names it in the error.
 */
export function runInFreshProcess<T>(script: string, variable: string, input: unknown, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, [variable]: JSON.stringify(input) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`${what} failed (${code ?? signal}): ${stderr}`));
        return;
      }
      resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as T);
    });
  });
}

/** The production transport and, from the same bundle (so the same copy of undici), undici's own `request` and `Agent`. */
export interface SharedTransport {
  createUndiciTransport: typeof import('../../src/core/transport/undici').createUndiciTransport;
  request: typeof undiciRequest;
  Agent: typeof UndiciAgent;
}

/**
 * Builds `src/core/transport/undici.ts` with the production options of esbuild.js (the
 * transport `dist/lazy.js` carries) into a bundle that also exports its own undici's
 * `request` and `Agent`, for the raw baseline. With two copies of undici in one process
 * (the production bundle's and node_modules/undici) the comparison measures the CPU caches
 * instead: the copy that runs more often stays warmer, which moved the ratio between 1.0
 * and 1.6 depending on the mix. The core measures (storms, pages, polls) use it too.
 */
export async function buildSharedTransport(): Promise<SharedTransport> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { commonOptions } = require(path.join(REPO, 'esbuild.js')) as { commonOptions(production: boolean): esbuild.BuildOptions };
  await esbuild.build({
    ...commonOptions(true),
    stdin: {
      contents: "export { createUndiciTransport } from './src/core/transport/undici';\nexport { Agent, request } from 'undici';\n",
      resolveDir: REPO,
      sourcefile: 'shared-transport.ts',
      loader: 'ts',
    },
    outfile: SHARED_TRANSPORT,
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(SHARED_TRANSPORT) as SharedTransport;
}

// ---- measurements ------------------------------------------------------------------------

/** A cached start of `bundle`: a usable registration and a session stored, the endpoint the emulator. */
export function activationProbeInput(emulator: IdentityCenterEmulator, bundle: string): ProbeInput {
  const endpoint = emulator.url;
  const settings = { 'iamIdentityCenter.endpoint': endpoint, 'iamIdentityCenter.startUrl': `${endpoint}/start` };
  return { bundle, settings, secrets: [registrationRecord(endpoint, false), sessionRecord(endpoint)], lingerMs: 0 };
}

/** Every file the runs loaded from the build's folder, each once, by name. */
export function filesLoaded(runs: readonly ProbeResult[]): { file: string; bytes: number }[] {
  const files = new Map(runs.flatMap((run) => run.loaded.map((entry) => [entry.file, entry] as const)));
  return [...files.values()].sort((a, b) => a.file.localeCompare(b.file));
}

/** Throws when the runs logged a warning or an error: the start they measure went wrong. */
export function requireNoProblems(what: string, runs: readonly ProbeResult[]): void {
  const problems = [...new Set(runs.flatMap((run) => run.problems))];
  if (problems.length > 0) throw new Error(`${what} logged problems:\n${problems.join('\n')}`);
}

export async function measureActivation(emulator: IdentityCenterEmulator, options: Options) {
  const endpoint = emulator.url;
  const layout = bundleLayout(BUILD);
  const cached = activationProbeInput(emulator, path.join(BUILD, ACTIVATION_BUNDLE));

  emulator.clearRequests();
  // Warm the file system cache; these runs are not counted.
  for (let i = 0; i < 3; i++) await runProbe(cached);
  const runs: ProbeResult[] = [];
  for (let i = 0; i < options.activationRuns; i++) runs.push(await runProbe(cached));
  const loadAverage = os.loadavg()[0];
  // Two more cached starts that stay up for a while, registration alone and with a
  // session, so a request sent late (a timer, a refresh) would still be counted.
  const lingering = [
    await runProbe({ ...cached, lingerMs: 1500 }),
    await runProbe({ ...cached, secrets: [registrationRecord(endpoint, false)], lingerMs: 1500 }),
  ];
  const cachedActivationRequests = emulator.requests().length;
  requireNoProblems('the cached activation', [...runs, ...lingering]);
  const withAgency = await measureActivationWithAgency(emulator, cached, runProbe, layout);

  // Control: with an expired registration, activation renews it in the background:
  // exactly one request, and the lazy bundle (the HTTP stack) loads. Shows the counting above works.
  emulator.clearRequests();
  const expired = await runProbe({ ...cached, secrets: [registrationRecord(endpoint, true)], lingerMs: 1000 });
  const expiredActivationRequests = emulator.requests().length;
  emulator.clearRequests();

  const files = filesLoaded([...runs, ...lingering]);
  const totals = runs.map((run) => run.requireMs + run.activateCallMs);
  return {
    activationBytes: files.reduce((sum, file) => sum + file.bytes, 0),
    activationFiles: files,
    activationLazyFiles: lazyFilesLoaded(layout, files),
    activateMs: median(totals),
    activateP90Ms: quantile(totals, 0.9),
    activateMinMs: Math.min(...totals),
    activateCpuMs: median(runs.map((run) => run.cpuMs)),
    loadAverage,
    cpus: os.cpus().length,
    activateSettledMs: median(runs.map((run) => run.settledMs)),
    activationRuns: runs.length,
    cachedActivationRequests,
    ...withAgency,
    expiredActivationRequests,
    expiredActivationLoadsLazy: expired.loaded.some((file) => file.file === layout.network),
  };
}

/**
 * Our `registerClient` against a raw undici `request` with the same body, to the same
 * emulator, interleaved in one run: each round runs ours, our transport's `send` alone
 * (the HTTP layer's share), the raw request, and a second raw client (the control, which
 * shows the method's own noise) in a shuffled order, each on its own keep-alive connection. A fixed order would charge one contender for the
 * work the previous one left behind (server-side cleanup, garbage).
 */
export async function measureRegisterOverhead(emulator: IdentityCenterEmulator, shared: SharedTransport, iterations: number, latencyMs = 0) {
  const warmup = latencyMs > 0 ? 10 : 100;
  // Every answer of /v1/clients held back by `latencyMs`: a network between us and the service.
  if (latencyMs > 0) emulator.injectFault({ type: 'delay', ms: latencyMs }, { path: '/v1/clients', times: (warmup + iterations) * 4 });
  const { Agent, request } = shared;
  const transport = shared.createUndiciTransport();
  const oidc = new OidcClient({ endpoint: emulator.url, transport: () => transport, clock: { now: () => Date.now() }, logger: silentLogger });
  const input = { clientName: 'Bench client', scopes: SCOPES };
  const body = JSON.stringify(registrationRequestBody(input));
  const url = `${emulator.url}/v1/clients`;
  const rawClient = (agent: UndiciAgent) => async () => {
    const response = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json;charset=UTF-8', accept: 'application/json' },
      body,
      dispatcher: agent,
    });
    await response.body.text();
    if (response.statusCode !== 200) throw new Error(`raw request: HTTP ${response.statusCode}`);
  };
  const agents = [new Agent(), new Agent()];
  const bare = shared.createUndiciTransport();
  const headers = { 'content-type': 'application/json;charset=UTF-8', accept: 'application/json' };
  const contenders: Record<'ours' | 'transport' | 'raw' | 'control', () => Promise<unknown>> = {
    ours: () => oidc.registerClient(input),
    transport: () => bare.send({ method: 'POST', url, headers, body }),
    raw: rawClient(agents[0]),
    control: rawClient(agents[1]),
  };
  const times: Record<keyof typeof contenders, number[]> = { ours: [], transport: [], raw: [], control: [] };
  const random = seededRandom(5);
  try {
    const names = Object.keys(contenders) as (keyof typeof contenders)[];
    for (let i = 0; i < warmup; i++) for (const name of names) await contenders[name]();
    for (let i = 0; i < iterations; i++) {
      for (const name of shuffle(names, random)) {
        const start = performance.now();
        await contenders[name]();
        times[name].push(performance.now() - start);
      }
      // Keep the emulator's client table small, so its lookups cost the same throughout.
      if (i % 100 === 99 && latencyMs === 0) emulator.reset();
    }
    return {
      registerOverheadRatio: median(times.ours) / median(times.raw),
      registerControlRatio: median(times.control) / median(times.raw),
      transportOverheadRatio: median(times.transport) / median(times.raw),
      registerMedianMs: median(times.ours),
      rawUndiciMedianMs: median(times.raw),
      registerIterations: iterations,
    };
  } finally {
    emulator.clearFaults();
    await Promise.all([...agents.map((agent) => agent.close()), transport.close(), bare.close()]);
  }
}

/** A small deterministic PRNG (mulberry32), so runs shuffle alike. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/**
 * CPU time of `registerClient` itself (request building, logging, retry wrapper,
 * response validation) with a transport that answers at once from memory: what our
 * code adds to each registration, network and HTTP stack aside.
 */
export async function measureClientCpu(): Promise<number> {
  const now = nowSeconds();
  const answer = {
    status: 200,
    headers: { 'content-type': 'application/json;charset=UTF-8' },
    body: JSON.stringify({
      client_info: {
        client_id: 'cid-0123456789abcdef',
        client_secret: 's'.repeat(64),
        client_id_issued_at: now,
        client_secret_expires_at: now + 90 * DAY_SECONDS,
        scopes: SCOPES,
      },
    }),
  };
  const transport: HttpTransport = { send: async () => answer };
  const oidc = new OidcClient({ endpoint: 'http://127.0.0.1:9', transport: () => transport, clock: { now: () => Date.now() }, logger: silentLogger });
  const input = { clientName: 'Bench client', scopes: SCOPES };
  for (let i = 0; i < 5000; i++) await oidc.registerClient(input);
  const rounds = 20000;
  const start = process.cpuUsage();
  for (let i = 0; i < rounds; i++) await oidc.registerClient(input);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / rounds;
}

/** 1000 concurrent `ensureClient()` on an expired registration, through the real manager and client. */
export async function measureStorm(emulator: IdentityCenterEmulator, transport: HttpTransport): Promise<number> {
  emulator.reset();
  const endpoint = emulator.url;
  const store = new MemorySecretStore();
  const [key, value] = registrationRecord(endpoint, true);
  store.values.set(key, value);
  const clock = { now: () => Date.now() };
  const oidc = new OidcClient({ endpoint, transport: () => transport, clock, logger: silentLogger });
  const manager = new RegistrationManager({ endpoint, scopes: SCOPES, registrar: oidc, store, clock, logger: silentLogger });
  const results = await Promise.all(Array.from({ length: 1000 }, () => manager.ensureClient()));
  if (new Set(results.map((r) => r.clientId)).size !== 1) throw new Error('the storm returned more than one client');
  return emulator.requests('/v1/clients').length;
}

/** The same storm through the production bundle: `activate()` then 1000 × `api.ensureClient()`. */
export async function measureStormThroughExtension(emulator: IdentityCenterEmulator): Promise<number> {
  emulator.reset();
  const endpoint = emulator.url;
  const result = await runProbe({
    bundle: path.join(BUILD, ACTIVATION_BUNDLE),
    settings: { 'iamIdentityCenter.endpoint': endpoint },
    secrets: [registrationRecord(endpoint, true)],
    lingerMs: 0,
    storm: 1000,
  });
  if (result.stormClients !== 1) throw new Error(`the storm through the extension returned ${result.stormClients} distinct clients`);
  return emulator.requests('/v1/clients').length;
}

/**
 * The real `signIn` (and so `pollForToken`) with a fake clock whose sleeps also move
 * the emulator's clock, so the emulator sees polls exactly as spaced as the client
 * meant them. The person approves during the k-th interval after the code is shown;
 * the best any client can do is then k polls.
 */
export async function measureDevicePolls(emulator: IdentityCenterEmulator, transport: HttpTransport, k: number) {
  emulator.reset();
  const endpoint = emulator.url;
  const clock = new FakeClock(Date.now());
  const store = new MemorySecretStore();
  const oidc = new OidcClient({ endpoint, transport: () => transport, clock, logger: silentLogger });
  const manager = new RegistrationManager({ endpoint, scopes: SCOPES, registrar: oidc, store, clock, logger: silentLogger });
  const intervalMs = emulator.currentSettings().interval! * 1000;
  const approveAfterMs = (k - 0.5) * intervalMs;
  let shown: { at: number; userCode: string } | undefined;
  let approved = false;
  const sleep: Sleep = async (ms) => {
    await Promise.resolve();
    clock.advance(ms);
    emulator.advanceClock(ms / 1000);
    if (shown && !approved && clock.now() - shown.at >= approveAfterMs) {
      emulator.approve(shown.userCode);
      approved = true;
    }
  };
  await signIn(
    {
      clients: { ensureClient: (name) => manager.ensureClient({ clientNameIfNone: name }), dropRejected: (client) => manager.dropRejected(client.clientId) },
      oidc,
      clock,
      sleep,
      logger: silentLogger,
      showUserCode: (prompt) => {
        shown = { at: clock.now(), userCode: prompt.userCode };
      },
    },
    { startUrl: `${endpoint}/start`, clientNameIfNone: 'Bench client' },
  );
  return { k, polls: emulator.requests('/v1/tokens').length, optimum: k };
}

/** Packages the production build as `npm run package` would, and reads what vsce says. */
export function measureVsix(): { vsixBytes: number; vsixFiles: string[]; vsixWarnings: string[] } {
  const vsix = packageVsix(BUILD, path.join(WORK, 'bench.vsix'));
  return { vsixBytes: vsix.bytes, vsixFiles: vsix.files, vsixWarnings: vsix.warnings };
}

/** What the esbuild metafile says of the build: the activation bundle's heaviest sources, and the size of what loads on first use. */
export function bundleInputs(): { activation: { input: string; bytes: number }[]; lazyBytes: number } {
  const meta = JSON.parse(fs.readFileSync(METAFILE, 'utf8')) as {
    outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
  };
  const output = (name: string) => Object.entries(meta.outputs).find(([file]) => file.endsWith(`/${name}`))?.[1];
  const activation = output(ACTIVATION_BUNDLE);
  return {
    activation: Object.entries(activation?.inputs ?? {})
      .map(([input, { bytesInOutput }]) => ({ input, bytes: bytesInOutput }))
      .sort((a, b) => b.bytes - a.bytes),
    lazyBytes: output(ONE_LAZY_BUNDLE.network)?.bytes ?? 0,
  };
}
