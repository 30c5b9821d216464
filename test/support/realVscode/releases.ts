/**
 * Packaged releases of the extension for upgrade tests: the `.vsix` of an earlier commit,
 * built once and kept under `.vscode-test/releases/` (a warm run reuses it), and the
 * `.vsix` of this checkout, built fresh each time from a scratch production build so
 * `dist/` (the development build the test phases load) stays as it is.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildProduction, packageVsix } from '../../bench/packageVsix';
import { realVscodePaths } from './install';
import type { Log } from './log';

/** Where the packaged releases are kept (git-ignored). */
function releasesDir(): string {
  return path.join(realVscodePaths().cacheDir, 'releases');
}

/**
 * The `.vsix` of commit `rev`, as `npm run package` made it there: its sources from git
 * (no checkout, no worktree), this checkout's `node_modules`, its own `esbuild.js` and
 * listing files. Built on the first call; later calls find the file and build nothing.
 */
export function releaseVsix(rev: string, log: Log): string {
  const { repoRoot } = realVscodePaths();
  const commit = execFileSync('git', ['rev-parse', `${rev}^{commit}`], { cwd: repoRoot, encoding: 'utf8' }).trim();
  const vsix = path.join(releasesDir(), `iam-identity-center-${commit.slice(0, 12)}.vsix`);
  if (fs.existsSync(vsix)) {
    log(`the release at ${commit.slice(0, 12)}: ${vsix} (cached)`);
    return vsix;
  }
  const source = path.join(releasesDir(), `src-${commit.slice(0, 12)}`);
  fs.rmSync(source, { recursive: true, force: true });
  fs.mkdirSync(source, { recursive: true });
  try {
    const archive = execFileSync('git', ['archive', '--format=tar', commit], { cwd: repoRoot, maxBuffer: 256 * 1024 * 1024 });
    execFileSync('tar', ['-x', '-C', source], { input: archive });
    fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(source, 'node_modules'), 'dir');
    execFileSync(process.execPath, ['esbuild.js', '--production'], { cwd: source, stdio: 'ignore' });
    const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
    const partial = `${vsix}.partial`;
    // vsce asks before packaging without a repository field; answer no, so that is a failure.
    const packaged = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', partial], { cwd: source, encoding: 'utf8', input: 'n\n' });
    if (packaged.status !== 0) throw new Error(`vsce package at ${commit} failed:\n${packaged.stdout}\n${packaged.stderr}`);
    fs.renameSync(partial, vsix);
  } finally {
    fs.rmSync(source, { recursive: true, force: true });
  }
  log(`the release at ${commit.slice(0, 12)}: built ${vsix}`);
  return vsix;
}

/** The `.vsix` of this checkout as it is now: a production build packaged the way `npm run package` does. */
export function currentVsix(log: Log): string {
  const build = path.join(releasesDir(), 'current-dist');
  buildProduction(build);
  const { file, bytes } = packageVsix(build, path.join(releasesDir(), 'iam-identity-center-current.vsix'));
  log(`this checkout: built ${file} (${bytes} B)`);
  return file;
}
