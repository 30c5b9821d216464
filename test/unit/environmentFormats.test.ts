/**
 * The five syntaxes of Copy Agency Credentials as Environment Variables, value by
 * value: the exact line each writes for tricky values (or its refusal, naming the
 * variable and never the value), the `sh` lines run by a real `/bin/sh`, and the
 * `dotenv` lines read by the `dotenv` package, both of its parsers.
 */
import { strict as assert } from 'node:assert';
import { parse as parseDotenv } from 'dotenv';
import { ENVIRONMENT_FORMATS, EnvironmentFormat, formatVariables, isEnvironmentFormat } from '../../src/core/credentials/environmentFormats';
import { isIdentityCenterError } from '../../src/core/common/errors';
import { shSees } from '../support/shell';

/** A row's expected line per format (without the name part), or how its refusal reads. */
type Expected = Record<EnvironmentFormat, string | RegExp>;

const PS_EMPTY = /PowerShell: an empty value would remove the variable/;
const CMD_REFUSED = /cannot be written for cmd: .*%, ! or a double quote/;
const DOTENV_REFUSED = /cannot be written for a \.env file/;

/** [what, value, the line for NAME in each format, or the refusal]. */
const TABLE: [string, string, Expected][] = [
  ['plain credential', 'AKIA0123+/=-_.', { sh: "export NAME='AKIA0123+/=-_.'", fish: "set -gx NAME 'AKIA0123+/=-_.'", powershell: "$env:NAME = 'AKIA0123+/=-_.'", cmd: 'set "NAME=AKIA0123+/=-_."', dotenv: "NAME='AKIA0123+/=-_.'" }],
  ['single quote', "it's", { sh: "export NAME='it'\\''s'", fish: "set -gx NAME 'it\\'s'", powershell: "$env:NAME = 'it''s'", cmd: 'set "NAME=it\'s"', dotenv: 'NAME="it\'s"' }],
  ['double quote', 'say "hi"', { sh: "export NAME='say \"hi\"'", fish: "set -gx NAME 'say \"hi\"'", powershell: "$env:NAME = 'say \"hi\"'", cmd: CMD_REFUSED, dotenv: "NAME='say \"hi\"'" }],
  ['backslashes', 'a\\b\\\\c', { sh: "export NAME='a\\b\\\\c'", fish: "set -gx NAME 'a\\\\b\\\\\\\\c'", powershell: "$env:NAME = 'a\\b\\\\c'", cmd: 'set "NAME=a\\b\\\\c"', dotenv: "NAME='a\\b\\\\c'" }],
  ['trailing backslash', 'ab\\', { sh: "export NAME='ab\\'", fish: "set -gx NAME 'ab\\\\'", powershell: "$env:NAME = 'ab\\'", cmd: 'set "NAME=ab\\"', dotenv: 'NAME=ab\\' }],
  ['dollar', '$HOME ${PATH} $(id)', { sh: "export NAME='$HOME ${PATH} $(id)'", fish: "set -gx NAME '$HOME ${PATH} $(id)'", powershell: "$env:NAME = '$HOME ${PATH} $(id)'", cmd: 'set "NAME=$HOME ${PATH} $(id)"', dotenv: "NAME='$HOME ${PATH} $(id)'" }],
  ['backticks', '`id` `n', { sh: "export NAME='`id` `n'", fish: "set -gx NAME '`id` `n'", powershell: "$env:NAME = '`id` `n'", cmd: 'set "NAME=`id` `n"', dotenv: "NAME='`id` `n'" }],
  ['percent', '%PATH%', { sh: "export NAME='%PATH%'", fish: "set -gx NAME '%PATH%'", powershell: "$env:NAME = '%PATH%'", cmd: CMD_REFUSED, dotenv: "NAME='%PATH%'" }],
  ['exclamation', 'a!b!', { sh: "export NAME='a!b!'", fish: "set -gx NAME 'a!b!'", powershell: "$env:NAME = 'a!b!'", cmd: CMD_REFUSED, dotenv: "NAME='a!b!'" }],
  ['cmd operators', '^&|<>()', { sh: "export NAME='^&|<>()'", fish: "set -gx NAME '^&|<>()'", powershell: "$env:NAME = '^&|<>()'", cmd: 'set "NAME=^&|<>()"', dotenv: "NAME='^&|<>()'" }],
  ['spaces and #', ' a #b ', { sh: "export NAME=' a #b '", fish: "set -gx NAME ' a #b '", powershell: "$env:NAME = ' a #b '", cmd: 'set "NAME= a #b "', dotenv: "NAME=' a #b '" }],
  ['newline', 'a\nb', { sh: "export NAME='a\nb'", fish: "set -gx NAME 'a\nb'", powershell: "$env:NAME = 'a\nb'", cmd: CMD_REFUSED, dotenv: "NAME='a\nb'" }],
  ['carriage return', 'a\r\nb', { sh: "export NAME='a\r\nb'", fish: "set -gx NAME 'a\r\nb'", powershell: "$env:NAME = 'a\r\nb'", cmd: CMD_REFUSED, dotenv: 'NAME="a\\r\\nb"' }],
  ['tab', 'a\tb', { sh: "export NAME='a\tb'", fish: "set -gx NAME 'a\tb'", powershell: "$env:NAME = 'a\tb'", cmd: CMD_REFUSED, dotenv: "NAME='a\tb'" }],
  ['unicode', 'ünï 密钥 🙂', { sh: "export NAME='ünï 密钥 🙂'", fish: "set -gx NAME 'ünï 密钥 🙂'", powershell: "$env:NAME = 'ünï 密钥 🙂'", cmd: 'set "NAME=ünï 密钥 🙂"', dotenv: "NAME='ünï 密钥 🙂'" }],
  ['typographic quotes', '‘a’ ‚b‛', { sh: "export NAME='‘a’ ‚b‛'", fish: "set -gx NAME '‘a’ ‚b‛'", powershell: "$env:NAME = '‘‘a’’ ‚‚b‛‛'", cmd: 'set "NAME=‘a’ ‚b‛"', dotenv: "NAME='‘a’ ‚b‛'" }],
  ['empty', '', { sh: "export NAME=''", fish: "set -gx NAME ''", powershell: PS_EMPTY, cmd: CMD_REFUSED, dotenv: "NAME=''" }],
  ['all three quotes', `'"\``, { sh: `export NAME=''\\''"\`'`, fish: `set -gx NAME '\\'"\`'`, powershell: `$env:NAME = '''"\`'`, cmd: CMD_REFUSED, dotenv: `NAME=''"\`'` }],
  ['all three quotes and #', `'"\`#`, { sh: `export NAME=''\\''"\`#'`, fish: `set -gx NAME '\\'"\`#'`, powershell: `$env:NAME = '''"\`#'`, cmd: CMD_REFUSED, dotenv: DOTENV_REFUSED }],
  ['all three quotes, bare', `a'"\`b`, { sh: `export NAME='a'\\''"\`b'`, fish: `set -gx NAME 'a\\'"\`b'`, powershell: `$env:NAME = 'a''"\`b'`, cmd: CMD_REFUSED, dotenv: `NAME=a'"\`b` }],
  ['quote and line break', "it's\nok", { sh: "export NAME='it'\\''s\nok'", fish: "set -gx NAME 'it\\'s\nok'", powershell: "$env:NAME = 'it''s\nok'", cmd: CMD_REFUSED, dotenv: 'NAME="it\'s\\nok"' }],
  ['quotes and #', `'"#`, { sh: `export NAME=''\\''"#'`, fish: `set -gx NAME '\\'"#'`, powershell: `$env:NAME = '''"#'`, cmd: CMD_REFUSED, dotenv: "NAME=`'\"#`" }],
  ['quote, then a trailing backslash', `'\\`, { sh: `export NAME=''\\''\\'`, fish: `set -gx NAME '\\'\\\\'`, powershell: `$env:NAME = '''\\'`, cmd: `set "NAME='\\"`, dotenv: `NAME=''\\'` }],
  ['quote and a \\n that is no line break', "it's a\\n", { sh: "export NAME='it'\\''s a\\n'", fish: "set -gx NAME 'it\\'s a\\\\n'", powershell: "$env:NAME = 'it''s a\\n'", cmd: 'set "NAME=it\'s a\\n"', dotenv: "NAME=`it's a\\n`" }],
];

describe('environment variable formats', () => {
  for (const [what, value, expected] of TABLE) {
    describe(what, () => {
      for (const format of ENVIRONMENT_FORMATS) {
        const want = expected[format];
        it(`${format}: ${typeof want === 'string' ? 'writes it quoted' : 'refuses it, naming the variable'}`, () => {
          if (typeof want === 'string') {
            assert.equal(formatVariables(format, { NAME: value }), `${want}\n`);
            return;
          }
          assert.throws(
            () => formatVariables(format, { NAME: value }),
            (error: unknown) => isIdentityCenterError(error) && error.kind === 'configuration' && want.test(error.message) && error.message.startsWith('NAME ') && (value.length < 2 || !error.message.includes(value)),
          );
        });
      }
    });
  }

  it('sh: a real /bin/sh gets back every value of the table, exported', () => {
    const variables = Object.fromEntries(TABLE.map(([, value], index) => [`V${index}`, value]));
    assert.deepEqual(shSees(formatVariables('sh', variables), Object.keys(variables)), variables);
  });

  it('dotenv: both parsers of the dotenv package get back every value the format writes, whatever follows it', () => {
    const written = TABLE.filter(([, , expected]) => typeof expected.dotenv === 'string');
    const variables = Object.fromEntries(written.map(([, value], index) => [`V${index}`, value]));
    const text = formatVariables('dotenv', variables);
    assert.deepEqual(parseDotenv(text), variables);
    assert.deepEqual(parseDotenv(text, { fast: true }), variables);
    assert.deepEqual({ ...parseDotenv(`${text}Q1='#'\nQ2="#"\n`) }, { ...variables, Q1: '#', Q2: '#' });
  });

  it('writes the variables in order, one a line, and the first value it cannot hold names its variable', () => {
    assert.equal(formatVariables('cmd', { A: '1', B: '2' }), 'set "A=1"\nset "B=2"\n');
    assert.throws(() => formatVariables('cmd', { A: '1', B: '50%', C: '!' }), /B cannot be written for cmd/);
    assert.throws(() => formatVariables('cmd', { A: 'x'.repeat(8191 - 'set "A="'.length + 1) }), /at most 8191 characters/);
    assert.equal(formatVariables('cmd', { A: 'x'.repeat(8191 - 'set "A="'.length) }).length, 8192);
  });

  it('refuses what no environment holds in every format (a NUL, half a surrogate pair), and names that are not variable names', () => {
    for (const format of ENVIRONMENT_FORMATS) {
      for (const value of ['a\0b', '\ud800', 'x\udfff']) assert.throws(() => formatVariables(format, { NAME: value }), /NAME cannot be set: .*NUL/);
      for (const name of ['', '1A', 'A B', 'A=B', "A'"]) assert.throws(() => formatVariables(format, { [name]: 'v' }), /is not an environment variable name/);
    }
  });

  it('knows its formats and nothing else', () => {
    assert.deepEqual(ENVIRONMENT_FORMATS, ['sh', 'fish', 'powershell', 'cmd', 'dotenv']);
    for (const format of ENVIRONMENT_FORMATS) assert.ok(isEnvironmentFormat(format));
    for (const other of ['bash', 'SH', '', undefined, null, 1, {}, 'toString', '__proto__']) assert.equal(isEnvironmentFormat(other), false, String(other));
  });
});
