/**
 * One activation, in a fresh node process: stubs `vscode` with the bench's fake,
 * then times `require(bundle)` and `activate(context)` and records every file the
 * bundle's folder loads. Run by the bench (`measure.ts`), which hands the input as JSON in
 * `IIC_PROBE` and reads one JSON line from stdout.
 */
import * as fs from 'node:fs';
import { isBuiltin } from 'node:module';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { MemorySecretStore } from '../support/memorySecretStore';
import { createFakeContext, createFakeVscode, FakeEnvironmentCollection } from './fakeVscode';

/** What the bench hands the probe. */
export interface ProbeInput {
  /** Absolute path of the activation bundle (`extension.js`). */
  bundle: string;
  /** `section.key` settings, e.g. the emulator's URL as `iamIdentityCenter.endpoint`. */
  settings: Record<string, unknown>;
  /** SecretStorage content before activation. */
  secrets: [string, string][];
  /** How long to stay up after activation, so a late request would still be seen. */
  lingerMs: number;
  /** After activation, call the API's `ensureClient()` this many times at once. */
  storm?: number;
  /** `globalState` and `workspaceState` before activation (the selected agency). */
  globalState?: Record<string, unknown>;
  workspaceState?: Record<string, unknown>;
}

/** What the probe reports. */
export interface ProbeResult {
  /** `require(bundle)`, milliseconds. */
  requireMs: number;
  /** `activate(context)` until it returned, milliseconds. */
  activateCallMs: number;
  /** From `require` until the work `activate()` started (storage reads, timers) has run. */
  settledMs: number;
  /** CPU time (user + system) of `require` + `activate()`, milliseconds: less disturbed by other load. */
  cpuMs: number;
  /** Files under the bundle's folder that were loaded, with their sizes. */
  loaded: { file: string; bytes: number }[];
  /** Keys written to SecretStorage during the run. */
  storedKeys: string[];
  /** Warnings and errors the extension logged. */
  problems: string[];
  /** With `storm`: how many distinct client ids the calls resolved to. */
  stormClients?: number;
  /** The variables new terminals would get, by name (values left out). */
  terminalVariables: string[];
}

async function probe(input: ProbeInput): Promise<ProbeResult> {
  const distDir = path.dirname(input.bundle);
  const { vscode: fake, channels } = createFakeVscode(input.settings);
  type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Module = require('node:module') as { _load: Loader; _resolveFilename(request: string, parent: unknown, isMain: boolean): string };
  const load = Module._load;
  const loaded = new Set<string>();
  Module._load = function (request, parent, isMain) {
    if (request === 'vscode') return fake;
    const exports = load.call(this, request, parent, isMain);
    if (request.startsWith('.') || path.isAbsolute(request)) {
      const file = Module._resolveFilename(request, parent, isMain);
      if (file.startsWith(distDir + path.sep)) loaded.add(file);
    }
    return exports;
  };

  // VS Code's extension host has node's built-in modules loaded before any extension
  // (crypto alone costs a fresh node 3-4 ms): load those the bundle uses, untimed.
  const source = fs.readFileSync(input.bundle, 'utf8');
  for (const [, name] of source.matchAll(/require\("([^"]+)"\)/g)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    if (isBuiltin(name)) require(name);
  }

  const secrets = new MemorySecretStore(new Map(input.secrets));
  const storedKeys: string[] = [];
  secrets.onDidChange(({ key }) => storedKeys.push(key));
  const environment = new FakeEnvironmentCollection();
  const context = createFakeContext(secrets, path.dirname(distDir), { globalState: input.globalState, workspaceState: input.workspaceState }, environment);

  const cpuStart = process.cpuUsage();
  const start = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const extension = require(input.bundle) as { activate(context: unknown): unknown; deactivate?(): unknown };
  const required = performance.now();
  const api = (await extension.activate(context)) as { ensureClient(): Promise<{ clientId: string }> };
  const activated = performance.now();
  const cpu = process.cpuUsage(cpuStart);
  let stormClients: number | undefined;
  if (input.storm) {
    const clients = await Promise.all(Array.from({ length: input.storm }, () => api.ensureClient()));
    stormClients = new Set(clients.map((client) => client.clientId)).size;
  }
  // The storage reads and timer set-up activate() starts are promise chains on an
  // in-memory store: they have all run by the next turn of the event loop.
  await new Promise((resolve) => setImmediate(resolve));
  const settled = performance.now();
  await new Promise((resolve) => setTimeout(resolve, input.lingerMs));

  for (const file of Object.keys(require.cache)) {
    if (file.startsWith(distDir + path.sep)) loaded.add(file);
  }
  await extension.deactivate?.();
  for (const subscription of context.subscriptions) subscription.dispose();
  return {
    requireMs: required - start,
    activateCallMs: activated - required,
    settledMs: settled - start,
    cpuMs: (cpu.user + cpu.system) / 1000,
    loaded: [...loaded].sort().map((file) => ({ file: path.relative(distDir, file), bytes: fs.statSync(file).size })),
    storedKeys,
    problems: channels.flatMap((channel) => channel.lines.filter((line) => /^(warn|error) /.test(line))),
    stormClients,
    terminalVariables: [...environment.variables.keys()].sort(),
  };
}

if (require.main === module) {
  const input = JSON.parse(process.env.IIC_PROBE ?? '') as ProbeInput;
  probe(input).then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
