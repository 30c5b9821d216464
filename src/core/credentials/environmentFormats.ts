/**
 * Environment variables written as text another shell or tool reads back exactly: the
 * lines Copy Agency Credentials as Environment Variables puts on the clipboard. Each
 * format quotes every value so that it round-trips, or refuses the value, naming the
 * variable and what its syntax cannot hold (never the value: it is a secret).
 *
 * Temporary credentials are printable ASCII without spaces (`portal/responses.ts`), so
 * the limits below are reached only by values no credential has; they are stated so
 * the property tests can hold each format to them.
 */
import * as l10n from '@vscode/l10n';
import { IdentityCenterError } from '../common/errors';

/** The formats, as the command's `format` argument names them. */
export const ENVIRONMENT_FORMATS = ['sh', 'fish', 'powershell', 'cmd', 'dotenv'] as const;

/** One of `ENVIRONMENT_FORMATS`. */
export type EnvironmentFormat = (typeof ENVIRONMENT_FORMATS)[number];

/** True when `value` names a format. */
export function isEnvironmentFormat(value: unknown): value is EnvironmentFormat {
  return (ENVIRONMENT_FORMATS as readonly unknown[]).includes(value);
}

/** How one format sets a variable: the line, or a `configuration` error saying what the format cannot hold. */
type Syntax = (name: string, value: string) => string;

/** Longest line cmd.exe reads at its prompt, in characters. */
const CMD_MAX_LINE = 8191;

const SYNTAXES: Record<EnvironmentFormat, Syntax> = {
  /**
   * POSIX sh (bash, zsh, dash, ksh): `export NAME='…'`. Between single quotes every
   * character is literal (newlines, `$`, backslashes, backticks included) and nothing
   * escapes a `'`, so each `'` becomes `'\''`: close, an escaped quote, reopen.
   * Every value round-trips.
   */
  sh: (name, value) => `export ${name}='${value.replaceAll("'", "'\\''")}'`,
  /**
   * fish: `set -gx NAME '…'`. Between single quotes fish honours exactly two escapes,
   * `\'` and `\\`; every other character (newlines, `$`, a backslash before anything
   * else) is literal. Every value round-trips.
   */
  fish: (name, value) => `set -gx ${name} '${value.replace(/[\\']/g, '\\$&')}'`,
  /**
   * PowerShell: `$env:NAME = '…'`. A single-quoted string is verbatim (no `$` or
   * backtick expansion, newlines kept) except that a quote is written twice; PowerShell
   * counts the typographic quotes ‘ ’ ‚ ‛ (U+2018–U+201B) as single quotes too, so they
   * are doubled as well. An empty value is refused: assigning '' removes the variable.
   */
  powershell: (name, value) => {
    if (value === '') refuse(l10n.t('{0} cannot be written for PowerShell: an empty value would remove the variable. Choose another format.', name));
    return `$env:${name} = '${value.replace(/['\u2018-\u201b]/g, '$&$&')}'`;
  },
  /**
   * cmd.exe: `set "NAME=…"`, for the interactive prompt. Inside the quotes `^ & | < > ( )`
   * and spaces are literal, and `set` keeps everything between the first `=` and the last
   * quote. cmd has no escape that works there for the rest, so a value is refused when it
   * holds `%` (variables are expanded before quotes are read, and `%%` is no escape at the
   * prompt), `!` (expanded when delayed expansion is on, which a line cannot know), `"`
   * (it ends the quoting, exposing `&` and the like), a line break or another control
   * character (a line ends at LF, and the prompt acts on Tab and the like), or is empty
   * (`set "NAME="` removes the variable); or when the line would pass cmd's 8191
   * characters. What passes means the same in a batch file.
   */
  cmd: (name, value) => {
    const line = `set "${name}=${value}"`;
    if (value === '' || /[%!"\p{Cc}]/u.test(value) || line.length > CMD_MAX_LINE) {
      refuse(
        l10n.t(
          '{0} cannot be written for cmd: cmd would change a value that is empty or holds %, ! or a double quote, cannot take a line break or another control character, and reads lines of at most {1} characters. Choose another format, such as PowerShell.',
          name,
          CMD_MAX_LINE,
        ),
      );
    }
    return line;
  },
  /** A `.env` file, as the `dotenv` package reads it: see `dotenvValue`. */
  dotenv: (name, value) => {
    const written = dotenvValue(value);
    if (written === undefined) {
      refuse(
        l10n.t(
          '{0} cannot be written for a .env file: dotenv has no escapes, and this value can be written neither between any of its quotes (\', " or `) nor bare. Choose another format.',
          name,
        ),
      );
    }
    return `${name}=${written}`;
  },
};

/** Throws the `configuration` error of a value a format cannot hold. */
function refuse(message: string): never {
  throw new IdentityCenterError('configuration', message);
}

/**
 * A value as the `dotenv` npm package (both of its parsers) reads it back exactly, or
 * undefined when it has no such spelling. dotenv knows no escapes but `\n` and `\r`
 * between double quotes. A quoted value ends at the first quote of its kind that has no
 * backslash before it and ends the line (or starts a `#` comment); a line whose quoting
 * does not end so is read whole, up to any `#`, and loses its outer quotes. The first
 * spelling that fits is taken:
 * 1. between quotes the value does not hold (one with a backslash before it does not
 *    count), first single, then double, then backticks: the value must not end with a
 *    backslash (the closing quote would count as escaped) nor hold a carriage return
 *    (dotenv turns it into a line feed) between single quotes or backticks; between
 *    double quotes line breaks are written `\n` and `\r`, so the value must not hold a
 *    backslash followed by n or r. Single quotes are the usual case (credentials are
 *    base64-like), and the one every common dotenv reader takes literally (python-dotenv,
 *    Ruby's dotenv and Docker Compose expand nothing there; python-dotenv alone reads
 *    `\\` as one backslash); other readers may expand `$` or escapes in double quotes;
 * 2. bare, when the value is not empty, has no `#` or line break (nor U+2028 or U+2029
 *    if it holds a quote), and neither starts with a quote nor starts or ends with white
 *    space;
 * 3. between quotes the value holds, with the same rules but for the trailing
 *    backslash, when the line has no `#` or line break so that dotenv reads it whole;
 *    nor U+2028 or U+2029 (both parsers take a quote before one for the end of the value,
 *    and keeping them all out is simpler than finding which are safe).
 */
function dotenvValue(value: string): string | undefined {
  const quoted = (quote: string) => {
    const body = quote === '"' ? value.replace(/\n/g, '\\n').replace(/\r/g, '\\r') : value;
    const fits = !body.includes('\r') && !(quote === '"' && /\\[nr]/.test(value));
    return { spelling: `${quote}${body}${quote}`, fits, held: holdsUnescaped(value, quote), readWhole: !/[#\n\u2028\u2029]/.test(body) };
  };
  const spellings = ["'", '"', '`'].map(quoted);
  const apart = spellings.find((quote) => quote.fits && !quote.held && !value.endsWith('\\'));
  if (apart) return apart.spelling;
  if (value !== '' && !/[#\r\n]|^['"`\s]|\s$/.test(value) && !(/[\u2028\u2029]/.test(value) && /['"`]/.test(value))) return value;
  return spellings.find((quote) => quote.fits && quote.held && quote.readWhole)?.spelling;
}

/** True when `value` holds `quote` with no backslash just before it. */
function holdsUnescaped(value: string, quote: string): boolean {
  return value.split(quote).slice(0, -1).some((before) => !before.endsWith('\\'));
}

/** A NUL, or half of a surrogate pair: what no environment (or UTF-8 text) can hold. */
const UNREPRESENTABLE = /[\0\p{Cs}]/u;

/** True when `name` is a variable name every format takes as it is. */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The lines that set each of `variables` in `format`, in order, each ending in a line
 * feed. Throws a `configuration` error naming the first variable whose value the format
 * cannot hold (the value itself is never in the message).
 */
export function formatVariables(format: EnvironmentFormat, variables: Readonly<Record<string, string>>): string {
  const syntax = SYNTAXES[format];
  return Object.entries(variables)
    .map(([name, value]) => {
      if (!VARIABLE_NAME.test(name)) refuse(l10n.t('{0} is not an environment variable name.', name));
      if (UNREPRESENTABLE.test(value)) refuse(l10n.t('{0} cannot be set: its value holds a NUL character or a broken Unicode character, which no environment can hold.', name));
      return `${syntax(name, value)}\n`;
    })
    .join('');
}
