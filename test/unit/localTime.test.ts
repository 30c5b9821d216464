/**
 * Times as people read them: "at 15:42" today, "tomorrow at 09:10", a short date and
 * time otherwise, in the display language, with no seconds. Now and the locale are
 * injected; times are built from local dates, so the machine's time zone does not matter.
 */
import { strict as assert } from 'node:assert';
import * as l10n from '@vscode/l10n';
import { formatLocalTime } from '../../src/core/common/localTime';

/** Epoch ms of a local date and time (month from 1). */
function local(year: number, month: number, day: number, hour: number, minute: number, second = 0): number {
  return new Date(year, month - 1, day, hour, minute, second).getTime();
}

const NOW = local(2026, 3, 12, 10, 0);

describe('formatLocalTime', () => {
  afterEach(() => l10n.config({ contents: {} }));

  it('says only the time, without seconds, for a time later today', () => {
    assert.equal(formatLocalTime(local(2026, 3, 12, 15, 42, 37), 'en-GB', NOW), 'at 15:42');
    assert.equal(formatLocalTime(local(2026, 3, 12, 23, 59, 59), 'en-GB', NOW), 'at 23:59');
  });

  it('follows the locale: a 12-hour clock in US English', () => {
    assert.match(formatLocalTime(local(2026, 3, 12, 15, 42), 'en-US', NOW), /^at 3:42\sPM$/u);
  });

  it('says tomorrow for a time after midnight, and nothing more', () => {
    assert.equal(formatLocalTime(local(2026, 3, 13, 9, 10), 'en-GB', NOW), 'tomorrow at 9:10');
    assert.equal(formatLocalTime(local(2026, 3, 13, 0, 0), 'en-GB', local(2026, 3, 12, 23, 59)), 'tomorrow at 0:00');
  });

  it('gives a short date and time otherwise, with the year only when it is not this year', () => {
    assert.equal(formatLocalTime(local(2026, 3, 20, 9, 10), 'en-GB', NOW), 'on 20 Mar, 9:10');
    assert.equal(formatLocalTime(local(2026, 3, 11, 18, 5), 'en-GB', NOW), 'on 11 Mar, 18:05', 'yesterday is a date too');
    assert.equal(formatLocalTime(local(2027, 1, 3, 9, 10), 'en-GB', NOW), 'on 3 Jan 2027, 9:10');
  });

  it('counts calendar days, not 24-hour spans', () => {
    assert.equal(formatLocalTime(local(2026, 3, 12, 23, 30), 'en-GB', local(2026, 3, 12, 0, 10)), 'at 23:30');
    assert.equal(formatLocalTime(local(2026, 3, 14, 0, 10), 'en-GB', local(2026, 3, 12, 23, 50)), 'on 14 Mar, 0:10');
  });

  it('speaks the display language: Chinese dates and words from the zh-cn bundle', () => {
    l10n.config({ contents: { 'at {0}': '{0}', 'tomorrow at {0}': '明天 {0}', 'on {0}': '{0}' } });
    assert.equal(formatLocalTime(local(2026, 3, 12, 15, 42), 'zh-cn', NOW), '15:42');
    assert.equal(formatLocalTime(local(2026, 3, 13, 9, 10), 'zh-cn', NOW), '明天 9:10');
    assert.equal(formatLocalTime(local(2026, 3, 20, 9, 10), 'zh-cn', NOW), '3月20日 9:10');
  });

  it('falls back to the default locale for a tag that is not one, rather than failing', () => {
    assert.match(formatLocalTime(local(2026, 3, 12, 15, 42), 'not a locale!', NOW), /^at \S/);
  });
});
