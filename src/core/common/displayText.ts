/**
 * Text that came from the service or from a token, made safe to show. VS Code renders
 * `[label](command:…)` in notification and progress messages as a clickable command,
 * and `$(name)` in the status bar, quick picks and tree items as an icon; control,
 * bidi and zero-width characters can hide or reorder what a person reads. None of that
 * may come from an unsigned answer.
 */

/** Control, format (bidi, zero-width), line and paragraph separator characters. */
export const INVISIBLE_CHARACTERS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/**
 * `value` as plain text: invisible characters removed, markdown link syntax (`](`)
 * and icon syntax (`$(`) broken with a space so no renderer turns them into a link or
 * an icon, and cut to `maxLength` characters with an ellipsis.
 */
export function plainText(value: string, maxLength = 256): string {
  return cut(value.replace(INVISIBLE_CHARACTERS, '').replace(/\]\(/g, '] (').replace(/\$\(/g, '$ ('), maxLength);
}

/** Runs of line breaks and tabs, which `cleanText` turns into one space. */
const LINE_BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;

/**
 * A name or description from the service as one clean line, made where it arrives so
 * every place that shows or keeps it (picks, the view, the stored selection, the status
 * bar, the log) has the same text: each run of line breaks or tabs becomes a space,
 * other invisible characters and halves of a broken character go, the ends are trimmed,
 * and it is cut to `maxLength` characters with an ellipsis. Empty means nothing to show.
 * Where it is shown, `plainText` still breaks link and icon syntax.
 */
export function cleanText(value: string, maxLength = 256): string {
  return cut(value.replace(LINE_BREAKS, ' ').replace(INVISIBLE_CHARACTERS, '').replace(/\p{Cs}/gu, '').trim(), maxLength);
}

/** `text` cut to `maxLength` characters (code points), the last one an ellipsis when cut. */
function cut(text: string, maxLength: number): string {
  const characters = [...text];
  return characters.length > maxLength ? `${characters.slice(0, maxLength - 1).join('')}…` : text;
}

/**
 * True when `value` reads the same as `plainText(value)` and is not blank: safe to
 * show as it is. Used to choose among candidate labels rather than mangle one.
 */
export function isPlainText(value: unknown, maxLength = 256): value is string {
  return typeof value === 'string' && value.trim().length > 0 && [...value].length <= maxLength && plainText(value, maxLength) === value;
}

/**
 * `value` as literal text inside markdown: `plainText`, then every ASCII punctuation
 * character backslash-escaped (CommonMark allows it for all of them), so neither markdown
 * syntax nor an autolink (`<https://…>`, `https://…`, `www.…`, an email address) can form.
 */
export function markdownLiteral(value: string): string {
  return plainText(value).replace(/[!-/:-@[-`{-~]/g, '\\$&');
}
