/**
 * A status bar item that shows whether you are signed in and when the session ends;
 * a click offers Sign In or Sign Out.
 */
import * as vscode from 'vscode';
import { plainText } from '../core/common/displayText';
import type { IdentityCenterAuthProvider } from './authProvider';
import { COMMANDS } from './commands/ids';

/** Creates the item and keeps it current; returns its disposables. */
export function createStatusBar(provider: IdentityCenterAuthProvider): vscode.Disposable[] {
  const item = vscode.window.createStatusBarItem('iamIdentityCenter.status', vscode.StatusBarAlignment.Left, 0);
  item.name = 'IAM Identity Center';
  item.command = COMMANDS.statusMenu;
  const update = async () => {
    const [session] = await provider.liveSessions().catch(() => []);
    if (session) {
      const label = plainText(session.account.label);
      item.text = `$(account) ${label}`;
      item.tooltip = `IAM Identity Center: signed in as ${label}; the session ends at ${new Date(session.expiresAt * 1000).toLocaleTimeString()}. Click to sign out.`;
    } else {
      item.text = '$(account) IAM Identity Center: Sign In';
      item.tooltip = 'IAM Identity Center: not signed in. Click to sign in.';
    }
    item.show();
  };
  void update();
  const timer = setInterval(() => void update(), 60_000);
  return [
    item,
    provider.onDidChangeSessions(() => void update()),
    { dispose: () => clearInterval(timer) },
    vscode.commands.registerCommand(COMMANDS.statusMenu, async () => {
      const sessions = await provider.getSessions();
      const choice = await vscode.window.showQuickPick<vscode.QuickPickItem & { command: string }>(
        sessions.length > 0
          ? [{ label: '$(sign-out) Sign Out', command: COMMANDS.signOut }, { label: '$(output) Show Log', command: COMMANDS.showLog }]
          : [{ label: '$(sign-in) Sign In', command: COMMANDS.signIn }, { label: '$(output) Show Log', command: COMMANDS.showLog }],
        { title: 'IAM Identity Center', placeHolder: sessions.length > 0 ? `Signed in as ${sessions[0].account.label}` : 'Not signed in' },
      );
      if (choice) await vscode.commands.executeCommand(choice.command);
    }),
  ];
}
