/**
 * The stand-in "VS Code executable" for `@vscode/test-electron`'s
 * `runTests({ vscodeExecutablePath })`, run through the `code` wrapper beside this file. Desktop
 * VS Code cannot be downloaded here; code-server embeds the same workbench and extension host.
 *
 * It reads the desktop arguments runTests passes, starts a private code-server, opens the
 * workbench in headless chromium with the smoke-test payload (extension under development,
 * tests, extension environment), relays the page console, and exits with the tests' exit code:
 * 0 when they passed, 1 when not, 124 on timeout (a screenshot is left in the user-data folder).
 *
 * Environment:
 * - `IIC_EXTENSION_ENV`: a JSON object of strings, set as environment variables in the
 *   extension host; each window also gets `IIC_WINDOW_INDEX` (0, 1, …).
 * - `IIC_SHIM_WINDOWS`: how many windows (pages of one browser, sharing its storage) open the
 *   workbench, each running the tests in its own extension host; default 1. The shim exits once
 *   every window has reported, or as soon as one reports a failure. Beware: code-server keeps
 *   `ExtensionContext.secrets` in a per-window copy of one localStorage entry, so windows do not
 *   see each other's secrets (nor get `onDidChange`), and the last window to write wins.
 * - `IIC_SHIM_TIMEOUT_MS`: how long the tests may take, default 600000.
 * - `IIC_SHIM_LOCALE`: the display language (code-server's `--locale`, e.g. `zh-cn`).
 *
 * The extension host also gets `IIC_UI_DRIVER_URL`, where tests can press keys, fill the
 * quick input and click dialog buttons (`uiDriver.ts`).
 */
import * as path from 'path';
import type { Page } from 'playwright-core';
import { openSession, relayConsole, type Session } from './browser';
import type { CodeServer } from './codeServer';
import { ensureRealVscode } from './install';
import { createLog, type Log } from './log';
import { startUiDriver } from './uiDriver';

const EXIT_TIMEOUT = 124;
const EXIT_USAGE = 2;
const DEFAULT_TIMEOUT_MS = 600_000;
/**
 * How long the windows stay open after the tests end. code-server's secret storage resolves
 * `secrets.store()` before it has sealed the secrets and written them to localStorage: in trials
 * a last write landed only 0.2–0.9 s before the end was reported, and before this pause one
 * restart in about fifty found the last secret missing.
 */
const SETTLE_MS = 1_000;

/** What the shim takes from the desktop command line. */
interface LaunchArgs {
  extensionDevelopmentPaths: string[];
  extensionTestsPath: string;
  userDataDir: string;
  extensionsDir: string;
  folder?: string;
  ignored: string[];
}

/** Desktop flags runTests always passes, which have no meaning (or an equivalent) here. */
const DESKTOP_ONLY_FLAGS = [
  '--no-sandbox',
  '--disable-gpu-sandbox',
  '--disable-updates',
  '--skip-welcome',
  '--skip-release-notes',
  '--disable-workspace-trust',
];

/** Options with a value, which runTests may pass as `--name=value` or `--name value`. */
const VALUE_OPTIONS = ['extensionDevelopmentPath', 'extensionTestsPath', 'user-data-dir', 'extensions-dir'];

function parseArgs(argv: string[]): LaunchArgs {
  const extensionDevelopmentPaths: string[] = [];
  const ignored: string[] = [];
  const values = new Map<string, string>();
  const folders: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([^=]+)(?:=(.*))?$/s.exec(argv[i]);
    if (!match) {
      folders.push(path.resolve(argv[i]));
      continue;
    }
    const [, name, inline] = match;
    if (!VALUE_OPTIONS.includes(name)) {
      if (!DESKTOP_ONLY_FLAGS.includes(argv[i])) {
        ignored.push(argv[i]);
      }
      continue;
    }
    const raw = inline ?? argv[++i];
    if (!raw) {
      throw new UsageError(`--${name} needs a value`);
    }
    const value = path.resolve(raw);
    if (name === 'extensionDevelopmentPath') {
      extensionDevelopmentPaths.push(value);
    } else {
      values.set(name, value);
    }
  }
  const required = (name: string) => {
    const value = values.get(name);
    if (!value) {
      throw new UsageError(`--${name} is required`);
    }
    return value;
  };
  if (extensionDevelopmentPaths.length === 0) {
    throw new UsageError('--extensionDevelopmentPath is required');
  }
  return {
    extensionDevelopmentPaths,
    extensionTestsPath: required('extensionTestsPath'),
    userDataDir: required('user-data-dir'),
    extensionsDir: required('extensions-dir'),
    folder: folders[0],
    ignored,
  };
}

class UsageError extends Error {}

/** What the shim takes from its environment (see the file's comment). */
interface ShimSettings {
  windows: number;
  environment: Record<string, string>;
  timeoutMs: number;
  /** The display language, from `IIC_SHIM_LOCALE` (e.g. `zh-cn`); default English. */
  locale?: string;
}

function readSettings(env: NodeJS.ProcessEnv): ShimSettings {
  const windows = Number(env.IIC_SHIM_WINDOWS ?? 1);
  if (!Number.isInteger(windows) || windows < 1) {
    throw new UsageError(`IIC_SHIM_WINDOWS must be a positive integer, not ${env.IIC_SHIM_WINDOWS}`);
  }
  const environment = parseJson(env.IIC_EXTENSION_ENV || '{}');
  if (
    typeof environment !== 'object' ||
    environment === null ||
    Array.isArray(environment) ||
    !Object.values(environment).every((value) => typeof value === 'string')
  ) {
    throw new UsageError('IIC_EXTENSION_ENV must be a JSON object of strings');
  }
  const timeoutMs = Number(env.IIC_SHIM_TIMEOUT_MS ?? DEFAULT_TIMEOUT_MS);
  return { windows, environment: environment as Record<string, string>, timeoutMs, locale: env.IIC_SHIM_LOCALE || undefined };
}

function parseJson(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}

async function main(log: Log): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const settings = readSettings(process.env);
  if (args.ignored.length > 0) {
    log(`ignoring ${args.ignored.join(' ')}`);
  }
  // Exiting runs the hooks that stop the server and the browser and remove the temp folder.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => process.exit(130));
  }
  const paths = await ensureRealVscode();
  const session = await openSession(paths, {
    userDataDir: args.userDataDir,
    extensionsDir: args.extensionsDir,
    smokeDriver: true,
    headless: true,
    locale: settings.locale,
    log,
  });
  try {
    const code = await runWindows(session, args, settings, log);
    if (code !== 0) {
      log(`extension host logs: ${path.join(args.userDataDir, 'logs')}`);
    }
    return code;
  } finally {
    await session.close();
  }
}

/**
 * Opens the workbench in `settings.windows` pages, each running the tests in its own extension
 * host, and resolves with their exit code once all have reported, or one has failed.
 */
async function runWindows(
  { browser, server }: Session,
  args: LaunchArgs,
  settings: ShimSettings,
  log: Log,
): Promise<number> {
  const pages = browser.pages().slice(0, settings.windows);
  while (pages.length < settings.windows) {
    pages.push(await browser.newPage());
  }
  const driver = await startUiDriver(pages);
  const windows = pages.map((page, index) => {
    const prefix = settings.windows > 1 ? `[window ${index}] ` : '';
    const payload = testPayload(server, args, { ...settings.environment, IIC_WINDOW_INDEX: String(index), IIC_UI_DRIVER_URL: driver.url });
    return runWindow(page, server.workbenchUrl({ folder: args.folder, payload }), (line) =>
      process.stdout.write(`${prefix}${line}\n`),
    );
  });
  log(`opening ${settings.windows} window(s) on ${args.folder ?? 'an empty workspace'}`);
  const code = await firstFailureOrAll(
    windows.map((window, index) =>
      window.exit.catch((error: unknown) => {
        log(`window ${index}: ${error instanceof Error ? error.message : String(error)}`);
        return 1;
      }),
    ),
    settings.timeoutMs,
  );
  await Promise.all(windows.map((window) => window.flushConsole()));
  await driver.close();
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  if (code === EXIT_TIMEOUT) {
    log(`timed out after ${settings.timeoutMs} ms`);
    await screenshotAll(pages, args.userDataDir, log);
  } else {
    log(`tests finished with exit code ${code}`);
  }
  return code;
}

/** The smoke-test payload: what the workbench loads as if from the desktop command line. */
function testPayload(
  server: CodeServer,
  args: LaunchArgs,
  environment: Record<string, string>,
): Array<[string, string]> {
  return [
    ...args.extensionDevelopmentPaths.map((dir): [string, string] => [
      'extensionDevelopmentPath',
      server.remoteUri(dir),
    ]),
    ['extensionTestsPath', server.remoteUri(args.extensionTestsPath)],
    ['extensionEnvironment', JSON.stringify(environment)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
}

/**
 * Opens the workbench in `page`, relaying its console to `write`. `exit` resolves with the exit
 * code the tests report through `window.codeAutomationExit`.
 */
function runWindow(
  page: Page,
  url: string,
  write: (line: string) => void,
): { exit: Promise<number>; flushConsole: () => Promise<void> } {
  const flushConsole = relayConsole(page, write);
  const exit = (async () => {
    let report: (code: number) => void = () => undefined;
    const reported = new Promise<number>((resolve) => (report = resolve));
    await page.exposeFunction('codeAutomationExit', (code: number) => report(code));
    page.once('crash', () => report(1));
    // Only the tests' end matters, not the page's load event.
    await page.goto(url, { waitUntil: 'commit' });
    return reported;
  })();
  return { exit, flushConsole };
}

/** Resolves with the first non-zero exit code, else 0 once all have exited, else the timeout code. */
function firstFailureOrAll(exits: Array<Promise<number>>, timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(EXIT_TIMEOUT), timeoutMs);
    for (const exit of exits) {
      void exit.then((code) => {
        if (code !== 0) {
          clearTimeout(timer);
          resolve(code);
        }
      });
    }
    void Promise.all(exits).then(() => {
      clearTimeout(timer);
      resolve(0);
    });
  });
}

async function screenshotAll(pages: Page[], userDataDir: string, log: Log): Promise<void> {
  for (const [index, page] of pages.entries()) {
    const file = path.join(userDataDir, `timeout-window-${index}.png`);
    await page.screenshot({ path: file }).then(() => log(`screenshot: ${file}`), () => undefined);
  }
}

if (require.main === module) {
  const log = createLog('code-shim');
  main(log).then(
    (code) => process.exit(code),
    (error: unknown) => {
      log(error instanceof Error ? error.message : String(error));
      process.exit(error instanceof UsageError ? EXIT_USAGE : 1);
    },
  );
}
