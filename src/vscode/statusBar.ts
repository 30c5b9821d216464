/**
 * A status bar item that shows whether you are signed in and when the session ends;
 * a click offers Sign In or Sign Out.
 */
import * as vscode from 'vscode';
import { plainText } from '../core/common/displayText';
import type { AgencyService } from './agencies/agencyService';
import type { IdentityCenterAuthProvider } from './authProvider';
import { COMMANDS } from './commands/ids';
import { formatEnd } from './summaries';
import { loadUiBundle } from './uiBundle';

/** Creates the item and keeps it current; returns its disposables. */
export function createStatusBar(provider: IdentityCenterAuthProvider): vscode.Disposable[] {
  const item = vscode.window.createStatusBarItem('iamIdentityCenter.status', vscode.StatusBarAlignment.Left, 0);
  item.name = vscode.l10n.t('IAM Identity Center');
  item.command = COMMANDS.statusMenu;
  const update = async () => {
    const [session] = await provider.liveSessions().catch(() => []);
    if (session) {
      const label = plainText(session.account.label);
      item.text = `$(account) ${label}`;
      item.tooltip = vscode.l10n.t(
        'IAM Identity Center: signed in as {0}; the session ends {1}. Click to sign out.',
        label,
        formatEnd(session),
      );
    } else {
      item.text = `$(account) ${vscode.l10n.t('IAM Identity Center: Sign In')}`;
      item.tooltip = vscode.l10n.t('IAM Identity Center: not signed in. Click to sign in.');
    }
    item.show();
  };
  void update();
  const timer = setInterval(() => void update(), 60_000);
  return [
    item,
    provider.onDidChangeSessions(() => void update()),
    { dispose: () => clearInterval(timer) },
    vscode.commands.registerCommand(COMMANDS.statusMenu, () => loadUiBundle().showStatusMenu(provider)),
  ];
}

/**
 * A second item, shown while an agency is selected: the agency and account in use, and
 * (in the tooltip) when their credentials end. A click shows the selection.
 */
export function createAgencyStatusBar(agencies: AgencyService): vscode.Disposable[] {
  const item = vscode.window.createStatusBarItem('iamIdentityCenter.agency', vscode.StatusBarAlignment.Left, -1);
  item.name = vscode.l10n.t('IAM Identity Center agency');
  item.command = COMMANDS.showAgency;
  const update = async () => {
    const state = await agencies.state().catch(() => undefined);
    if (!state) {
      item.hide();
      return;
    }
    const { selection, credentials } = state;
    item.text = `$(cloud) ${plainText(selection.agencyName)} · ${plainText(selection.accountName || selection.accountId)}`;
    item.tooltip = credentials
      ? vscode.l10n.t(
          'IAM Identity Center: agency {0} in account {1}; its credentials end {2} and are renewed before then.',
          plainText(selection.agencyName),
          plainText(selection.accountName),
          formatEnd(credentials),
        )
      : vscode.l10n.t('IAM Identity Center: agency {0} in account {1}; no current credentials. Sign in to get them.', plainText(selection.agencyName), plainText(selection.accountName));
    item.show();
  };
  void update();
  return [item, agencies.onDidChange(() => void update())];
}
