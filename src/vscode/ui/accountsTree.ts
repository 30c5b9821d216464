/**
 * The data of the "Accounts" view (`src/vscode/agencies/accountsView.ts`): accounts that
 * expand to their agencies, the agency in use marked. It asks the portal only when shown
 * or expanded, keeps what it got until Refresh, and lists nothing while signed out, so
 * the welcome view (with a Sign In button) shows.
 */
import * as vscode from 'vscode';
import { plainText } from '../../core/common/displayText';
import { isIdentityCenterError } from '../../core/common/errors';
import type { Account, Agency } from '../../core/credentials/model';
import type { IdentityCenterAuthProvider } from '../authProvider';
import type { AccountsNode } from '../agencies/accountsView';
import type { AgencyService } from '../agencies/agencyService';
import { listAccounts, listAgencies } from './agencyActions';

/**
 * The view's data: accounts, then agencies, each fetched once until Refresh. Each row
 * keeps one node object, so a change of the agency in use redraws just the agency rows,
 * never the whole tree under the user's pointer.
 */
export class AccountsView {
  private accounts?: Promise<Account[]>;
  private readonly agencies = new Map<string, Promise<Agency[]>>();
  /** The node of each row shown, by its tree item id. */
  private readonly nodes = new Map<string, AccountsNode>();

  constructor(
    private readonly service: AgencyService,
    private readonly provider: IdentityCenterAuthProvider,
    /** Where a failure to list is shown. */
    private readonly view: vscode.TreeView<AccountsNode>,
    private readonly changes: vscode.EventEmitter<AccountsNode | AccountsNode[] | undefined>,
  ) {}

  /** Forgets what was listed and asks again when shown. */
  refresh(): void {
    this.accounts = undefined;
    this.agencies.clear();
    this.nodes.clear();
    this.changes.fire(undefined);
  }

  /** Redraws the agency rows shown (which one is in use), without listing anything again. */
  selectionChanged(): void {
    const agencyRows = [...this.nodes.values()].filter((node) => node.kind === 'agency');
    if (agencyRows.length > 0) this.changes.fire(agencyRows);
  }

  getTreeItem(node: AccountsNode): vscode.TreeItem {
    const selected = this.service.selection();
    if (node.kind === 'account') {
      const item = new vscode.TreeItem(
        plainText(node.account.accountName || node.account.accountId),
        node.account.accountId === selected?.accountId ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
      );
      item.id = `account:${node.account.accountId}`;
      item.description = plainText(node.account.accountId);
      item.tooltip = node.account.email ? plainText(node.account.email) : undefined;
      item.iconPath = new vscode.ThemeIcon('cloud');
      item.contextValue = 'account';
      return item;
    }
    const inUse = node.agency.agencyUrn === selected?.agencyUrn;
    const item = new vscode.TreeItem(plainText(node.agency.agencyName), vscode.TreeItemCollapsibleState.None);
    item.id = `agency:${node.agency.agencyUrn}`;
    item.description = inUse ? vscode.l10n.t('{0} · in use', plainText(node.agency.permissionSetName)) : plainText(node.agency.permissionSetName);
    item.tooltip = node.agency.description ? plainText(node.agency.description) : undefined;
    item.iconPath = new vscode.ThemeIcon(inUse ? 'pass-filled' : 'key');
    item.contextValue = inUse ? 'agencyInUse' : 'agency';
    return item;
  }

  async getChildren(node?: AccountsNode): Promise<AccountsNode[]> {
    if (node?.kind === 'agency') return [];
    this.view.message = undefined;
    try {
      if (!node) {
        if ((await this.provider.liveSessions()).length === 0) return [];
        this.accounts ??= listAccounts(this.service, false);
        return (await this.accounts).map((account) => this.node(`account:${account.accountId}`, { kind: 'account', account }));
      }
      const { account } = node;
      let agencies = this.agencies.get(account.accountId);
      if (!agencies) {
        agencies = listAgencies(this.service, account.accountId, false);
        this.agencies.set(account.accountId, agencies);
      }
      return (await agencies).map((agency) => this.node(`agency:${agency.agencyUrn}`, { kind: 'agency', account, agency }));
    } catch (error) {
      if (node) this.agencies.delete(node.account.accountId);
      else this.accounts = undefined;
      this.view.message = isIdentityCenterError(error) ? error.message : vscode.l10n.t('Could not list the accounts. The log (Show Log) has the details.');
      return [];
    }
  }

  /** The one node of the row `id`, made from `fresh` the first time. */
  private node(id: string, fresh: AccountsNode): AccountsNode {
    let node = this.nodes.get(id);
    if (!node) {
      node = fresh;
      this.nodes.set(id, node);
    }
    return node;
  }
}
