/**
 * `npm run bench -- --baseline=REV`: the cached activation of this checkout against the
 * production build of an earlier commit, side by side in one run: the two bundles take
 * turns, one fresh process each, so both see the same machine load. The ratio of their
 * medians is the figure to quote on a noisy machine; each absolute time alone is not.
 *
 * REV is checked out into `.bench/baseline/src` (a detached git worktree) and built there
 * with this checkout's `node_modules`.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IdentityCenterEmulator } from '../support/emulator/emulator';
import { activationProbeInput, median, runProbe } from './measure';
import { REPO, WORK } from './packageVsix';

/** How the two compared. */
export interface BaselineComparison {
  /** The commit compared against (as given, and resolved). */
  baseline: string;
  baselineCommit: string;
  /** Bytes of each activation bundle. */
  baselineBytes: number;
  currentBytes: number;
  /** Median `require` + `activate()` of each, milliseconds, over the same interleaved runs. */
  baselineMs: number;
  currentMs: number;
  /** currentMs ÷ baselineMs. */
  ratio: number;
  runs: number;
}

/** Builds REV's production bundle; returns its `extension.js` and the commit. */
function buildBaseline(rev: string): { bundle: string; commit: string } {
  const commit = execFileSync('git', ['rev-parse', `${rev}^{commit}`], { cwd: REPO, encoding: 'utf8' }).trim();
  const source = path.join(WORK, 'baseline', 'src');
  const out = path.join(WORK, 'baseline', 'dist');
  fs.rmSync(source, { recursive: true, force: true });
  execFileSync('git', ['worktree', 'prune'], { cwd: REPO });
  execFileSync('git', ['worktree', 'add', '--detach', source, commit], { cwd: REPO, stdio: 'ignore' });
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(source, 'node_modules'), 'dir');
  execFileSync(process.execPath, ['esbuild.js', '--production', `--outdir=${out}`], { cwd: source, stdio: 'ignore' });
  return { bundle: path.join(out, 'extension.js'), commit };
}

/** Interleaves `runs` cached activations of the baseline and the current build. */
export async function compareWithBaseline(emulator: IdentityCenterEmulator, currentBundle: string, rev: string, runs: number): Promise<BaselineComparison> {
  const baseline = buildBaseline(rev);
  const inputs = { baseline: activationProbeInput(emulator, baseline.bundle), current: activationProbeInput(emulator, currentBundle) };
  for (let i = 0; i < 3; i++) {
    await runProbe(inputs.baseline);
    await runProbe(inputs.current);
  }
  const times: { baseline: number[]; current: number[] } = { baseline: [], current: [] };
  for (let i = 0; i < runs; i++) {
    // Alternate which goes first, so neither always follows the other's leftovers.
    const order = i % 2 === 0 ? (['baseline', 'current'] as const) : (['current', 'baseline'] as const);
    for (const which of order) {
      const result = await runProbe(inputs[which]);
      times[which].push(result.requireMs + result.activateCallMs);
    }
  }
  const baselineMs = median(times.baseline);
  const currentMs = median(times.current);
  return {
    baseline: rev,
    baselineCommit: baseline.commit,
    baselineBytes: fs.statSync(baseline.bundle).size,
    currentBytes: fs.statSync(currentBundle).size,
    baselineMs,
    currentMs,
    ratio: currentMs / baselineMs,
    runs,
  };
}
