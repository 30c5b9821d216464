/**
 * Times as people read them in a sentence: no seconds, and no date for today or
 * tomorrow. One helper, so every message, tooltip and terminal hover says it the same way.
 */
import * as l10n from '@vscode/l10n';

const DAY_MS = 86_400_000;

/**
 * `epochMs` in the local time zone, in `locale` (VS Code's display language): "at 15:42"
 * today, "tomorrow at 09:10", else "on" a short date and time, with the year when it is
 * not this year's. `nowMs` decides what today is.
 */
export function formatLocalTime(epochMs: number, locale?: string, nowMs = Date.now()): string {
  const at = new Date(epochMs);
  const now = new Date(nowMs);
  const days = Math.round((new Date(at).setHours(0, 0, 0, 0) - new Date(now).setHours(0, 0, 0, 0)) / DAY_MS);
  const time: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };
  if (days === 0) return l10n.t('at {0}', localized(at, locale, time));
  if (days === 1) return l10n.t('tomorrow at {0}', localized(at, locale, time));
  const year = at.getFullYear() === now.getFullYear() ? undefined : 'numeric';
  return l10n.t('on {0}', localized(at, locale, { ...time, year, month: 'short', day: 'numeric' }));
}

/** `date` formatted in `locale`, or the runtime's default when the tag is not one. */
function localized(date: Date, locale: string | undefined, options: Intl.DateTimeFormatOptions): string {
  try {
    return date.toLocaleString(locale, options);
  } catch {
    return date.toLocaleString(undefined, options);
  }
}
