/**
 * The README's main job (`npm start`): the extension in a real VS Code (code-server)
 * against the local Identity Center emulator.
 *
 *   npm start                  serve VS Code on 127.0.0.1, print its URL, run until Ctrl-C
 *   npm start -- --headless    drive that VS Code in headless Chromium: Register Client,
 *                              Sign In, and Select Account and Agency from the command
 *                              palette, print what was registered and selected (never a
 *                              secret), then exit
 */
import * as fs from 'fs';
import * as path from 'path';
import { IdentityCenterEmulator } from '../test/support/emulator/emulator';
import { createSandbox, startCodeServer } from '../test/support/realVscode/codeServer';
import { ensureRealVscode } from '../test/support/realVscode/install';
import { createLog } from '../test/support/realVscode/log';
import { openAccountsView, selectAgencyFromPalette, signInFromPalette, waitFor } from '../test/support/realVscode/paletteFlows';
import { linkExtension, notifications, openWorkbench, runCommand, screenshot, typeIntoInputBox, writeUserSettings } from '../test/support/realVscode/workbench';

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
      'Open the VS Code URL in a browser, press F1 and run "IAM Identity Center: Register Client",',
      `then "IAM Identity Center: Sign In"; approve the code on the emulator's page (${emulator.url}/device).`,
      'Then "IAM Identity Center: Select Account and Agency", or the IAM Identity Center view in the activity bar;',
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
    await runCommand(page, 'IAM Identity Center: Register Client');
    await page.locator('.quick-input-widget .quick-input-box input').fill('');
    await typeIntoInputBox(page, 'Demo laptop');
    const request = await waitFor('the registration', () => emulator.requests('/v1/clients')[0]);
    const message = await waitFor('the confirmation', async () => (await notifications(page)).find((text) => text.startsWith('Registered client')));
    await screenshot(page, path.join(shots, 'registered.png'));
    process.stdout.write(`\nRegistered through the command palette (request body): ${JSON.stringify(request.body)}\n`);
    process.stdout.write(`VS Code said: ${message}\n`);

    const signedIn = await signInFromPalette(page, emulator, async (userCode) => {
      process.stdout.write(`Sign-in code shown in a modal: ${userCode}; Copy & Open, then approving it on the emulator\n`);
    });
    await page.locator('.statusbar-item', { hasText: 'test.user@example.com' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    process.stdout.write('The status bar shows the account.\n');
    await screenshot(page, path.join(shots, 'signed-in.png'));
    process.stdout.write(`VS Code said: ${signedIn}\n`);

    const selected = await selectAgencyFromPalette(page, 'staging', 'iic_Developer_51ce');
    process.stdout.write(`\nSelected from the command palette: account staging, agency iic_Developer_51ce\nVS Code said: ${selected}\n`);
    const [issued] = emulator.issuedCredentials();
    process.stdout.write(`The emulator issued credentials for ${issued.agencyUrn} in account ${issued.accountId}, ending ${new Date(issued.expiresAtMs).toISOString()} (values not shown)\n`);
    await openAccountsView(page, 'staging');
    await screenshot(page, path.join(shots, 'accounts-view.png'));
    process.stdout.write(`Screenshots: ${shots}\n`);
  } finally {
    await workbench.close();
  }
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
