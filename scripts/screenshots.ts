/**
 * `npm run screenshots`: captures the README's screenshots from a real VS Code
 * (code-server in headless chromium) driven as a person would, against the local
 * Identity Center emulator. The extension is the production `.vsix`, installed with
 * code-server's CLI, so the pictures also show that the package installs and runs.
 *
 *   images/screenshots/register-input.png   Register Client: the name input box
 *   images/screenshots/register-done.png    the "Registered client …" notification
 *   images/screenshots/sign-in-code.png     Sign In: the modal with the user code, naming the host
 *   images/screenshots/signed-in.png        the Accounts menu and the status bar, signed in
 *   images/screenshots/accounts-view.png    the Accounts view, the agency in use marked
 *   images/screenshots/terminal.png         a new terminal with the agency's credentials (lengths only)
 *   images/screenshots/zh-cn-palette.png    display language zh-cn: the commands in the palette
 *   images/screenshots/zh-cn-sign-in.png    display language zh-cn: the sign-in modal
 *   images/walkthrough/*.png                the walkthrough's pictures, cut from the same windows
 *                                           (these ship in the package)
 *
 * Runs without the smoke-test driver, which would hide the notification toasts.
 * Nothing leaves the machine: the browser resolves no host name but 127.0.0.1.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { buildProduction, packageVsix, REPO, WORK } from '../test/bench/packageVsix';
import { IdentityCenterEmulator } from '../test/support/emulator/emulator';
import { createLog } from '../test/support/realVscode/log';
import { clearNotifications, copyAndOpenUserCode, openAccountsView, openRegisterInput, selectAgencyFromPalette, showTerminalCredentials, signInFromPalette, statusItem, userCodeDialog, waitFor, waitForNotification } from '../test/support/realVscode/paletteFlows';
import { openWorkbench, runCommand, screenshot, settleAnimations, writeUserSettings, type Workbench } from '../test/support/realVscode/workbench';

const log = createLog('screenshots');

/** Where the PNGs go (the README links them; `.vscodeignore` keeps them out of the package). */
export const SCREENSHOT_DIR = path.join(REPO, 'images', 'screenshots');

/** Where the walkthrough's pictures go (`contributes.walkthroughs`; they ship in the package). */
export const WALKTHROUGH_DIR = path.join(REPO, 'images', 'walkthrough');

/** The client name typed into Register Client's input box. */
const CLIENT_NAME = 'My laptop';

/** Expands a one-line toast so its whole message shows, as a click on its chevron does. */
async function expandNotification(page: Page, prefix: string): Promise<void> {
  const toast = page.locator('.notification-toast', { hasText: prefix }).first();
  await toast.hover();
  const expand = toast.locator('.codicon-notifications-expand').first();
  if (await expand.isVisible().catch(() => false)) await expand.click();
  await page.mouse.move(640, 400);
}

/** Takes pictures of `page` once it has settled, listing the files in `files`. */
function camera(page: Page, files: string[]) {
  return async (name: string, around?: Locator, dir = SCREENSHOT_DIR): Promise<void> => {
    await settleAnimations(page, 5_000);
    const file = path.join(dir, name);
    await screenshot(page, file, around);
    files.push(file);
    log(`captured ${path.relative(REPO, file)}`);
  };
}

async function capture(workbench: Workbench, emulator: IdentityCenterEmulator): Promise<string[]> {
  const { page } = workbench;
  const files: string[] = [];
  const shoot = camera(page, files);
  const walkthroughPicture = (name: string, around: Locator) => shoot(name, around, WALKTHROUGH_DIR);

  log('waiting for the extension to activate (onStartupFinished)');
  await statusItem(page).waitFor({ state: 'visible', timeout: 90_000 });

  await openRegisterInput(page, CLIENT_NAME);
  await shoot('register-input.png');
  await page.keyboard.press('Enter');
  await waitForNotification(page, 'Registered client');
  await expandNotification(page, 'Registered client');
  await shoot('register-done.png');
  await clearNotifications(page);

  await runCommand(page, 'IAM Identity Center: Choose Region');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'cn-north-4' }).first().waitFor({ state: 'visible' });
  await walkthroughPicture('region.png', page.locator('.quick-input-widget'));
  await page.keyboard.press('Escape');

  await runCommand(page, 'Preferences: Open Settings (UI)');
  await page.locator('.settings-editor').waitFor({ state: 'visible' });
  await page.keyboard.type('iamIdentityCenter.startUrl');
  await page.locator('.settings-editor .setting-item-contents', { hasText: 'start_url' }).first().waitFor({ state: 'visible' });
  await walkthroughPicture('start-url.png', page.locator('.settings-editor .setting-item-contents', { hasText: 'start_url' }).first());
  // Settings open as a modal over the window here: Escape clears the search, then closes it.
  for (let i = 0; i < 3 && (await page.locator('.settings-editor').isVisible()); i++) await page.keyboard.press('Escape');
  await page.locator('.settings-editor').waitFor({ state: 'hidden', timeout: 10_000 });

  await signInFromPalette(page, emulator, async () => {
    await shoot('sign-in-code.png');
    await walkthroughPicture('sign-in.png', userCodeDialog(page));
  });
  await clearNotifications(page);

  await statusItem(page).filter({ hasText: 'test.user@example.com' }).waitFor({ state: 'visible' });
  await page.locator('.activitybar [aria-label^="Accounts"]').first().click();
  await page.locator('.context-view .monaco-menu', { hasText: 'IAM Identity Center' }).waitFor({ state: 'visible' });
  await shoot('signed-in.png');
  await page.keyboard.press('Escape');

  await selectAgencyFromPalette(page, 'staging', 'iic_Developer_51ce');
  await clearNotifications(page);
  await openAccountsView(page, 'staging');
  await shoot('accounts-view.png');
  await walkthroughPicture('agency.png', page.locator('.part.sidebar .monaco-list').first());
  await showTerminalCredentials(page);
  await shoot('terminal.png');
  await walkthroughPicture('terminal.png', page.locator('.part.panel .xterm-screen').first());
  return files;
}

/** The Chinese window: the commands in the palette, and the sign-in modal. */
async function captureChinese(workbench: Workbench, emulator: IdentityCenterEmulator): Promise<string[]> {
  const { page } = workbench;
  const zh = JSON.parse(fs.readFileSync(path.join(REPO, 'package.nls.zh-cn.json'), 'utf8')) as Record<string, string>;
  const runtime = JSON.parse(fs.readFileSync(path.join(REPO, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
  const files: string[] = [];
  const shoot = camera(page, files);
  await statusItem(page, zh.category).waitFor({ state: 'visible', timeout: 90_000 });
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget .quick-input-box input').pressSequentially(`${zh.category}: `);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: zh['command.listAccounts'] }).first().waitFor({ state: 'visible' });
  await shoot('zh-cn-palette.png');
  await page.keyboard.press('Escape');

  await runCommand(page, `${zh.category}: ${zh['command.signIn']}`);
  const dialog = userCodeDialog(page, runtime['Sign in to IAM Identity Center at {0}'].split('{0}')[0]);
  await dialog.waitFor({ state: 'visible' });
  await shoot('zh-cn-sign-in.png');
  const userCode = await waitFor('a user code on the emulator', () => emulator.pendingUserCodes()[0]);
  await copyAndOpenUserCode(page, dialog, runtime['Copy & Open']);
  emulator.approve(userCode);
  return files;
}

async function main(): Promise<void> {
  const build = path.join(WORK, 'screenshots', 'dist');
  log('building and packaging the extension');
  buildProduction(build);
  const vsix = packageVsix(build, path.join(WORK, 'screenshots', 'iam-identity-center.vsix'));
  const userDataDir = path.join(WORK, 'screenshots', 'profile');
  fs.rmSync(userDataDir, { recursive: true, force: true });
  const emulator = await IdentityCenterEmulator.start();
  writeUserSettings(userDataDir, emulator.url);
  let workbench: Workbench | undefined;
  try {
    workbench = await openWorkbench({ vsixPath: vsix.file, userDataDir, headless: true });
    const files = await capture(workbench, emulator);
    await workbench.close();
    const chineseProfile = path.join(WORK, 'screenshots', 'profile-zh-cn');
    fs.rmSync(chineseProfile, { recursive: true, force: true });
    writeUserSettings(chineseProfile, emulator.url);
    workbench = await openWorkbench({ vsixPath: vsix.file, userDataDir: chineseProfile, headless: true, locale: 'zh-cn' });
    files.push(...(await captureChinese(workbench, emulator)));
    process.stdout.write(`${files.map((file) => path.relative(REPO, file)).join('\n')}\n`);
  } catch (error) {
    if (workbench) await screenshot(workbench.page, path.join(WORK, 'screenshots', 'failure.png')).catch(() => undefined);
    throw error;
  } finally {
    await workbench?.close();
    await emulator.close();
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
