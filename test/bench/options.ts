/**
 * The bench's command line, and the settings it does not take from there.
 *
 * Options: `--json`, `--json-out=FILE` (the table on stdout, the JSON in FILE), `--check`,
 * `--activation-runs=N` (default 40), `--register-iterations=N` (default 1000),
 * `--vscode` (also time activation inside a real VS Code: code-server in headless
 * chromium, about three minutes), `--baseline=REV` (also time the cached activation side
 * by side with commit REV's build, `baseline.ts`).
 */

/** The added latency of the second register comparison, and its rounds. */
export const LATENCY_MS = 10;
export const LATENCY_ITERATIONS = 200;

/** What the command line asks for. */
export interface Options {
  json: boolean;
  check: boolean;
  activationRuns: number;
  registerIterations: number;
  vscode: boolean;
  /** Also write the JSON object to this file. */
  jsonOut?: string;
  /** A commit whose cached activation to time side by side with this checkout's. */
  baseline?: string;
}

export function parseOptions(argv: string[]): Options {
  const number = (name: string, fallback: number) => {
    const arg = argv.find((a) => a.startsWith(`--${name}=`));
    return arg ? Math.max(1, Number(arg.split('=')[1]) || fallback) : fallback;
  };
  return {
    json: argv.includes('--json'),
    check: argv.includes('--check'),
    activationRuns: number('activation-runs', 40),
    registerIterations: number('register-iterations', 1000),
    vscode: argv.includes('--vscode'),
    jsonOut: argv.find((a) => a.startsWith('--json-out='))?.slice('--json-out='.length),
    baseline: argv.find((a) => a.startsWith('--baseline='))?.slice('--baseline='.length),
  };
}

/** A progress line on stderr, unless the JSON alone is wanted. */
export function progress(options: Options, message: string): void {
  if (!options.json) process.stderr.write(`bench: ${message}\n`);
}
