/**
 * The menu behind a click on the sign-in status bar item: Sign In or Sign Out, and Show Log.
 */
import * as vscode from 'vscode';
import type { IdentityCenterAuthProvider } from '../authProvider';
import { COMMANDS } from '../commands/ids';

/** Shows the menu and runs the chosen command. */
export async function showStatusMenu(provider: IdentityCenterAuthProvider): Promise<void> {
  const sessions = await provider.getSessions();
  const choice = await vscode.window.showQuickPick<vscode.QuickPickItem & { command: string }>(
    sessions.length > 0
      ? [{ label: '$(sign-out) Sign Out', command: COMMANDS.signOut }, { label: '$(output) Show Log', command: COMMANDS.showLog }]
      : [{ label: '$(sign-in) Sign In', command: COMMANDS.signIn }, { label: '$(output) Show Log', command: COMMANDS.showLog }],
    { title: 'IAM Identity Center', placeHolder: sessions.length > 0 ? `Signed in as ${sessions[0].account.label}` : 'Not signed in' },
  );
  if (choice) await vscode.commands.executeCommand(choice.command);
}
