/**
 * The bench's measure of a debug launch: what the extension's debug configuration
 * provider adds to resolving a `launch` configuration when the window's agency has good
 * stored credentials. In a fresh node process, the production bundle activates against
 * the bench's fake `vscode` (a cached start with an agency, as `measureAgencies.ts` sets
 * it up); then VS Code's call path (each registered provider's
 * `resolveDebugConfigurationWithSubstitutedVariables` in turn, on the previous result) is
 * timed with the extension's provider and with none, interleaved, so both see the same
 * load. Resolving must send no request and load no lazy bundle.
 *
 * `node out/test/bench/measureDebug.js` measures it alone, on the bench's production build.
 */
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { IdentityCenterEmulator } from '../support/emulator/emulator';
import { MemorySecretStore } from '../support/memorySecretStore';
import type { ProbeInput } from './activationProbe';
import { createFakeContext, createFakeVscode, type FakeDebugProvider } from './fakeVscode';
import { ACTIVATION_BUNDLE, lazyFilesLoaded, ONE_LAZY_BUNDLE } from './layout';
import { activationProbeInput, BUILD, median, METAFILE, runInFreshProcess } from './measure';
import { agencyStartInput } from './measureAgencies';
import { buildProduction } from './packageVsix';

/** Resolutions timed on each path, after as many untimed ones to warm the JIT. */
export const DEBUG_RESOLVE_ITERATIONS = 5000;

/** The environment variable that hands the child its input. */
const INPUT_VARIABLE = 'IIC_DEBUG_PROBE';

/** What the bench reports of a debug launch. */
export interface DebugResolveFigures {
  /** Median time to resolve a launch configuration through the extension's provider, ms. */
  debugResolveMs: number;
  /** The same call path with no provider registered: the floor, ms. */
  debugResolveRawMs: number;
  debugResolveIterations: number;
  /** Requests the emulator received from activation to the last resolution (0 expected). */
  debugResolveRequests: number;
  /** Lazily loaded files once every resolution was done (none expected). */
  debugResolveLazyFiles: string[];
  /** Credential variables the resolved configuration got (6 expected). */
  debugResolveVariables: number;
}

type ChildFigures = Omit<DebugResolveFigures, 'debugResolveRequests'>;

/** Measures a launch's resolution in a fresh process, with the agency's credentials stored; the emulator counts the requests. */
export async function measureDebugResolve(emulator: IdentityCenterEmulator, bundle = path.join(BUILD, ACTIVATION_BUNDLE)): Promise<DebugResolveFigures> {
  const input = agencyStartInput(emulator, activationProbeInput(emulator, bundle));
  emulator.clearRequests();
  const figures = await runInFreshProcess<ChildFigures>(__filename, INPUT_VARIABLE, input, 'the debug resolve probe');
  const debugResolveRequests = emulator.requests().length;
  emulator.clearRequests();
  return { ...figures, debugResolveRequests };
}

/** In the child: activates the bundle, waits for the window's agency, then times both paths. */
async function probe(input: ProbeInput): Promise<ChildFigures> {
  const distDir = path.dirname(input.bundle);
  const { vscode, channels, debugProviders } = createFakeVscode(input.settings);
  stubVscodeModule(vscode);
  const context = createFakeContext(new MemorySecretStore(new Map(input.secrets)), path.dirname(distDir), { globalState: input.globalState, workspaceState: input.workspaceState });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const extension = require(input.bundle) as { activate(context: unknown): unknown; deactivate?(): unknown };
  await extension.activate(context);
  const config = { type: 'node', request: 'launch', name: 'Launch', program: 'app.js' };
  const debugResolveVariables = await variablesOnceRestored(debugProviders, config);
  const none: FakeDebugProvider[] = [];
  const ours: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < 2 * DEBUG_RESOLVE_ITERATIONS; i++) {
    const rawMs = await timed(none, config);
    const oursMs = await timed(debugProviders, config);
    if (i < DEBUG_RESOLVE_ITERATIONS) continue;
    raw.push(rawMs);
    ours.push(oursMs);
  }
  const problems = channels.flatMap((channel) => channel.lines.filter((line) => /^(warn|error) /.test(line)));
  if (problems.length > 0) throw new Error(`resolving debug configurations logged problems:\n${problems.join('\n')}`);
  const loaded = Object.keys(require.cache)
    .filter((file) => file.startsWith(distDir + path.sep))
    .map((file) => ({ file: path.relative(distDir, file) }));
  await extension.deactivate?.();
  for (const subscription of context.subscriptions) subscription.dispose();
  return {
    debugResolveMs: median(ours),
    debugResolveRawMs: median(raw),
    debugResolveIterations: DEBUG_RESOLVE_ITERATIONS,
    debugResolveLazyFiles: lazyFilesLoaded(ONE_LAZY_BUNDLE, loaded),
    debugResolveVariables,
  };
}

/** Makes `require('vscode')` return the fake. */
function stubVscodeModule(fake: object): void {
  type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Module = require('node:module') as { _load: Loader };
  const load = Module._load;
  Module._load = function (request, parent, isMain) {
    return request === 'vscode' ? fake : load.call(this, request, parent, isMain);
  };
}

/**
 * How many variables a resolved `config` gets once the window has restored its agency
 * from storage (promise chains on an in-memory store: a few turns of the event loop);
 * 0 when it never does within a second.
 */
async function variablesOnceRestored(providers: FakeDebugProvider[], config: Record<string, unknown>): Promise<number> {
  const deadline = performance.now() + 1000;
  for (;;) {
    const resolved = (await resolveThrough(providers, config)) as { env?: Record<string, unknown> };
    const count = Object.keys(resolved.env ?? {}).length;
    if (count > 0 || performance.now() > deadline) return count;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Resolves `config` as VS Code does: each provider's resolver in turn, on the previous one's result. */
async function resolveThrough(providers: FakeDebugProvider[], config: Record<string, unknown>): Promise<unknown> {
  let current: unknown = config;
  for (const provider of providers) {
    if (provider.resolveDebugConfigurationWithSubstitutedVariables) current = await provider.resolveDebugConfigurationWithSubstitutedVariables(undefined, current as Record<string, unknown>, undefined);
  }
  return current;
}

async function timed(providers: FakeDebugProvider[], config: Record<string, unknown>): Promise<number> {
  const start = performance.now();
  await resolveThrough(providers, config);
  return performance.now() - start;
}

/** Alone: builds the bench's production bundle and measures it against a fresh emulator. */
async function main(): Promise<void> {
  buildProduction(BUILD, METAFILE);
  const emulator = await IdentityCenterEmulator.start();
  try {
    process.stdout.write(`${JSON.stringify(await measureDebugResolve(emulator), null, 2)}\n`);
  } finally {
    await emulator.close();
  }
}

if (require.main === module) {
  const encoded = process.env[INPUT_VARIABLE];
  const work = encoded ? probe(JSON.parse(encoded) as ProbeInput).then((figures) => void process.stdout.write(`${JSON.stringify(figures)}\n`, () => process.exit(0))) : main();
  work.catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
