/**
 * The quick picks of Select Account and Agency: accounts with name, id and email, then
 * the account's agencies with their permission set and description. Every name comes
 * from the service, so it is shown as plain text.
 */
import * as vscode from 'vscode';
import { plainText } from '../../core/common/displayText';
import type { Account, Agency, AgencySelection } from '../../core/credentials/model';

/** Asks for an account; undefined when the user dismisses the pick. */
export async function pickAccount(accounts: Thenable<Account[]> | Account[], selected?: AgencySelection): Promise<Account | undefined> {
  const items = Promise.resolve(accounts).then((list) =>
    list.map((account) => ({
      label: plainText(account.accountName || account.accountId),
      description: plainText(account.accountId),
      detail: account.email ? plainText(account.email) : undefined,
      picked: account.accountId === selected?.accountId,
      account,
    })),
  );
  const choice = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('IAM Identity Center: choose an account'),
    placeHolder: vscode.l10n.t('The accounts assigned to you'),
    matchOnDescription: true,
    matchOnDetail: true,
    ignoreFocusOut: true,
  });
  return choice?.account;
}

/** Asks for an agency of `account`; undefined when the user dismisses the pick. */
export async function pickAgency(account: Account, agencies: Thenable<Agency[]> | Agency[], selected?: AgencySelection): Promise<Agency | undefined> {
  const items = Promise.resolve(agencies).then((list) =>
    list.map((agency) => ({
      label: plainText(agency.agencyName),
      description: plainText(agency.permissionSetName),
      detail: agency.description ? plainText(agency.description) : undefined,
      picked: agency.agencyUrn === selected?.agencyUrn,
      agency,
    })),
  );
  const choice = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('IAM Identity Center: choose an agency in {0}', plainText(account.accountName || account.accountId)),
    placeHolder: vscode.l10n.t('The agency whose credentials to use'),
    matchOnDescription: true,
    matchOnDetail: true,
    ignoreFocusOut: true,
  });
  return choice?.agency;
}

/** The selection for `agency` of `account`. */
export function selectionOf(account: Account, agency: Agency): AgencySelection {
  return {
    accountId: account.accountId,
    accountName: account.accountName,
    agencyName: agency.agencyName,
    agencyUrn: agency.agencyUrn,
    permissionSetName: agency.permissionSetName,
  };
}
