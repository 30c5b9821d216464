/**
 * What `import * as l10n from '@vscode/l10n'` in the bundles gets, in place of the
 * package: its `t` and `config({ contents })`, in 0.4 KB instead of 2.9 KB in each of
 * the three bundles. The core localizes its messages through `@vscode/l10n` because it
 * cannot import `vscode`, and `@vscode/l10n-dev export` collects `l10n.t` calls only
 * from files that import one of the two; each bundle hands its copy VS Code's loaded
 * translations (`vscode.l10n.bundle`).
 *
 * Left out: `config({ fsPath })` and `config({ uri })`, which read or fetch a bundle
 * (the extension never does), and `t` as a template-literal tag. The unit tests run the
 * real package; test/unit/l10n.test.ts checks that this file answers exactly as the
 * installed `@vscode/l10n` does.
 */
'use strict';

/** The loaded translations: English message (or `message/comment`) → translation. */
let bundle;

/** Uses `contents` (a bundle object, or its JSON text) for every later `t`. */
function config(options) {
  if (!options || !('contents' in options)) throw new Error('l10nSlim: config({ contents }) only');
  bundle = typeof options.contents === 'string' ? JSON.parse(options.contents) : options.contents;
}

/**
 * The message in the display language: `t(message, ...args)`, `t(message, { name })` or
 * `t({ message, args, comment })`, with `{0}`/`{name}` replaced by the arguments.
 */
function t(first, ...rest) {
  let key;
  let message;
  let args;
  if (typeof first === 'string') {
    key = message = first;
    args = typeof rest[0] !== 'object' ? rest : rest[0];
  } else if (first && typeof first === 'object' && !Array.isArray(first)) {
    key = message = first.message;
    if (first.comment && first.comment.length > 0) key += `/${Array.isArray(first.comment) ? first.comment.join('') : first.comment}`;
    args = first.args ?? {};
  } else {
    throw new Error('l10nSlim: no template tag');
  }
  const entry = bundle?.[key];
  const text = !entry ? message : typeof entry === 'string' ? entry : entry.comment ? entry.message : message;
  return format(text, args);
}

function format(template, values) {
  if (Object.keys(values).length === 0) return template;
  return template.replace(/{([^}]+)}/g, (match, group) => values[group] ?? match);
}

module.exports = { config, t };
