/**
 * The menu behind a click on the status bar item, as the AWS Toolkit's users know it:
 * what applies now. Signed in: Switch Agency (or Select Account and Agency), and with an
 * agency in use Open Terminal and Stop Using, then Sign Out; signed out: Sign In. With
 * more than one profile, Choose Profile. Show Log always.
 */
import * as vscode from 'vscode';
import { plainText } from '../../core/common/displayText';
import type { AgencySelection } from '../../core/credentials/model';
import { COMMANDS } from '../commands/ids';
import { host } from './instances';

/** A row of the menu: the command it runs. */
type Entry = vscode.QuickPickItem & { command: string };

/** Shows the menu for what is in use (as the status bar item shows it), and runs the chosen command. */
export async function showStatusMenu(): Promise<void> {
  const { instances, settings } = host();
  const runtime = instances.windowInstance();
  const [session] = (await runtime?.liveSessions().catch(() => [])) ?? [];
  const state = await runtime?.agencyState().catch(() => undefined);
  const account = session?.account.label;
  const agency = session || state?.credentials ? state?.selection : undefined;
  const entries: Entry[] = [];
  if (!account) entries.push({ label: `$(sign-in) ${vscode.l10n.t('Sign In')}`, command: COMMANDS.signIn });
  else if (!agency) entries.push({ label: `$(cloud) ${vscode.l10n.t('Select Account and Agency')}`, command: COMMANDS.selectAgency });
  else entries.push({ label: `$(arrow-swap) ${vscode.l10n.t('Switch Agency')}`, description: vscode.l10n.t('Select Account and Agency'), command: COMMANDS.selectAgency });
  if (agency) {
    entries.push(
      { label: `$(terminal) ${vscode.l10n.t('Open Terminal with Agency Credentials')}`, command: COMMANDS.openTerminal },
      { label: `$(circle-slash) ${vscode.l10n.t('Stop Using Agency Credentials')}`, command: COMMANDS.clearAgency },
    );
  }
  if (account) entries.push({ label: `$(sign-out) ${vscode.l10n.t('Sign Out')}`, description: plainText(account), command: COMMANDS.signOut });
  if (settings.profileNames().length > 1) entries.push({ label: `$(organization) ${vscode.l10n.t('Choose Profile')}`, description: runtime && plainText(runtime.profile.name), command: COMMANDS.chooseProfile });
  entries.push({ label: `$(output) ${vscode.l10n.t('Show Log')}`, command: COMMANDS.showLog });
  const choice = await vscode.window.showQuickPick(entries, { title: vscode.l10n.t('IAM Identity Center'), placeHolder: summaryOf(account, agency) });
  if (choice) await vscode.commands.executeCommand(choice.command);
}

/** The menu's placeholder: what is in use. */
function summaryOf(account: string | undefined, agency: AgencySelection | undefined): string {
  if (agency) return vscode.l10n.t('Using agency {0} in account {1}', plainText(agency.agencyName), plainText(agency.accountName || agency.accountId));
  return account ? vscode.l10n.t('Signed in as {0}', plainText(account)) : vscode.l10n.t('Not signed in');
}
