/**
 * The one status bar item: the product and what is in use (the agency and account, or
 * the signed-in account, or Sign In), with until when in the tooltip. A click opens the
 * menu of what applies (`src/vscode/ui/statusMenu.ts`, in the lazy UI bundle).
 */
import * as vscode from 'vscode';
import { plainText } from '../core/common/displayText';
import type { AgencyService } from './agencies/agencyService';
import type { IdentityCenterAuthProvider } from './authProvider';
import { COMMANDS } from './commands/ids';
import { formatEnd } from './summaries';
import { loadUiBundle } from './uiBundle';

/** Creates the item and keeps it current; returns its disposables. */
export function createStatusBar(provider: IdentityCenterAuthProvider, agencies: AgencyService): vscode.Disposable[] {
  const item = vscode.window.createStatusBarItem('iamIdentityCenter.status', vscode.StatusBarAlignment.Left, 0);
  item.name = vscode.l10n.t('IAM Identity Center');
  item.command = COMMANDS.statusMenu;
  const update = async () => {
    const { session, agency } = await agencies.inUse();
    let text: string;
    if (agency) {
      const { selection, credentials } = agency;
      const [name, account] = [plainText(selection.agencyName), plainText(selection.accountName || selection.accountId)];
      text = vscode.l10n.t('IAM Identity Center: {0} · {1}', name, account);
      item.tooltip = credentials
        ? vscode.l10n.t('Agency {0} in account {1} is in use; its credentials end {2}. Click for actions.', name, account, formatEnd(credentials))
        : vscode.l10n.t('Agency {0} in account {1} is selected but has no current credentials. Click for actions.', name, account);
    } else if (session) {
      const label = plainText(session.account.label);
      text = vscode.l10n.t('IAM Identity Center: {0}', label);
      item.tooltip = vscode.l10n.t('Signed in as {0}; the session ends {1}. No agency is in use. Click for actions.', label, formatEnd(session));
    } else {
      text = vscode.l10n.t('IAM Identity Center: Sign In');
      item.tooltip = vscode.l10n.t('IAM Identity Center: not signed in. Click for actions.');
    }
    item.text = `$(cloud) ${text}`;
    item.show();
  };
  void update();
  const timer = setInterval(() => void update(), 60_000);
  return [
    item,
    provider.onDidChangeSessions(() => void update()),
    agencies.onDidChange(() => void update()),
    { dispose: () => clearInterval(timer) },
    vscode.commands.registerCommand(COMMANDS.statusMenu, () => loadUiBundle().showStatusMenu(agencies)),
  ];
}
