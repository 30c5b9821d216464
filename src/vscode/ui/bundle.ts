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
import { copyAccountId, copyAgencyUrn } from './commands/copyIds';

if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });

export { runCommand } from './commands/run';
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
  copyAccountId,
  copyAgencyUrn,
  showAgency,
  clearAgency,
  openTerminal,
};
