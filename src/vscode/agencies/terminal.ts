/**
 * Puts the selected agency's temporary credentials into new integrated terminals, for
 * the Huawei Cloud SDKs and Terraform, through the extension's environment variable
 * collection. The collection is not persistent, so VS Code never writes the values to
 * disk; it is filled only in a trusted workspace with `iamIdentityCenter.terminalCredentials`
 * on. New values replace old ones for new terminals; terminals already open keep theirs
 * (VS Code marks them as stale).
 */
import * as vscode from 'vscode';
import { markdownLiteral } from '../../core/common/displayText';
import type { AgencyCredentials, AgencySelection } from '../../core/credentials/model';
import { formatEnd } from '../summaries';

/** The variables set, and which credential each holds (`docs/api.md`, "How Huawei Cloud tools read temporary credentials"). */
export const CREDENTIAL_VARIABLES: Readonly<Record<string, keyof Pick<AgencyCredentials, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'>>> = {
  HUAWEICLOUD_SDK_AK: 'accessKeyId',
  HUAWEICLOUD_SDK_SK: 'secretAccessKey',
  HUAWEICLOUD_SDK_SECURITY_TOKEN: 'sessionToken',
  HW_ACCESS_KEY: 'accessKeyId',
  HW_SECRET_KEY: 'secretAccessKey',
  HW_SECURITY_TOKEN: 'sessionToken',
};

/** The setting that turns terminal credentials on and off. */
export const TERMINAL_CREDENTIALS_SETTING = 'terminalCredentials';

/** The extension's terminal environment: credentials in, or nothing; and the open terminals that got them. */
export class TerminalCredentials {
  /** Open terminals started while new terminals got credentials: they keep those until relaunched or closed. */
  readonly holding = new Set<vscode.Terminal>();

  constructor(private readonly collection: vscode.GlobalEnvironmentVariableCollection) {
    collection.persistent = false;
  }

  /** Counts a terminal that has just opened among `holding` when new terminals get credentials now. */
  opened(terminal: vscode.Terminal): void {
    if (this.collection.description) this.holding.add(terminal);
  }

  /** Fills new terminals with `credentials` of `selection` when `enabled`; else empties them. */
  show(selection: AgencySelection, credentials: AgencyCredentials, enabled: boolean): void {
    if (!enabled) {
      this.clear();
      return;
    }
    for (const [name, field] of Object.entries(CREDENTIAL_VARIABLES)) this.collection.replace(name, credentials[field]);
    // VS Code renders the description as markdown in the terminal's hover: names stay literal text.
    this.collection.description = vscode.l10n.t(
      'IAM Identity Center: credentials of agency {0} in account {1}, ending {2}',
      markdownLiteral(selection.agencyName),
      markdownLiteral(selection.accountName),
      formatEnd(credentials),
    );
  }

  /** Takes the credentials out of new terminals. */
  clear(): void {
    this.collection.clear();
    this.collection.description = undefined;
  }
}
