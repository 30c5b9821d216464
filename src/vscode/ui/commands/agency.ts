/**
 * The commands of accounts and agencies: List Accounts, List Agencies, Select Account
 * and Agency, Show Selected Agency and Stop Using Agency Credentials. Their results hold
 * ids, names and times only: never a key, secret or token, the access key id included.
 */
import * as vscode from 'vscode';
import { plainText } from '../../../core/common/displayText';
import { IdentityCenterError } from '../../../core/common/errors';
import type { AgencyCredentials, AgencySelection } from '../../../core/credentials/model';
import { Account, ACCOUNT_ID_PATTERN, Agency, AGENCY_URN_PATTERN } from '../../../core/portal/model';
import { forgetAllCredentials, listAccounts, listAgencies, selectAgency } from '../agencyActions';
import { COMMANDS } from '../../commands/ids';
import { formatEnd } from '../../summaries';
import { showNotice, showWarning } from '../errors';
import { pickAccountAndAgency, selectionOf } from '../pickers';
import { withRelaunchOffer } from '../relaunch';
import type { InstanceRuntime } from '../../../core/instance/runtime';
import { host, instanceIfSet } from '../instances';
import { instanceFor } from '../signIn';
import { Invocation } from './run';

/** What Select Account and Agency and Show Selected Agency resolve to. */
export interface AgencySummary extends AgencySelection {
  /** When the current temporary credentials end, epoch seconds; absent when there are none. */
  expiresAt?: number;
}

/** List Accounts: every account assigned to the user; from the palette, a pick that leads on to the agencies. */
export async function listAccountsCommand(invocation: Invocation): Promise<Account[] | undefined> {
  const runtime = await instanceFor(invocation.profile, invocation.interactive);
  const accounts = await listAccounts(runtime, invocation.interactive);
  if (invocation.interactive) await chooseAccountAndAgency(runtime, accounts);
  return accounts.map((account) => ({ ...account }));
}

/** List Agencies: the agencies of `accountId` (asked with a pick from the palette). */
export async function listAgenciesCommand(invocation: Invocation): Promise<Agency[] | undefined> {
  const runtime = await instanceFor(invocation.profile, invocation.interactive);
  if (invocation.interactive) return chooseAccountAndAgency(runtime, listAccounts(runtime, true));
  const accountId = accountIdArgument(invocation);
  return (await listAgencies(runtime, accountId, false)).map((agency) => ({ ...agency }));
}

/** Select Account and Agency: picks from the palette, or `{ accountId, agencyUrn }`; one credentials request. */
export async function selectAgencyCommand(invocation: Invocation): Promise<AgencySummary | undefined> {
  const runtime = await instanceFor(invocation.profile, invocation.interactive);
  if (invocation.interactive) {
    const agencies = await chooseAccountAndAgency(runtime, listAccounts(runtime, true));
    return agencies ? summaryOf(runtime) : undefined;
  }
  const accountId = accountIdArgument(invocation);
  const assigned = await assignedAgency(runtime, accountId, agencyUrnArgument(invocation, accountId));
  const credentials = await selectAgency(runtime, selectionOf(assigned.account, assigned.agency), false);
  return { ...selectionOf(assigned.account, assigned.agency), expiresAt: credentials.expiresAt };
}

/**
 * Use This Agency: Enter, a click or the inline action on an agency row of the accounts
 * view. Anyone can run a command with made-up arguments (another extension, a command
 * link), so only the ids are taken from them, and the account and agency are the
 * portal's own rows. The agency already in use, with current credentials, is only said
 * to be so: no request. A second use of the same agency while one runs (a double-click)
 * joins it.
 */
export async function useAgency(invocation: Invocation): Promise<AgencySummary | undefined> {
  const runtime = await instanceFor(invocation.profile, false);
  const { accountId, agencyUrn } = agencyRowIds(invocation.args);
  let running = usesRunning.get(agencyUrn);
  if (!running) {
    running = useAgencyOnce(runtime, accountId, agencyUrn).finally(() => usesRunning.delete(agencyUrn));
    usesRunning.set(agencyUrn, running);
  }
  return running;
}

/** The uses of Use This Agency in progress, by agency URN. */
const usesRunning = new Map<string, Promise<AgencySummary>>();

async function useAgencyOnce(runtime: InstanceRuntime, accountId: string, agencyUrn: string): Promise<AgencySummary> {
  const state = await runtime.agencyState();
  if (state?.credentials && state.selection.agencyUrn === agencyUrn) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t(
        'Agency {0} in account {1} is already in use; its credentials end {2}.',
        plainText(state.selection.agencyName),
        plainText(state.selection.accountName),
        formatEnd(state.credentials, host().clock.now()),
      ),
    );
    return { ...state.selection, expiresAt: state.credentials.expiresAt };
  }
  const assigned = await assignedAgency(runtime, accountId, agencyUrn);
  const credentials = await withSelectProgress(runtime, assigned.account, assigned.agency);
  confirmUsing(assigned.account, assigned.agency, credentials);
  return { ...selectionOf(assigned.account, assigned.agency), expiresAt: credentials.expiresAt };
}

/**
 * The ids of the agency row given as a view command's argument (`{ account: { accountId },
 * agency: { agencyUrn } }`), checked: the URN must name an agency of that account.
 */
export function agencyRowIds(args: Record<string, unknown>): { accountId: string; agencyUrn: string } {
  const { account, agency } = args as { account?: { accountId?: unknown }; agency?: { agencyUrn?: unknown } };
  const accountId = account?.accountId;
  const agencyUrn = agency?.agencyUrn;
  if (typeof accountId !== 'string' || typeof agencyUrn !== 'string' || !ACCOUNT_ID_PATTERN.test(accountId) || AGENCY_URN_PATTERN.exec(agencyUrn)?.[1] !== accountId) {
    throw new IdentityCenterError('configuration', vscode.l10n.t('This command runs from an agency in the IAM Identity Center view.'));
  }
  return { accountId, agencyUrn };
}

/** The account and agency as the portal lists them; a `configuration` error when either is not assigned to the user. */
async function assignedAgency(runtime: InstanceRuntime, accountId: string, agencyUrn: string): Promise<{ account: Account; agency: Agency }> {
  const account = (await listAccounts(runtime, false)).find((candidate) => candidate.accountId === accountId);
  if (!account) throw new IdentityCenterError('configuration', vscode.l10n.t('That account is not assigned to you. List your accounts to see the ones you can use.'));
  const agency = (await listAgencies(runtime, accountId, false)).find((candidate) => candidate.agencyUrn === agencyUrn);
  if (!agency) {
    throw new IdentityCenterError('configuration', vscode.l10n.t('That agency is not assigned to you in that account. List the account\'s agencies to see the ones you can use.'));
  }
  return { account, agency };
}

/** Show Selected Agency: the selection, with when its credentials end; no request. */
export async function showAgency(invocation: Invocation): Promise<AgencySummary | undefined> {
  const runtime = instanceIfSet(invocation.profile);
  const summary = runtime && (await summaryOf(runtime));
  if (invocation.interactive) {
    const text = summary
      ? vscode.l10n.t(
          'Using agency {0} ({1}) in account {2}. {3}',
          plainText(summary.agencyName),
          plainText(summary.permissionSetName),
          plainText(summary.accountName),
          summary.expiresAt
            ? vscode.l10n.t('Its credentials end {0} and are renewed before then.', formatEnd({ expiresAt: summary.expiresAt }, host().clock.now()))
            : vscode.l10n.t('It has no current credentials: sign in to get them.'),
        )
      : vscode.l10n.t('No agency is selected. Select an account and an agency to use one.');
    void vscode.window.showInformationMessage(text);
  }
  return summary;
}

/**
 * Stop Using Agency Credentials: takes the credentials out of new terminals, forgets the
 * stored ones (best effort: a keyring that refuses is reported, and undoes nothing) and
 * the selection. From the palette, Relaunch Terminals is offered for open terminals with credentials.
 */
export async function clearAgency(invocation: Invocation): Promise<undefined> {
  const runtime = instanceIfSet(invocation.profile);
  if (!runtime) {
    if (invocation.interactive) void vscode.window.showInformationMessage(vscode.l10n.t('No agency was selected.'));
    return undefined;
  }
  const had = runtime.selection.current();
  runtime.release();
  const forgotten = await forgetAllCredentials(runtime);
  await runtime.forgetSelection();
  if (!forgotten) {
    showWarning(
      vscode.l10n.t('Stopped using the agency, but VS Code\'s secret storage refused to delete its stored credentials; they are no longer used. Check that the system keyring is unlocked; Sign Out deletes them later.'),
    );
  } else if (invocation.interactive) {
    const { message, button } = withRelaunchOffer(
      had ? vscode.l10n.t('Stopped using the agency: new terminals get no credentials.') : vscode.l10n.t('No agency was selected.'),
    );
    showNotice('information', message, [button]);
  }
  return undefined;
}

/**
 * The two picks, account then agency (each account's agencies listed once however often
 * Back returns to it); the chosen agency is selected. Returns the chosen account's
 * agencies, or undefined when cancelled.
 */
async function chooseAccountAndAgency(runtime: InstanceRuntime, accounts: Thenable<Account[]> | Account[]): Promise<Agency[] | undefined> {
  const listed = new Map<string, Promise<Agency[]>>();
  const agenciesOf = (account: Account) => {
    let agencies = listed.get(account.accountId);
    if (!agencies) listed.set(account.accountId, (agencies = listAgencies(runtime, account.accountId, true)));
    return agencies;
  };
  const chosen = await pickAccountAndAgency(accounts, agenciesOf, runtime.selection.current());
  if (!chosen) return undefined;
  confirmUsing(chosen.account, chosen.agency, await withSelectProgress(runtime, chosen.account, chosen.agency));
  return (await agenciesOf(chosen.account)).map((item) => ({ ...item }));
}

/**
 * Says which agency is now in use and until when its credentials last, with Open
 * Terminal; and Relaunch Terminals when open terminals keep credentials from before.
 */
function confirmUsing(account: Account, agency: Agency, credentials: AgencyCredentials): void {
  const { message, button } = withRelaunchOffer(
    vscode.l10n.t(
      'Using agency {0} in account {1}: new terminals get its credentials, which end {2}.',
      plainText(agency.agencyName),
      plainText(account.accountName),
      formatEnd(credentials, host().clock.now()),
    ),
  );
  showNotice('information', message, [{ label: vscode.l10n.t('Open Terminal'), run: () => vscode.commands.executeCommand(COMMANDS.openTerminal) }, button]);
}

function withSelectProgress(runtime: InstanceRuntime, account: Account, agency: Agency) {
  const title = vscode.l10n.t('Getting credentials for agency {0}…', plainText(agency.agencyName));
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) => {
    const abort = new AbortController();
    const subscription = token.onCancellationRequested(() => abort.abort());
    return selectAgency(runtime, selectionOf(account, agency), true, abort.signal).finally(() => subscription.dispose());
  });
}

async function summaryOf(runtime: InstanceRuntime): Promise<AgencySummary | undefined> {
  const state = await runtime.agencyState();
  if (!state) return undefined;
  return state.credentials ? { ...state.selection, expiresAt: state.credentials.expiresAt } : { ...state.selection };
}

function accountIdArgument(invocation: Invocation): string {
  const value = invocation.args.accountId;
  if (typeof value !== 'string' || !ACCOUNT_ID_PATTERN.test(value)) {
    throw new IdentityCenterError('configuration', vscode.l10n.t('Give accountId: the id of an account assigned to you, as the list of your accounts gives it.'));
  }
  return value;
}

function agencyUrnArgument(invocation: Invocation, accountId: string): string {
  const value = invocation.args.agencyUrn;
  const urn = typeof value === 'string' ? AGENCY_URN_PATTERN.exec(value) : null;
  if (!urn || urn[1] !== accountId) {
    throw new IdentityCenterError(
      'configuration',
      vscode.l10n.t('Give agencyUrn: the URN of an agency of that account (iam::<account id>:agency:<name>), as the list of its agencies gives it.'),
    );
  }
  return value as string;
}
