/**
 * What a person does in the workbench, shared by the screenshot script and the bench's
 * activation in a real VS Code: register a client and sign in from the command palette,
 * wait for notifications and for the extension's status bar item.
 */
import type { Page } from 'playwright-core';
import type { IdentityCenterEmulator } from '../emulator/emulator';
import { notifications, runCommand } from './workbench';

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

/** The extension's status bar item, there once the extension has activated (`product`: its name in the display language). */
export function statusItem(page: Page, product = 'IAM Identity Center') {
  return page.locator('.statusbar-item', { hasText: new RegExp(`${product}|test\\.user@example\\.com`) }).first();
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

/** Register Client from the palette: opens the input box and replaces the default name; leaves it open. */
export async function openRegisterInput(page: Page, clientName: string): Promise<void> {
  await runCommand(page, 'IAM Identity Center: Register Client');
  const input = page.locator(QUICK_INPUT);
  await page.locator('.quick-input-widget', { hasText: 'client name' }).waitFor({ state: 'visible' });
  await input.fill('');
  await input.pressSequentially(clientName);
}

/** The modal that shows the user code of a sign-in started from the palette (its title in the display language). */
export function userCodeDialog(page: Page, title = 'Sign in to IAM Identity Center') {
  return page.locator('.monaco-dialog-box', { hasText: title }).first();
}

/**
 * Clicks Copy & Open in the user-code modal, as a person does: the verification page
 * opens in a new tab (closed here; the emulator approves), and the modal closes.
 */
export async function copyAndOpenUserCode(page: Page, dialog = userCodeDialog(page), button = 'Copy & Open'): Promise<void> {
  const opened = page.context().waitForEvent('page', { timeout: 10_000 }).catch(() => undefined);
  await dialog.locator('.dialog-buttons-row .monaco-button', { hasText: button }).first().click();
  await dialog.waitFor({ state: 'hidden' });
  await (await opened)?.close();
}

/** Sign In from the palette: the modal with the code, Copy & Open, then the code approved on the emulator. */
export async function signInFromPalette(page: Page, emulator: IdentityCenterEmulator, beforeApproving?: (userCode: string) => Promise<void>): Promise<string> {
  await runCommand(page, 'IAM Identity Center: Sign In');
  const userCode = await waitFor('a user code on the emulator', () => emulator.pendingUserCodes()[0]);
  await userCodeDialog(page).waitFor({ state: 'visible' });
  await beforeApproving?.(userCode);
  await copyAndOpenUserCode(page);
  emulator.approve(userCode);
  return waitForNotification(page, 'Signed in');
}

/** Select Account and Agency from the palette: the account pick, then the agency pick; returns the confirmation. */
export async function selectAgencyFromPalette(page: Page, account: string, agency: string): Promise<string> {
  await runCommand(page, 'IAM Identity Center: Select Account and Agency');
  const input = page.locator(QUICK_INPUT);
  await page.locator('.quick-input-widget', { hasText: 'choose an account' }).waitFor({ state: 'visible' });
  await input.pressSequentially(account);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: account }).first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget', { hasText: 'choose an agency' }).waitFor({ state: 'visible' });
  await input.pressSequentially(agency);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: agency }).first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  return waitForNotification(page, 'Using agency');
}

/** Opens the IAM Identity Center view container and waits for `account`'s row in the Accounts view. */
export async function openAccountsView(page: Page, account: string): Promise<void> {
  await runCommand(page, 'View: Show IAM Identity Center');
  await page.locator('.part.sidebar .monaco-list-row', { hasText: account }).first().waitFor({ state: 'visible', timeout: 30_000 });
}

/**
 * Opens a terminal that prints which credential variables it got and how long each value
 * is, never the value itself, so a screenshot shows what a terminal gets without a secret.
 */
export async function showTerminalCredentials(page: Page): Promise<void> {
  await runCommand(page, 'Terminal: Create New Terminal');
  const terminal = page.locator('.terminal-wrapper.active .xterm-screen, .terminal .xterm-screen').first();
  await terminal.waitFor({ state: 'visible', timeout: 30_000 });
  await page.waitForTimeout(1500);
  const script =
    "for (const n of ['HUAWEICLOUD_SDK_AK','HUAWEICLOUD_SDK_SK','HUAWEICLOUD_SDK_SECURITY_TOKEN','HW_ACCESS_KEY','HW_SECRET_KEY','HW_SECURITY_TOKEN']) console.log(n.padEnd(31), process.env[n] ? 'set, ' + process.env[n].length + ' characters' : 'not set')";
  await page.keyboard.type(`node -e "${script}"`);
  await page.keyboard.press('Enter');
  // xterm draws on a canvas, so its text is not in the DOM to wait for: node prints within a moment.
  await page.waitForTimeout(3000);
}
