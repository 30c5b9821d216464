/**
 * Property-based tests (fast-check) of the environment variable formats: any string an
 * environment can hold comes back exactly from a real `/bin/sh` and from both parsers
 * of the `dotenv` package, or is refused with an error that names the variable and not
 * the value; and the formats refuse only what their documented limits say.
 */
import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import { parse as parseDotenv } from 'dotenv';
import { ENVIRONMENT_FORMATS, formatVariables, type EnvironmentFormat } from '../../../src/core/credentials/environmentFormats';
import { isIdentityCenterError } from '../../../src/core/common/errors';
import { shSees } from '../../support/shell';
import { tally } from './invariants';

const NAMES = ['HUAWEICLOUD_SDK_AK', 'HUAWEICLOUD_SDK_SK', 'HUAWEICLOUD_SDK_SECURITY_TOKEN', 'HW_ACCESS_KEY', 'HW_SECRET_KEY', 'HW_SECURITY_TOKEN'];

/** Characters some syntax treats specially, so they turn up often. */
const TRICKY = ["'", '"', '`', '\\', '$', '%', '!', '^', '&', '#', '=', ' ', '\t', '\n', '\r', '\u2018', '\u2019', '\u2028', 'n', 'r', 'a', '(', ';', '{', '*'];

/** Any string an environment can hold: full Unicode (no half surrogates), no NUL. */
const value = fc
  .oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: fc.constantFrom(...TRICKY), maxLength: 12 }), fc.string({ unit: 'binary-ascii', maxLength: 40 }))
  .filter((text) => !text.includes('\0'));

/** What a credential may be: printable ASCII without spaces (`secretAt` in `portal/responses.ts`). */
const credential = fc.string({ unit: fc.constantFrom(...Array.from({ length: 0x7e - 0x20 }, (_, i) => String.fromCharCode(0x21 + i))), minLength: 1, maxLength: 64 });

const sixOf = (values: fc.Arbitrary<string>) => fc.tuple(...NAMES.map(() => values)).map((list) => Object.fromEntries(NAMES.map((name, i) => [name, list[i]])));

/** The text of `format`, or the refusal's message. */
function attempt(format: EnvironmentFormat, variables: Record<string, string>): { text: string } | { refused: string } {
  tally.cases++;
  try {
    return { text: formatVariables(format, variables) };
  } catch (error) {
    assert.ok(isIdentityCenterError(error) && error.kind === 'configuration', String(error));
    return { refused: error.message };
  }
}

/** What both dotenv parsers read from `text`, checked to agree. */
function dotenvReads(text: string): Record<string, string> {
  const classic = { ...parseDotenv(text) };
  assert.deepEqual({ ...parseDotenv(text, { fast: true }) }, classic, 'the two parsers agree');
  return classic;
}

/** Lines after a value that catch one whose quoting runs on into the next line. */
const FOLLOWERS = "NEXT1='#'\nNEXT2=\"#\"\nNEXT3=`#`\nNEXT4=''\n";

describe('property: environment variable formats', function () {
  this.timeout(120_000);

  it('sh: a real /bin/sh exports every value exactly, whatever the characters', () => {
    fc.assert(
      fc.property(sixOf(value), (variables) => {
        const written = attempt('sh', variables);
        assert.ok('text' in written, 'sh writes every value');
        assert.deepEqual(shSees(written.text, NAMES), variables);
      }),
      { numRuns: 300 },
    );
  });

  it('dotenv: a value written is read back exactly by both parsers, whatever follows; one refused has no spelling dotenv reads back (U+2028 and U+2029 aside)', () => {
    fc.assert(
      fc.property(sixOf(value), (variables) => {
        const written = attempt('dotenv', variables);
        if ('text' in written) {
          assert.deepEqual(dotenvReads(`${written.text}${FOLLOWERS}`), { ...variables, NEXT1: '#', NEXT2: '#', NEXT3: '#', NEXT4: '' });
          return;
        }
        const refusedName = NAMES.find((name) => written.refused.startsWith(`${name} `));
        assert.ok(refusedName, 'the refusal names the variable');
        const refused = variables[refusedName];
        // Documented as refused more than needed: U+2028/U+2029 beside a quote the value holds.
        if (/[\u2028\u2029]/.test(refused) && /['"`]/.test(refused)) return;
        const spellings = [`'${refused}'`, `"${refused.replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`, `\`${refused}\``, refused];
        for (const spelling of spellings) {
          const read = dotenvReads(`V=${spelling}\n${FOLLOWERS}`);
          assert.ok(read.V !== refused || read.NEXT1 !== '#' || read.NEXT2 !== '#' || read.NEXT3 !== '#', `dotenv reads back ${JSON.stringify(spelling)}`);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('every format writes any credential, but cmd one with %, ! or a double quote, and dotenv one it has no spelling for', () => {
    fc.assert(
      fc.property(sixOf(credential), (variables) => {
        for (const format of ENVIRONMENT_FORMATS) {
          const written = attempt(format, variables);
          if ('text' in written) {
            assert.equal(written.text.split('\n').length, NAMES.length + 1, `${format}: one line a variable`);
            continue;
          }
          const refusedName = NAMES.find((name) => written.refused.startsWith(`${name} `)) ?? assert.fail(`${format}: the refusal names the variable`);
          assert.ok(!written.refused.includes(variables[refusedName]) || variables[refusedName].length < 4, 'the refusal holds no value');
          if (format === 'cmd') assert.match(variables[refusedName], /[%!"]/);
          else assert.equal(format, 'dotenv', `${format} refuses no credential`);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
