/**
 * Puts the window's agency credentials into new integrated terminals and the terminals
 * tasks run in, through the extension's environment variable collection. The collection
 * is not persistent, so VS Code never writes it to disk (an open terminal's environment
 * is another matter: see the README, "Where credentials go"). It is filled only in a
 * trusted workspace with `terminalCredentials` on; new values replace old ones for new
 * terminals, and terminals already open keep theirs until relaunched.
 */
import * as vscode from 'vscode';
import { markdownLiteral } from '../core/common/displayText';
import { credentialEnvironment } from '../core/credentials/environment';
import type { AgencyCredentials, AgencySelection } from '../core/credentials/model';
import type { CredentialSink } from '../core/instance/runtime';
import type { Settings } from './settings';
import { formatEnd } from './summaries';

/** The extension's terminal environment: credentials in, or nothing; and the open terminals that got them. */
export class TerminalEnvironment implements CredentialSink {
  /** Open terminals started while new terminals got credentials: they keep those until relaunched or closed. */
  readonly holding = new Set<vscode.Terminal>();
  private shown?: { selection: AgencySelection; credentials: AgencyCredentials };

  constructor(
    private readonly collection: vscode.GlobalEnvironmentVariableCollection,
    private readonly settings: Settings,
  ) {
    collection.persistent = false;
  }

  /** Counts a terminal that has just opened among `holding` when new terminals get credentials now. */
  opened(terminal: vscode.Terminal): void {
    if (this.collection.description) this.holding.add(terminal);
  }

  /** What VS Code shows of the environment in a terminal's hover (markdown); undefined while new terminals get no credentials. */
  get description(): string | undefined {
    const { description } = this.collection;
    return typeof description === 'string' ? description : description?.value;
  }

  /** New terminals get `credentials` of `selection` (in a trusted workspace, with the setting on). */
  show(selection: AgencySelection, credentials: AgencyCredentials): void {
    this.shown = { selection, credentials };
    this.apply();
  }

  /** Takes the credentials out of new terminals. */
  clear(): void {
    this.shown = undefined;
    this.apply();
  }

  /** Applies the setting and the workspace trust again (either changed). */
  apply(): void {
    const shown = this.shown;
    if (!shown || !vscode.workspace.isTrusted || !this.settings.terminalCredentials()) {
      this.collection.clear();
      this.collection.description = undefined;
      return;
    }
    for (const [name, value] of Object.entries(credentialEnvironment(shown.credentials))) this.collection.replace(name, value);
    // VS Code renders the description as markdown in the terminal's hover: names stay literal text.
    this.collection.description = vscode.l10n.t(
      'IAM Identity Center: credentials of agency {0} in account {1}, ending {2}',
      markdownLiteral(shown.selection.agencyName),
      markdownLiteral(shown.selection.accountName),
      formatEnd(shown.credentials),
    );
  }
}
