/**
 * What a person does in the workbench, shared by the demo, the screenshot script and the
 * bench's activation in a real VS Code: register a client and sign in from the command
 * palette (approving on the verification page), wait for notifications and for the
 * extension's status bar item.
 */
import type { Locator, Page } from 'playwright-core';
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
  await (await clickCopyAndOpen(page, dialog, button))?.close();
}

/** The page Copy & Open opened, and what it said once Approve was clicked on it. */
export interface PageApproval {
  /** The address the tab opened, e.g. code-server's `/proxy/<port>/device?user_code=…` for the emulator's page. */
  openedUrl: string;
  /** The page's message after Approve ("Approved. …"). */
  message: string;
}

/**
 * Clicks Copy & Open in the user-code modal, then, in the tab that opens, clicks Approve on
 * the verification page as a person does, and checks the page says the code was approved.
 * Fails with what the tab showed when no tab opened or the approval did not go through.
 */
export async function copyOpenAndApprove(page: Page, dialog = userCodeDialog(page)): Promise<PageApproval> {
  const opened = await clickCopyAndOpen(page, dialog, 'Copy & Open');
  if (!opened) throw new Error('Copy & Open opened no browser tab');
  try {
    await opened.waitForLoadState();
    const openedUrl = opened.url();
    const approve = opened.locator('#approve');
    if (!(await approve.isVisible())) throw new Error(`the page Copy & Open opened (${openedUrl}) has no Approve button; it shows: ${await pageText(opened)}`);
    await Promise.all([opened.waitForURL((url) => url.href !== openedUrl, { waitUntil: 'load' }), approve.click()]);
    const shown = opened.locator('#message');
    const message = (await shown.count()) > 0 ? squash(await shown.innerText()) : '';
    if (!message.startsWith('Approved.')) throw new Error(`clicking Approve on ${openedUrl} led to ${opened.url()}, which shows: ${await pageText(opened)}`);
    return { openedUrl, message };
  } finally {
    await opened.close();
  }
}

/**
 * Fails unless `openedUrl` is `target`'s page reached through code-server's port proxy
 * (`<workbench origin>/proxy/<target port>/…`), where the workbench's
 * `vscode.env.asExternalUri` sends a loopback address: what a person's browser opens.
 */
export function assertThroughPortProxy(page: Page, openedUrl: string, target: string): void {
  const expected = `${new URL(page.url()).origin}/proxy/${new URL(target).port}/`;
  if (!openedUrl.startsWith(expected)) throw new Error(`Copy & Open opened ${openedUrl}, not a page under code-server's port proxy ${expected}`);
}

/** Clicks `button` in the user-code modal and waits for it to close; returns the tab that opened, if one did. */
async function clickCopyAndOpen(page: Page, dialog: Locator, button: string): Promise<Page | undefined> {
  const opened = page.context().waitForEvent('page', { timeout: 10_000 }).catch(() => undefined);
  await dialog.locator('.dialog-buttons-row .monaco-button', { hasText: button }).first().click();
  await dialog.waitFor({ state: 'hidden' });
  return opened;
}

/** A page's visible text on one line. */
async function pageText(page: Page): Promise<string> {
  return squash(await page.locator('body').innerText());
}

function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** What {@link signInFromPalette} saw. */
export interface PaletteSignIn extends PageApproval {
  /** The code the modal showed (a user code: shown to people, not a secret). */
  userCode: string;
  /** VS Code's "Signed in…" notification. */
  notification: string;
}

/**
 * Sign In from the palette, as a person does: the modal with the code, Copy & Open, then
 * Approve on the verification page that opened (the emulator's page, through code-server's
 * port proxy); resolves once VS Code says it signed in.
 */
export async function signInFromPalette(page: Page, emulator: IdentityCenterEmulator, beforeApproving?: (userCode: string) => Promise<void>): Promise<PaletteSignIn> {
  await runCommand(page, 'IAM Identity Center: Sign In');
  const userCode = await waitFor('a user code on the emulator', () => emulator.pendingUserCodes()[0]);
  await userCodeDialog(page).waitFor({ state: 'visible' });
  await beforeApproving?.(userCode);
  const approval = await copyOpenAndApprove(page);
  return { userCode, ...approval, notification: await waitForNotification(page, 'Signed in') };
}

/** Select Account and Agency from the palette: the account pick, then the agency pick; returns the confirmation. */
export async function selectAgencyFromPalette(page: Page, account: string, agency: string): Promise<string> {
  await runCommand(page, 'IAM Identity Center: Select Account and Agency');
  const input = page.locator(QUICK_INPUT);
  await page.locator('.quick-input-widget', { hasText: 'Select an account' }).waitFor({ state: 'visible' });
  await input.pressSequentially(account);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: account }).first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget', { hasText: 'Select an agency' }).waitFor({ state: 'visible' });
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
