/**
 * `npm run screenshots`: captures the README's screenshots and the walkthrough's pictures
 * from a real VS Code (code-server in headless chromium) driven as a person would,
 * against the local Identity Center emulator. The extension is the production `.vsix`,
 * installed with code-server's CLI, so the pictures also show that the package installs
 * and runs.
 *
 *   images/screenshots/register-input.png   Register Client: the name input box
 *   images/screenshots/register-done.png    the "Registered client …" notification
 *   images/screenshots/sign-in-code.png     Sign In: the modal with the user code, naming the host, and the progress
 *   images/screenshots/signed-in.png        the Accounts menu and the status bar item, signed in
 *   images/screenshots/select-account.png   Select Account and Agency: the accounts, step 1 of 2
 *   images/screenshots/status-menu.png      the status bar item's menu, an agency in use
 *   images/screenshots/accounts-view.png    the Accounts view, the agency in use marked, its tooltip with the URN
 *   images/screenshots/terminal.png         Open Terminal with Agency Credentials: the variables' lengths
 *   images/screenshots/zh-cn-palette.png    display language zh-cn: the commands in the palette
 *   images/screenshots/zh-cn-sign-in.png    display language zh-cn: the sign-in modal
 *   images/walkthrough/region.png           the region pick
 *   images/walkthrough/start-url.png        Set User Portal URL's input box, a URL typed
 *   images/walkthrough/sign-in.png          the sign-in modal
 *   images/walkthrough/agency.png           the Accounts view and the status bar item
 *   images/walkthrough/terminal.png         the agency's terminal
 *
 * The window is drawn at 1.5 device pixels per CSS pixel, as VS Code wants a
 * walkthrough's pictures (it shows them at 1/1.5 of their size); the walkthrough's are
 * taken in a small window, so they fit its media column (412 CSS pixels wide in a
 * 1024×768 window) without shrinking. Every picture is compressed as it is taken
 * (`compressPng`: a palette where it looks the same, then lossless), as the walkthrough's
 * ship in the package; the tools are installed with apt-get when missing.
 *
 * The service shows as it would for real, at example.com addresses (`EXAMPLE_HOSTS`):
 * the extension reaches the emulator through a loopback proxy that resolves those names
 * itself, and the verification page it names is never opened (the emulator approves).
 * Nothing leaves the machine. Runs without the smoke-test driver, which would hide the
 * notification toasts.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { buildProduction, packageVsix, REPO, WORK } from '../test/bench/packageVsix';
import type { IdentityCenterEmulator } from '../test/support/emulator/emulator';
import { EXAMPLE_HOSTS, startExampleHosts, type ExampleHostsService } from '../test/support/exampleHosts';
import { createLog } from '../test/support/realVscode/log';
import { clearNotifications, openRegisterInput, statusItem, userCodeDialog, waitFor, waitForNotification } from '../test/support/realVscode/paletteFlows';
import { openWorkbench, runCommand, screenshot, settleAnimations, writeMachineSettings, writeUserSettings, type Workbench } from '../test/support/realVscode/workbench';

const log = createLog('screenshots');

/** Where the README's PNGs go (`.vscodeignore` keeps them out of the package). */
export const SCREENSHOT_DIR = path.join(REPO, 'images', 'screenshots');

/** Where the walkthrough's pictures go (`contributes.walkthroughs`; they ship in the package). */
export const WALKTHROUGH_DIR = path.join(REPO, 'images', 'walkthrough');

/** The client name typed into Register Client's input box. */
const CLIENT_NAME = 'My laptop';

/** The account and agency the pictures use. */
const ACCOUNT = 'staging';
const AGENCY = 'iic_Developer_51ce';

/** The window's usual size, in CSS pixels. */
const WINDOW = { width: 1280, height: 800 };

/**
 * The windows some pictures are taken in, in CSS pixels. The walkthrough's must fit its
 * media column, 412 CSS pixels wide in a 1024×768 window, without shrinking: a quick
 * input is 0.62 of the window's width, and a status bar item at most 0.4 of it.
 */
const WINDOWS = {
  /** Tall enough for the region pick's twelve rows. */
  walkthroughPick: { width: 640, height: 700 },
  /** Wide enough for the whole status bar item, low enough to keep it near the side bar. */
  walkthroughView: { width: 900, height: 300 },
  /** The terminal editor about as wide as the media column. */
  walkthroughTerminal: { width: 500, height: 300 },
  /** The Accounts view with a tooltip, and the status bar near. */
  view: { width: 1000, height: 330 },
  /** The sign-in modal close to the progress notification. */
  signIn: { width: 960, height: 560 },
  terminal: { width: 960, height: 340 },
  /** Tall enough for every command of the palette. */
  palette: { width: 1280, height: 1400 },
} as const;

/** Device pixels per CSS pixel: VS Code shows a walkthrough's PNG at 1/1.5 of its size. */
const DEVICE_SCALE = 1.5;

/** The side bar's width, in CSS pixels, for the account ids to show whole beside the names. */
const SIDEBAR_WIDTH = 395;

/** The status bar items that say nothing about the extension, hidden from its context menu as a person can. */
const HIDDEN_STATUS_ITEMS = ['Remote Host', 'Problems', 'Forwarded Ports', 'Keyboard Layout'];

/** Prints each credential variable's name and length, never its value (bash, the default shell here). */
const LENGTHS_COMMAND = 'for v in ${!HUAWEICLOUD_SDK_*} ${!HW_*}; do x=${!v}; echo "$v: ${#x} characters"; done';

/** Settings for a window that shows only what the pictures are about; the agency's terminal opens as an editor, its name in the tab. */
const QUIET_SETTINGS = {
  'remote.autoForwardPorts': false,
  'window.commandCenter': false,
  'workbench.layoutControl.enabled': false,
  'workbench.navigationControl.enabled': false,
  'workbench.hover.delay': 300,
  'terminal.integrated.defaultLocation': 'editor',
  // The DOM renderer: the WebGL one draws at the wrong scale after the window is resized at 1.5 device pixels per CSS pixel.
  'terminal.integrated.gpuAcceleration': 'off',
};

/** The tools the pictures are compressed with (Debian's packages of the same names). */
const PNG_TOOLS = ['pngquant', 'optipng'] as const;

/** The PNG tools not on the PATH. */
function missingPngTools(): string[] {
  return PNG_TOOLS.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
}

/** Makes sure the PNG tools are there before the long run, installing them with apt-get when they are not. */
function ensurePngTools(): void {
  if (missingPngTools().length === 0) return;
  log(`installing ${missingPngTools().join(' and ')} with apt-get, to compress the pictures`);
  spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...missingPngTools()], { stdio: 'inherit' });
  const missing = missingPngTools();
  if (missing.length > 0) throw new Error(`the pictures are compressed with ${missing.join(' and ')}: install them (apt-get install -y pngquant optipng), then run again`);
}

/**
 * Compresses a PNG in place: pngquant gives it a palette of at most 256 colours without
 * dithering, only when that keeps it close to the original (quality 70 at least, else it
 * exits 99 and leaves the file); then optipng recompresses it losslessly.
 */
function compressPng(file: string): void {
  const quantize = spawnSync('pngquant', ['--quality=70-90', '--nofs', '--speed', '1', '--strip', '--skip-if-larger', '--force', '--ext', '.png', file], { encoding: 'utf8' });
  const kept = quantize.status === 98 || quantize.status === 99;
  if (quantize.status !== 0 && !kept) throw new Error(`pngquant failed on ${file}: ${quantize.stderr || quantize.error?.message}`);
  const optimize = spawnSync('optipng', ['-quiet', '-o7', '-strip', 'all', file], { encoding: 'utf8' });
  if (optimize.status !== 0) throw new Error(`optipng failed on ${file}: ${optimize.stderr || optimize.error?.message}`);
}

/** Takes pictures of the page once it has settled, into `dir`, with `margin` CSS pixels around what they show, listing the files in `files`. */
function camera(page: Page, files: string[], dir: string, margin: number) {
  return async (name: string, around?: Locator | Locator[]): Promise<void> => {
    await settleAnimations(page, 5_000);
    const file = path.join(dir, name);
    await screenshot(page, file, around, margin);
    compressPng(file);
    files.push(file);
    log(`captured ${path.relative(REPO, file)} (${fs.statSync(file).size} bytes)`);
  };
}

/** The cameras of one window: the README's and the walkthrough's. */
interface Cameras {
  page: Page;
  readme: ReturnType<typeof camera>;
  walkthrough: ReturnType<typeof camera>;
}

/** Runs `work` with the window at `size`, then restores its usual size. */
async function inWindow(page: Page, size: { width: number; height: number }, work: () => Promise<void>): Promise<void> {
  await page.setViewportSize(size);
  try {
    await settleAnimations(page, 2_000);
    await work();
  } finally {
    await page.setViewportSize(WINDOW);
  }
}

/** Hides status bar items by their names in the status bar's context menu (clicked again when a menu just opened lets the click pass). */
async function hideStatusItems(page: Page, names: readonly string[]): Promise<void> {
  for (const name of names) {
    await page.locator('.part.statusbar').click({ button: 'right', position: { x: WINDOW.width / 2, y: 10 } });
    const entry = page.locator('.context-view .action-item', { hasText: new RegExp(`^${name}$`) }).first();
    for (let attempt = 1; ; attempt++) {
      await entry.click();
      if (await entry.waitFor({ state: 'hidden', timeout: 2_000 }).then(() => true, () => false)) break;
      if (attempt === 3) throw new Error(`the status bar's menu kept ${name}`);
    }
  }
}

/** VS Code's logo drawn on an empty editor area: not part of any picture. */
async function hideWatermark(page: Page): Promise<void> {
  await page.addStyleTag({ content: '.monaco-workbench .editor-group-watermark .letterpress { visibility: hidden !important; }' });
}

const quickInput = (page: Page) => page.locator('.quick-input-widget');

/** Expands a one-line toast so its whole message shows, as a click on its chevron does. */
async function expandNotification(page: Page, prefix: string): Promise<Locator> {
  const toast = page.locator('.notification-toast', { hasText: prefix }).first();
  const expand = toast.locator('.codicon-notifications-expand').first();
  for (let attempt = 1; attempt <= 3; attempt++) {
    await toast.hover();
    if (!(await expand.isVisible().catch(() => false))) break;
    // The toast may draw itself again under the pointer: then the next try clicks the new chevron.
    await expand.click({ timeout: 5_000 }).catch(() => undefined);
  }
  await page.mouse.move(WINDOW.width / 2, WINDOW.height / 2);
  return toast;
}

/**
 * Clicks `button` (Copy & Open) in the user-code modal, then Open in VS Code's question
 * before it opens an outside website, as a person does; the tab that opens finds no such
 * host here and is closed.
 */
async function copyAndOpen(page: Page, dialog: Locator, button: string): Promise<void> {
  const opened = page.context().waitForEvent('page', { timeout: 20_000 }).catch(() => undefined);
  await dialog.locator('.dialog-buttons-row .monaco-button', { hasText: button }).first().click();
  const question = page.locator('.monaco-dialog-box', { hasText: 'external website' }).first();
  await question.waitFor({ state: 'visible', timeout: 10_000 });
  await question.locator('.dialog-buttons-row .monaco-button', { hasText: /^Open$/ }).first().click();
  await question.waitFor({ state: 'hidden' });
  await (await opened)?.close();
}

async function registerClient({ page, readme }: Cameras): Promise<void> {
  await openRegisterInput(page, CLIENT_NAME);
  await readme('register-input.png', quickInput(page));
  await page.keyboard.press('Enter');
  await waitForNotification(page, 'Registered client');
  await readme('register-done.png', await expandNotification(page, 'Registered client'));
  await clearNotifications(page);
}

async function regionAndStartUrl({ page, walkthrough }: Cameras): Promise<void> {
  await inWindow(page, WINDOWS.walkthroughPick, async () => {
    await runCommand(page, 'IAM Identity Center: Choose Region');
    await quickInput(page).locator('.monaco-list-row', { hasText: 'cn-north-4' }).first().waitFor({ state: 'visible' });
    await walkthrough('region.png', quickInput(page));
    await page.keyboard.press('Escape');

    await runCommand(page, 'IAM Identity Center: Set User Portal URL');
    await quickInput(page).filter({ hasText: 'user portal URL' }).waitFor({ state: 'visible' });
    const input = quickInput(page).locator('.quick-input-box input');
    await input.fill('');
    await input.pressSequentially(EXAMPLE_HOSTS.startUrl);
    await walkthrough('start-url.png', quickInput(page));
    await page.keyboard.press('Enter');
    await quickInput(page).waitFor({ state: 'hidden' });
  });
}

async function signIn({ page, readme, walkthrough }: Cameras, emulator: IdentityCenterEmulator): Promise<void> {
  await runCommand(page, 'IAM Identity Center: Sign In');
  const userCode = await waitFor('a user code on the emulator', () => emulator.pendingUserCodes()[0]);
  const dialog = userCodeDialog(page);
  await dialog.waitFor({ state: 'visible' });
  const progress = page.locator('.notification-toast', { hasText: 'Signing in' }).first();
  await progress.waitFor({ state: 'visible' });
  await inWindow(page, WINDOWS.signIn, () => readme('sign-in-code.png', [dialog, progress]));
  await inWindow(page, WINDOWS.walkthroughPick, () => walkthrough('sign-in.png', dialog));
  await copyAndOpen(page, dialog, 'Copy & Open');
  emulator.approve(userCode);
  await waitForNotification(page, 'Signed in');
  await clearNotifications(page);
  await statusItem(page).filter({ hasText: 'test.user@example.com' }).waitFor({ state: 'visible' });
}

async function accountsMenu({ page, readme }: Cameras): Promise<void> {
  const accounts = page.locator('.activitybar [aria-label^="Accounts"]').first();
  await accounts.click();
  const menu = page.locator('.context-view .monaco-menu', { hasText: 'IAM Identity Center' });
  await menu.waitFor({ state: 'visible' });
  await readme('signed-in.png', [menu, accounts, page.locator('.activitybar [aria-label^="Manage"]').first(), statusItem(page)]);
  await page.keyboard.press('Escape');
}

async function selectAgency({ page, readme }: Cameras): Promise<void> {
  await runCommand(page, 'IAM Identity Center: Select Account and Agency');
  const input = quickInput(page).locator('.quick-input-box input');
  await quickInput(page).filter({ hasText: 'Select an account' }).locator('.monaco-list-row', { hasText: ACCOUNT }).first().waitFor({ state: 'visible' });
  await readme('select-account.png', quickInput(page));
  await input.pressSequentially(ACCOUNT);
  await page.keyboard.press('Enter');
  await quickInput(page).filter({ hasText: 'Select an agency' }).locator('.monaco-list-row', { hasText: AGENCY }).first().waitFor({ state: 'visible' });
  await input.pressSequentially(AGENCY);
  await page.keyboard.press('Enter');
  await waitForNotification(page, 'Using agency');
  await clearNotifications(page);
}

async function statusMenu({ page, readme }: Cameras): Promise<void> {
  await statusItem(page).filter({ hasText: AGENCY }).click();
  await quickInput(page).locator('.monaco-list-row', { hasText: 'Open Terminal' }).first().waitFor({ state: 'visible' });
  await readme('status-menu.png', quickInput(page));
  await page.keyboard.press('Escape');
}

/** Widens the side bar to `width` CSS pixels by dragging its edge, so the account ids show whole. */
async function widenSidebar(page: Page, width: number): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) throw new Error('the side bar is not shown');
  const edge = box.x + box.width + 1;
  await page.mouse.move(edge, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + width, box.y + box.height / 2, { steps: 10 });
  await page.mouse.up();
  await page.mouse.move(WINDOW.width / 2, WINDOW.height / 2);
}

/** Hovers `row`'s label until its tooltip shows; returns the tooltip. */
async function hoverRow(page: Page, row: Locator): Promise<Locator> {
  const hover = page.locator('.workbench-hover, .monaco-hover').filter({ visible: true }).first();
  const label = row.locator('.label-name').first();
  for (let attempt = 1; ; attempt++) {
    const box = await label.boundingBox();
    if (!box) throw new Error('the row to hover is not shown');
    await page.mouse.move(box.x + 2, box.y + box.height / 2, { steps: 5 });
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
    if (await hover.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false)) return hover;
    if (attempt === 4) throw new Error('no tooltip showed');
    await page.mouse.move(WINDOW.width / 2, WINDOW.height / 2);
  }
}

async function accountsView({ page, readme, walkthrough }: Cameras): Promise<void> {
  await runCommand(page, 'View: Show IAM Identity Center');
  const agencyRow = page.locator('.part.sidebar .monaco-list-row', { hasText: AGENCY }).first();
  await agencyRow.waitFor({ state: 'visible', timeout: 30_000 });
  await widenSidebar(page, SIDEBAR_WIDTH);
  const [activityBar, sidebar] = [page.locator('.part.activitybar'), page.locator('.part.sidebar')];
  await inWindow(page, WINDOWS.view, async () => {
    const tooltip = await hoverRow(page, agencyRow);
    await readme('accounts-view.png', [activityBar, sidebar, tooltip, statusItem(page)]);
    await page.mouse.move(WINDOWS.view.width - 10, WINDOWS.view.height / 2);
  });
  await inWindow(page, WINDOWS.walkthroughView, () => walkthrough('agency.png', [activityBar, sidebar, statusItem(page)]));
}

/** Types `lines` into the focused terminal, each followed by Enter, and gives bash a moment to answer. */
async function typeInTerminal(page: Page, lines: readonly string[]): Promise<void> {
  for (const line of lines) {
    await page.keyboard.type(line);
    await page.keyboard.press('Enter');
    // xterm draws on a canvas, so its text is not in the DOM to wait for: bash answers within a moment.
    await page.waitForTimeout(1_500);
  }
}

/**
 * Open Terminal with Agency Credentials, then the variables' lengths printed in it after
 * a short prompt; printed again on a clear screen in each window pictured, since xterm
 * scrolls its lines away when the window shrinks.
 */
async function agencyTerminal({ page, readme, walkthrough }: Cameras): Promise<void> {
  await runCommand(page, 'View: Close Primary Side Bar');
  await runCommand(page, 'IAM Identity Center: Open Terminal with Agency Credentials');
  const editor = page.locator('.part.editor');
  await editor.locator('.xterm-screen').first().waitFor({ state: 'visible', timeout: 30_000 });
  await editor.locator('.tab', { hasText: AGENCY }).first().waitFor({ state: 'visible' });
  await page.waitForTimeout(1_500);
  // A terminal opened as an editor does not take the keyboard until clicked.
  await editor.locator('.xterm-screen').first().click();
  await typeInTerminal(page, ["PS1='$ '"]);
  const picture = (take: () => Promise<void>) => async () => {
    await typeInTerminal(page, ['clear', LENGTHS_COMMAND]);
    await take();
  };
  await inWindow(page, WINDOWS.terminal, picture(() => readme('terminal.png', [editor, statusItem(page)])));
  await inWindow(page, WINDOWS.walkthroughTerminal, picture(() => walkthrough('terminal.png', editor)));
}

async function capture(workbench: Workbench, emulator: IdentityCenterEmulator): Promise<string[]> {
  const { page } = workbench;
  const files: string[] = [];
  const cameras: Cameras = { page, readme: camera(page, files, SCREENSHOT_DIR, 12), walkthrough: camera(page, files, WALKTHROUGH_DIR, 6) };
  await hideWatermark(page);
  log('waiting for the extension to activate (onStartupFinished)');
  await statusItem(page).waitFor({ state: 'visible', timeout: 90_000 });
  await hideStatusItems(page, HIDDEN_STATUS_ITEMS);
  await registerClient(cameras);
  await regionAndStartUrl(cameras);
  await signIn(cameras, emulator);
  await accountsMenu(cameras);
  await selectAgency(cameras);
  await statusMenu(cameras);
  await accountsView(cameras);
  await agencyTerminal(cameras);
  return files;
}

/** The Chinese window: the commands in the palette, and the sign-in modal. */
async function captureChinese(workbench: Workbench, emulator: IdentityCenterEmulator): Promise<string[]> {
  const { page } = workbench;
  const zh = JSON.parse(fs.readFileSync(path.join(REPO, 'package.nls.zh-cn.json'), 'utf8')) as Record<string, string>;
  const runtime = JSON.parse(fs.readFileSync(path.join(REPO, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
  const files: string[] = [];
  const shoot = camera(page, files, SCREENSHOT_DIR, 12);
  await hideWatermark(page);
  await statusItem(page, zh.category).waitFor({ state: 'visible', timeout: 90_000 });
  await inWindow(page, WINDOWS.palette, async () => {
    await page.keyboard.press('F1');
    await quickInput(page).locator('.quick-input-box input').pressSequentially(`${zh.category}: `);
    await quickInput(page).locator('.monaco-list-row', { hasText: zh['command.signIn'] }).first().waitFor({ state: 'visible' });
    await shoot('zh-cn-palette.png', quickInput(page));
    await page.keyboard.press('Escape');
  });

  await runCommand(page, `${zh.category}: ${zh['command.signIn']}`);
  const dialog = userCodeDialog(page, runtime['Sign in to IAM Identity Center at {0}'].split('{0}')[0]);
  await dialog.waitFor({ state: 'visible' });
  const progress = page.locator('.notification-toast', { hasText: runtime['Signing in to IAM Identity Center at {0}'].split('{0}')[0] }).first();
  await progress.waitFor({ state: 'visible' });
  await inWindow(page, WINDOWS.signIn, () => shoot('zh-cn-sign-in.png', [dialog, progress]));
  const userCode = await waitFor('a user code on the emulator', () => emulator.pendingUserCodes()[0]);
  await copyAndOpen(page, dialog, runtime['Copy & Open']);
  emulator.approve(userCode);
  return files;
}

/** Writes a profile's user settings: the example hosts, the start URL unset (the pictures set it), a quiet window. */
function prepareProfile(dir: string, service: ExampleHostsService, startUrl?: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  writeUserSettings(dir, service.emulator.url, { ...service.settings, 'iamIdentityCenter.startUrl': startUrl, ...QUIET_SETTINGS });
  writeMachineSettings(dir, service.machineSettings);
}

async function main(): Promise<void> {
  ensurePngTools();
  const build = path.join(WORK, 'screenshots', 'dist');
  log('building and packaging the extension');
  buildProduction(build);
  const vsix = packageVsix(build, path.join(WORK, 'screenshots', 'iam-identity-center.vsix'));
  const service = await startExampleHosts();
  let workbench: Workbench | undefined;
  try {
    const userDataDir = path.join(WORK, 'screenshots', 'profile');
    prepareProfile(userDataDir, service);
    workbench = await openWorkbench({ vsixPath: vsix.file, userDataDir, headless: true, deviceScaleFactor: DEVICE_SCALE });
    const files = await capture(workbench, service.emulator);
    await workbench.close();
    const chineseProfile = path.join(WORK, 'screenshots', 'profile-zh-cn');
    prepareProfile(chineseProfile, service, EXAMPLE_HOSTS.startUrl);
    workbench = await openWorkbench({ vsixPath: vsix.file, userDataDir: chineseProfile, headless: true, locale: 'zh-cn', deviceScaleFactor: DEVICE_SCALE });
    files.push(...(await captureChinese(workbench, service.emulator)));
    process.stdout.write(`${files.map((file) => path.relative(REPO, file)).join('\n')}\n`);
  } catch (error) {
    if (workbench) await screenshot(workbench.page, path.join(WORK, 'screenshots', 'failure.png')).catch(() => undefined);
    throw error;
  } finally {
    await workbench?.close();
    await service.close();
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)} (see .bench/screenshots/failure.png)`);
      process.exit(1);
    },
  );
}
