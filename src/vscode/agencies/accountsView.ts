/**
 * The "Accounts" view of the IAM Identity Center container, registered at activation:
 * accounts that expand to their agencies, the agency in use marked, an inline action to
 * use another, a row with Retry under an account whose agencies could not be listed,
 * and a welcome view with Sign In while signed out. Its data comes from
 * the lazily loaded UI bundle (`src/vscode/ui/accountsTree.ts`), created when the view
 * is first shown, so a start with the view closed asks the portal nothing.
 */
import * as vscode from 'vscode';
import type { Account, Agency } from '../../core/credentials/model';
import type { IdentityCenterAuthProvider } from '../authProvider';
import { COMMANDS } from '../commands/ids';
import type { AccountsView } from '../ui/accountsTree';
import { loadUiBundle } from '../uiBundle';
import type { AgencyService } from './agencyService';

/** The view's id (`package.json` `contributes.views`). */
export const ACCOUNTS_VIEW_ID = 'iamIdentityCenter.accounts';

/** An item of the view: an account, one of its agencies, or why its agencies could not be listed. */
export type AccountsNode =
  | { kind: 'account'; account: Account }
  | { kind: 'agency'; account: Account; agency: Agency }
  | { kind: 'agenciesError'; account: Account; message: string };

/** Creates the view and its refresh; returns their disposables. */
export function createAccountsView(service: AgencyService, provider: IdentityCenterAuthProvider): vscode.Disposable[] {
  const changes = new vscode.EventEmitter<AccountsNode | AccountsNode[] | undefined>();
  let data: AccountsView | undefined;
  const view: vscode.TreeView<AccountsNode> = vscode.window.createTreeView<AccountsNode>(ACCOUNTS_VIEW_ID, {
    treeDataProvider: {
      onDidChangeTreeData: changes.event,
      getTreeItem: (node) => dataOf().getTreeItem(node),
      getChildren: (node) => dataOf().getChildren(node),
    },
    showCollapseAll: true,
  });
  const dataOf = (): AccountsView => (data ??= new (loadUiBundle().AccountsView)(service, provider, view, changes));
  const refresh = () => (data ? data.refresh() : changes.fire(undefined));
  return [
    view,
    changes,
    vscode.commands.registerCommand(COMMANDS.refreshAccounts, refresh),
    vscode.commands.registerCommand(COMMANDS.retryAgencies, (node: AccountsNode) => data?.retryAgencies(node)),
    service.onDidChange(() => data?.selectionChanged()),
    // A new or ended session can change the accounts; a refreshed token cannot, and
    // refetching then would redraw the tree under the user's pointer.
    provider.onDidChangeSessions((event) => {
      if ((event.added?.length ?? 0) + (event.removed?.length ?? 0) > 0) refresh();
    }),
  ];
}
