/**
 * Messages a person reads, in their language, from code that cannot import `vscode`.
 *
 * The core writes each message in English as `l10n.t('…', args)`, the same call shape as
 * `vscode.l10n.t`, so `npm run l10n:export` (`@vscode/l10n-dev`) collects core and VS Code
 * strings alike into `l10n/bundle.l10n.json`. The VS Code side hands each bundle's copy of
 * this module the translations VS Code loaded for the display language
 * (`vscode.l10n.bundle`) through `useTranslations`; without them, messages stay English.
 *
 * Not `@vscode/l10n`: it would add 3 KB to the activation bundle, and it can fetch a
 * bundle over HTTP, which nothing here needs.
 */

/** A loaded bundle: English message → translation (the shape of `vscode.l10n.bundle`). */
export type Translations = Readonly<Record<string, string | { message: string }>>;

/** Arguments of a message: positional (`{0}`, `{1}`) or named (`{name}`). */
type MessageArgs = (string | number | boolean)[] | [Record<string, string | number | boolean>];

let translations: Translations | undefined;

/** Uses `bundle` (VS Code's `vscode.l10n.bundle`) for every later message; undefined: English. */
export function useTranslations(bundle: Translations | undefined): void {
  translations = bundle;
}

/** The translations in use, for handing on to a bundle loaded later. */
export function translationsInUse(): Translations | undefined {
  return translations;
}

/**
 * `message` in the display language, with `{0}`… (or `{name}` for one object argument)
 * replaced by the arguments. A placeholder with no argument is left as written.
 */
function t(message: string, ...args: MessageArgs): string {
  const entry = translations?.[message];
  const text = typeof entry === 'string' ? entry : (entry?.message ?? message);
  const named = args.length === 1 && typeof args[0] === 'object' ? args[0] : undefined;
  return text.replace(/\{([^{}]+)\}/g, (placeholder, key: string) => {
    const value = named ? named[key] : (args as (string | number | boolean)[])[Number(key)];
    return value === undefined ? placeholder : String(value);
  });
}

/** The core's localizer: `l10n.t(message, ...args)`, as `vscode.l10n.t`. */
export const l10n = { t };
