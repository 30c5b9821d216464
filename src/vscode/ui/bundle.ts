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
import { openTerminal } from './commands/terminal';
import { CommandBody, CommandDeps, runCommand } from './commands/run';
import { copyCredentials } from './commands/copyCredentials';

if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });

export { runSignIn } from './signIn';
export { pickRegion } from './regionPick';
export { showStatusMenu } from './statusMenu';
export { AccountsView } from './accountsTree';
export { showAgencySignInNeeded } from './agencyActions';
export { warnOfEndingSessions, warnOfShortLivedSecrets } from './sessionEndWarning';

/** The body of each palette command, by the name `src/vscode/commands/index.ts` registers it under. */
export const COMMAND_BODIES = {
  chooseRegion,
  registerClient,
  showClient,
  forgetClient,
  signIn,
  signOut,
  listAccounts: listAccountsCommand,
  listAgencies: listAgenciesCommand,
  selectAgency: selectAgencyCommand,
  useAgency,
  showAgency,
  clearAgency,
  openTerminal,
  copyCredentials,
};

/** Each palette command's name in the log (English, as the log is). */
const LOG_NAMES: Record<keyof typeof COMMAND_BODIES, string> = {
  chooseRegion: 'Choose Region',
  registerClient: 'Register Client',
  showClient: 'Show Client',
  forgetClient: 'Forget Client',
  signIn: 'Sign In',
  signOut: 'Sign Out',
  listAccounts: 'List Accounts',
  listAgencies: 'List Agencies',
  selectAgency: 'Select Account and Agency',
  useAgency: 'Use This Agency',
  showAgency: 'Show Selected Agency',
  clearAgency: 'Stop Using Agency Credentials',
  openTerminal: 'Open Terminal with Agency Credentials',
  copyCredentials: 'Copy Agency Credentials as Environment Variables',
};

/** Runs the palette command `body` (`runCommand`), as `src/vscode/commands/index.ts` registers it. */
export function runPaletteCommand(deps: CommandDeps, body: keyof typeof COMMAND_BODIES, args: unknown): Promise<unknown> {
  return runCommand(deps, LOG_NAMES[body], args, COMMAND_BODIES[body] as CommandBody<unknown>);
}
