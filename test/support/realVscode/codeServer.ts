/**
 * Starts a private code-server (VS Code's server and web workbench) on loopback, for the test
 * shim (`codeShim.ts`) and the demo workbench (`workbench.ts`). What the server, its extension
 * hosts and the browser write stays in the profile's user-data folder, or in a temp folder
 * removed afterwards ({@link createSandbox}).
 */
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import type { RealVscodePaths } from './install';
import type { Log } from './log';

const HEALTH_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;

/**
 * User settings merged into every profile to keep the workbench and its built-in extensions off
 * the network. `--disable-telemetry` alone leaves `vscode.env.isTelemetryEnabled` true, and
 * built-in extensions then look up their telemetry host a few seconds after start.
 */
const OFFLINE_SETTINGS: Record<string, unknown> = {
  'telemetry.telemetryLevel': 'off',
  'workbench.enableExperiments': false,
  'json.schemaDownload.enable': false,
  'npm.fetchOnlinePackageInfo': false,
  'chat.disableAIFeatures': true,
};

/** How to start {@link startCodeServer}. */
export interface CodeServerOptions {
  paths: RealVscodePaths;
  /** code-server's `--user-data-dir`; also holds the remembered port. */
  userDataDir: string;
  extensionsDir: string;
  /** Where the server's home, XDG and temp folders are. */
  sandbox: Sandbox;
  /**
   * Pass `--vscode-option enable-smoke-test-driver`: the workbench then reads the `payload`
   * query (extension under development, tests, extension environment) and calls
   * `window.codeAutomationExit` when the tests end. It also hides notification toasts.
   */
  smokeDriver: boolean;
  /** Extra environment for the server, inherited by its extension hosts. */
  env?: Record<string, string>;
  /** The display language (code-server's `--locale`, e.g. `zh-cn`); default English. */
  locale?: string;
  log: Log;
}

/** A running code-server. */
export interface CodeServer {
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  /** The `vscode-remote://` URI under which the workbench sees a local path. */
  remoteUri(localPath: string): string;
  /**
   * The workbench URL opening `folder` (or an empty window), with the smoke-test `payload`
   * entries, which only a server started with `smokeDriver` reads.
   */
  workbenchUrl(options: { folder?: string; payload?: Array<[string, string]> }): string;
  /** Kills the server's whole process group (its file watchers and extension hosts too). */
  stop(): Promise<void>;
}

/**
 * Starts code-server on 127.0.0.1 and resolves once it answers `/healthz`.
 *
 * A profile comes back on the port it had before ({@link profilePort}): the browser keeps the
 * workbench's storage, `ExtensionContext.secrets` included, per origin.
 */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  fs.mkdirSync(options.userDataDir, { recursive: true });
  fs.mkdirSync(options.extensionsDir, { recursive: true });
  writeOfflineSettings(options.userDataDir, options.log);
  if (options.locale) writeLanguagePackStub(options.userDataDir, options.locale);
  const port = await profilePort(options.userDataDir, options.log);
  const host = `127.0.0.1:${port}`;
  const logFile = path.join(options.userDataDir, 'code-server.log');
  const args = [
    ...profileArgs(options.userDataDir, options.extensionsDir),
    '--auth', 'none',
    '--bind-addr', host,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    ...(options.smokeDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...(options.locale ? ['--locale', options.locale] : []),
  ];
  const out = fs.openSync(logFile, 'a');
  options.log(`starting code-server on ${host} (log: ${logFile})`);
  const child = spawn(node24(options.paths), [options.paths.codeServerBin, ...args], {
    env: codeServerEnv(options.paths, options.sandbox, options.env),
    stdio: ['ignore', out, out],
    // Its own process group, so that stop() reaches the watchers and extension hosts it forks.
    detached: true,
  });
  fs.closeSync(out);
  // However this process ends (except by SIGKILL), the server must not outlive it.
  const killOnExit = () => killGroup(child.pid, 'SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    await stopGroup(child);
    process.removeListener('exit', killOnExit);
  };
  try {
    await waitHealthy(`http://${host}/healthz`, child, logFile);
  } catch (error) {
    await stop();
    throw error;
  }
  const remoteUri = (localPath: string) => `vscode-remote://${host}${path.resolve(localPath)}`;
  return {
    origin: `http://${host}`,
    remoteUri,
    workbenchUrl: ({ folder, payload }) => {
      const query = new URLSearchParams();
      if (folder) {
        query.set(folder.endsWith('.code-workspace') ? 'workspace' : 'folder', path.resolve(folder));
      } else {
        query.set('ew', 'true');
      }
      if (payload) {
        query.set('payload', JSON.stringify(payload));
      }
      return `http://${host}/?${query.toString()}`;
    },
    stop,
  };
}

/** Installs a `.vsix` into `extensionsDir` with code-server's own CLI. */
export async function installVsix(
  paths: RealVscodePaths,
  vsixPath: string,
  options: { userDataDir: string; extensionsDir: string },
): Promise<void> {
  const args = [
    ...profileArgs(options.userDataDir, options.extensionsDir),
    '--install-extension', path.resolve(vsixPath),
    // Replaces an installed copy of the same version, as a rebuilt package needs.
    '--force',
  ];
  const sandbox = createSandbox(options.userDataDir);
  const child = spawn(node24(paths), [paths.codeServerBin, ...args], {
    env: codeServerEnv(paths, sandbox),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  sandbox.dispose();
  if (code !== 0) {
    throw new Error(`code-server --install-extension ${vsixPath} failed (${code}):\n${output}`);
  }
}

/** Stand-ins for the user's home, temp and XDG folders, shared by a server and its browser. */
export interface Sandbox {
  /** `HOME`, `TMPDIR` and `XDG_*` variables pointing at the sandbox folders. */
  env: Record<string, string>;
  /** Removes the temp folder; so does the end of this process. */
  dispose(): void;
}

/**
 * Creates the folders that keep code-server and chromium from writing into the user's home:
 * home and XDG folders under `<userDataDir>/sandbox`, kept for inspection, and a temp folder
 * removed by `dispose()`. The temp folder lives under the system's temp folder rather than the
 * profile because both programs create unix sockets in it, whose paths may not exceed 107 bytes.
 */
export function createSandbox(userDataDir: string): Sandbox {
  const root = path.join(userDataDir, 'sandbox');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'iic-vscode-'));
  const env = {
    HOME: path.join(root, 'home'),
    TMPDIR: tmp,
    XDG_CONFIG_HOME: path.join(root, 'config'),
    XDG_DATA_HOME: path.join(root, 'data'),
    XDG_CACHE_HOME: path.join(root, 'cache'),
  };
  for (const dir of Object.values(env)) {
    fs.mkdirSync(dir, { recursive: true });
  }
  const remove = () => fs.rmSync(tmp, { recursive: true, force: true });
  process.once('exit', remove);
  return {
    env,
    dispose: () => {
      remove();
      process.removeListener('exit', remove);
    },
  };
}

/**
 * The port this profile's server listens on: the one it used before when still free, else a new
 * free one, remembered in `<userDataDir>/code-server-port`.
 */
async function profilePort(userDataDir: string, log: Log): Promise<number> {
  const portFile = path.join(userDataDir, 'code-server-port');
  const previous = fs.existsSync(portFile) ? Number(fs.readFileSync(portFile, 'utf8')) : undefined;
  if (previous && (await isFree(previous))) {
    return previous;
  }
  if (previous) {
    log(`port ${previous} of this profile is taken: browser storage (secrets included) starts empty`);
  }
  const port = await freePort();
  fs.writeFileSync(portFile, String(port));
  return port;
}

/** Merges {@link OFFLINE_SETTINGS} into the profile's user settings, keeping the others. */
function writeOfflineSettings(userDataDir: string, log: Log): void {
  const file = path.join(userDataDir, 'User', 'settings.json');
  let settings: Record<string, unknown> = {};
  if (fs.existsSync(file)) {
    try {
      settings = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      log(`${file} is not plain JSON, so telemetry stays on: built-in extensions may try the network`);
      return;
    }
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify({ ...settings, ...OFFLINE_SETTINGS }, undefined, 2)}\n`);
}

/**
 * Registers a stand-in language pack for `locale` in the profile (`languagepacks.json`, the
 * list VS Code keeps of installed packs), with no translations of VS Code's own texts.
 * Without an installed pack VS Code ignores `--locale` and stays English, and Microsoft's
 * packs cannot be downloaded here. With it the workbench runs in `locale`: VS Code's own
 * texts stay English, while extensions get their `package.nls.<locale>.json` and
 * `l10n/bundle.l10n.<locale>.json`, as with the real pack.
 */
function writeLanguagePackStub(userDataDir: string, locale: string): void {
  if (locale.startsWith('en')) return;
  const folder = path.join(userDataDir, 'language-pack-stub');
  fs.mkdirSync(folder, { recursive: true });
  const translations = path.join(folder, 'main.i18n.json');
  fs.writeFileSync(translations, JSON.stringify({ version: '1.0.0', contents: {} }));
  const pack = { hash: `stub-${locale}`, extensions: [{ extensionIdentifier: { id: `test.language-pack-${locale}` }, version: '0.0.1' }], translations: { vscode: translations }, label: locale };
  fs.writeFileSync(path.join(userDataDir, 'languagepacks.json'), JSON.stringify({ [locale]: pack }));
}

function profileArgs(userDataDir: string, extensionsDir: string): string[] {
  return [
    '--config', path.join(userDataDir, 'code-server.yaml'),
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
  ];
}

/** code-server refuses node 20, the machine's node. */
function node24(paths: RealVscodePaths): string {
  return path.join(paths.node24Dir, 'node');
}

function codeServerEnv(
  paths: RealVscodePaths,
  sandbox: Sandbox,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  // Variables of an enclosing VS Code terminal would make code-server hand its arguments to that
  // VS Code instead of starting.
  const inherited = Object.entries(process.env).filter(([name]) => !name.startsWith('VSCODE_'));
  return {
    ...Object.fromEntries(inherited),
    ...sandbox.env,
    PATH: `${paths.node24Dir}${path.delimiter}${process.env.PATH ?? ''}`,
    // An empty product gallery: without it the server reaches for the extension marketplace.
    EXTENSIONS_GALLERY: '{}',
    ...extra,
  };
}

async function waitHealthy(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited early (${child.exitCode ?? child.signalCode}); see ${logFile}`);
    }
    try {
      if ((await fetch(url)).ok) {
        return;
      }
    } catch {
      // Not listening yet.
    }
    await delay(100);
  }
  throw new Error(`code-server did not answer ${url} within ${HEALTH_TIMEOUT_MS} ms; see ${logFile}`);
}

async function stopGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (child.exitCode !== null || child.signalCode !== null || pid === undefined) {
    return;
  }
  const exited = once(child, 'exit');
  killGroup(pid, 'SIGTERM');
  const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
  // The server's own exit does not wait for its children: make sure none is left.
  killGroup(pid, 'SIGKILL');
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) {
    return;
  }
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function once(child: ChildProcess, event: 'exit' | 'close'): Promise<unknown[]> {
  return new Promise((resolve) => child.once(event, (...args: unknown[]) => resolve(args)));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
