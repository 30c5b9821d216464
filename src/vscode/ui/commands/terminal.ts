/**
 * Open Terminal with Agency Credentials: a terminal that VS Code never saves
 * (`isTransient`, so session restore cannot write its environment to disk), named after
 * the agency, with the six credential variables in its own environment, whatever
 * `iamIdentityCenter.terminalCredentials` says.
 */
import * as vscode from 'vscode';
import { plainText } from '../../../core/common/displayText';
import { IdentityCenterError } from '../../../core/common/errors';
import { areUsable, type AgencyCredentials, type AgencySelection } from '../../../core/credentials/model';
import type { AgencyService, AgencyState } from '../../agencies/agencyService';
import { CREDENTIAL_VARIABLES } from '../../agencies/terminal';
import type { CommandDeps, Invocation } from './run';

/** What Open Terminal with Agency Credentials resolves to: the new terminal's name, which names the agency. */
export interface OpenedTerminal {
  name: string;
}

/** The terminals opened here, with the name their caller gave ('' for none): Relaunch Terminals opens them again. */
const agencyTerminals = new WeakMap<vscode.Terminal, string>();

/** Opens the terminal; rejects, opening nothing, in an untrusted workspace or without an agency and usable credentials. */
export async function openTerminal(deps: CommandDeps, invocation: Invocation): Promise<OpenedTerminal> {
  const terminal = await openAgencyTerminal(deps.agencies, nameArgument(invocation));
  return { name: terminal.name };
}

/**
 * Opens a terminal with the agency's credentials in its own environment, named after the
 * agency (and `label`, when given), and shows it; rejects in an untrusted workspace or
 * without an agency and usable credentials.
 */
export async function openAgencyTerminal(agencies: AgencyService, label?: string): Promise<vscode.Terminal> {
  if (!vscode.workspace.isTrusted) {
    throw new IdentityCenterError('configuration', vscode.l10n.t('This workspace is not trusted, so no terminal gets agency credentials. Trust the workspace, then retry.'));
  }
  const { selection, credentials } = await usableCredentials(agencies);
  const agency = vscode.l10n.t('{0} · {1}', plainText(selection.agencyName, 60), plainText(selection.accountName || selection.accountId, 60));
  const terminal = vscode.window.createTerminal({
    name: label ? vscode.l10n.t('{0} ({1})', label, agency) : agency,
    env: credentialEnvironment(credentials),
    isTransient: true,
    iconPath: new vscode.ThemeIcon('cloud'),
  });
  agencyTerminals.set(terminal, label ?? '');
  terminal.show();
  return terminal;
}

/** The name its caller gave a terminal opened here ('' for none); undefined for any other terminal. */
export function agencyTerminalLabel(terminal: vscode.Terminal): string | undefined {
  return agencyTerminals.get(terminal);
}

/** The six variables of `credentials`, as a process environment. */
export function credentialEnvironment(credentials: AgencyCredentials): Record<string, string> {
  return Object.fromEntries(Object.entries(CREDENTIAL_VARIABLES).map(([name, field]) => [name, credentials[field]]));
}

/** The selected agency; throws, saying what to do, when there is none. */
export function selectedAgency(agencies: AgencyService): AgencySelection {
  const selection = agencies.selection();
  if (!selection) throw new IdentityCenterError('configuration', vscode.l10n.t('No agency is selected. Select an account and an agency to use one.'));
  return selection;
}

/** The selection with credentials that are usable now: the stored ones, or renewed first when due. */
export async function usableCredentials(agencies: AgencyService): Promise<Required<AgencyState>> {
  const selection = selectedAgency(agencies);
  const state = await agencies.state();
  if (state?.credentials && areUsable(state.credentials, agencies.deps.clock.now())) return { selection: state.selection, credentials: state.credentials };
  return { selection: state?.selection ?? selection, credentials: await agencies.renew() };
}

function nameArgument(invocation: Invocation): string | undefined {
  const value = invocation.args.name;
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim().length === 0 || [...value].length > 100 || plainText(value) !== value) {
    throw new IdentityCenterError('configuration', vscode.l10n.t('name must be a terminal name of 1 to 100 plain characters.'));
  }
  return value.trim();
}
