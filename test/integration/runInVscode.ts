/**
 * Runs the integration tests inside a real VS Code: code-server in headless chromium, through
 * `@vscode/test-electron`'s runTests and the `code` shim (test/support/realVscode). Offline: the
 * only traffic is on loopback.
 *
 * The tests run in phases, each a separate launch of VS Code. Phases that name the same
 * `userDataDir` share one profile, so a later phase sees what an earlier one stored, as after
 * a restart of VS Code. Each run gets a fresh folder `.vscode-test/runs/<timestamp>/`.
 *
 * Usage: `node out/test/integration/runInVscode.js [phase or scenario…]` (default: every phase
 * in order, then both scenarios; named, only those, the scenarios after the phases).
 * - `IIC_SUITE`, when set, replaces the chosen phases' suite glob, to run a few tests quickly.
 * - `IIC_TEST_SHARED_DIR`, when set, replaces the run's shared folder (see {@link runPhases}).
 */
import { runTests, TestRunFailedError } from '@vscode/test-electron';
import * as fs from 'fs';
import * as path from 'path';
import { IdentityCenterEmulator } from '../support/emulator/emulator';
import { ensureRealVscode } from '../support/realVscode/install';
import { runOtherExtensionScenario, SCENARIO_NAME, type ScenarioOutcome } from './scenarios/otherExtension';
import { OLD_RELEASE, runUpgradeScenario, UPGRADE_SCENARIO } from './scenarios/upgrade';
import type { SuiteResult } from './suite';

/** One launch of VS Code running part of the suite. */
export interface Phase {
  /** Names the phase in the logs and the summary, and selects it on the command line. */
  name: string;
  /** Which `*.test.js` files to run: a glob relative to `out/test/integration/suite`. */
  suite: string;
  /** The profile (settings, browser storage, secrets): a name, shared by phases naming it. */
  userDataDir: string;
  /** Environment variables for the extension host. */
  env?: Record<string, string>;
  /** Windows (pages of one browser) each running the suite in its own extension host; default 1. */
  windows?: number;
  /** The folder to open; default: an empty window. */
  folder?: string;
  /** The display language (code-server's `--locale`), e.g. `zh-cn`; default English. */
  locale?: string;
  /**
   * A folder the runner creates for the phase and opens, holding these workspace
   * settings (`.vscode/settings.json`), as a cloned repository would. Values are given
   * the run's environment (the emulators' URLs) to fill in.
   */
  workspaceSettings?: (env: Record<string, string>) => Record<string, unknown>;
  /**
   * User settings the profile holds before VS Code starts, as after a sync or an earlier
   * session. Values are given the run's environment to fill in.
   */
  userSettings?: (env: Record<string, string>) => Record<string, unknown>;
}

/**
 * What `npm run test:vscode` runs, in order. Tests belonging to a multi-phase scenario live in
 * a subfolder of the suite, which the top-level glob leaves out; a restart, for example:
 *
 *     { name: 'restart-store', suite: 'restart/store.test.js', userDataDir: 'restart' },
 *     { name: 'restart-check', suite: 'restart/check.test.js', userDataDir: 'restart' },
 */
export const PHASES: Phase[] = [
  { name: 'main', suite: '*.test.js', userDataDir: 'main' },
  // A window whose first terminal is a task's: see test/integration/suite/processRuns.ts, runTask.
  { name: 'tasks', suite: 'tasks/*.test.js', userDataDir: 'tasks' },
  {
    name: 'workspace-settings',
    suite: 'workspace/*.test.js',
    userDataDir: 'workspace',
    // A repository that tries to send the user's secrets to its own server.
    workspaceSettings: (env) => ({
      'iamIdentityCenter.endpoint': env.IIC_SECOND_EMULATOR_URL,
      'iamIdentityCenter.portalEndpoint': env.IIC_SECOND_EMULATOR_URL,
      'iamIdentityCenter.startUrl': `${env.IIC_EMULATOR_URL}/start-from-workspace`,
    }),
  },
  {
    name: 'workspace-profiles',
    suite: 'workspaceProfiles/*.test.js',
    userDataDir: 'workspace-profiles',
    userSettings: (env) => ({
      'iamIdentityCenter.endpoint': env.IIC_EMULATOR_URL,
      'iamIdentityCenter.portalEndpoint': env.IIC_EMULATOR_URL,
      'iamIdentityCenter.startUrl': `${env.IIC_EMULATOR_URL}/start`,
      'iamIdentityCenter.profiles': { second: { endpoint: env.IIC_EMULATOR_URL, startUrl: `${env.IIC_EMULATOR_URL}/start-b`, portalEndpoint: env.IIC_EMULATOR_URL } },
    }),
    // A repository that chooses one of the user's profiles, and tries to define its own and to redefine the user's.
    workspaceSettings: (env) => {
      const hostile = { endpoint: env.IIC_SECOND_EMULATOR_URL, startUrl: `${env.IIC_SECOND_EMULATOR_URL}/start`, portalEndpoint: env.IIC_SECOND_EMULATOR_URL };
      return { 'iamIdentityCenter.profile': 'second', 'iamIdentityCenter.profiles': { repository: hostile, second: hostile } };
    },
  },
  { name: 'zh-cn', suite: 'locale/*.test.js', userDataDir: 'zh-cn', locale: 'zh-cn' },
  // A fresh profile, so no walkthrough step is done before the test does it.
  { name: 'walkthrough', suite: 'walkthrough/*.test.js', userDataDir: 'walkthrough' },
  // A fresh profile whose settings were set before VS Code started.
  {
    name: 'walkthrough-preset',
    suite: 'walkthroughPreset/*.test.js',
    userDataDir: 'walkthrough-preset',
    userSettings: (env) => ({
      'iamIdentityCenter.endpoint': env.IIC_EMULATOR_URL,
      'iamIdentityCenter.startUrl': `${env.IIC_EMULATOR_URL}/start`,
    }),
  },
  { name: 'restart-register', suite: 'restart/1-*.test.js', userDataDir: 'restart' },
  { name: 'restart-reuse', suite: 'restart/2-*.test.js', userDataDir: 'restart' },
];

/** How one phase went. */
export interface PhaseOutcome {
  name: string;
  passed: boolean;
  seconds: number;
  /** Mocha's counts, summed over the windows, when the suite got far enough to write them. */
  result?: SuiteResult;
}

/** How many run folders to keep under `.vscode-test/runs`, the new one included. */
const KEEP_RUNS = 5;
/** The shim's exit code after Ctrl-C: the phases after it do not run. */
const EXIT_INTERRUPTED = 130;

/**
 * Runs `phases` in order, each in a fresh launch, and returns how each went. Every phase runs,
 * even after a failure, unless the run was interrupted (Ctrl-C). The extension host gets the
 * phase's `env` plus:
 * - `IIC_PHASE`: the phase's name;
 * - `IIC_TEST_SHARED_DIR`: a folder shared by the caller and all phases of the run;
 * - `IIC_SUITE`, `IIC_MOCHA_RESULT_DIR`: read by the suite's entry point.
 */
export async function runPhases(phases: Phase[], env: Record<string, string> = {}): Promise<{ runDir: string; outcomes: PhaseOutcome[] }> {
  const paths = await ensureRealVscode();
  warnIfUnbuilt(paths.repoRoot);
  const runDir = createRunDir(path.join(paths.cacheDir, 'runs'));
  const sharedDir = process.env.IIC_TEST_SHARED_DIR || path.join(runDir, 'shared');
  const resultsDir = path.join(runDir, 'results');
  fs.mkdirSync(sharedDir, { recursive: true });
  fs.mkdirSync(resultsDir, { recursive: true });
  process.stderr.write(`test run folder: ${runDir}\n`);

  const outcomes: PhaseOutcome[] = [];
  for (const phase of phases) {
    process.stderr.write(`\n=== phase ${phase.name}: ${phase.suite} (profile ${phase.userDataDir})\n`);
    const resultDir = path.join(resultsDir, phase.name);
    const extensionEnvironment = {
      ...env,
      ...phase.env,
      IIC_PHASE: phase.name,
      IIC_SUITE: phase.suite,
      IIC_TEST_SHARED_DIR: sharedDir,
      IIC_MOCHA_RESULT_DIR: resultDir,
    };
    const profileDir = path.join(runDir, 'profiles', phase.userDataDir);
    if (phase.userSettings) writeUserSettings(profileDir, phase.userSettings(extensionEnvironment));
    const folder = phase.workspaceSettings ? createWorkspace(runDir, phase.name, phase.workspaceSettings(extensionEnvironment)) : phase.folder && path.resolve(paths.repoRoot, phase.folder);
    const start = Date.now();
    let passed: boolean;
    let interrupted = false;
    try {
      await runTests({
        vscodeExecutablePath: path.join(paths.repoRoot, 'test', 'support', 'realVscode', 'code'),
        extensionDevelopmentPath: paths.repoRoot,
        extensionTestsPath: path.join(paths.repoRoot, 'out', 'test', 'integration', 'suite', 'index'),
        launchArgs: [
          `--user-data-dir=${profileDir}`,
          `--extensions-dir=${path.join(runDir, 'extensions')}`,
          ...(folder ? [folder] : []),
        ],
        extensionTestsEnv: {
          IIC_EXTENSION_ENV: JSON.stringify(extensionEnvironment),
          IIC_SHIM_WINDOWS: String(phase.windows ?? 1),
          ...(phase.locale ? { IIC_SHIM_LOCALE: phase.locale } : {}),
        },
      });
      passed = true;
    } catch (error) {
      process.stderr.write(`phase ${phase.name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
      passed = false;
      interrupted = error instanceof TestRunFailedError && error.code === EXIT_INTERRUPTED;
    }
    outcomes.push({ name: phase.name, passed, seconds: (Date.now() - start) / 1000, result: readResults(resultDir) });
    if (interrupted) {
      break;
    }
  }
  return { runDir, outcomes };
}

/**
 * Files under `dir` whose bytes contain any of `secrets`: after a run, every secret
 * the emulator issued must be found nowhere, since VS Code's secret storage keeps
 * them encrypted.
 */
export function filesContaining(dir: string, secrets: string[]): string[] {
  const found: string[] = [];
  const needles = secrets.map((secret) => Buffer.from(secret, 'utf8'));
  const visit = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.isFile() && needles.length > 0) {
        const bytes = fs.readFileSync(full);
        if (needles.some((needle) => bytes.includes(needle))) found.push(path.relative(dir, full));
      }
    }
  };
  visit(dir);
  return found;
}

/** Creates `<runDir>/workspaces/<name>` with `.vscode/settings.json` holding `settings`; returns its path. */
function createWorkspace(runDir: string, name: string, settings: Record<string, unknown>): string {
  const folder = path.join(runDir, 'workspaces', name);
  fs.mkdirSync(path.join(folder, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(folder, '.vscode', 'settings.json'), `${JSON.stringify(settings, undefined, 2)}\n`);
  return folder;
}

/** Writes `settings` into the profile's user settings (the code shim adds its own to them). */
function writeUserSettings(profileDir: string, settings: Record<string, unknown>): void {
  const file = path.join(profileDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(settings, undefined, 2)}\n`);
}

/** A summary table of the outcomes, one line a phase. */
export function formatSummary(outcomes: PhaseOutcome[]): string {
  const width = Math.max(5, ...outcomes.map((outcome) => outcome.name.length));
  const lines = outcomes.map(({ name, passed, seconds, result }) => {
    const counts = result
      ? `${result.passes} passed, ${result.failures} failed, ${result.pending} pending`
      : 'no mocha result';
    return `${name.padEnd(width)}  ${passed ? 'pass' : 'FAIL'}  ${seconds.toFixed(1).padStart(6)}s  ${counts}`;
  });
  const failedTests = outcomes.flatMap(({ name, result }) =>
    (result?.failed ?? []).map((title) => `  ${name}: ${title}`),
  );
  const header = `${'phase'.padEnd(width)}  ${'ok'.padEnd(4)}  ${'time'.padStart(7)}  tests`;
  return [header, ...lines, ...failedTests].join('\n');
}

/**
 * The scenarios driven from outside VS Code, run after the phases: another extension's
 * sign-in, and an upgrade from the release before profiles. Each gets a profile folder in the
 * run folder and the phases' emulator (reset, its issued secrets kept), so the secret scan
 * covers them too.
 */
const SCENARIOS: Array<{ name: string; heading: string; run: (userDataDir: string, emulator: IdentityCenterEmulator) => Promise<ScenarioOutcome> }> = [
  {
    name: SCENARIO_NAME,
    heading: "another extension's getSession, driven like a person",
    run: (userDataDir, emulator) => runOtherExtensionScenario({ userDataDir, emulator, readmeScreenshot: false }),
  },
  {
    name: UPGRADE_SCENARIO,
    heading: `signed in with the release at ${OLD_RELEASE}, upgraded to this checkout's .vsix`,
    run: (userDataDir, emulator) => runUpgradeScenario({ userDataDir, emulator }),
  },
];

function selectPhasesAndScenarios(names: string[]): { phases: Phase[]; scenarios: typeof SCENARIOS } {
  if (names.length === 0) {
    return { phases: PHASES, scenarios: SCENARIOS };
  }
  const known = [...PHASES, ...SCENARIOS].map((item) => item.name);
  for (const name of names) {
    if (!known.includes(name)) {
      throw new Error(`no phase or scenario ${name}; phases: ${PHASES.map((phase) => phase.name).join(', ')}; scenarios: ${SCENARIOS.map((scenario) => scenario.name).join(', ')}`);
    }
  }
  return { phases: PHASES.filter((phase) => names.includes(phase.name)), scenarios: SCENARIOS.filter((scenario) => names.includes(scenario.name)) };
}

/** Creates `<runsDir>/<timestamp>`, removing all but the newest older runs. */
function createRunDir(runsDir: string): string {
  fs.mkdirSync(runsDir, { recursive: true });
  const older = fs.readdirSync(runsDir).sort();
  for (const name of older.slice(0, Math.max(0, older.length - (KEEP_RUNS - 1)))) {
    fs.rmSync(path.join(runsDir, name), { recursive: true, force: true });
  }
  const runDir = path.join(runsDir, new Date().toISOString().replace(/[:.]/g, '-'));
  fs.mkdirSync(runDir);
  return runDir;
}

/** Sums what the windows of a phase wrote; a window's failed tests are named after it. */
function readResults(dir: string): SuiteResult | undefined {
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
  if (files.length === 0) {
    return undefined;
  }
  const total: SuiteResult = { passes: 0, failures: 0, pending: 0, failed: [] };
  for (const file of files) {
    const result = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as SuiteResult;
    const window = files.length > 1 ? `[${path.basename(file, '.json')}] ` : '';
    total.passes += result.passes;
    total.failures += result.failures;
    total.pending += result.pending;
    total.failed.push(...result.failed.map((title) => `${window}${title}`));
  }
  return total;
}

function warnIfUnbuilt(repoRoot: string): void {
  const { main } = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { main: string };
  if (!fs.existsSync(path.join(repoRoot, main))) {
    process.stderr.write(`warning: ${main} is missing, so the extension cannot activate: run \`node esbuild.js\`\n`);
  }
}

/** A scenario's outcome as a row of the summary: one test, passed or failed with its reason. */
function scenarioOutcome(scenario: ScenarioOutcome): PhaseOutcome {
  const reason = scenario.details.find((line) => line.startsWith('FAILED')) ?? 'failed';
  return {
    name: scenario.name,
    passed: scenario.passed,
    seconds: scenario.seconds,
    result: { passes: scenario.passed ? 1 : 0, failures: scenario.passed ? 0 : 1, pending: 0, failed: scenario.passed ? [] : [reason] },
  };
}

if (require.main === module) {
  (async () => {
    const suite = process.env.IIC_SUITE;
    const selected = selectPhasesAndScenarios(process.argv.slice(2));
    const phases = selected.phases.map((phase) => (suite ? { ...phase, suite } : phase));
    const emulator = await IdentityCenterEmulator.start();
    // Another service, for the tests that prove nothing but the user's settings can send secrets there.
    const secondEmulator = await IdentityCenterEmulator.start();
    let outcomes: PhaseOutcome[];
    let leaks: string[];
    let secretCount: number;
    const scenarioDetails: string[] = [];
    try {
      const run = await runPhases(phases, { IIC_EMULATOR_URL: emulator.url, IIC_SECOND_EMULATOR_URL: secondEmulator.url });
      outcomes = run.outcomes;
      // The scenarios, unless the phases were interrupted.
      const scenarios = outcomes.length === phases.length ? selected.scenarios : [];
      for (const { name, heading, run: runScenario } of scenarios) {
        process.stderr.write(`\n=== scenario ${name}: ${heading}\n`);
        const scenario = await runScenario(path.join(run.runDir, 'profiles', name), emulator);
        outcomes.push(scenarioOutcome(scenario));
        scenarioDetails.push(`${scenario.name}:`, ...scenario.details.map((line) => `  ${line}`));
      }
      const secrets = [...emulator.issuedSecrets(), ...secondEmulator.issuedSecrets()];
      secretCount = secrets.length;
      leaks = filesContaining(run.runDir, secrets);
    } finally {
      await Promise.all([emulator.close(), secondEmulator.close()]);
    }
    if (scenarioDetails.length > 0) process.stdout.write(`\n${scenarioDetails.join('\n')}\n`);
    process.stdout.write(`\n${formatSummary(outcomes)}\n`);
    process.stdout.write(`secrets at rest: scanned the run folder (profiles, logs, settings, browser storage) for ${secretCount} issued secrets: ${leaks.length === 0 ? 'none found' : `FOUND in ${leaks.join(', ')}`}\n`);
    const passes = outcomes.reduce((sum, outcome) => sum + (outcome.result?.passes ?? 0), 0);
    const failures = outcomes.reduce((sum, outcome) => sum + (outcome.result?.failures ?? 0), 0) + (leaks.length > 0 ? 1 : 0);
    const allPassed = outcomes.every((outcome) => outcome.passed) && leaks.length === 0;
    process.stdout.write(`integration: ${passes} passed, ${allPassed ? failures : Math.max(1, failures)} failed\n`);
    process.exitCode = allPassed ? 0 : 1;
  })().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
