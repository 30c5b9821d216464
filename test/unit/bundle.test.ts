/**
 * The Marketplace bundle, built as `npm run package` builds it: the Test-mode seams are
 * not in it, and the activation bundle carries none of the lazily loaded side. The
 * development build is checked alike, so these tests can tell a seam that is present.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '..', '..', '..');

/** Builds with esbuild.js into a temporary folder; returns the text of each bundle. */
function build(production: boolean): { extension: string; transport: string } {
  const outdir = mkdtempSync(join(tmpdir(), 'iic-bundle-'));
  try {
    execFileSync(process.execPath, ['esbuild.js', ...(production ? ['--production'] : []), `--outdir=${outdir}`], { cwd: REPO, stdio: 'pipe' });
    return { extension: readFileSync(join(outdir, 'extension.js'), 'utf8'), transport: readFileSync(join(outdir, 'transport.js'), 'utf8') };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The names of the Test-mode hooks, read from their interface, and the seams' own names. */
function seamNames(): string[] {
  const source = readFileSync(join(REPO, 'src', 'vscode', 'testSeams.ts'), 'utf8');
  const hooks = source.slice(source.indexOf('export interface TestingHooks'), source.indexOf('/** The seams of one Test-mode'));
  const methods = [...hooks.matchAll(/^ {2}([a-zA-Z]+)\(/gm)].map((match) => match[1]);
  assert.ok(methods.length >= 8, `read the hook names: ${methods.join(', ')}`);
  return [...methods, 'AdjustableClock', 'switchableSleep', 'instantSleep', 'createTestSeams'];
}

/** Strings only the lazily loaded side has: its messages and undici's. */
const LAZY_ONLY = ['The device authorization response', 'The registration response', 'invalid opts.path', 'Proxy response ('];

describe('bundles', function () {
  this.timeout(60_000);
  let production: { extension: string; transport: string };
  let development: { extension: string; transport: string };
  before(() => {
    production = build(true);
    development = build(false);
  });

  it('the development build carries the Test-mode seams (so the next test can fail)', () => {
    for (const name of seamNames()) assert.ok(development.extension.includes(name), name);
  });

  it('the Marketplace build has none of the Test-mode hooks or seams', () => {
    for (const name of seamNames()) assert.ok(!production.extension.includes(name), `dist/extension.js contains ${name}`);
    assert.ok(!production.extension.includes('IIC_TEST_HOOKS'));
  });

  it('the activation bundle carries nothing of the lazily loaded side', () => {
    for (const text of LAZY_ONLY) {
      assert.ok(production.transport.includes(text), `the lazy bundle has "${text}"`);
      assert.ok(!production.extension.includes(text), `the activation bundle has "${text}"`);
    }
  });
});
