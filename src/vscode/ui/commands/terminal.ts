/**
 * Open Terminal with Agency Credentials, and the contributed terminal profile: a terminal
 * that VS Code never saves (`isTransient`, so session restore cannot write its
 * environment to disk), named after the agency, with the six credential variables in its
 * own environment, whatever `iamIdentityCenter.terminalCredentials` says.
 */
import * as vscode from 'vscode';
import { plainText } from '../../../core/common/displayText';
import { IdentityCenterError } from '../../../core/common/errors';
import { credentialEnvironment } from '../../../core/credentials/environment';
import type { AgencySelection } from '../../../core/credentials/model';
import type { InstanceRuntime } from '../../../core/instance/runtime';
import { instanceFor } from '../signIn';
import type { Invocation } from './run';

/** What Open Terminal with Agency Credentials resolves to: the new terminal's name, which names the agency. */
export interface OpenedTerminal {
  name: string;
}

/** The terminals opened here, with the name their caller gave ('' for none): Relaunch Terminals opens them again. */
const agencyTerminals = new WeakMap<vscode.Terminal, string>();

/** Opens the terminal; rejects, opening nothing, in an untrusted workspace or without an agency and usable credentials. */
export async function openTerminal(invocation: Invocation): Promise<OpenedTerminal> {
  const label = nameArgument(invocation);
  const terminal = await openAgencyTerminal(await instanceFor(invocation.profile, false), label);
  return { name: terminal.name };
}

/**
 * Opens a terminal with the agency's credentials in its own environment, named after the
 * agency (and `label`, when given), and shows it; rejects in an untrusted workspace or
 * without an agency and usable credentials.
 */
export async function openAgencyTerminal(runtime: InstanceRuntime, label?: string): Promise<vscode.Terminal> {
  const terminal = vscode.window.createTerminal(await agencyTerminalOptions(runtime, label));
  agencyTerminals.set(terminal, label ?? '');
  terminal.show();
  return terminal;
}

/** The contributed terminal profile's terminal (`iamIdentityCenter.terminal`): the window's agency, as Open Terminal opens it. */
export async function agencyTerminalProfile(runtime: InstanceRuntime): Promise<vscode.TerminalProfile> {
  return new vscode.TerminalProfile(await agencyTerminalOptions(runtime));
}

/** The options of a terminal with the agency's credentials; rejects in an untrusted workspace or without an agency and usable credentials. */
async function agencyTerminalOptions(runtime: InstanceRuntime, label?: string): Promise<vscode.TerminalOptions> {
  if (!vscode.workspace.isTrusted) {
    throw new IdentityCenterError('configuration', vscode.l10n.t('This workspace is not trusted, so no terminal gets agency credentials. Trust the workspace, then retry.'));
  }
  const { selection, credentials } = await runtime.usableCredentials();
  const agency = agencyName(selection);
  return { name: label ? vscode.l10n.t('{0} ({1})', label, agency) : agency, env: credentialEnvironment(credentials), isTransient: true, iconPath: new vscode.ThemeIcon('cloud') };
}

/** How a terminal of the agency is named: the agency and the account. */
function agencyName(selection: AgencySelection): string {
  return vscode.l10n.t('{0} · {1}', plainText(selection.agencyName, 60), plainText(selection.accountName || selection.accountId, 60));
}

/** The name its caller gave a terminal opened here ('' for none); undefined for any other terminal. */
export function agencyTerminalLabel(terminal: vscode.Terminal): string | undefined {
  return agencyTerminals.get(terminal);
}

function nameArgument(invocation: Invocation): string | undefined {
  const value = invocation.args.name;
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim().length === 0 || [...value].length > 100 || plainText(value) !== value) {
    throw new IdentityCenterError('configuration', vscode.l10n.t('name must be a terminal name of 1 to 100 plain characters.'));
  }
  return value.trim();
}
