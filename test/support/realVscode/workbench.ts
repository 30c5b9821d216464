/**
 * A real VS Code workbench (code-server in chromium) with the extension installed, for scripts
 * that drive it as a person would, for demos and screenshots: open the command palette, type,
 * read the notifications, take a screenshot.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Locator, Page } from 'playwright-core';
import { openSession } from './browser';
import { installVsix } from './codeServer';
import { ensureRealVscode } from './install';
import { createLog } from './log';

/** What {@link openWorkbench} loads, and where. */
export type WorkbenchOptions = (
  | {
      /**
       * The extension's folder. With `smokeDriver` it loads as under development
       * (`ExtensionMode.Development`); without, it is linked into the extensions folder and
       * loads as installed.
       */
      extensionPath: string;
      vsixPath?: undefined;
    }
  | {
      /** A packaged extension, installed with code-server's CLI. */
      vsixPath: string;
      extensionPath?: undefined;
    }
) & {
  /** The profile: code-server's user data, extensions, and the browser's storage. Reusable. */
  userDataDir: string;
  /** Environment variables for the extension host. */
  env?: Record<string, string>;
  /** The folder to open; default: an empty window. */
  folder?: string;
  /** False shows the browser window (needs a display). */
  headless: boolean;
  /** Start code-server with the smoke-test driver, which hides notification toasts. */
  smokeDriver?: boolean;
  /** The display language (code-server's `--locale`, e.g. `zh-cn`); default English. */
  locale?: string;
  /**
   * Device pixels per CSS pixel (default 1). 1.5 draws the window as a walkthrough
   * picture wants it: VS Code shows a walkthrough's PNG at 1/1.5 of its size.
   */
  deviceScaleFactor?: number;
};

/** An open workbench. */
export interface Workbench {
  url: string;
  page: Page;
  /** Closes the browser and stops the server. */
  close(): Promise<void>;
}

/**
 * Starts code-server with the extension and opens its workbench; resolves once it is shown.
 * Reopening the same `userDataDir` finds the settings and browser storage (secrets included)
 * of the last time.
 */
export async function openWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  const log = createLog('workbench');
  const paths = await ensureRealVscode();
  const userDataDir = path.resolve(options.userDataDir);
  const extensionsDir = path.join(userDataDir, 'extensions');
  const smokeDriver = options.smokeDriver ?? false;
  if (options.vsixPath !== undefined) {
    log(`installing ${options.vsixPath}`);
    await installVsix(paths, options.vsixPath, { userDataDir, extensionsDir });
  } else if (!smokeDriver) {
    linkExtension(options.extensionPath, extensionsDir);
  }
  const session = await openSession(paths, {
    userDataDir,
    extensionsDir,
    smokeDriver,
    env: options.env,
    locale: options.locale,
    headless: options.headless,
    deviceScaleFactor: options.deviceScaleFactor,
    log,
  });
  try {
    const payload: Array<[string, string]> | undefined =
      smokeDriver && options.extensionPath !== undefined
        ? [
            ['extensionDevelopmentPath', session.server.remoteUri(options.extensionPath)],
            ['extensionEnvironment', JSON.stringify(options.env ?? {})],
          ]
        : undefined;
    const url = session.server.workbenchUrl({ folder: options.folder, payload });
    const page = session.browser.pages()[0] ?? (await session.browser.newPage());
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible' });
    log(`workbench open at ${session.server.origin}`);
    return { url, page, close: session.close };
  } catch (error) {
    await session.close();
    throw error;
  }
}

/**
 * Runs a command from the command palette by its title, as a person would: F1, type, Enter.
 * The palette lists the commands known when it opens, so while the window is still loading its
 * extensions it is closed and opened again until the title shows, for up to `timeoutMs`.
 */
export async function runCommand(page: Page, title: string, timeoutMs = 60_000): Promise<void> {
  const input = quickInput(page);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible' });
    await input.pressSequentially(title);
    const shown = await row.waitFor({ state: 'visible', timeout: 2_000 }).then(
      () => true,
      () => false,
    );
    if (shown) {
      await page.keyboard.press('Enter');
      // The palette gives way to whatever the command shows, perhaps only once it has activated.
      await row.waitFor({ state: 'hidden' });
      return;
    }
    await page.keyboard.press('Escape');
    if (Date.now() > deadline) {
      throw new Error(`no command titled "${title}" in the command palette`);
    }
  }
}

/**
 * Changes the user's settings as a person does: Preferences: Open User Settings (JSON), the
 * text replaced by `change`'s result, saved, the editor closed. Writing the file from outside
 * is not enough: once VS Code has written `settings.json` itself (as it does soon after
 * startup), code-server no longer notices writes from outside.
 */
export async function editUserSettings(page: Page, userDataDir: string, change: (settings: Record<string, unknown>) => void, timeoutMs = 30_000): Promise<void> {
  const file = path.join(userDataDir, 'User', 'settings.json');
  const settings = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  change(settings);
  // One line: on a new line the editor would indent what follows again.
  const text = JSON.stringify(settings);
  await runCommand(page, 'Preferences: Open User Settings (JSON)', timeoutMs);
  // The editor opens as a tab or, in newer VS Code, in a modal: either way it has the focus.
  const editor = page.locator('.monaco-editor.focused', { hasText: '"workbench.startupEditor"' });
  await editor.waitFor({ state: 'visible', timeout: timeoutMs });
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(text);
  // The editor closes the first bracket and quote it is given: whatever follows the text goes.
  await page.keyboard.press('ControlOrMeta+Shift+End');
  await page.keyboard.press('Delete');
  await page.keyboard.press('ControlOrMeta+S');
  const deadline = Date.now() + timeoutMs;
  while (!sameJson(fs.readFileSync(file, 'utf8'), text)) {
    if (Date.now() > deadline) throw new Error(`settings.json was not saved with the new settings: it holds ${fs.readFileSync(file, 'utf8')}`);
    await page.waitForTimeout(200);
  }
  // A modal editor closes with Escape (workbench.action.closeModalEditor); a tab from the palette.
  const modal = page.locator('.modal-editor-part');
  if (await modal.isVisible()) {
    await page.keyboard.press('Escape');
    await modal.waitFor({ state: 'hidden', timeout: timeoutMs });
  } else await runCommand(page, 'View: Close Editor', timeoutMs);
}

function sameJson(saved: string, expected: string): boolean {
  try {
    return JSON.stringify(JSON.parse(saved)) === expected;
  } catch {
    return false;
  }
}

/** Types into the open input box or quick pick and accepts with Enter. */
export async function typeIntoInputBox(page: Page, text: string): Promise<void> {
  const input = quickInput(page);
  await input.waitFor({ state: 'visible' });
  await input.pressSequentially(text);
  await page.keyboard.press('Enter');
}

/** The texts of the notification toasts shown now (hidden under the smoke-test driver). */
export function notifications(page: Page): Promise<string[]> {
  return page.locator('.notification-toast .notification-list-item-message').allInnerTexts();
}

/**
 * Saves a PNG of the window to `file`, creating its folder; with `around`, only the part
 * of the window around those elements (the smallest box holding them all, with `margin`
 * CSS pixels more on each side, within the window), as the walkthrough's pictures are.
 */
export async function screenshot(page: Page, file: string, around?: Locator | Locator[], margin = 24): Promise<void> {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const boxes = await Promise.all([around ?? []].flat().map((locator) => locator.boundingBox()));
  if (boxes.length === 0) {
    await page.screenshot({ path: file });
    return;
  }
  if (boxes.includes(null)) throw new Error(`cannot picture ${path.basename(file)}: an element to show is not on the screen`);
  const shown = boxes as NonNullable<(typeof boxes)[number]>[];
  const view = page.viewportSize() ?? { width: 1280, height: 800 };
  const x = Math.max(0, Math.min(...shown.map((box) => box.x)) - margin);
  const y = Math.max(0, Math.min(...shown.map((box) => box.y)) - margin);
  const right = Math.min(view.width, Math.max(...shown.map((box) => box.x + box.width)) + margin);
  const bottom = Math.min(view.height, Math.max(...shown.map((box) => box.y + box.height)) + margin);
  await page.screenshot({ path: file, clip: { x, y, width: right - x, height: bottom - y } });
}

function quickInput(page: Page) {
  return page.locator('.quick-input-widget .quick-input-box input');
}

/**
 * Makes an extension folder an installed extension of `extensionsDir` by linking it there, for a
 * server started without the smoke-test driver. VS Code lists a profile's extensions in
 * `extensions.json`, written on the first scan of the folder; removing it makes the next start
 * scan again and find the link.
 */
export function linkExtension(extensionPath: string, extensionsDir: string): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(extensionPath, 'package.json'), 'utf8')) as {
    publisher: string;
    name: string;
    version: string;
  };
  const link = path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.rmSync(link, { recursive: true, force: true });
  fs.symlinkSync(path.resolve(extensionPath), link, 'dir');
  fs.rmSync(path.join(extensionsDir, 'extensions.json'), { force: true });
}

/**
 * User settings for a quiet, predictable window pointed at the emulator: no welcome
 * page, no chat side bar, a fixed theme. `overrides` replace any of them (undefined
 * leaves one out) or add more.
 */
export function writeUserSettings(userDataDir: string, emulatorUrl: string, overrides: Record<string, unknown> = {}): void {
  const file = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const settings = {
    'iamIdentityCenter.endpoint': emulatorUrl,
    'iamIdentityCenter.startUrl': `${emulatorUrl}/start`,
    'iamIdentityCenter.portalEndpoint': emulatorUrl,
    'workbench.startupEditor': 'none',
    'workbench.colorTheme': 'Default Dark Modern',
    'workbench.tips.enabled': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.disableAIFeatures': true,
    'chat.commandCenter.enabled': false,
    'security.workspace.trust.enabled': false,
    'update.mode': 'none',
    'telemetry.telemetryLevel': 'off',
    ...overrides,
  };
  fs.writeFileSync(file, JSON.stringify(settings, null, 2));
}

/**
 * Machine settings of a code-server profile: those of machine scope, which a remote
 * window reads from the remote's settings (`<user-data-dir>/Machine/settings.json`)
 * rather than the user's.
 */
export function writeMachineSettings(userDataDir: string, settings: Record<string, unknown>): void {
  const file = path.join(userDataDir, 'Machine', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(settings, null, 2));
}

/**
 * Waits until no finite CSS animation runs (a toast or menu fading in), at most
 * `timeoutMs`, then a moment more, so a screenshot shows the settled window.
 */
export async function settleAnimations(page: Page, timeoutMs: number): Promise<void> {
  await page
    .waitForFunction(
      () => {
        const doc = (globalThis as unknown as { document: { getAnimations(): { playState: string; effect: { getTiming(): { iterations: number } } | null }[] } }).document;
        return doc.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity);
      },
      undefined,
      { timeout: timeoutMs, polling: 50 },
    )
    .catch(() => undefined);
  await page.waitForTimeout(300);
}
