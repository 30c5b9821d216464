/**
 * The extension tests' entry point, loaded by the extension host as `extensionTestsPath`: runs
 * mocha (bdd) over the compiled `*.test.js` files of this folder inside the real VS Code.
 *
 * Environment (set by runInVscode through the extension environment):
 * - `IIC_SUITE`: a glob, relative to this folder, choosing among the `*.test.js` files; default:
 *   all of them, at any depth.
 * - `IIC_MOCHA_RESULT_DIR`: where to write the counts, as JSON ({@link SuiteResult}), in a file
 *   named after the window (`IIC_WINDOW_INDEX`, set by the code shim): `window-0.json`, ….
 */
import * as fs from 'fs';
import Mocha from 'mocha';
import * as path from 'path';

/** What a run wrote to `IIC_MOCHA_RESULT_DIR`. */
export interface SuiteResult {
  passes: number;
  failures: number;
  pending: number;
  /** Full titles of the failed tests. */
  failed: string[];
}

/** Called by the extension host; rejects when a test failed or no test file matched. */
export async function run(): Promise<void> {
  const suite = process.env.IIC_SUITE || '**/*.test.js';
  const files = fs
    .readdirSync(__dirname, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.js') && path.matchesGlob(file, suite))
    .sort();
  if (files.length === 0) {
    throw new Error(`no test file in ${__dirname} matches ${suite}`);
  }
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false });
  for (const file of files) {
    mocha.addFile(path.join(__dirname, file));
  }
  const result = await new Promise<SuiteResult>((resolve) => {
    const failed: string[] = [];
    const runner = mocha.run();
    runner.on('fail', (test) => failed.push(test.fullTitle()));
    runner.on('end', () => {
      const { passes = 0, failures = 0, pending = 0 } = runner.stats ?? {};
      resolve({ passes, failures, pending, failed });
    });
  });
  const resultDir = process.env.IIC_MOCHA_RESULT_DIR;
  if (resultDir) {
    fs.mkdirSync(resultDir, { recursive: true });
    const file = path.join(resultDir, `window-${process.env.IIC_WINDOW_INDEX ?? 0}.json`);
    fs.writeFileSync(file, JSON.stringify(result));
  }
  if (result.failures > 0) {
    throw new Error(`${result.failures} test(s) failed`);
  }
}
