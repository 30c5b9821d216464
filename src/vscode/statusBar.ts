/**
 * A status bar item that shows whether you are signed in and when the session ends;
 * a click offers Sign In or Sign Out.
 */
import * as vscode from 'vscode';
import { IdentityCenterAuthProvider } from './authProvider';

/** The internal command behind a click on the item. */
export const STATUS_MENU_COMMAND = 'iamIdentityCenter.statusMenu';

/** Creates the item and keeps it current; returns its disposables. */
export function createStatusBar(provider: IdentityCenterAuthProvider): vscode.Disposable[] {
  const item = vscode.window.createStatusBarItem('iamIdentityCenter.status', vscode.StatusBarAlignment.Left, 0);
  item.name = 'IAM Identity Center';
  item.command = STATUS_MENU_COMMAND;
  const update = async () => {
    const [session] = await provider.getSessions().catch(() => []);
    const expiresAt = session ? provider.expiresAt(session.id) : undefined;
    if (session) {
      const ends = expiresAt ? new Date(expiresAt * 1000).toLocaleTimeString() : 'soon';
      item.text = `$(account) ${session.account.label}`;
      item.tooltip = `IAM Identity Center: signed in as ${session.account.label}; the session ends at ${ends}. Click to sign out.`;
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
    vscode.commands.registerCommand(STATUS_MENU_COMMAND, async () => {
      const sessions = await provider.getSessions();
      const choice = await vscode.window.showQuickPick(
        sessions.length > 0
          ? [{ label: '$(sign-out) Sign Out', command: 'iamIdentityCenter.signOut' }, { label: '$(output) Show Log', command: 'iamIdentityCenter.showLog' }]
          : [{ label: '$(sign-in) Sign In', command: 'iamIdentityCenter.signIn' }, { label: '$(output) Show Log', command: 'iamIdentityCenter.showLog' }],
        { title: 'IAM Identity Center', placeHolder: sessions.length > 0 ? `Signed in as ${sessions[0].account.label}` : 'Not signed in' },
      );
      if (choice) await vscode.commands.executeCommand(choice.command);
    }),
  ];
}
