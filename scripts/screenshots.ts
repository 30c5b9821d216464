/**
 * `npm run screenshots`: captures the README's screenshots from a real VS Code
 * (code-server in headless chromium) driven as a person would, against the local
 * Identity Center emulator. The extension is the production `.vsix`, installed with
 * code-server's CLI, so the pictures also show that the package installs and runs.
 *
 *   images/screenshots/register-input.png   Register Client: the name input box
 *   images/screenshots/register-done.png    the "Registered client …" notification
 *   images/screenshots/sign-in-code.png     Sign In: the user code to confirm
 *   images/screenshots/signed-in.png        the Accounts menu and the status bar, signed in
 *   images/screenshots/accounts-view.png    the Accounts view, the agency in use marked
 *   images/screenshots/terminal.png         a new terminal with the agency's credentials (lengths only)
 *
 * Runs without the smoke-test driver, which would hide the notification toasts.
 * Nothing leaves the machine: the browser resolves no host name but 127.0.0.1.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { buildProduction, packageVsix, REPO, WORK } from '../test/bench/packageVsix';
import { IdentityCenterEmulator } from '../test/support/emulator/emulator';
import { createLog } from '../test/support/realVscode/log';
import { clearNotifications, openAccountsView, openRegisterInput, selectAgencyFromPalette, showTerminalCredentials, signInFromPalette, statusItem, waitForNotification } from '../test/support/realVscode/paletteFlows';
import { openWorkbench, screenshot, settleAnimations, writeUserSettings, type Workbench } from '../test/support/realVscode/workbench';

const log = createLog('screenshots');

/** Where the PNGs go (the README links them; `.vscodeignore` keeps them out of the package). */
export const SCREENSHOT_DIR = path.join(REPO, 'images', 'screenshots');

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

async function capture(workbench: Workbench, emulator: IdentityCenterEmulator): Promise<string[]> {
  const { page } = workbench;
  const files: string[] = [];
  const shoot = async (name: string) => {
    await settleAnimations(page, 5_000);
    const file = path.join(SCREENSHOT_DIR, name);
    await screenshot(page, file);
    files.push(file);
    log(`captured ${path.relative(REPO, file)}`);
  };

  log('waiting for the extension to activate (onStartupFinished)');
  await statusItem(page).waitFor({ state: 'visible', timeout: 90_000 });

  await openRegisterInput(page, CLIENT_NAME);
  await shoot('register-input.png');
  await page.keyboard.press('Enter');
  await waitForNotification(page, 'Registered client');
  await expandNotification(page, 'Registered client');
  await shoot('register-done.png');
  await clearNotifications(page);

  await signInFromPalette(page, emulator, async () => {
    await shoot('sign-in-code.png');
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
  await showTerminalCredentials(page);
  await shoot('terminal.png');
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
