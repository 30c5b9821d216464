/**
 * The two steps of Select Account and Agency, as VS Code's own multi-step picks go: a
 * short title with the step (1/2, 2/2), Back from the agency to the accounts, Escape
 * cancels. Accounts show name, id and email; agencies their permission set and
 * description. The one in use is marked and active, so Enter keeps it. Lists load while
 * the pick shows busy. Every name comes from the service, so it is shown as plain text.
 */
import * as vscode from 'vscode';
import { plainText } from '../../core/common/displayText';
import type { AgencySelection } from '../../core/credentials/model';
import type { Account, Agency } from '../../core/portal/model';

/** An account and one of its agencies, as the user picked them. */
export interface PickedAgency {
  account: Account;
  agency: Agency;
}

/**
 * Asks for an account, then one of its agencies (`agenciesOf`, asked each time an account
 * is picked: cache it there); Back on the agencies returns to the accounts. Undefined
 * when the user cancels; rejects when a list cannot be had.
 */
export async function pickAccountAndAgency(
  accounts: Thenable<Account[]> | Account[],
  agenciesOf: (account: Account) => Thenable<Agency[]>,
  selected?: AgencySelection,
): Promise<PickedAgency | undefined> {
  let activeAccountId = selected?.accountId;
  for (;;) {
    const account = await pickStep(accountStep(accounts, activeAccountId, selected), 1, false);
    if (!account || account === BACK) return undefined;
    const agency = await pickStep(agencyStep(account, agenciesOf(account), selected), 2, true);
    if (agency !== BACK) return agency && { account, agency };
    activeAccountId = account.accountId;
  }
}

/** The answer of a step whose Back button was pressed. */
const BACK = Symbol('back');

/** What one step of the pick shows. */
interface Step<T> {
  title: string;
  placeholder: string;
  /** The rows, each with the value it stands for and whether it starts active. */
  rows: Thenable<(vscode.QuickPickItem & { value: T; active: boolean })[]>;
}

function accountStep(accounts: Thenable<Account[]> | Account[], activeAccountId: string | undefined, selected?: AgencySelection): Step<Account> {
  return {
    title: vscode.l10n.t('Select an account'),
    placeholder: vscode.l10n.t('Filter by name, id or email'),
    rows: Promise.resolve(accounts).then((list) =>
      list.map((account) => ({
        label: plainText(account.accountName || account.accountId),
        description: inUse(plainText(account.accountId), account.accountId === selected?.accountId),
        detail: account.email ? plainText(account.email) : undefined,
        value: account,
        active: account.accountId === activeAccountId,
      })),
    ),
  };
}

function agencyStep(account: Account, agencies: Thenable<Agency[]>, selected?: AgencySelection): Step<Agency> {
  return {
    title: vscode.l10n.t('Select an agency in {0}', plainText(account.accountName || account.accountId)),
    placeholder: vscode.l10n.t('Filter by name, permission set or description'),
    rows: Promise.resolve(agencies).then((list) =>
      list.map((agency) => ({
        label: plainText(agency.agencyName),
        description: inUse(plainText(agency.permissionSetName), agency.agencyUrn === selected?.agencyUrn),
        detail: agency.description ? plainText(agency.description) : undefined,
        value: agency,
        active: agency.agencyUrn === selected?.agencyUrn,
      })),
    ),
  };
}

/** `text`, marked as in use when it is. */
function inUse(text: string, used: boolean): string {
  return used ? vscode.l10n.t('{0} · in use', text) : text;
}

/**
 * Shows one step: busy until its rows arrive, then the active one focused. Resolves to
 * the chosen value, {@link BACK}, or undefined when dismissed; rejects when the rows do.
 */
function pickStep<T>(step: Step<T>, index: number, back: boolean): Promise<T | typeof BACK | undefined> {
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { value: T; active: boolean }>();
  pick.title = step.title;
  pick.placeholder = step.placeholder;
  pick.step = index;
  pick.totalSteps = 2;
  pick.buttons = back ? [vscode.QuickInputButtons.Back] : [];
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  pick.ignoreFocusOut = true;
  pick.busy = true;
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      listeners.forEach((listener) => listener.dispose());
      pick.dispose();
      finish();
    };
    const listeners = [
      pick.onDidAccept(() => {
        const [chosen] = pick.selectedItems;
        if (chosen) settle(() => resolve(chosen.value));
      }),
      pick.onDidTriggerButton((button) => {
        if (button === vscode.QuickInputButtons.Back) settle(() => resolve(BACK));
      }),
      pick.onDidHide(() => settle(() => resolve(undefined))),
    ];
    step.rows.then(
      (rows) => {
        if (settled) return;
        pick.items = rows;
        const active = rows.find((row) => row.active);
        if (active) pick.activeItems = [active];
        pick.busy = false;
      },
      (error: unknown) => settle(() => reject(error)),
    );
    pick.show();
  });
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
