/**
 * The Marketplace bundles, built as `npm run package` builds them: the Test-mode seams
 * are not in them, and the activation bundle carries none of the lazily loaded ones. The
 * development build is checked alike, so these tests can tell a seam that is present.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '..', '..', '..');

/** Builds with esbuild.js into a temporary folder; returns the text of each bundle. */
function build(production: boolean): { extension: string; lazy: string } {
  const outdir = mkdtempSync(join(tmpdir(), 'iic-bundle-'));
  try {
    execFileSync(process.execPath, ['esbuild.js', ...(production ? ['--production'] : []), `--outdir=${outdir}`], { cwd: REPO, stdio: 'pipe' });
    const read = (name: string) => readFileSync(join(outdir, name), 'utf8');
    return { extension: read('extension.js'), lazy: read('lazy.js') };
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

/** Strings only the lazily loaded bundle has: its messages, its prompts, the record writers' and undici's. */
const LAZY_ONLY = [
  'The device authorization response',
  'The registration response',
  'invalid opts.path',
  'Proxy response (',
  'repeats a page marker',
  'Select an agency in',
  'Registering the client with IAM Identity Center',
  'choose the region',
  'Copy & Open',
  'renewal-lease',
  'could not be stored twice over',
];

describe('bundles', function () {
  this.timeout(60_000);
  let production: ReturnType<typeof build>;
  let development: ReturnType<typeof build>;
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

  it('the activation bundle carries nothing of the lazily loaded bundle', () => {
    for (const text of LAZY_ONLY) {
      assert.ok(production.lazy.includes(text), `lazy.js has "${text}"`);
      assert.ok(!production.extension.includes(text), `the activation bundle has "${text}"`);
    }
  });
});
