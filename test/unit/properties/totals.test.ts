/**
 * The property tests' totals. Mocha loads spec files sorted by path, so this file runs
 * after the other files of this folder: it checks that none of their hostile inputs
 * (`__proto__` keys above all) changed `Object.prototype`, and prints how many cases ran.
 */
import { strict as assert } from 'node:assert';
import { tally } from './invariants';

describe('property: totals', () => {
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();

  it('left Object.prototype as it was', () => {
    assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), prototypeKeys);
    for (const key of ['client_info', 'token_info', 'client_id', 'clientSecret', 'version', 'sessions', 'preferred_username']) {
      assert.equal(({} as Record<string, unknown>)[key], undefined, key);
    }
  });

  after(() => {
    console.log(`property cases: ${tally.cases}, crashes: ${tally.crashes}`);
  });
});
