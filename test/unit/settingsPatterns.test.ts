/**
 * The settings' `pattern`s in package.json, which the Settings editor checks as a value
 * is typed (and `settings.json` underlines), agree with what the code accepts: they never
 * refuse a value the extension would use, and they refuse the mistakes a regular
 * expression can see (no scheme, plain http to another host, a user name in the URL, a
 * region that is not a region id), so those are caught in the Settings editor, not at
 * sign-in. VS Code compiles a pattern with the `u` flag, and without it when that fails.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { parseServiceUrl } from '../../src/core/common/url';
import { REGION_PATTERN } from '../../src/core/common/validate';

const REPO = resolve(__dirname, '..', '..', '..');

interface SettingSchema {
  pattern?: string;
  patternErrorMessage?: string;
}

/** Every setting the manifest contributes, whichever category it is in. */
const SETTINGS: Record<string, SettingSchema> = Object.assign(
  {},
  ...(JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, SettingSchema> }[] } }).contributes.configuration.map(
    (category) => category.properties,
  ),
);

/** The setting's pattern as the Settings editor compiles it, and as the other validators do (no flag). */
function patternOf(key: string): RegExp[] {
  const source = SETTINGS[`iamIdentityCenter.${key}`]?.pattern;
  assert.ok(source, `iamIdentityCenter.${key} has a pattern`);
  return [new RegExp(source, 'u'), new RegExp(source)];
}

/** True when both compilations of the pattern accept `value` (they must agree). */
function patternAccepts(patterns: RegExp[], value: string): boolean {
  const [unicode, plain] = patterns.map((pattern) => pattern.test(value));
  assert.equal(unicode, plain, `the pattern answers the same with and without the u flag for ${JSON.stringify(value)}`);
  return unicode;
}

/** What the code does with the setting's value: trims it; empty means unset (`src/vscode/settings.ts`). */
function regionUsable(value: string): boolean {
  return value.trim() === '' || REGION_PATTERN.test(value.trim());
}

/** The same for the URL settings: `parseServiceUrl` on the trimmed value (settings.ts, signInUi.ts). */
function urlUsable(value: string): boolean {
  return value.trim() === '' || parseServiceUrl(value.trim()) !== undefined;
}

const URL_SETTINGS = ['startUrl', 'endpoint', 'portalEndpoint'];

describe('the settings patterns in package.json', () => {
  it('region, startUrl, endpoint and portalEndpoint have a pattern with a localized error message', () => {
    for (const key of ['region', ...URL_SETTINGS]) {
      assert.match(SETTINGS[`iamIdentityCenter.${key}`]?.patternErrorMessage ?? '', /^%[\w.]+%$/, key);
    }
  });

  it('the URL settings share one pattern', () => {
    const sources = new Set(URL_SETTINGS.map((key) => SETTINGS[`iamIdentityCenter.${key}`]?.pattern));
    assert.equal(sources.size, 1);
  });

  describe('region: exactly what the code accepts', () => {
    const region = patternOf('region');
    const table: [string, boolean][] = [
      ['', true],
      ['   ', true],
      ['cn-north-4', true],
      [' cn-north-4\t', true],
      ['ap-southeast-1', true],
      ['la-south-2', true],
      ['cn-north-4-a', true],
      ['Beijing 4', false],
      ['CN-NORTH-4', false],
      ['cn', false],
      ['cn-', false],
      ['cn_north_4', false],
      ['cn-north-4.', false],
      ['cn-north 4', false],
      ['cn-north-4-a-b', false],
      ['https://oidc.cn-north-4.myhuaweicloud.com', false],
    ];
    for (const [value, usable] of table) {
      it(`${JSON.stringify(value)}: ${usable ? 'accepted' : 'refused'}`, () => {
        assert.equal(regionUsable(value), usable, 'the code');
        assert.equal(patternAccepts(region, value), usable, 'the pattern');
      });
    }

    it('agrees with the code on any string', () => {
      const regionish = fc.stringMatching(/^\s?[a-zA-Z0-9_ -]{0,16}\s?$/);
      fc.assert(
        fc.property(fc.oneof(regionish, fc.string({ maxLength: 20 })), (value) => patternAccepts(region, value) === regionUsable(value)),
        { numRuns: 5000 },
      );
    });
  });

  describe('URLs: everything the code accepts, and its refusals a regular expression can see', () => {
    const url = patternOf('startUrl');
    /** [value, accepted by the code, accepted by the pattern]: the pattern accepts more only where it cannot judge. */
    const table: [string, boolean, boolean][] = [
      ['', true, true],
      ['  ', true, true],
      ['https://portal.example.com/start', true, true],
      [' https://portal.example.com/start ', true, true],
      ['HTTPS://PORTAL.EXAMPLE.COM', true, true],
      ['https://idcenter.cn-north-4.myhuaweicloud.com/start?tenant=1#x', true, true],
      ['https://门户.example.com', true, true],
      ['https://@portal.example.com', true, true],
      ['https:portal.example.com', true, true],
      ['https:\\\\portal.example.com', true, true],
      ['http://localhost:8080/start', true, true],
      ['http://LocalHost', true, true],
      ['http://127.0.0.1:41234', true, true],
      ['http://127.1', true, true],
      ['http://[::1]:8080/', true, true],
      ['http://[0:0:0:0:0:0:0:1]', true, true],
      ['http://0x7f.0.0.1', true, true],
      ['http://2130706433', true, true],
      ['http://%6cocalhost', true, true],
      ['https://portal.exa\tmple.com', true, true],
      ['Beijing 4', false, false],
      ['portal.example.com', false, false],
      ['cn-north-4', false, false],
      ['ftp://portal.example.com', false, false],
      ['https://', false, false],
      ['https://user:password@portal.example.com', false, false],
      ['https://user@portal.example.com', false, false],
      ['https://my portal.example.com', false, false],
      ['http://portal.example.com', false, false],
      ['http://192.168.1.10:8080', false, false],
      ['http://localhost.example.com', false, false],
      ['http://user@localhost', false, false],
      ['http://[::2]', false, false],
      // Left to the code: an IPv4 number that is not loopback, a port out of range.
      ['http://127', false, true],
      ['https://portal.example.com:99999', false, true],
    ];
    for (const [value, usable, accepted] of table) {
      it(`${JSON.stringify(value)}: the code ${usable ? 'accepts' : 'refuses'}, the pattern ${accepted ? 'accepts' : 'refuses'}`, () => {
        assert.equal(urlUsable(value), usable, 'the code');
        assert.equal(patternAccepts(url, value), accepted, 'the pattern');
      });
    }

    it('never refuses a value the code accepts', () => {
      const hosts = fc.oneof(
        fc.constantFrom('localhost', 'LOCALHOST', '127.0.0.1', '127.1', '[::1]', '[::0.0.0.1]', '0x7f.1', '017700000001', '%6c%6f%63alhost', 'ｌｏｃａｌｈｏｓｔ', 'example.com', '10.1', '[::2]', 'a b'),
        fc.domain(),
        fc.ipV4(),
        fc.ipV4Extended(),
        fc.ipV6().map((host) => `[${host}]`),
        fc.string({ maxLength: 12 }),
      );
      const space = fc.constantFrom('', ' ', '\t', '\n', '\u00a0', '\u0001', '\ufeff');
      const written = fc
        .tuple(
          space,
          fc.constantFrom('https:', 'http:', 'HTTP:', 'hTtPs:', 'ftp:', '', 'https'),
          fc.constantFrom('//', '/', '', '\\\\', ' //', '\t//'),
          fc.constantFrom('', '@', ':@', 'u@', 'u:p@', '@@', ' @'),
          hosts,
          fc.constantFrom('', ':80', ':', ':99999', ':x'),
          fc.oneof(fc.constantFrom('', '/', '/start', '/a b', '?q=1', '#f', '/@x', ' '), fc.string({ maxLength: 10 }).map((rest) => `/${rest}`)),
          space,
        )
        .map((parts) => parts.join(''));
      const withTab = written.chain((value) => fc.nat(value.length).map((at) => `${value.slice(0, at)}\t${value.slice(at)}`));
      const values = fc.oneof(written, withTab, fc.webUrl({ validSchemes: ['https', 'http'], authoritySettings: { withIPv4: true, withIPv6: true, withIPv4Extended: true, withUserInfo: true, withPort: true }, withQueryParameters: true, withFragments: true }), fc.string({ maxLength: 30 }));
      fc.assert(
        fc.property(values, (value) => !urlUsable(value) || patternAccepts(url, value)),
        { numRuns: 10000 },
      );
    });
  });
});
