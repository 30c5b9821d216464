/**
 * Text that came from the service or from a token, made safe to show. VS Code renders
 * `[label](command:…)` in notification and progress messages as a clickable command,
 * and `$(name)` in the status bar, quick picks and tree items as an icon; control,
 * bidi and zero-width characters can hide or reorder what a person reads. None of that
 * may come from an unsigned answer.
 */

/** Control, format (bidi, zero-width), line and paragraph separator characters. */
export const INVISIBLE_CHARACTERS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/** True when `value` has a character of `INVISIBLE_CHARACTERS`. */
export function hasInvisibleCharacters(value: string): boolean {
  return new RegExp(INVISIBLE_CHARACTERS.source, 'u').test(value);
}

/**
 * `value` as plain text: invisible characters removed, markdown link syntax (`](`)
 * and icon syntax (`$(`) broken with a space so no renderer turns them into a link or
 * an icon, and cut to `maxLength` characters with an ellipsis.
 */
export function plainText(value: string, maxLength = 256): string {
  const visible = value.replace(INVISIBLE_CHARACTERS, '').replace(/\]\(/g, '] (').replace(/\$\(/g, '$ (');
  const characters = [...visible];
  return characters.length > maxLength ? `${characters.slice(0, maxLength - 1).join('')}…` : visible;
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
