/**
 * The lazily loaded UI, `dist/ui.js` (built from `src/vscode/ui/bundle.ts`): the command
 * bodies, prompts and picks, the sign-in's notifications and progress, and the accounts
 * view's data. Nothing of it runs at activation; the first command or view does.
 */
/** What `dist/ui.js` exports. */
export type UiBundle = typeof import('./ui/bundle');

let loaded: UiBundle | undefined;

/** Loads `dist/ui.js` on first use. */
export function loadUiBundle(): UiBundle {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('./ui.js') as UiBundle;
  return loaded;
}
