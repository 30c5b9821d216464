/**
 * The data of the "Accounts" view (`src/vscode/accountsView.ts`): the window profile's
 * accounts, which expand to their agencies, the agency in use marked. It asks the portal only when shown
 * or expanded, keeps what it got until Refresh, and lists nothing while signed out, so
 * the welcome view (with a Sign In button) shows. An account whose agencies could not
 * be listed shows why in a row of its own, with Retry; a failure to list the accounts
 * is the view's message until listing works again.
 */
import * as vscode from 'vscode';
import { plainText } from '../../core/common/displayText';
import { isIdentityCenterError } from '../../core/common/errors';
import type { Account, Agency } from '../../core/portal/model';
import type { InstanceRuntime } from '../../core/instance/runtime';
import { COMMANDS } from '../commands/ids';
import { listAccounts, listAgencies } from './agencyActions';
import { host } from './instances';

/** An item of the view: an account, one of its agencies, or why its agencies could not be listed. */
export type AccountsNode =
  | { kind: 'account'; account: Account }
  | { kind: 'agency'; account: Account; agency: Agency }
  | { kind: 'agenciesError'; account: Account; message: string };

/**
 * The view's data: accounts, then agencies, each fetched once until Refresh (or, for
 * one account, Retry). Each account and agency row keeps one node object, so a change
 * of the agency in use redraws just the agency rows, never the whole tree under the
 * user's pointer.
 */
export class AccountsView {
  private accounts?: Promise<Account[]>;
  private readonly agencies = new Map<string, Promise<Agency[]>>();
  /** The node of each account and agency row shown, by its tree item id. */
  private readonly nodes = new Map<string, AccountsNode>();

  constructor(
    /** Where a failure to list the accounts is shown. */
    private readonly view: vscode.TreeView<unknown>,
    private readonly changes: vscode.EventEmitter<unknown>,
  ) {}

  /** The window profile's runtime, whose accounts the view lists. */
  private get runtime(): InstanceRuntime | undefined {
    return host().instances.windowInstance();
  }

  /** Forgets what was listed and asks again when shown. */
  refresh(): void {
    this.accounts = undefined;
    this.agencies.clear();
    this.nodes.clear();
    this.changes.fire(undefined);
  }

  /** Lists the agencies of `node`'s account again (the Retry of its error row); nothing else is asked again. */
  retryAgencies(node: unknown): void {
    const account = node ? this.nodes.get(accountRowId((node as AccountsNode).account)) : undefined;
    if (!account) return;
    this.agencies.delete(account.account.accountId);
    this.changes.fire(account);
  }

  /** Redraws the agency rows shown (which one is in use), without listing anything again. */
  agencyChanged(): void {
    const agencyRows = [...this.nodes.values()].filter((node) => node.kind === 'agency');
    if (agencyRows.length > 0) this.changes.fire(agencyRows);
  }

  getTreeItem(unknownNode: unknown): vscode.TreeItem {
    const node = unknownNode as AccountsNode;
    if (node.kind === 'account') return this.accountItem(node.account);
    if (node.kind === 'agency') return this.agencyItem(node);
    return agenciesErrorItem(node);
  }

  async getChildren(unknownNode?: unknown): Promise<AccountsNode[]> {
    const node = unknownNode as AccountsNode | undefined;
    if (!node) return this.accountRows();
    return node.kind === 'account' ? this.agencyRows(node.account) : [];
  }

  /** The account rows; a failure is the view's message, cleared by the next listing that works. */
  private async accountRows(): Promise<AccountsNode[]> {
    const runtime = this.runtime;
    try {
      let rows: AccountsNode[] = [];
      if (runtime && (await runtime.liveSessions()).length > 0) {
        this.accounts ??= listAccounts(runtime, false);
        rows = (await this.accounts).map((account) => this.node(accountRowId(account), { kind: 'account', account }));
      }
      this.view.message = undefined;
      return rows;
    } catch (error) {
      this.accounts = undefined;
      this.view.message = isIdentityCenterError(error) ? error.message : vscode.l10n.t('Could not list the accounts. The log (Show Log) has the details.');
      return [];
    }
  }

  /** The agency rows of `account`, or one row saying why they could not be listed. */
  private async agencyRows(account: Account): Promise<AccountsNode[]> {
    const runtime = this.runtime;
    if (!runtime) return [];
    let agencies = this.agencies.get(account.accountId);
    if (!agencies) {
      agencies = listAgencies(runtime, account.accountId, false);
      this.agencies.set(account.accountId, agencies);
    }
    try {
      return (await agencies).map((agency) => this.node(`agency:${agency.agencyUrn}`, { kind: 'agency', account, agency }));
    } catch (error) {
      // Asked again on the next expand or Retry, unless a Retry has already asked again.
      if (this.agencies.get(account.accountId) === agencies) this.agencies.delete(account.accountId);
      const message = isIdentityCenterError(error) ? error.message : vscode.l10n.t('The log (Show Log) has the details.');
      return [{ kind: 'agenciesError', account, message }];
    }
  }

  private accountItem(account: Account): vscode.TreeItem {
    const selected = this.runtime?.selection.current();
    const state = account.accountId === selected?.accountId ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(plainText(account.accountName || account.accountId), state);
    item.id = accountRowId(account);
    item.description = plainText(account.accountId);
    item.tooltip = tooltipOf([
      plainText(account.accountName || account.accountId),
      vscode.l10n.t('Account ID: {0}', plainText(account.accountId)),
      account.email && vscode.l10n.t('Email: {0}', plainText(account.email)),
    ]);
    item.iconPath = new vscode.ThemeIcon('cloud');
    item.contextValue = 'account';
    return item;
  }

  /** An agency's row; Enter, a click or a double-click on it makes it the agency in use. */
  private agencyItem(node: Extract<AccountsNode, { kind: 'agency' }>): vscode.TreeItem {
    const { agency } = node;
    const inUse = agency.agencyUrn === this.runtime?.selection.current()?.agencyUrn;
    const name = plainText(agency.agencyName);
    const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.None);
    item.id = `agency:${agency.agencyUrn}`;
    item.description = inUse ? vscode.l10n.t('{0} · in use', plainText(agency.permissionSetName)) : plainText(agency.permissionSetName);
    item.tooltip = tooltipOf([
      inUse ? vscode.l10n.t('{0} (in use)', name) : name,
      vscode.l10n.t('Permission set: {0}', plainText(agency.permissionSetName)),
      agency.description && vscode.l10n.t('Description: {0}', plainText(agency.description, 1024)),
      vscode.l10n.t('URN: {0}', plainText(agency.agencyUrn)),
    ]);
    item.iconPath = new vscode.ThemeIcon(inUse ? 'pass-filled' : 'key');
    item.contextValue = inUse ? 'agencyInUse' : 'agency';
    item.command = { command: COMMANDS.useAgency, title: vscode.l10n.t('Use This Agency'), arguments: [node] };
    return item;
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

/** The tree item id of an account's row. */
function accountRowId(account: Account): string {
  return `account:${account.accountId}`;
}

/**
 * A row's tooltip: one plain-text line each (service text is untrusted, so no markdown),
 * the empty ones left out.
 */
function tooltipOf(lines: (string | undefined)[]): string {
  return lines.filter((line) => line).join('\n');
}

/** The row under an account whose agencies could not be listed: why, with an error icon; a click (or the inline Retry) lists them again. */
function agenciesErrorItem(node: Extract<AccountsNode, { kind: 'agenciesError' }>): vscode.TreeItem {
  const item = new vscode.TreeItem(vscode.l10n.t('Could not list the agencies: {0}', plainText(node.message)), vscode.TreeItemCollapsibleState.None);
  item.id = `agenciesError:${node.account.accountId}`;
  item.tooltip = plainText(node.message, 1024);
  item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
  item.contextValue = 'agenciesError';
  item.command = { command: COMMANDS.retryAgencies, title: vscode.l10n.t('Retry'), arguments: [node] };
  return item;
}
