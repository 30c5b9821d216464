/**
 * The one status bar item: the product and what is in use in the window (the agency and
 * account, or the signed-in account, or Sign In), with until when in the tooltip, and the
 * profile's name when there is more than one. A click opens the menu of what applies
 * (`src/vscode/ui/statusBar.ts`, in the lazy bundle).
 */
import * as vscode from 'vscode';
import { plainText } from '../core/common/displayText';
import type { InstanceRegistry } from '../core/instance/registry';
import { COMMANDS } from './commands/ids';
import type { LazyBundle } from './lazy';
import type { Settings } from './settings';
import { formatEnd } from './summaries';

/** Creates the item and keeps it current; returns its disposables. */
export function createStatusBar(instances: InstanceRegistry, settings: Settings, lazy: () => LazyBundle): vscode.Disposable[] {
  const item = vscode.window.createStatusBarItem('iamIdentityCenter.status', vscode.StatusBarAlignment.Left, 0);
  item.name = vscode.l10n.t('IAM Identity Center');
  item.command = COMMANDS.statusMenu;
  const update = async () => {
    const runtime = instances.windowInstance();
    const [session] = (await runtime?.liveSessions().catch(() => [])) ?? [];
    const state = await runtime?.agencyState().catch(() => undefined);
    const agency = session || state?.credentials ? state : undefined;
    const product = settings.profileNames().length > 1 && runtime ? vscode.l10n.t('IAM Identity Center ({0})', plainText(runtime.profile.name)) : vscode.l10n.t('IAM Identity Center');
    let text: string;
    if (agency) {
      const { selection, credentials } = agency;
      const [name, account] = [plainText(selection.agencyName), plainText(selection.accountName || selection.accountId)];
      text = vscode.l10n.t('{0}: {1} · {2}', product, name, account);
      item.tooltip = credentials
        ? vscode.l10n.t('Agency {0} in account {1} is in use; its credentials end {2}. Click for actions.', name, account, formatEnd(credentials))
        : vscode.l10n.t('Agency {0} in account {1} is selected but has no current credentials. Click for actions.', name, account);
    } else if (session) {
      const label = plainText(session.account.label);
      text = vscode.l10n.t('{0}: {1}', product, label);
      item.tooltip = vscode.l10n.t('Signed in as {0}; the session ends {1}. No agency is in use. Click for actions.', label, formatEnd(session));
    } else {
      text = vscode.l10n.t('{0}: Sign In', product);
      item.tooltip = vscode.l10n.t('IAM Identity Center: not signed in. Click for actions.');
    }
    item.text = `$(cloud) ${text}`;
    item.show();
  };
  void update();
  const timer = setInterval(() => void update(), 60_000);
  return [
    item,
    { dispose: instances.onDidChange((runtime) => runtime === instances.windowInstance() && void update()) },
    // A profile added or removed elsewhere decides whether the item names the window's.
    vscode.workspace.onDidChangeConfiguration((event) => settings.affects(event, 'profiles') && void update()),
    { dispose: () => clearInterval(timer) },
    vscode.commands.registerCommand(COMMANDS.statusMenu, () => lazy().showStatusMenu()),
  ];
}
