/**
 * Activation timed inside a real VS Code (code-server 4.139.1, VS Code 1.139.1), as
 * the extension host itself measures it: **Developer: Startup Performance** lists,
 * per extension, Load Code (`require`), Call Activate (`activate()` until it
 * returns) and Finish Activate (until its promise settles); **Show Running
 * Extensions** shows Load Code + Call Activate. `npm run bench -- --vscode`; about
 * three minutes.
 *
 * The production `.vsix` is installed in a fresh profile, beside a control extension
 * whose `activate()` is empty (same activation event); Register Client and Sign In
 * run from the palette (so a registration and a session are stored); then the window
 * is reloaded `reloads` times. Each reload starts a new extension host that activates
 * on the cached path; the emulator counts what reaches it meanwhile.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { IdentityCenterEmulator } from '../support/emulator/emulator';
import { openRegisterInput, signInFromPalette, statusItem, waitFor, waitForNotification } from '../support/realVscode/paletteFlows';
import { writeUserSettings } from '../support/realVscode/workbench';
import { spawnSync } from 'node:child_process';
import { installVsix } from '../support/realVscode/codeServer';
import { ensureRealVscode } from '../support/realVscode/install';
import { openWorkbench, runCommand, type Workbench } from '../support/realVscode/workbench';
import type { VscodeActivation } from './report';
import { packageVsix, REPO, WORK } from './packageVsix';

/** How long after the window shows the signed-in state a late request is still counted. */
const LINGER_MS = 3000;

/** Our extension's id, as the activation table names it. */
const EXTENSION_ID = 'iam-identity-center.iam-identity-center';

/** The control: an extension whose `activate()` does nothing, on the same event as ours. */
const BASELINE_ID = 'bench.activation-baseline';

/**
 * Packages the control extension: an empty `activate()`, activated on
 * `onStartupFinished` like ours, so its figures show what the same window charges any
 * extension at that moment (other extensions activate alongside on the same thread).
 */
function packageBaseline(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const manifest = {
    name: 'activation-baseline',
    displayName: 'Activation baseline',
    description: 'An empty extension, activated on onStartupFinished, for the bench.',
    publisher: 'bench',
    version: '0.0.1',
    license: 'MIT',
    repository: { type: 'git', url: 'https://example.invalid/activation-baseline.git' },
    engines: { vscode: '^1.74.0' },
    activationEvents: ['onStartupFinished'],
    main: './extension.js',
  };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  fs.writeFileSync(path.join(dir, 'extension.js'), "'use strict';\nexports.activate = function () {};\nexports.deactivate = function () {};\n");
  fs.writeFileSync(path.join(dir, 'README.md'), '# Activation baseline\n\nThe control of the activation bench: it does nothing.\n');
  fs.writeFileSync(path.join(dir, 'LICENSE'), 'MIT\n');
  fs.writeFileSync(path.join(dir, '.vscodeignore'), '');
  const out = path.join(dir, 'activation-baseline.vsix');
  const vsce = path.join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce');
  const packaged = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', out], { cwd: dir, encoding: 'utf8', input: 'n\n' });
  if (packaged.status !== 0) throw new Error(`vsce package (baseline) failed:\n${packaged.stdout}\n${packaged.stderr}`);
  return out;
}

/** One row of "Extension Activation Stats": VS Code's own timings of one activation, ms. */
export interface ActivationStat {
  extension: string;
  loadCodeMs: number;
  callActivateMs: number;
  finishActivateMs: number;
  event: string;
}

/**
 * Reads the "Extension Activation Stats" table of **Developer: Startup Performance**
 * (the extension host's own timings) by copying the document: Ctrl+A, Ctrl+C, and the
 * clipboard. Waits until our extension has a row.
 */
async function activationStats(page: Page): Promise<ActivationStat[]> {
  await runCommand(page, 'Developer: Startup Performance');
  const editor = page.locator('.editor-instance .monaco-editor .view-lines').first();
  await editor.waitFor({ state: 'visible' });
  return waitFor(
    'our row in Extension Activation Stats',
    async () => {
      await editor.click();
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Control+C');
      // Runs in the page, where `navigator` exists (this file is compiled for node).
      const text = await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText());
      const stats = parseActivationStats(text);
      return stats.some((stat) => stat.extension === EXTENSION_ID) ? stats : undefined;
    },
    30_000,
  );
}

/** Parses the markdown table under "## Extension Activation Stats". */
export function parseActivationStats(markdown: string): ActivationStat[] {
  const section = markdown.split('## Extension Activation Stats')[1] ?? '';
  const stats: ActivationStat[] = [];
  for (const line of section.split('\n')) {
    if (line.startsWith('## ')) break;
    const cells = line.split('|').map((cell) => cell.trim());
    // | Extension | Eager | Load Code | Call Activate | Finish Activate | Event | By |
    if (cells.length < 8 || !/^\d+$/.test(cells[3])) continue;
    stats.push({ extension: cells[1], loadCodeMs: Number(cells[3]), callActivateMs: Number(cells[4]), finishActivateMs: Number(cells[5]), event: cells[6] });
  }
  return stats;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Measures, or says why it could not. */
export async function measureInRealVscode(buildDir: string, reloads = 5): Promise<VscodeActivation> {
  const method =
    `VS Code's own timings (Developer: Startup Performance, "Extension Activation Stats"; Show Running Extensions shows Load Code + Call Activate), ` +
    `production .vsix installed in code-server 4.139.1 (VS Code 1.139.1), median of ${reloads} window reloads with a stored registration and session`;
  const root = path.join(WORK, 'vscode-activation');
  fs.rmSync(root, { recursive: true, force: true });
  let workbench: Workbench | undefined;
  const emulator = await IdentityCenterEmulator.start();
  try {
    const vsix = packageVsix(buildDir, path.join(root, 'iam-identity-center.vsix'));
    const userDataDir = path.join(root, 'profile');
    writeUserSettings(userDataDir, emulator.url);
    const extensionsDir = path.join(userDataDir, 'extensions');
    await installVsix(await ensureRealVscode(), packageBaseline(path.join(root, 'baseline')), { userDataDir, extensionsDir });
    workbench = await openWorkbench({ vsixPath: vsix.file, userDataDir, headless: true });
    const { page } = workbench;
    await statusItem(page).waitFor({ state: 'visible', timeout: 90_000 });
    await openRegisterInput(page, 'Bench laptop');
    await page.keyboard.press('Enter');
    await waitForNotification(page, 'Registered client');
    await signInFromPalette(page, emulator);

    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
    const ours: ActivationStat[] = [];
    const baseline: ActivationStat[] = [];
    /** Ours minus the empty extension, window by window: what ours costs above that window's floor. */
    const overBaseline: number[] = [];
    const others = new Map<string, number[]>();
    let requests = 0;
    for (let i = 0; i < reloads; i++) {
      emulator.clearRequests();
      await page.reload();
      await page.locator('.monaco-workbench').waitFor({ state: 'visible' });
      await statusItem(page).filter({ hasText: 'test.user@example.com' }).waitFor({ state: 'visible', timeout: 90_000 });
      await new Promise((resolve) => setTimeout(resolve, LINGER_MS));
      requests += emulator.requests().length;
      const stats = await activationStats(page);
      for (const stat of stats) {
        if (stat.extension === EXTENSION_ID) ours.push(stat);
        else if (stat.extension === BASELINE_ID) baseline.push(stat);
        else others.set(stat.extension, [...(others.get(stat.extension) ?? []), stat.loadCodeMs + stat.callActivateMs]);
      }
      const mine = stats.find((stat) => stat.extension === EXTENSION_ID);
      const control = stats.find((stat) => stat.extension === BASELINE_ID);
      if (mine && control) overBaseline.push(mine.loadCodeMs + mine.callActivateMs - (control.loadCodeMs + control.callActivateMs));
    }
    const totals = ours.map((stat) => stat.loadCodeMs + stat.callActivateMs);
    return {
      method,
      activationMs: median(totals),
      loadCodeMs: median(ours.map((stat) => stat.loadCodeMs)),
      callActivateMs: median(ours.map((stat) => stat.callActivateMs)),
      finishActivateMs: median(ours.map((stat) => stat.finishActivateMs)),
      samplesMs: totals,
      baselineMs: median(baseline.map((stat) => stat.loadCodeMs + stat.callActivateMs)),
      baselineSamplesMs: baseline.map((stat) => stat.loadCodeMs + stat.callActivateMs),
      overBaselineMs: overBaseline.length > 0 ? median(overBaseline) : undefined,
      requestsDuringActivation: requests,
      othersMs: Object.fromEntries([...others].map(([name, samples]) => [name, median(samples)])),
    };
  } catch (error) {
    await workbench?.page.screenshot({ path: path.join(root, 'failure.png') }).catch(() => undefined);
    return { method, error: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  } finally {
    await workbench?.close();
    await emulator.close();
  }
}
