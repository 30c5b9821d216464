/**
 * Packages a production build with vsce, the way `npm run package` does, but from a
 * scratch copy of the listing files and the given build, so dist/ (which tests may be
 * using) stays as it is. Used by the bench (`vsixBytes`) and the screenshot script
 * (which installs the package it measures).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The checkout's root. */
export const REPO = path.resolve(__dirname, '..', '..', '..');

/** Where the bench and the screenshot script keep their builds and profiles (git-ignored). */
export const WORK = path.join(REPO, '.bench');

/** The files besides the build that a package is made from (the rest is `.vscodeignore`'s business). */
const LISTING_FILES = ['package.json', 'package.nls.json', 'package.nls.zh-cn.json', 'README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore'];

/** A packaged extension. */
export interface PackagedVsix {
  file: string;
  bytes: number;
  /** `vsce ls`: the files that go into the package. */
  files: string[];
  /** vsce's warnings, and its note when one file is most of the package. */
  warnings: string[];
}

/** Builds the production bundles into `outdir` (and the metafile, when given). */
export function buildProduction(outdir: string, metafile?: string): void {
  const args = ['esbuild.js', '--production', `--outdir=${outdir}`, ...(metafile ? [`--metafile=${metafile}`] : [])];
  execFileSync(process.execPath, args, { cwd: REPO, stdio: 'inherit' });
}

/** Packages `buildDir` (as dist/) with the checkout's listing files into `out`. */
export function packageVsix(buildDir: string, out: string): PackagedVsix {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'iic-vsix-'));
  try {
    for (const file of LISTING_FILES) fs.copyFileSync(path.join(REPO, file), path.join(scratch, file));
    // All of images/, screenshots too, so `.vscodeignore` is what keeps them out.
    fs.cpSync(path.join(REPO, 'images'), path.join(scratch, 'images'), { recursive: true });
    fs.cpSync(path.join(REPO, 'l10n'), path.join(scratch, 'l10n'), { recursive: true });
    fs.cpSync(buildDir, path.join(scratch, 'dist'), { recursive: true });
    const vsce = path.join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce');
    const scratchOut = path.join(scratch, 'extension.vsix');
    // vsce asks before packaging without a repository field; answer no, so that is a failure.
    const packaged = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', scratchOut], { cwd: scratch, encoding: 'utf8', input: 'n\n' });
    const text = `${packaged.stdout}\n${packaged.stderr}`;
    if (packaged.status !== 0) throw new Error(`vsce package failed:\n${text}`);
    const listed = spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: scratch, encoding: 'utf8' });
    if (listed.status !== 0) throw new Error(`vsce ls failed:\n${listed.stdout}\n${listed.stderr}`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.copyFileSync(scratchOut, out);
    return {
      file: out,
      bytes: fs.statSync(out).size,
      files: listed.stdout.trim().split('\n').filter(Boolean),
      warnings: text
        .replace(/\u001b\[[0-9;]*m/g, '')
        .split('\n')
        .filter((line) => /WARNING|is large/.test(line))
        .map((line) => line.trim()),
    };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
