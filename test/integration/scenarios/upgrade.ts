/**
 * An upgrade keeps the user signed in, driven from the outside as a person would: the
 * release before profiles (`OLD_RELEASE`, its `.vsix` built once and cached) is installed
 * into a fresh code-server profile pointed at the emulator; there a person signs in from
 * the palette (Copy & Open, Approve on the emulator's page) and selects an agency. Then
 * VS Code stops, the `.vsix` of this checkout is installed over it into the same profile,
 * and VS Code starts again. Checked:
 *
 * - the new release runs (its one status bar item) and names the agency chosen before:
 *   the selection survived; VS Code's Accounts menu lists the account: signed in;
 * - after the upgrade no `POST /v1/clients`, no `POST /v1/device/authorize` and no
 *   `POST /v1/tokens` reached the emulator (no new registration, no new sign-in, not even
 *   a refresh), and no `GET /v1/credentials` at startup (the stored credentials were good);
 * - the portal then sees the same access token as before the upgrade (compared by hash):
 *   the same session.
 *
 * Standalone: `node out/test/integration/scenarios/upgrade.js` (after `npm run build`),
 * profile `.vscode-test/upgrade`. `runInVscode.js` runs it after its phases.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { IdentityCenterEmulator } from '../../support/emulator/emulator';
import type { RecordedRequest } from '../../support/emulator/server';
import { realVscodePaths } from '../../support/realVscode/install';
import { createLog, type Log } from '../../support/realVscode/log';
import { copyOpenAndApprove, userCodeDialog, waitFor } from '../../support/realVscode/paletteFlows';
import { currentVsix, releaseVsix } from '../../support/realVscode/releases';
import { openWorkbench, runCommand, typeIntoInputBox, writeUserSettings, type Workbench } from '../../support/realVscode/workbench';
import { noteFailure, type ScenarioOutcome } from './otherExtension';

/** The scenario's name in the runner's summary. */
export const UPGRADE_SCENARIO = 'upgrade';

/** The last commit before profiles: the release users have today. */
export const OLD_RELEASE = '172d4c1';

const ACCOUNT = 'test.user@example.com';
const AGENCY = 'iic_ReadOnlyAccess_7d41';
const ACCOUNT_NAME = 'production';
/** Time for the workbench to write globalState to the browser's storage; the reload after it checks it did. */
const STORAGE_FLUSH_MS = 5_000;
/** Each step's budget: a start of code-server and chromium with activation takes 20–40 s here. */
const STEP_MS = 90_000;

/** How to run {@link runUpgradeScenario}. */
export interface UpgradeOptions {
  /** The profile; removed first. */
  userDataDir: string;
  /** An emulator to use, reset first; absent, the scenario starts its own. */
  emulator?: IdentityCenterEmulator;
  log?: Log;
}

/** Runs the scenario; never throws: a failure is an outcome with its reason in `details`. */
export async function runUpgradeScenario(options: UpgradeOptions): Promise<ScenarioOutcome> {
  const log = options.log ?? createLog(UPGRADE_SCENARIO);
  const start = Date.now();
  const details: string[] = [];
  const note = (line: string) => {
    details.push(line);
    log(line);
  };
  const userDataDir = path.resolve(options.userDataDir);
  const emulator = options.emulator ?? (await IdentityCenterEmulator.start());
  let workbench: Workbench | undefined;
  let passed = false;
  try {
    const oldVsix = releaseVsix(OLD_RELEASE, note);
    const newVsix = currentVsix(note);
    emulator.reset();
    fs.rmSync(userDataDir, { recursive: true, force: true });
    writeUserSettings(userDataDir, emulator.url);

    workbench = await openWorkbench({ vsixPath: oldVsix, userDataDir, headless: true });
    note(`the release before profiles installed and open after ${elapsed(start)}`);
    const before = await signInAndSelectWithOldRelease(workbench.page, emulator, note);
    await workbench.close();
    workbench = undefined;

    emulator.clearRequests();
    const restart = Date.now();
    workbench = await openWorkbench({ vsixPath: newVsix, userDataDir, headless: true });
    note(`this checkout's .vsix installed over it in the same profile, open after ${elapsed(restart)}`);
    await checkStillSignedIn(workbench.page, emulator, before, note);
    passed = true;
  } catch (error) {
    await noteFailure(error, { workbench, start, shots: path.join(userDataDir, 'screenshots'), userDataDir, note });
  } finally {
    await workbench?.close().catch(() => undefined);
    if (!options.emulator) await emulator.close();
  }
  const seconds = (Date.now() - start) / 1000;
  log(`${passed ? 'passed' : 'FAILED'} in ${seconds.toFixed(1)}s`);
  return { name: UPGRADE_SCENARIO, passed, seconds, details };
}

/** What the old release left: the hash of the access token the portal saw, and how often it registered and signed in. */
interface BeforeUpgrade {
  tokenHash: string;
  registrations: number;
  authorizations: number;
}

/**
 * In the old release, as a person: Sign In from the palette, Copy & Open and Approve on the
 * emulator's page; then Select Account and Agency, picking the account and the agency.
 */
async function signInAndSelectWithOldRelease(page: Page, emulator: IdentityCenterEmulator, note: Log): Promise<BeforeUpgrade> {
  await statusText(page, (text) => text === 'IAM Identity Center: Sign In', 'the old release active (Sign In)');
  await runCommand(page, 'IAM Identity Center: Sign In', STEP_MS);
  await userCodeDialog(page).waitFor({ state: 'visible', timeout: STEP_MS });
  const { message } = await copyOpenAndApprove(page);
  note(`old release: Sign In from the palette, Copy & Open, Approve on the emulator's page ("${message}")`);
  await statusText(page, (text) => text === ACCOUNT, 'the old release signed in');

  await runCommand(page, 'IAM Identity Center: Select Account and Agency', STEP_MS);
  await quickPickShows(page, ACCOUNT_NAME);
  await typeIntoInputBox(page, ACCOUNT_NAME);
  await quickPickShows(page, AGENCY);
  await typeIntoInputBox(page, AGENCY);
  await statusText(page, (text) => text === `${AGENCY} · ${ACCOUNT_NAME}`, 'the old release’s agency item');
  // The workbench writes an extension's globalState to the browser's storage a while later
  // (stopped within a second or so, the selection was lost, in the old release as in any):
  // give it time, then a reload reads it back, so VS Code is not stopped before it is on disk.
  await page.waitForTimeout(STORAGE_FLUSH_MS);
  await page.reload();
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: STEP_MS });
  await statusText(page, (text) => text === `${AGENCY} · ${ACCOUNT_NAME}`, 'the old release’s agency item after a reload');
  const requests = emulator.requests();
  const counts = { registrations: posts(requests, '/v1/clients'), authorizations: posts(requests, '/v1/device/authorize'), credentials: gets(requests, '/v1/credentials') };
  if (counts.registrations !== 1 || counts.authorizations !== 1) throw new Error(`the old release's sign-in made ${JSON.stringify(counts)}; expected one registration and one device authorization`);
  note(`old release: signed in as ${ACCOUNT}, agency ${AGENCY} in ${ACCOUNT_NAME} selected, still so after a reload of the window; the emulator saw ${JSON.stringify(counts)}`);
  return { tokenHash: lastTokenHash(requests), ...counts };
}

/** In the new release: the agency and the session are there, nothing was asked again, and the portal sees the same token. */
async function checkStillSignedIn(page: Page, emulator: IdentityCenterEmulator, before: BeforeUpgrade, note: Log): Promise<void> {
  const expected = `IAM Identity Center: ${AGENCY} · ${ACCOUNT_NAME}`;
  await statusText(page, (text) => text === expected, 'the new release’s item naming the agency');
  note(`new release: the status bar shows "${expected}" (one item: the new release runs; the agency survived)`);
  await accountsMenuLists(page, ACCOUNT);
  note(`new release: VS Code's Accounts menu lists ${ACCOUNT} (IAM Identity Center): signed in`);
  // Time for anything started at activation (a renewal, a refresh) to reach the emulator.
  await page.waitForTimeout(3_000);
  const atStart = emulator.requests();
  const asked = { registrations: posts(atStart, '/v1/clients'), authorizations: posts(atStart, '/v1/device/authorize'), tokens: posts(atStart, '/v1/tokens'), credentials: gets(atStart, '/v1/credentials') };
  if (Object.values(asked).some((count) => count > 0)) throw new Error(`after the upgrade the emulator saw ${JSON.stringify(asked)}; expected none`);
  note(`new release: no POST /v1/clients, no POST /v1/device/authorize, no POST /v1/tokens, no GET /v1/credentials since the upgrade (${atStart.length} requests in all)`);

  // The session's token, as the portal sees it when the accounts are listed.
  await runCommand(page, 'IAM Identity Center: Select Account and Agency', STEP_MS);
  await quickPickShows(page, ACCOUNT_NAME);
  await page.keyboard.press('Escape');
  const after = emulator.requests();
  const tokenHash = lastTokenHash(after);
  if (tokenHash !== before.tokenHash) throw new Error('the portal saw another access token after the upgrade: not the same session');
  note(`new release: the accounts listed with the same access token as before the upgrade (sha256 ${tokenHash.slice(0, 12)}…): the same session, no new sign-in`);
  const overall = { registrations: before.registrations + posts(after, '/v1/clients'), authorizations: before.authorizations + posts(after, '/v1/device/authorize') };
  if (overall.registrations !== 1 || overall.authorizations !== 1) throw new Error(`over both releases the emulator saw ${JSON.stringify(overall)}; expected exactly one of each`);
  note(`over both releases: exactly one POST /v1/clients and one POST /v1/device/authorize`);
}

/** Waits until our status bar items' texts, joined, satisfy `check`. */
async function statusText(page: Page, check: (text: string) => boolean, what: string): Promise<string> {
  const items = page.locator('.statusbar-item[id^="iam-identity-center.iam-identity-center."]');
  return waitFor(
    what,
    async () => {
      const texts = (await items.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
      return texts.find(check);
    },
    STEP_MS,
  );
}

/** Opens VS Code's Accounts menu, which asks the provider for its sessions, and waits for `account` in it. */
async function accountsMenuLists(page: Page, account: string): Promise<void> {
  await page.locator('.activitybar .action-item [aria-label*="Accounts"], .activitybar .action-item[aria-label*="Accounts"]').first().click({ timeout: STEP_MS });
  const entry = page.locator('.context-view .monaco-menu .action-item', { hasText: `${account} (IAM Identity Center)` }).first();
  await entry.waitFor({ state: 'visible', timeout: 20_000 }).catch(() => {
    throw new Error(`VS Code's Accounts menu does not list ${account}: not signed in`);
  });
  await page.keyboard.press('Escape');
}

/** Waits until the open quick pick lists a row containing `text`. */
async function quickPickShows(page: Page, text: string): Promise<void> {
  await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: text }).first().waitFor({ state: 'visible', timeout: STEP_MS });
}

function posts(requests: RecordedRequest[], at: string): number {
  return requests.filter((request) => request.method === 'POST' && request.path === at).length;
}

function gets(requests: RecordedRequest[], at: string): number {
  return requests.filter((request) => request.method === 'GET' && request.path === at).length;
}

/** The SHA-256 of the access token of the last portal request (never the token itself). */
function lastTokenHash(requests: RecordedRequest[]): string {
  const token = requests.filter((request) => request.headers['access-token']).pop()?.headers['access-token'];
  if (!token) throw new Error('no portal request carried an access token');
  return createHash('sha256').update(token).digest('hex');
}

function elapsed(start: number): string {
  return `${((Date.now() - start) / 1000).toFixed(1)}s`;
}

if (require.main === module) {
  const userDataDir = path.join(realVscodePaths().cacheDir, UPGRADE_SCENARIO);
  runUpgradeScenario({ userDataDir }).then(
    (outcome) => {
      process.stdout.write(`\n${outcome.name}: ${outcome.passed ? 'pass' : 'FAIL'} in ${outcome.seconds.toFixed(1)}s\n${outcome.details.map((line) => `  ${line}`).join('\n')}\n`);
      process.exit(outcome.passed ? 0 : 1);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
