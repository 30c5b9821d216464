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
import { COMMANDS } from '../commands/ids';
import { copyCredentials } from './commands/copyCredentials';
import { setStartUrl } from './signInUi';
import { copyAccountId, copyAgencyUrn } from './commands/copyIds';

if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });

export { runSignIn } from './signIn';
export { pickRegion } from './regionPick';
export { showStatusMenu } from './statusMenu';
export { AccountsView } from './accountsTree';
export { showAgencySignInNeeded } from './agencyActions';
export { warnOfEndingSessions, warnOfShortLivedSecrets } from './sessionEndWarning';

/** Each palette command's name in the log (English, as the log is) and body, by its key in `COMMANDS`, which gives its id. */
const PALETTE_COMMANDS = {
  registerClient: { name: 'Register Client', body: registerClient },
  showClient: { name: 'Show Client', body: showClient },
  forgetClient: { name: 'Forget Client', body: forgetClient },
  chooseRegion: { name: 'Choose Region', body: chooseRegion },
  setStartUrl: { name: 'Set User Portal URL', body: setStartUrl },
  signIn: { name: 'Sign In', body: signIn },
  signOut: { name: 'Sign Out', body: signOut },
  listAccounts: { name: 'List Accounts', body: listAccountsCommand },
  listAgencies: { name: 'List Agencies', body: listAgenciesCommand },
  selectAgency: { name: 'Select Account and Agency', body: selectAgencyCommand },
  useAgency: { name: 'Use This Agency', body: useAgency },
  copyAccountId: { name: 'Copy Account ID', body: copyAccountId },
  copyAgencyUrn: { name: 'Copy Agency URN', body: copyAgencyUrn },
  showAgency: { name: 'Show Selected Agency', body: showAgency },
  clearAgency: { name: 'Stop Using Agency Credentials', body: clearAgency },
  openTerminal: { name: 'Open Terminal with Agency Credentials', body: openTerminal },
  copyCredentials: { name: 'Copy Agency Credentials as Environment Variables', body: copyCredentials },
} satisfies Partial<Record<keyof typeof COMMANDS, { name: string; body: CommandBody<unknown> }>>;

/** The palette commands `src/vscode/commands/index.ts` registers, by their key in `COMMANDS`. */
export type PaletteCommand = keyof typeof PALETTE_COMMANDS;

/** Runs palette command `command` with `args` (see `runCommand`); its id lets a failure's Retry run it again. */
export function runPaletteCommand(deps: CommandDeps, command: PaletteCommand, args: unknown): Promise<unknown> {
  const { name, body } = PALETTE_COMMANDS[command];
  return runCommand(deps, COMMANDS[command], name, args, body as CommandBody<unknown>);
}
