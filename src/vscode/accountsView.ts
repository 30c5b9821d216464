/**
 * The "Accounts" view of the IAM Identity Center container, registered at activation:
 * the window profile's accounts, which expand to their agencies, the agency in use
 * marked, and a welcome view with Sign In while signed out; its title names the profile
 * when there is more than one. Its data comes from the lazy bundle
 * (`src/vscode/ui/accountsView.ts`), made when the view is first shown, so a start with
 * the view closed asks the portal nothing.
 */
import * as vscode from 'vscode';
import { plainText } from '../core/common/displayText';
import type { InstanceRegistry } from '../core/instance/registry';
import { COMMANDS } from './commands/ids';
import type { AccountsData, LazyBundle } from './lazy';
import type { Settings } from './settings';

/** The view's id (`package.json` `contributes.views`). */
export const ACCOUNTS_VIEW_ID = 'iamIdentityCenter.accounts';

/** Creates the view and its refresh; returns their disposables. */
export function createAccountsView(instances: InstanceRegistry, settings: Settings, lazy: () => LazyBundle): vscode.Disposable[] {
  const changes = new vscode.EventEmitter<unknown>();
  let data: AccountsData | undefined;
  const view: vscode.TreeView<unknown> = vscode.window.createTreeView<unknown>(ACCOUNTS_VIEW_ID, {
    treeDataProvider: {
      onDidChangeTreeData: changes.event,
      getTreeItem: (node) => dataOf().getTreeItem(node),
      getChildren: (node) => dataOf().getChildren(node),
    },
    showCollapseAll: true,
  });
  const dataOf = (): AccountsData => (data ??= lazy().accountsView(view, changes));
  const refresh = () => (data ? data.refresh() : changes.fire(undefined));
  // A description would not show: a view alone in its container shows only its title.
  const title = view.title;
  const nameProfile = () => {
    const runtime = instances.windowInstance();
    view.title = settings.profileNames().length > 1 && runtime ? vscode.l10n.t('{0} ({1})', title ?? '', plainText(runtime.profile.name)) : title;
  };
  return [
    view,
    changes,
    vscode.commands.registerCommand(COMMANDS.refreshAccounts, refresh),
    vscode.commands.registerCommand(COMMANDS.retryAgencies, (node: unknown) => data?.retryAgencies(node)),
    // A new or ended session, or another profile for the window, changes the accounts; a
    // refreshed token does not, and listing again then would redraw under the pointer.
    {
      dispose: instances.onDidChange((runtime, change) => {
        if (runtime !== instances.windowInstance()) return;
        if (change === 'window') nameProfile();
        if (change === 'agency') data?.agencyChanged();
        else refresh();
      }),
    },
    vscode.workspace.onDidChangeConfiguration((event) => settings.affects(event, 'profiles') && nameProfile()),
  ];
}
