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
 *
 * Runs without the smoke-test driver, which would hide the notification toasts.
 * Nothing leaves the machine: the browser resolves no host name but 127.0.0.1.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { buildProduction, packageVsix, REPO, WORK } from '../bench/packageVsix';
import { IdentityCenterEmulator } from './emulator/emulator';
import { createLog } from './realVscode/log';
import { notifications, openWorkbench, runCommand, screenshot, settleAnimations, writeUserSettings, type Workbench } from './realVscode/workbench';

const log = createLog('screenshots');

/** Where the PNGs go (the README links them; `.vscodeignore` keeps them out of the package). */
export const SCREENSHOT_DIR = path.join(REPO, 'images', 'screenshots');

/** The client name typed into Register Client's input box. */
const CLIENT_NAME = 'My laptop';

/** The quick input's text box (command palette and input boxes). */
const QUICK_INPUT = '.quick-input-widget .quick-input-box input';


/** Polls `check` every 200 ms until it returns a value, for at most `ms`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The extension's status bar item, there once the extension has activated. */
export function statusItem(page: Page) {
  return page.locator('.statusbar-item', { hasText: /IAM Identity Center|test\.user@example\.com/ }).first();
}

/** Waits until a notification toast starting with `prefix` is shown; returns its text. */
export function waitForNotification(page: Page, prefix: string, ms = 60_000): Promise<string> {
  return waitFor(`a notification "${prefix}…"`, async () => (await notifications(page)).find((text) => text.startsWith(prefix)), ms);
}

/** Closes every notification toast, so the next screenshot shows only the next one. */
export async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await waitFor('the notifications to close', async () => ((await notifications(page)).length === 0 ? true : undefined), 10_000);
}

/** Expands a one-line toast so its whole message shows, as a click on its chevron does. */
async function expandNotification(page: Page, prefix: string): Promise<void> {
  const toast = page.locator('.notification-toast', { hasText: prefix }).first();
  await toast.hover();
  const expand = toast.locator('.codicon-notifications-expand').first();
  if (await expand.isVisible().catch(() => false)) await expand.click();
  await page.mouse.move(640, 400);
}

/** Register Client from the palette: opens the input box and replaces the default name; leaves it open. */
export async function openRegisterInput(page: Page, clientName: string): Promise<void> {
  await runCommand(page, 'IAM Identity Center: Register Client');
  const input = page.locator(QUICK_INPUT);
  await page.locator('.quick-input-widget', { hasText: 'client name' }).waitFor({ state: 'visible' });
  await input.fill('');
  await input.pressSequentially(clientName);
}

/** Sign In from the palette, approving the code on the emulator once it is shown. */
export async function signInFromPalette(page: Page, emulator: IdentityCenterEmulator, beforeApproving?: (userCode: string) => Promise<void>): Promise<string> {
  await runCommand(page, 'IAM Identity Center: Sign In');
  const userCode = await waitFor('a user code on the emulator', () => emulator.pendingUserCodes()[0]);
  await waitForNotification(page, 'To sign in to IAM Identity Center');
  await beforeApproving?.(userCode);
  emulator.approve(userCode);
  return waitForNotification(page, 'Signed in');
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
