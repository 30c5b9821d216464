/**
 * Debian's chromium, driven by playwright-core, as the window of a code-server workbench, for
 * the test shim (`codeShim.ts`) and the demo workbench (`workbench.ts`).
 */
import * as path from 'path';
import { format } from 'util';
import type { BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { createSandbox, startCodeServer, type CodeServer, type CodeServerOptions, type Sandbox } from './codeServer';
import type { RealVscodePaths } from './install';
import type { Log } from './log';

/**
 * The workbench's own console lines, which say nothing about the extension or its tests (seen
 * with code-server 4.139.1): its subsystems' tagged logs, connection set-up, the disabled
 * gallery, resources the offline server does not have, and the iframe sandbox warning.
 */
const WORKBENCH_NOISE = new RegExp(
  [
    /^\[(AgentHost[^\]]*|ChatModelSelection|AccountPolicyGate|Service Worker|reconnection-grace-time)\]/,
    /^(Resolving|Resolved) connection token/,
    /^Creating a socket/,
    /builtin extensions (from gallery as it is disabled|cache)/,
    /^Failed to load resource/,
    /^The web worker extension host is started in a same-origin iframe/,
    /^An iframe which has both allow-scripts and allow-same-origin/,
    /^Creation of workbench contribution '[^']*' took/,
    // github-authentication, asked for accounts while the window starts or closes.
    /^Canceled: Canceled/,
    /^Error: Timed out waiting for authentication provider/,
    // With a display language but no real language pack (the zh-cn phase), the built-in
    // extensions' translations are looked up in the gallery, which is off.
    /^Error: No extension gallery service configured/,
    // The terminal's WebGL renderer in headless chromium (the walkthrough phase opens one).
    /^\[\.WebGL-[^\]]*\]GL Driver Message/,
  ]
    .map((pattern) => pattern.source)
    .join('|'),
);

/** A private code-server and a chromium to show it: what a test run or a demo drives. */
export interface Session {
  server: CodeServer;
  browser: BrowserContext;
  /** Closes the browser, stops the server and removes the temp folder. */
  close(): Promise<void>;
}

/** Starts code-server for a profile and launches chromium beside it, in one sandbox. */
export async function openSession(
  paths: RealVscodePaths,
  options: Omit<CodeServerOptions, 'paths' | 'sandbox'> & { headless: boolean; deviceScaleFactor?: number },
): Promise<Session> {
  const sandbox = createSandbox(options.userDataDir);
  const cleanups: Array<() => Promise<unknown>> = [async () => sandbox.dispose()];
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch(() => undefined);
    }
  };
  try {
    const server = await startCodeServer({ ...options, paths, sandbox });
    cleanups.push(() => server.stop());
    const browser = await launchChromium(paths, {
      userDataDir: options.userDataDir,
      sandbox,
      headless: options.headless,
      deviceScaleFactor: options.deviceScaleFactor,
      log: options.log,
    });
    cleanups.push(() => browser.close());
    return { server, browser, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Launches chromium with its profile at `<userDataDir>/chromium-profile`, a fixed folder: a later
 * launch with the same user-data folder sees the same browser storage, where the workbench keeps
 * `ExtensionContext.secrets` (localStorage) and its state (IndexedDB).
 *
 * Host names resolve to nothing, so the browser reaches loopback addresses only; requests that
 * try to leave are logged.
 */
async function launchChromium(
  paths: RealVscodePaths,
  options: { userDataDir: string; sandbox: Sandbox; headless: boolean; deviceScaleFactor?: number; log: Log },
): Promise<BrowserContext> {
  const { chromium } = (await import(paths.playwrightCore)) as typeof import('playwright-core');
  const context = await chromium.launchPersistentContext(path.join(options.userDataDir, 'chromium-profile'), {
    executablePath: paths.chromiumPath,
    headless: options.headless,
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: options.deviceScaleFactor ?? 1,
    env: { ...process.env, ...options.sandbox.env },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
  });
  context.on('request', (request) => {
    const { protocol, hostname } = new URL(request.url());
    if (['http:', 'https:', 'ws:', 'wss:'].includes(protocol) && hostname !== '127.0.0.1') {
      options.log(`blocked a request to ${protocol}//${hostname}`);
    }
  });
  return context;
}

/**
 * Relays a page's console, where mocha's output from the extension host arrives, in order and
 * without the workbench's own noise and styling. Returns a function that resolves once every
 * message received so far has been written.
 */
export function relayConsole(page: Page, write: (line: string) => void): () => Promise<void> {
  let relayed = Promise.resolve();
  page.on('console', (message) => {
    const text = consoleText(message);
    relayed = relayed
      .then(() => text)
      .then((text) => {
        if (!WORKBENCH_NOISE.test(text)) {
          write(text);
        }
      });
  });
  return () => relayed;
}

async function consoleText(message: ConsoleMessage): Promise<string> {
  let args: unknown[];
  try {
    args = await Promise.all(message.args().map((arg) => arg.jsonValue()));
  } catch {
    return message.text();
  }
  if (args.length === 0) {
    return message.text();
  }
  // The workbench styles its lines: '%c INFO', 'color: …', then the message.
  if (typeof args[0] === 'string' && args[0].startsWith('%c')) {
    args = args.slice(2);
  }
  return format(...args);
}
