/**
 * Everything the user reaches by acting, bundled as `dist/ui.js` and loaded on first use
 * (`src/vscode/uiBundle.ts`): the command bodies and how they run, the prompts and
 * picks, the sign-in's UI, the region pick, the status menu and the accounts view's data.
 * Loading it hands its copy of the core the display language's translations.
 */
import * as vscode from 'vscode';
import * as l10n from '@vscode/l10n';
import { clearAgency, listAccountsCommand, listAgenciesCommand, selectAgencyCommand, showAgency, useAgency } from './commands/agency';
import { forgetClient, registerClient, showClient } from './commands/registration';
import { signIn, signOut } from './commands/session';
import { chooseRegion } from './regionPick';
import { setStartUrl } from './signInUi';

if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });

import { CommandBody, CommandDeps, runCommand } from './commands/run';
export { runSignIn } from './signIn';
export { pickRegion } from './regionPick';
export { showStatusMenu } from './statusMenu';
export { AccountsView } from './accountsTree';
export { showAgencySignInNeeded } from './agencyActions';
export { warnOfEndingSessions, warnOfShortLivedSecrets } from './sessionEndWarning';

/**
 * Each palette command's name in the log (English, as the log is) and body, by its key in
 * `COMMANDS`, which `src/vscode/commands/index.ts` registers it under.
 */
export const COMMAND_BODIES = {
  registerClient: ['Register Client', registerClient],
  showClient: ['Show Client', showClient],
  forgetClient: ['Forget Client', forgetClient],
  chooseRegion: ['Choose Region', chooseRegion],
  setStartUrl: ['Set User Portal URL', setStartUrl],
  signIn: ['Sign In', signIn],
  signOut: ['Sign Out', signOut],
  listAccounts: ['List Accounts', listAccountsCommand],
  listAgencies: ['List Agencies', listAgenciesCommand],
  selectAgency: ['Select Account and Agency', selectAgencyCommand],
  useAgency: ['Use This Agency', useAgency],
  showAgency: ['Show Selected Agency', showAgency],
  clearAgency: ['Stop Using Agency Credentials', clearAgency],
} satisfies Record<string, readonly [string, CommandBody<unknown>]>;

/** Runs the palette command `key` of {@link COMMAND_BODIES} with `args`, as `runCommand` runs any. */
export function runPaletteCommand(deps: CommandDeps, key: keyof typeof COMMAND_BODIES, args: unknown): Promise<unknown> {
  const [name, body] = COMMAND_BODIES[key];
  return runCommand(deps, name, args, body as CommandBody<unknown>);
}
