/**
 * The command ids, the manifest and the code that registers and runs them agree: every
 * id of `COMMANDS` is contributed in package.json and the other way round, every
 * contributed command is registered once (the lazy commands, Show Log, the status bar's
 * and the accounts view's own), every lazy command has a body and every body a lazy
 * command, menus and links name commands that exist, the palette hides exactly the
 * commands meant for no palette, and titles are `%command.<key>%` keys translated in
 * both manifest files. Runs on node: `index.ts` and `ui/bundle.ts` import `vscode`, so
 * they are read as TypeScript source, not loaded.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as ts from 'typescript';
import { COMMANDS } from '../../src/vscode/commands/ids';

const REPO = resolve(__dirname, '..', '..', '..');
const PREFIX = 'iamIdentityCenter.';

type CommandKey = keyof typeof COMMANDS;

interface Contribution {
  command: string;
  title: string;
  category?: string;
}

interface MenuEntry {
  command?: string;
  submenu?: string;
  alt?: string;
  when?: string;
}

const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  contributes: { commands: Contribution[]; menus: Record<string, MenuEntry[]>; submenus?: { id: string }[] };
};
const nlsEn = JSON.parse(readFileSync(join(REPO, 'package.nls.json'), 'utf8')) as Record<string, string>;
const nlsZh = JSON.parse(readFileSync(join(REPO, 'package.nls.zh-cn.json'), 'utf8')) as Record<string, string>;

/** The one command registered but not contributed: the status bar item's click needs no title and no palette entry. */
const NOT_CONTRIBUTED: readonly CommandKey[] = ['statusMenu'];

function source(path: string): ts.SourceFile {
  return ts.createSourceFile(path, readFileSync(join(REPO, path), 'utf8'), ts.ScriptTarget.ES2022, true);
}

/** The initializer of `export const <name> = …` in `file`, without `as const` or `satisfies`. */
function constInitializer(file: ts.SourceFile, name: string): ts.Expression {
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (ts.isIdentifier(declaration.name) && declaration.name.text === name && declaration.initializer) {
        let expression = declaration.initializer;
        while (ts.isSatisfiesExpression(expression) || ts.isAsExpression(expression)) expression = expression.expression;
        return expression;
      }
    }
  }
  throw new Error(`${file.fileName} has no const ${name}`);
}

/** The keys of the object literal `name` in `path`. */
function objectKeys(path: string, name: string): string[] {
  const literal = constInitializer(source(path), name);
  assert.ok(ts.isObjectLiteralExpression(literal), `${path}: ${name} is an object literal`);
  return literal.properties.map((property) => {
    assert.ok(property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)), `${path}: ${name} has plain keys`);
    return property.name.text;
  });
}

/** The strings of the array literal `name` in `path`. */
function arrayStrings(path: string, name: string): string[] {
  const literal = constInitializer(source(path), name);
  assert.ok(ts.isArrayLiteralExpression(literal), `${path}: ${name} is an array literal`);
  return literal.elements.map((element) => {
    assert.ok(ts.isStringLiteral(element), `${path}: ${name} holds string literals only`);
    return element.text;
  });
}

/** The doc comment on each key of `COMMANDS` in ids.ts ('' without one). */
function idComments(): Map<string, string> {
  const file = source('src/vscode/commands/ids.ts');
  const literal = constInitializer(file, 'COMMANDS');
  assert.ok(ts.isObjectLiteralExpression(literal));
  return new Map(
    literal.properties.map((property) => {
      const ranges = ts.getLeadingCommentRanges(file.text, property.getFullStart()) ?? [];
      const text = ranges.map((range) => file.text.slice(range.pos, range.end).replace(/^\/\*\*\s*|\s*\*\/$/g, '')).join(' ');
      return [(property.name as ts.Identifier).text, text];
    }),
  );
}

function typeScriptFilesUnder(dir: string): string[] {
  return readdirSync(join(REPO, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (statSync(join(REPO, path)).isDirectory()) return typeScriptFilesUnder(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * Every command key registered with `registerCommand` anywhere in src, once per call:
 * `registerCommand(COMMANDS.<key>, …)`, or `registerCommand(COMMANDS[key], …)` inside
 * `LAZY_COMMANDS.map(…)`, which registers each lazy command. Any other first argument
 * fails the test, so no registration goes unseen.
 */
function registrations(lazyCommands: readonly string[]): { key: string; where: string }[] {
  const found: { key: string; where: string }[] = [];
  for (const path of typeScriptFilesUnder('src').filter((candidate) => readFileSync(join(REPO, candidate), 'utf8').includes('registerCommand'))) {
    const file = source(path);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && /(^|\.)registerCommand$/.test(node.expression.getText(file))) {
        const where = `${path}:${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1}`;
        const [id] = node.arguments;
        if (ts.isPropertyAccessExpression(id) && id.expression.getText(file) === 'COMMANDS') found.push({ key: id.name.text, where });
        else if (ts.isElementAccessExpression(id) && id.expression.getText(file) === 'COMMANDS' && insideLazyCommandsMap(node, file)) {
          for (const key of lazyCommands) found.push({ key, where });
        } else assert.fail(`${where}: registerCommand(${id?.getText(file)}) is neither COMMANDS.<key> nor COMMANDS[key] in LAZY_COMMANDS.map`);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return found;
}

function insideLazyCommandsMap(node: ts.Node, file: ts.SourceFile): boolean {
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (ts.isCallExpression(parent) && parent.expression.getText(file) === 'LAZY_COMMANDS.map') return true;
  }
  return false;
}

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();
const keyOf = (id: string): string => (id.startsWith(PREFIX) ? id.slice(PREFIX.length) : id);

describe('commands: ids, manifest, registrations and bodies agree', () => {
  const keys = Object.keys(COMMANDS) as CommandKey[];
  const contributed = manifest.contributes.commands;
  const contributedIds = contributed.map((entry) => entry.command);
  const lazyCommands = arrayStrings('src/vscode/commands/index.ts', 'LAZY_COMMANDS');
  const bodies = objectKeys('src/vscode/ui/bundle.ts', 'COMMAND_BODIES');

  it('every id is iamIdentityCenter.<its key>', () => {
    for (const key of keys) assert.equal(COMMANDS[key], `${PREFIX}${key}`);
  });

  it('package.json contributes every id of COMMANDS, and nothing else, each once (the status bar menu excepted)', () => {
    assert.equal(new Set(contributedIds).size, contributedIds.length, 'no command contributed twice');
    const expected = keys.filter((key) => !NOT_CONTRIBUTED.includes(key)).map((key) => COMMANDS[key]);
    assert.deepEqual(sorted(contributedIds), sorted(expected));
  });

  it('every lazy command has a body in COMMAND_BODIES, and every body is a lazy command', () => {
    assert.equal(new Set(lazyCommands).size, lazyCommands.length, 'LAZY_COMMANDS lists each once');
    assert.deepEqual(sorted(lazyCommands), sorted(bodies));
    for (const key of lazyCommands) assert.ok(key in COMMANDS, `${key} is a key of COMMANDS`);
  });

  it('every command is registered exactly once: contributed ones, and the status bar menu', () => {
    const found = registrations(lazyCommands);
    const twice = found.filter((entry, index) => found.findIndex((other) => other.key === entry.key) !== index);
    assert.deepEqual(twice, [], 'registered more than once (VS Code refuses the second)');
    assert.deepEqual(sorted(found.map((entry) => entry.key)), sorted([...contributedIds.map(keyOf), ...NOT_CONTRIBUTED]));
  });

  it('menus name contributed commands and declared submenus', () => {
    const submenus = new Set((manifest.contributes.submenus ?? []).map((entry) => entry.id));
    for (const [menu, entries] of Object.entries(manifest.contributes.menus)) {
      for (const entry of entries) {
        for (const command of [entry.command, entry.alt]) {
          if (command !== undefined) assert.ok(contributedIds.includes(command), `menus.${menu}: ${command} is contributed`);
        }
        if (entry.submenu !== undefined) assert.ok(submenus.has(entry.submenu), `menus.${menu}: submenu ${entry.submenu} is declared`);
        assert.ok(entry.command !== undefined || entry.submenu !== undefined, `menus.${menu}: an entry names a command or a submenu`);
      }
    }
    for (const id of Object.keys(manifest.contributes.menus)) {
      if (id.startsWith(PREFIX)) assert.ok(submenus.has(id), `menus.${id} is a declared submenu`);
    }
  });

  it('links and completion events in the manifest name contributed commands', () => {
    const text = [readFileSync(join(REPO, 'package.json'), 'utf8'), JSON.stringify(nlsEn), JSON.stringify(nlsZh)].join('\n');
    const named = [...text.matchAll(/(?:command:|onCommand:)(iamIdentityCenter\.[A-Za-z]+)/g)].map((match) => match[1]);
    assert.ok(named.length > 0, 'the manifest links to some command');
    for (const id of named) assert.ok(contributedIds.includes(id), `${id} is contributed`);
  });

  it('the palette hides exactly the commands meant for no palette: the internal ones and those for automation only', () => {
    const comments = idComments();
    const meantHidden = keys.filter((key) => /^(Internal|Automation only):/.test(comments.get(key) ?? '') && !NOT_CONTRIBUTED.includes(key));
    const palette = manifest.contributes.menus.commandPalette ?? [];
    const hidden = palette.filter((entry) => entry.when === 'false').map((entry) => keyOf(entry.command ?? ''));
    assert.deepEqual(sorted(hidden), sorted(meantHidden));
  });

  it('titles and the category are %command.<key>% and %category%, present in both manifest translations', () => {
    for (const entry of contributed) {
      assert.equal(entry.title, `%command.${keyOf(entry.command)}%`, `${entry.command}: title`);
      assert.equal(entry.category, '%category%', `${entry.command}: category`);
    }
    for (const key of ['category', ...contributed.map((entry) => `command.${keyOf(entry.command)}`)]) {
      assert.equal(typeof nlsEn[key], 'string', `package.nls.json has ${key}`);
      assert.equal(typeof nlsZh[key], 'string', `package.nls.zh-cn.json has ${key}`);
    }
  });
});
