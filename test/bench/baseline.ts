/**
 * `npm run bench -- --baseline=REV`: the cached activation of this checkout against the
 * production build of an earlier commit, side by side in one run: the two builds take
 * turns, one fresh process each, so both see the same machine load. The ratio of their
 * medians is the figure to quote on a noisy machine; each absolute time alone is not.
 *
 * REV is checked out into `.bench/baseline/src` (a detached git worktree) and built there
 * with this checkout's `node_modules`. Its bundles may be laid out as before the one lazy
 * bundle (`layout.ts`); either way a cached start must load nothing lazily and send
 * nothing, or the comparison is refused.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { legacySessionsKey } from '../../src/core/sessions/record';
import type { IdentityCenterEmulator } from '../support/emulator/emulator';
import type { ProbeInput, ProbeResult } from './activationProbe';
import { ACTIVATION_BUNDLE, bundleLayout, lazyFilesLoaded } from './layout';
import { activationProbeInput, filesLoaded, median, requireNoProblems, runProbe, sessionRecord } from './measure';
import { REPO, WORK } from './packageVsix';

/** One build's cached activation over the interleaved runs. */
export interface BaselineSide {
  /** Bytes of the files a cached activation loaded, and their names. */
  bytes: number;
  files: string[];
  /** Medians over the runs, ms: `require` + `activate()`, and each part; and the fastest run. */
  ms: number;
  requireMs: number;
  activateCallMs: number;
  minMs: number;
  /** Median CPU time of `require` + `activate()`, ms: less disturbed by other load. */
  cpuMs: number;
}

/** How the two compared. */
export interface BaselineComparison {
  /** The commit compared against (as given, and resolved). */
  baseline: string;
  baselineCommit: string;
  /** Bytes each cached activation loaded (`extension.js` alone in both layouts). */
  baselineBytes: number;
  currentBytes: number;
  /** Median `require` + `activate()` of each, milliseconds, over the same interleaved runs. */
  baselineMs: number;
  currentMs: number;
  /** currentMs ÷ baselineMs: above 1 is slower than the baseline. */
  ratio: number;
  /** The same ratio of CPU time. */
  cpuRatio: number;
  runs: number;
  /** The details of each side. */
  sides: { baseline: BaselineSide; current: BaselineSide };
  /** Requests the emulator saw during all the runs (a cached start sends none). */
  requests: number;
  /** One-minute load average before and after the runs (this machine has `cpus` cores). */
  loadAverage: { before: number; after: number; cpus: number };
}

/** Builds REV's production bundles; returns its build folder and the commit. */
function buildBaseline(rev: string): { dist: string; commit: string } {
  const commit = execFileSync('git', ['rev-parse', `${rev}^{commit}`], { cwd: REPO, encoding: 'utf8' }).trim();
  const source = path.join(WORK, 'baseline', 'src');
  const out = path.join(WORK, 'baseline', 'dist');
  fs.rmSync(source, { recursive: true, force: true });
  execFileSync('git', ['worktree', 'prune'], { cwd: REPO });
  execFileSync('git', ['worktree', 'add', '--detach', source, commit], { cwd: REPO, stdio: 'ignore' });
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(source, 'node_modules'), 'dir');
  execFileSync(process.execPath, ['esbuild.js', '--production', `--outdir=${out}`], { cwd: source, stdio: 'ignore' });
  return { dist: out, commit };
}

/**
 * A cached start for either build: a usable registration, and the session stored both
 * where this checkout keeps it (`sessionsKey(endpoint, startUrl)`) and where builds before
 * profiles did (`legacySessionsKey(endpoint)`, the old `sessionsKey(endpoint)`). Each build
 * reads its own key; both get the same store.
 */
function comparedInput(emulator: IdentityCenterEmulator, bundle: string): ProbeInput {
  const input = activationProbeInput(emulator, bundle);
  return { ...input, secrets: [...input.secrets, sessionRecord(emulator.url, legacySessionsKey(emulator.url))] };
}

/** The figures of one side; throws when a run loaded a lazy file or logged a problem (it was not a cached start). */
function side(dist: string, runs: ProbeResult[]): BaselineSide {
  requireNoProblems(`the cached activation of ${dist}`, runs);
  const files = filesLoaded(runs);
  const lazy = lazyFilesLoaded(bundleLayout(dist), files);
  if (lazy.length > 0) throw new Error(`the cached activation of ${dist} loaded ${lazy.join(', ')}: it is not a cached start, so the comparison would mislead`);
  return {
    bytes: files.reduce((sum, file) => sum + file.bytes, 0),
    files: files.map((file) => file.file),
    ms: median(runs.map((run) => run.requireMs + run.activateCallMs)),
    requireMs: median(runs.map((run) => run.requireMs)),
    activateCallMs: median(runs.map((run) => run.activateCallMs)),
    minMs: Math.min(...runs.map((run) => run.requireMs + run.activateCallMs)),
    cpuMs: median(runs.map((run) => run.cpuMs)),
  };
}

/** Interleaves `runs` cached activations of the baseline and the current build (in `currentDist`). */
export async function compareWithBaseline(emulator: IdentityCenterEmulator, currentDist: string, rev: string, runs: number): Promise<BaselineComparison> {
  const baseline = buildBaseline(rev);
  const dists = { baseline: baseline.dist, current: currentDist };
  const inputs = { baseline: comparedInput(emulator, path.join(dists.baseline, ACTIVATION_BUNDLE)), current: comparedInput(emulator, path.join(dists.current, ACTIVATION_BUNDLE)) };
  for (let i = 0; i < 3; i++) {
    await runProbe(inputs.baseline);
    await runProbe(inputs.current);
  }
  emulator.clearRequests();
  const loadBefore = os.loadavg()[0];
  const results: { baseline: ProbeResult[]; current: ProbeResult[] } = { baseline: [], current: [] };
  for (let i = 0; i < runs; i++) {
    // Alternate which goes first, so neither always follows the other's leftovers.
    const order = i % 2 === 0 ? (['baseline', 'current'] as const) : (['current', 'baseline'] as const);
    for (const which of order) results[which].push(await runProbe(inputs[which]));
  }
  const loadAfter = os.loadavg()[0];
  const sides = { baseline: side(dists.baseline, results.baseline), current: side(dists.current, results.current) };
  return {
    baseline: rev,
    baselineCommit: baseline.commit,
    baselineBytes: sides.baseline.bytes,
    currentBytes: sides.current.bytes,
    baselineMs: sides.baseline.ms,
    currentMs: sides.current.ms,
    ratio: sides.current.ms / sides.baseline.ms,
    cpuRatio: sides.current.cpuMs / sides.baseline.cpuMs,
    runs,
    sides,
    requests: emulator.requests().length,
    loadAverage: { before: loadBefore, after: loadAfter, cpus: os.cpus().length },
  };
}
