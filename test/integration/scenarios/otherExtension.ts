/**
 * Another extension signs in through our provider, driven from the outside as a person would.
 *
 * Inside the test-mode extension host VS Code refuses to show dialogs ("DialogService: refused
 * to show dialog in tests"), so `getSession(…, { createIfNone: true })`, which first asks the
 * user's consent in a modal, cannot run there. This scenario therefore starts code-server
 * without the smoke-test driver (notification toasts show), with two installed extensions:
 * ours (the repository root, built) and the fixture `test/fixtures/consumer-extension`. Then:
 *
 * 1. waits for our extension to activate (`onStartupFinished`: its status bar item shows),
 * 2. runs "IIC Consumer: Get Session" from the command palette,
 * 3. clicks "Allow" in VS Code's consent dialog,
 * 4. waits for our user-code modal, clicks Copy & Open, and clicks Approve on the emulator's
 *    page that opens in a new tab (through code-server's port proxy, `/proxy/<port>/device`),
 * 5. waits for the consumer's "Consumer got a session for test.user@example.com",
 * 6. opens the Accounts menu and finds the account there,
 *
 * and checks that the emulator saw exactly one `POST /v1/device/authorize`. Then a second
 * profile is added in the user's settings.json editor (another user portal on the same service), and the
 * consumer asks for a session with the scope `profile:second`: after its consent, that is a
 * sign-in at the second user portal, and the session's label names the profile.
 * Screenshots go to
 * `<userDataDir>/screenshots/`; the repository's images are left alone unless asked for
 * (`readmeScreenshot`). Only loopback traffic.
 *
 * Standalone: `node out/test/integration/scenarios/otherExtension.js` (after
 * `npx tsc -p tsconfig.test.json && node esbuild.js`), profile `.vscode-test/other-extension`;
 * `--register-first` registers a client from the palette before the consumer asks;
 * `--readme-screenshot` also copies the Accounts menu picture to
 * `images/screenshots/signed-in-accounts.png`.
 * `runInVscode.js` runs it after its phases, with the profile inside the run folder.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { IdentityCenterEmulator } from '../../support/emulator/emulator';
import { realVscodePaths } from '../../support/realVscode/install';
import { createLog, type Log } from '../../support/realVscode/log';
import { assertThroughPortProxy, copyOpenAndApprove, userCodeDialog } from '../../support/realVscode/paletteFlows';
import { editUserSettings, linkExtension, notifications, openWorkbench, runCommand, screenshot, settleAnimations, writeUserSettings, type Workbench } from '../../support/realVscode/workbench';

/** The scenario's name in the runner's summary. */
export const SCENARIO_NAME = 'other-extension';

/** How a scenario went, for the runner's summary. */
export interface ScenarioOutcome {
  name: string;
  passed: boolean;
  seconds: number;
  /** What was checked and seen, step by step; on failure the last line says why. */
  details: string[];
}

/** How to run {@link runOtherExtensionScenario}. */
export interface OtherExtensionOptions {
  /** The profile; removed first, so every run starts signed out with no registration. */
  userDataDir: string;
  /**
   * An emulator to use, which is reset first (its issued secrets stay, for leak scans). When
   * absent the scenario starts its own and closes it afterwards.
   */
  emulator?: IdentityCenterEmulator;
  /** Our extension's folder (built: its `main` exists); default: the repository root. */
  extensionPath?: string;
  /**
   * Where to copy the Accounts menu screenshot, e.g. {@link README_ACCOUNTS_SCREENSHOT}. Default
   * (or `false`): nowhere, so running the scenario never changes the repository's images.
   */
  readmeScreenshot?: string | false;
  /**
   * Register a client from the palette ("IAM Identity Center: Register Client", default name)
   * before the consumer asks; default false: the consumer's getSession must work from a fresh
   * install, with no registration stored.
   */
  registerFirst?: boolean;
  /** The whole scenario's budget, workbench start included; default {@link DEFAULT_TIMEOUT_MS}. */
  timeoutMs?: number;
  log?: Log;
}

/** The repository's copy of the Accounts menu screenshot, refreshed only on request. */
export const README_ACCOUNTS_SCREENSHOT = path.join('images', 'screenshots', 'signed-in-accounts.png');

/** The scenario's default budget: startup (activation alone takes 13–19 s here), consent, one poll interval, the menu, the second profile's sign-in. */
export const DEFAULT_TIMEOUT_MS = 150_000;

const ACCOUNT = 'test.user@example.com';
const CONSUMER_COMMAND = 'IIC Consumer: Get Session';
const PROFILE_COMMAND = 'IIC Consumer: Ask for the Session of Profile second';
const CONSUMER_NAME = 'IIC Consumer';
const CONSENT = `The extension '${CONSUMER_NAME}' wants to sign in using IAM Identity Center.`;
const USER_CODE_PREFIX = 'Sign in to IAM Identity Center';
const GOT_SESSION = `Consumer got a session for ${ACCOUNT}`;

/** What the consumer fixture writes to `IIC_CONSUMER_RESULT`. */
interface ConsumerResult {
  ok: boolean;
  account?: string;
  hasAccessToken?: boolean;
  scopes?: string[];
  error?: string;
}

/** What the steps share: the window, the emulator, the time budget and the notes so far. */
interface ScenarioRun {
  page: Page;
  emulator: IdentityCenterEmulator;
  /** When the scenario started, epoch ms. */
  start: number;
  /** Epoch ms by which the whole scenario must be done. */
  deadline: number;
  /** Where the screenshots go. */
  shots: string;
  /** Where the consumer fixture writes its result. */
  resultFile: string;
  /** Records a detail of the outcome and logs it. */
  note: (line: string) => void;
}

/** Runs the scenario; never throws: a failure is an outcome with its reason in `details`. */
export async function runOtherExtensionScenario(options: OtherExtensionOptions): Promise<ScenarioOutcome> {
  const log = options.log ?? createLog(SCENARIO_NAME);
  const start = Date.now();
  const deadline = start + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const details: string[] = [];
  const note = (line: string) => {
    details.push(line);
    log(line);
  };
  const userDataDir = path.resolve(options.userDataDir);
  const shots = path.join(userDataDir, 'screenshots');
  const resultFile = path.join(userDataDir, 'consumer-result.json');
  const emulator = options.emulator ?? (await IdentityCenterEmulator.start());
  let workbench: Workbench | undefined;
  let passed = false;
  try {
    workbench = await openFreshWorkbench(options, emulator, userDataDir, resultFile);
    const run: ScenarioRun = { page: workbench.page, emulator, start, deadline, shots, resultFile, note };
    note(`workbench open after ${elapsed(start)}`);
    await waitForActivation(run);
    if (options.registerFirst) await registerFromPalette(run);
    await askForSessionAndAllow(run);
    await approveUserCode(run);
    await checkConsumerSession(run);
    checkOneDeviceAuthorization(run);
    await checkAccountsMenu(run, options.readmeScreenshot);
    await askForSecondProfile(run, userDataDir);
    passed = true;
  } catch (error) {
    await noteFailure(error, { workbench, start, shots, userDataDir, note });
  } finally {
    await workbench?.close().catch(() => undefined);
    if (!options.emulator) await emulator.close();
  }
  const seconds = (Date.now() - start) / 1000;
  log(`${passed ? 'passed' : 'FAILED'} in ${seconds.toFixed(1)}s`);
  return { name: SCENARIO_NAME, passed, seconds, details };
}

/**
 * A new profile pointed at the emulator, with our extension and the consumer fixture
 * installed, opened in headless chromium without the smoke-test driver.
 */
async function openFreshWorkbench(options: OtherExtensionOptions, emulator: IdentityCenterEmulator, userDataDir: string, resultFile: string): Promise<Workbench> {
  const { repoRoot } = realVscodePaths();
  const consumerPath = path.join(repoRoot, 'test', 'fixtures', 'consumer-extension');
  const extensionPath = path.resolve(options.extensionPath ?? repoRoot);
  const { main } = JSON.parse(fs.readFileSync(path.join(extensionPath, 'package.json'), 'utf8')) as { main: string };
  const bundle = path.join(extensionPath, main);
  if (!fs.existsSync(bundle)) throw new Error(`${bundle} is missing, so the extension cannot activate: run \`node esbuild.js\``);
  if (options.emulator) emulator.reset();

  fs.rmSync(userDataDir, { recursive: true, force: true });
  writeUserSettings(userDataDir, emulator.url);
  // openWorkbench links our extension; the consumer is linked beside it first.
  linkExtension(consumerPath, path.join(userDataDir, 'extensions'));
  return openWorkbench({
    extensionPath,
    userDataDir,
    headless: true,
    env: { IIC_CONSUMER_RESULT: resultFile },
  });
}

/** Step 1: our extension is active. getSession waits only 5 s for a provider to register, so wait for ours first. */
async function waitForActivation({ page, start, deadline, note }: ScenarioRun): Promise<void> {
  await signedOutStatusItem(page).waitFor({ state: 'visible', timeout: remaining(deadline) });
  note(`our extension active (status bar "Sign In") after ${elapsed(start)}`);
}

/** With `registerFirst`: Register Client from the palette, with the default name. */
async function registerFromPalette({ page, deadline, note }: ScenarioRun): Promise<void> {
  await runCommand(page, 'IAM Identity Center: Register Client', remaining(deadline));
  await page.locator('.quick-input-widget', { hasText: 'client name' }).waitFor({ state: 'visible', timeout: remaining(deadline) });
  await page.keyboard.press('Enter');
  const registered = await waitFor('the notification "Registered client…"', async () => (await notifications(page)).find((text) => text.startsWith('Registered client')), deadline);
  note(`registered a client first: "${squash(registered)}"`);
}

/** Steps 2 and 3: the consumer asks for a session from the palette; Allow in VS Code's consent dialog. */
async function askForSessionAndAllow({ page, deadline, shots, note }: ScenarioRun): Promise<void> {
  await runCommand(page, CONSUMER_COMMAND, remaining(deadline));
  note(`ran "${CONSUMER_COMMAND}" from the command palette`);

  const dialog = page.locator('.monaco-dialog-box', { hasText: 'wants to sign in' }).first();
  await dialog.waitFor({ state: 'visible', timeout: remaining(deadline) });
  const consent = squash(await dialog.innerText());
  if (!consent.includes(CONSENT)) throw new Error(`the consent dialog says "${consent}", not "${CONSENT}"`);
  await screenshot(page, path.join(shots, 'consent.png'));
  await dialog.locator('.dialog-buttons-row .monaco-button', { hasText: /^\s*Allow\s*$/ }).first().click({ timeout: remaining(deadline) });
  await dialog.waitFor({ state: 'hidden', timeout: remaining(deadline) });
  note(`consent dialog shown ("${CONSENT}"); clicked Allow`);
}

/** The consumer writes its result at once when getSession rejects: fail with its reason then. */
function throwIfConsumerFailed(resultFile: string): void {
  const result = readResult(resultFile);
  if (result && !result.ok) throw new Error(`the consumer's getSession rejected: ${result.error ?? 'no reason given'}`);
}

/**
 * Step 4: our user-code modal shows the code the emulator holds; Copy & Open, then Approve on
 * the page that opens, as a person does: the emulator's page through code-server's port proxy.
 */
async function approveUserCode({ page, emulator, deadline, shots, resultFile, note }: ScenarioRun): Promise<void> {
  const userCode = await waitFor(
    'a pending user code on the emulator',
    () => {
      throwIfConsumerFailed(resultFile);
      return emulator.pendingUserCodes()[0];
    },
    deadline,
  );
  const dialog = userCodeDialog(page);
  await dialog.waitFor({ state: 'visible', timeout: remaining(deadline) });
  const codeMessage = squash(await dialog.innerText());
  if (!codeMessage.includes(USER_CODE_PREFIX) || !codeMessage.includes(userCode)) throw new Error(`the user-code modal says "${codeMessage}"`);
  await screenshot(page, path.join(shots, 'user-code.png'));
  note(`user code ${userCode} shown in a modal: "${codeMessage}"`);
  // VS Code's own device-code sign-ins poll once the code is taken: so does ours.
  await page.waitForTimeout(1_500);
  const early = emulator.requests('/v1/tokens').length;
  if (early !== 0) throw new Error(`${early} token request(s) while the modal was still open`);
  note('no token request while the modal is open');
  const { openedUrl, message } = await copyOpenAndApprove(page);
  assertThroughPortProxy(page, openedUrl, emulator.url);
  note(`clicked Copy & Open: ${openedUrl} opened, the emulator's page through code-server's port proxy; clicked Approve there: "${message}"`);
}

/** Step 5: the consumer says it got a session, for the right account and with a token. */
async function checkConsumerSession({ page, start, deadline, resultFile, note }: ScenarioRun): Promise<void> {
  await waitFor(
    `the notification "${GOT_SESSION}"`,
    async () => {
      throwIfConsumerFailed(resultFile);
      return (await notifications(page)).includes(GOT_SESSION) ? true : undefined;
    },
    deadline,
  );
  note(`consumer said "${GOT_SESSION}" after ${elapsed(start)}`);
  const result = await waitFor('the consumer\'s result file', () => readResult(resultFile), deadline);
  if (!result.ok) throw new Error(`the consumer got no session: ${result.error ?? 'no reason given'}`);
  if (result.account !== ACCOUNT) throw new Error(`the consumer's session is for "${result.account}", not ${ACCOUNT}`);
  if (result.hasAccessToken !== true) throw new Error('the consumer\'s session has no access token');
  note(`consumer's session: account ${result.account}, a non-empty access token, scopes ${JSON.stringify(result.scopes)}`);
  await waitFor(
    'the sign-in\'s progress notification to go',
    async () => ((await notifications(page)).some((text) => text.startsWith('Signing in')) ? undefined : true),
    deadline,
  );
  const left = await notifications(page);
  if (await page.locator('.monaco-dialog-box').isVisible()) throw new Error('the user-code modal is still open after the sign-in');
  note(`after the sign-in, on screen: ${JSON.stringify(left)} (no modal, no progress)`);
}

/** The emulator saw exactly one device authorization: one sign-in, however many callers. */
function checkOneDeviceAuthorization({ emulator, note }: ScenarioRun): void {
  const authorizations = emulator.requests('/v1/device/authorize').filter((request) => request.method === 'POST');
  if (authorizations.length !== 1) throw new Error(`the emulator received ${authorizations.length} POST /v1/device/authorize, expected exactly 1`);
  const registrations = emulator.requests('/v1/clients').filter((request) => request.method === 'POST').length;
  note(`the emulator received exactly one POST /v1/device/authorize (and ${registrations} POST /v1/clients)`);
}

/**
 * Step 6: the status bar shows the account, and the Accounts menu lists it under our
 * provider's label. Screenshots the menu, and copies the picture to `readmeScreenshot`
 * when one is given.
 */
async function checkAccountsMenu({ page, deadline, shots, note }: ScenarioRun, readmeScreenshot: string | false | undefined): Promise<void> {
  await clearNotifications(page, deadline);
  const status = page.locator('.statusbar-item', { hasText: ACCOUNT }).first();
  await status.waitFor({ state: 'visible', timeout: remaining(deadline) });
  note(`status bar shows "${squash(await status.innerText())}"`);

  await page.locator('.activitybar .action-item [aria-label*="Accounts"], .activitybar .action-item[aria-label*="Accounts"]').first().click({ timeout: remaining(deadline) });
  const menu = page.locator('.context-view .monaco-menu').first();
  await menu.waitFor({ state: 'visible', timeout: remaining(deadline) });
  const entry = menu.locator('.action-item', { hasText: ACCOUNT }).first();
  await entry.waitFor({ state: 'visible', timeout: Math.min(10_000, remaining(deadline)) }).catch(async () => {
    throw new Error(`the Accounts menu does not list ${ACCOUNT}; it shows: ${JSON.stringify(await menuItems(page))}`);
  });
  const entryText = squash(await entry.innerText());
  if (!entryText.includes('IAM Identity Center')) throw new Error(`the Accounts menu lists "${entryText}", without the provider's label IAM Identity Center`);
  // Open the account's submenu (Sign Out, trusted extensions) for the picture.
  await entry.hover();
  await page.locator('.context-view .monaco-menu').nth(1).waitFor({ state: 'visible', timeout: 3_000 }).catch(() => undefined);
  await settleAnimations(page, 3_000);
  note(`Accounts menu lists "${entryText}"; menu items: ${JSON.stringify(await menuItems(page))}`);
  const accountsShot = path.join(shots, 'signed-in-accounts.png');
  await screenshot(page, accountsShot);
  note(`screenshot: ${accountsShot}`);
  if (readmeScreenshot) {
    fs.mkdirSync(path.dirname(readmeScreenshot), { recursive: true });
    fs.copyFileSync(accountsShot, readmeScreenshot);
    note(`copied to ${readmeScreenshot}`);
  }
  await closeMenus(page, deadline);
}

/** Presses Escape until no context menu is open: the first closes the account's submenu only. */
async function closeMenus(page: Page, deadline: number): Promise<void> {
  const menus = page.locator('.context-view .monaco-menu');
  await waitFor(
    'the Accounts menu to close',
    async () => {
      if ((await menus.count()) === 0) return true;
      await page.keyboard.press('Escape');
      return undefined;
    },
    Math.min(deadline, Date.now() + 10_000),
  );
}

/**
 * Step 7: with a second profile in the user's settings the status bar names the window's
 * profile; the consumer's `getSession` with `profile:second` signs in to that profile, at its
 * own user portal, after VS Code's consent.
 */
async function askForSecondProfile({ page, emulator, deadline, resultFile, note }: ScenarioRun, userDataDir: string): Promise<void> {
  await editUserSettings(
    page,
    userDataDir,
    (settings) => {
      settings['iamIdentityCenter.profiles'] = { second: { endpoint: emulator.url, startUrl: `${emulator.url}/start-b`, portalEndpoint: emulator.url } };
    },
    remaining(deadline),
  );
  const status = page.locator('.statusbar-item', { hasText: `IAM Identity Center (default): ${ACCOUNT}` }).first();
  await status.waitFor({ state: 'visible', timeout: remaining(deadline) });
  note(`added the profile second in Preferences: Open User Settings (JSON); the status bar names the window's: "${squash(await status.innerText())}"`);

  fs.rmSync(resultFile, { force: true });
  await runCommand(page, PROFILE_COMMAND, remaining(deadline));
  const dialog = page.locator('.monaco-dialog-box', { hasText: 'wants to sign in' }).first();
  await dialog.waitFor({ state: 'visible', timeout: remaining(deadline) });
  await dialog.locator('.dialog-buttons-row .monaco-button', { hasText: /^\s*Allow\s*$/ }).first().click({ timeout: remaining(deadline) });
  await userCodeDialog(page).waitFor({ state: 'visible', timeout: remaining(deadline) });
  await copyOpenAndApprove(page);
  const label = `${ACCOUNT} (second)`;
  const result = await waitFor(
    `the consumer's session of the profile second`,
    () => {
      throwIfConsumerFailed(resultFile);
      return readResult(resultFile);
    },
    deadline,
  );
  if (result.account !== label || !result.scopes?.includes('profile:second')) throw new Error(`the consumer got ${JSON.stringify(result)}, not ${label} with the scope profile:second`);
  const authorizations = emulator.requests('/v1/device/authorize').filter((request) => request.method === 'POST');
  const startUrl = (authorizations[authorizations.length - 1]?.body as { start_url?: string } | undefined)?.start_url;
  if (authorizations.length !== 2 || startUrl !== `${emulator.url}/start-b`) throw new Error(`the second sign-in went to ${startUrl} (${authorizations.length} authorizations in all), not the profile's user portal`);
  note(`"${PROFILE_COMMAND}": consent, then a sign-in at ${startUrl}; the consumer's session is "${result.account}", scopes ${JSON.stringify(result.scopes)}`);
}

/** Notes why a scenario failed, what the window showed, and where the logs are. */
export async function noteFailure(
  error: unknown,
  { workbench, start, shots, userDataDir, note }: { workbench?: Workbench; start: number; shots: string; userDataDir: string; note: (line: string) => void },
): Promise<void> {
  const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
  note(`FAILED after ${elapsed(start)}: ${reason}`);
  if (workbench) {
    const shown = await notifications(workbench.page).catch(() => []);
    if (shown.length > 0) note(`notifications shown: ${JSON.stringify(shown.map(squash))}`);
    const failureShot = path.join(shots, 'failure.png');
    await screenshot(workbench.page, failureShot).then(
      () => note(`failure screenshot: ${failureShot}`),
      () => undefined,
    );
  }
  note(`code-server log: ${path.join(userDataDir, 'code-server.log')}; extension host log under ${path.join(userDataDir, 'logs')}`);
}

/** Our status bar item while signed out: there once the extension has activated. */
function signedOutStatusItem(page: Page) {
  return page.locator('.statusbar-item', { hasText: 'IAM Identity Center: Sign In' }).first();
}

/** Closes every notification toast, so the screenshot shows the status bar and the menu only. */
async function clearNotifications(page: Page, deadline: number): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications', remaining(deadline));
  await waitFor('the notifications to close', async () => ((await notifications(page)).length === 0 ? true : undefined), Math.min(deadline, Date.now() + 10_000));
}

/** The texts of the open context menus' entries. */
async function menuItems(page: Page): Promise<string[]> {
  const texts = await page.locator('.context-view .monaco-menu .action-item .action-label').allInnerTexts();
  return texts.map(squash).filter((text) => text.length > 0);
}

function readResult(file: string): ConsumerResult | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as ConsumerResult;
  } catch {
    return undefined;
  }
}

/** Polls `check` every 200 ms until it returns a value, up to the epoch-ms `deadline`. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, deadline: number): Promise<T> {
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Milliseconds left before `deadline`, at least 1 s so a last look is still possible. */
function remaining(deadline: number): number {
  return Math.max(1_000, deadline - Date.now());
}

function elapsed(start: number): string {
  return `${((Date.now() - start) / 1000).toFixed(1)}s`;
}

/** One line, single spaces. */
function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

if (require.main === module) {
  const { cacheDir, repoRoot } = realVscodePaths();
  const userDataDir = path.join(cacheDir, SCENARIO_NAME);
  const readmeScreenshot = process.argv.includes('--readme-screenshot') && path.join(repoRoot, README_ACCOUNTS_SCREENSHOT);
  runOtherExtensionScenario({ userDataDir, registerFirst: process.argv.includes('--register-first'), readmeScreenshot }).then(
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
