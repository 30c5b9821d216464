/**
 * The menu behind a click on the sign-in status bar item: Sign In or Sign Out, and Show Log.
 */
import * as vscode from 'vscode';
import type { IdentityCenterAuthProvider } from '../authProvider';
import { COMMANDS } from '../commands/ids';

/** Shows the menu and runs the chosen command. */
export async function showStatusMenu(provider: IdentityCenterAuthProvider): Promise<void> {
  const sessions = await provider.getSessions();
  const showLog = { label: `$(output) ${vscode.l10n.t('Show Log')}`, command: COMMANDS.showLog };
  const choice = await vscode.window.showQuickPick<vscode.QuickPickItem & { command: string }>(
    sessions.length > 0
      ? [{ label: `$(sign-out) ${vscode.l10n.t('Sign Out')}`, command: COMMANDS.signOut }, showLog]
      : [{ label: `$(sign-in) ${vscode.l10n.t('Sign In')}`, command: COMMANDS.signIn }, showLog],
    {
      title: vscode.l10n.t('IAM Identity Center'),
      placeHolder: sessions.length > 0 ? vscode.l10n.t('Signed in as {0}', sessions[0].account.label) : vscode.l10n.t('Not signed in'),
    },
  );
  if (choice) await vscode.commands.executeCommand(choice.command);
}
