/**
 * The README's main job (`npm start`): the extension in a real VS Code (code-server)
 * against the local Identity Center emulator.
 *
 *   npm start                  serve VS Code on 127.0.0.1, print its URL, run until Ctrl-C
 *   npm start -- --headless    drive that VS Code in headless Chromium as a person would:
 *                              Sign In from the command palette (it registers a client by
 *                              itself), Copy & Open, Approve on the page that opens
 *                              (through code-server's port proxy), then Select Account and
 *                              Agency; print what it signed in with and selected (never a
 *                              secret), then exit
 */
import * as fs from 'fs';
import * as path from 'path';
import { IdentityCenterEmulator } from '../test/support/emulator/emulator';
import { createSandbox, startCodeServer } from '../test/support/realVscode/codeServer';
import { ensureRealVscode } from '../test/support/realVscode/install';
import { createLog } from '../test/support/realVscode/log';
import { assertThroughPortProxy, openAccountsView, selectAgencyFromPalette, signInFromPalette } from '../test/support/realVscode/paletteFlows';
import { linkExtension, openWorkbench, screenshot, writeUserSettings } from '../test/support/realVscode/workbench';

/** The checkout's root: this file runs as out/scripts/demo.js. */
const root = path.resolve(__dirname, '..', '..');
const log = createLog('demo');

async function serve(emulator: IdentityCenterEmulator, userDataDir: string): Promise<void> {
  const paths = await ensureRealVscode();
  const extensionsDir = path.join(userDataDir, 'extensions');
  linkExtension(root, extensionsDir);
  const sandbox = createSandbox(userDataDir);
  const server = await startCodeServer({ paths, userDataDir, extensionsDir, sandbox, smokeDriver: false, log });
  process.stdout.write(
    [
      '',
      `IAM Identity Center emulator: ${emulator.url}`,
      `VS Code (code-server):        ${server.origin}/`,
      '',
      'Open the VS Code URL in a browser, press F1 and run "IAM Identity Center: Sign In" (it registers a client by itself).',
      'Click "Copy & Open" in the dialog: the emulator\'s page opens in a new tab; click "Approve" there',
      `(or open ${emulator.url}/device yourself and enter the code).`,
      'Then run "IAM Identity Center: Select Account and Agency" (or use the IAM Identity Center view in the activity bar);',
      'new terminals get the agency\'s temporary credentials.',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.stop();
  sandbox.dispose();
}

async function driveHeadless(emulator: IdentityCenterEmulator, userDataDir: string): Promise<void> {
  const workbench = await openWorkbench({ extensionPath: root, userDataDir, headless: true });
  const shots = path.join(userDataDir, 'screenshots');
  try {
    const { page } = workbench;
    const signedIn = await signInFromPalette(page, emulator, async (userCode) => {
      await screenshot(page, path.join(shots, 'sign-in-code.png'));
      say(`\nRan "IAM Identity Center: Sign In" from the command palette; the modal shows the code ${userCode}.`);
    });
    assertThroughPortProxy(page, signedIn.openedUrl, emulator.url);
    const [registration] = emulator.requests('/v1/clients');
    say(`Sign In registered a client by itself (request body): ${JSON.stringify(registration.body)}`);
    say(`Copy & Open opened ${signedIn.openedUrl} (the emulator's page, through code-server's port proxy); clicked Approve there: "${signedIn.message}"`);
    await page.locator('.statusbar-item', { hasText: 'test.user@example.com' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, path.join(shots, 'signed-in.png'));
    say(`VS Code said: ${signedIn.notification}`);
    say(`The status bar shows the account. Signed in with start URL ${emulator.url}/start at ${emulator.url}.`);

    const selected = await selectAgencyFromPalette(page, 'staging', 'iic_Developer_51ce');
    say(`\nRan "IAM Identity Center: Select Account and Agency": account staging, agency iic_Developer_51ce`);
    say(`VS Code said: ${selected}`);
    const [issued] = emulator.issuedCredentials();
    say(`The emulator issued credentials for ${issued.agencyUrn} in account ${issued.accountId}, ending ${new Date(issued.expiresAtMs).toISOString()} (values not shown)`);
    await openAccountsView(page, 'staging');
    await screenshot(page, path.join(shots, 'accounts-view.png'));
    say(`Screenshots: ${shots}`);
    checkNothingSecretPrinted(emulator);
  } finally {
    await workbench.close();
  }
}

/** What the headless run printed, checked for secrets at its end. */
const printed: string[] = [];

function say(line: string): void {
  printed.push(line);
  process.stdout.write(`${line}\n`);
}

/** Fails the run when a secret the emulator issued (client secret, device code, token, access key) is in what it printed. */
function checkNothingSecretPrinted(emulator: IdentityCenterEmulator): void {
  const secrets = emulator.issuedSecrets();
  const leaked = secrets.filter((secret) => printed.some((line) => line.includes(secret))).length;
  if (leaked > 0) throw new Error(`${leaked} of the ${secrets.length} secrets the emulator issued were printed`);
  say(`Printed none of the ${secrets.length} secrets the emulator issued (client secret, device code, tokens, agency keys).`);
}

async function main(): Promise<void> {
  const headless = process.argv.includes('--headless');
  const emulator = await IdentityCenterEmulator.start();
  const userDataDir = path.join(root, '.vscode-test', headless ? 'demo-headless' : 'demo');
  if (headless) fs.rmSync(userDataDir, { recursive: true, force: true });
  writeUserSettings(userDataDir, emulator.url);
  try {
    if (headless) await driveHeadless(emulator, userDataDir);
    else await serve(emulator, userDataDir);
  } finally {
    await emulator.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(`failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    process.exit(1);
  },
);
