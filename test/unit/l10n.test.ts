/**
 * English and Chinese: the manifest (`package.nls*.json`) and the runtime strings
 * (`l10n/bundle.l10n*.json`) are complete, generated from the sources, agree on their
 * placeholders and use Huawei Cloud's own console terms; the core's messages translate,
 * and the small `@vscode/l10n` the bundles carry (build/l10nSlim.cjs) answers as the
 * real package does.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as l10n from '@vscode/l10n';
import fc from 'fast-check';
import { IdentityCenterError } from '../../src/core/common/errors';
import { portalError } from '../../src/core/portal/responses';

const REPO = resolve(__dirname, '..', '..', '..');

function readJson(...parts: string[]): Record<string, string> {
  return JSON.parse(readFileSync(join(REPO, ...parts), 'utf8')) as Record<string, string>;
}

const manifestEn = readJson('package.nls.json');
const manifestZh = readJson('package.nls.zh-cn.json');
const runtimeEn = readJson('l10n', 'bundle.l10n.json');
const runtimeZh = readJson('l10n', 'bundle.l10n.zh-cn.json');

/** The placeholders (`{0}`, `{name}`) and command links of a message, sorted: what a translation must keep. */
function fixedParts(text: string): string[] {
  return [...(text.match(/\{[^{}]+\}/g) ?? []), ...(text.match(/\]\(command:[^)]*\)/g) ?? [])].sort();
}

/** Huawei Cloud console terms: an English message with the term has the Chinese term in its translation. */
const TERMS: [RegExp, string][] = [
  [/IAM Identity Center/, 'IAM 身份中心'],
  [/\bagenc(y|ies)\b/i, '委托'],
  [/\bpermission sets?\b/i, '权限集'],
  [/\baccounts?\b(?! menu)/i, '账号'],
  [/\buser portal\b/i, '用户门户'],
];

function checkTranslations(english: Record<string, string>, chinese: Record<string, string>, what: string): void {
  const missing = Object.keys(english).filter((key) => typeof chinese[key] !== 'string' || chinese[key].trim() === '');
  assert.deepEqual(missing, [], `${what}: no zh-cn entry`);
  const stale = Object.keys(chinese).filter((key) => !(key in english));
  assert.deepEqual(stale, [], `${what}: zh-cn entries no English one has`);
  for (const [key, text] of Object.entries(english)) {
    assert.deepEqual(fixedParts(chinese[key]), fixedParts(text), `${what} "${key}": the zh-cn entry keeps the placeholders and links`);
    for (const [term, chineseTerm] of TERMS) {
      if (term.test(text)) assert.ok(chinese[key].includes(chineseTerm), `${what} "${key}": "${chinese[key]}" says ${chineseTerm}`);
    }
  }
}

/** Every file under `dir`. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

describe('localization', () => {
  it('every manifest string is in package.nls.json', () => {
    const used = [...readFileSync(join(REPO, 'package.json'), 'utf8').matchAll(/"%([^%"]+)%"/g)].map((match) => match[1]);
    assert.ok(used.length > 20, 'the manifest uses its strings');
    assert.deepEqual(used.filter((key) => !(key in manifestEn)), [], 'keys the manifest uses without an English string');
    assert.deepEqual(Object.keys(manifestEn).filter((key) => !used.includes(key)), [], 'English strings the manifest does not use');
  });

  it('every manifest string has a zh-cn translation with the same placeholders and links, in console terms', () => {
    checkTranslations(manifestEn, manifestZh, 'package.nls.zh-cn.json');
  });

  it('l10n/bundle.l10n.json is what `npm run l10n:export` makes from the sources today', function () {
    this.timeout(60_000);
    const out = mkdtempSync(join(tmpdir(), 'iic-l10n-'));
    try {
      const cli = join(REPO, 'node_modules', '@vscode', 'l10n-dev', 'dist', 'cli.js');
      execFileSync(process.execPath, [cli, 'export', '--outDir', out, join(REPO, 'src')], { stdio: 'pipe' });
      const fresh = JSON.parse(readFileSync(join(out, 'bundle.l10n.json'), 'utf8')) as Record<string, string>;
      assert.deepEqual(runtimeEn, fresh, 'run `npm run l10n:export`, then translate the new strings in l10n/bundle.l10n.zh-cn.json');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('every runtime string has a zh-cn translation with the same placeholders, in console terms', () => {
    assert.ok(Object.keys(runtimeEn).length > 100, 'the sources have their strings');
    checkTranslations(runtimeEn, runtimeZh, 'l10n/bundle.l10n.zh-cn.json');
  });

  it('no runtime message names a setting by its id ("iamIdentityCenter.region"), but by its label ("the Region setting")', () => {
    // A string that must name an id (an argument hint for automation, say) is listed here, with why.
    const mustNameAnId: string[] = [];
    const naming = Object.keys(runtimeEn).filter((key) => !mustNameAnId.includes(key) && (/iamIdentityCenter\./.test(key) || /iamIdentityCenter\./.test(runtimeZh[key] ?? '')));
    assert.deepEqual(naming, []);
  });

  it('the sources pass l10n.t a literal, and build no error message outside it', () => {
    const problems: string[] = [];
    for (const file of filesUnder(join(REPO, 'src')).filter((name) => name.endsWith('.ts'))) {
      const text = readFileSync(file, 'utf8');
      const where = file.slice(REPO.length + 1);
      // The export only finds a string literal; a template or a variable would stay English.
      for (const match of text.matchAll(/\bl10n\.t\((?!\s*')/g)) problems.push(`${where}: l10n.t( without a '…' literal at ${match.index}`);
      for (const match of text.matchAll(/new IdentityCenterError\(\s*'[a-zA-Z]+',\s*[`'"]/g)) problems.push(`${where}: an English error message at ${match.index}`);
    }
    assert.deepEqual(problems, []);
  });
});

/** The bundles' replacement for `@vscode/l10n`. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const slim = require(join(REPO, 'build', 'l10nSlim.cjs')) as Pick<typeof l10n, 'config' | 't'>;

describe("the core's messages", () => {
  afterEach(() => l10n.config({ contents: {} }));

  it('reach the user in Chinese with the zh-cn bundle', () => {
    l10n.config({ contents: runtimeZh });
    const error = portalError({ status: 503, headers: { 'content-type': 'application/json' }, body: '{}' }, l10n.t('list your accounts'), { nowMs: 0, secrets: [], tokenWorkedBefore: false });
    assert.ok(error instanceof IdentityCenterError);
    assert.match(error.message, /[\u4e00-\u9fff]/, error.message);
    assert.match(error.message, /HTTP 503/);
    assert.doesNotMatch(error.message, /could not|retry/i);
  });

  it('stay English without a bundle', () => {
    const error = portalError({ status: 503, headers: { 'content-type': 'application/json' }, body: '{}' }, l10n.t('list your accounts'), { nowMs: 0, secrets: [], tokenWorkedBefore: false });
    assert.match(error.message, /could not list your accounts \(HTTP 503\)/i);
  });
});

describe("the bundles' @vscode/l10n (build/l10nSlim.cjs)", () => {
  afterEach(() => {
    l10n.config({ contents: {} });
    slim.config({ contents: {} });
  });

  it('answers every t() as the installed @vscode/l10n does', () => {
    const word = fc.constantFrom('Sign in', '{0}', '{1}', '{name}', '{}', '{ x }', ' to ', '{0}{0}', 'a', '委托');
    const message = fc.array(word, { maxLength: 6 }).map((parts) => parts.join(''));
    const value = fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.boolean());
    const args = fc.oneof(fc.array(value, { maxLength: 3 }), fc.record({ name: value, x: value }, { requiredKeys: [], noNullPrototype: true }));
    const translations = fc.dictionary(message, fc.oneof(message, message.map((text) => ({ message: text, comment: ['c'] })), message.map((text) => ({ message: text }))));
    fc.assert(
      fc.property(translations, message, args, fc.boolean(), (bundle, text, callArgs, asJson) => {
        const contents = (asJson ? JSON.stringify(bundle) : bundle) as Parameters<typeof l10n.config>[0] extends { contents: infer C } ? C : never;
        l10n.config({ contents });
        slim.config({ contents });
        if (Array.isArray(callArgs)) assert.equal(slim.t(text, ...callArgs), l10n.t(text, ...callArgs));
        else assert.equal(slim.t(text, callArgs), l10n.t(text, callArgs));
        assert.equal(slim.t({ message: text, args: callArgs, comment: 'c' }), l10n.t({ message: text, args: callArgs, comment: 'c' }));
        assert.equal(slim.t({ message: text, comment: [] }), l10n.t({ message: text, comment: [] }));
      }),
      { numRuns: 500 },
    );
  });

  it('refuses what it leaves out: reading a bundle from a file or a URL', () => {
    assert.throws(() => slim.config({ fsPath: '/tmp/bundle.json' } as never), /contents/);
    assert.throws(() => slim.config({ uri: 'https://example.com/bundle.json' } as never), /contents/);
  });
});
