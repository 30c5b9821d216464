/**
 * Copy Agency Credentials as Environment Variables: the six variables of the selected
 * agency's credentials (renewed first when due) on the clipboard, written for the shell
 * or file the user names. The result and the notice say which format and when the
 * credentials end; neither holds a value.
 */
import * as vscode from 'vscode';
import { plainText } from '../../../core/common/displayText';
import { IdentityCenterError } from '../../../core/common/errors';
import { ENVIRONMENT_FORMATS, EnvironmentFormat, formatVariables, isEnvironmentFormat } from '../../../core/credentials/environmentFormats';
import { formatEnd } from '../../summaries';
import type { CommandDeps, Invocation } from './run';
import { credentialEnvironment, selectedAgency, usableCredentials } from './terminal';

/** What Copy Agency Credentials as Environment Variables resolves to: no value, only the format and when the credentials end. */
export interface CopiedCredentials {
  format: EnvironmentFormat;
  /** When the copied credentials end, epoch seconds. */
  expiresAt: number;
}

/** Copies the credentials in `{ format }`, or the format picked from the palette; undefined when the pick is dismissed. */
export async function copyCredentials(deps: CommandDeps, invocation: Invocation): Promise<CopiedCredentials | undefined> {
  let format: EnvironmentFormat | undefined;
  if (invocation.interactive) {
    selectedAgency(deps.agencies);
    format = await pickFormat();
    if (!format) return undefined;
  } else {
    format = formatArgument(invocation);
  }
  const { selection, credentials } = await usableCredentials(deps.agencies);
  await vscode.env.clipboard.writeText(formatVariables(format, credentialEnvironment(credentials)));
  if (invocation.interactive) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t(
        'The clipboard now holds the secret credentials of agency {0}, as {1} lines. They end {2}; paste them only where they are needed.',
        plainText(selection.agencyName),
        FORMAT_NAMES[format],
        formatEnd(credentials, deps.agencies.deps.clock.now()),
      ),
    );
  }
  return { format, expiresAt: credentials.expiresAt };
}

/** How each format is named to a person. */
const FORMAT_NAMES: Record<EnvironmentFormat, string> = { sh: 'sh', fish: 'fish', powershell: 'PowerShell', cmd: 'cmd', dotenv: '.env' };

/** What each format is for, in the pick (built when shown, in the display language). */
function formatPurpose(format: EnvironmentFormat): string {
  switch (format) {
    case 'sh':
      return vscode.l10n.t('bash, zsh and other POSIX shells');
    case 'fish':
      return vscode.l10n.t('the fish shell');
    case 'powershell':
      return vscode.l10n.t('PowerShell on Windows, macOS or Linux');
    case 'cmd':
      return vscode.l10n.t('the Windows Command Prompt');
    case 'dotenv':
      return vscode.l10n.t('a .env file, as the dotenv package reads it');
  }
}

/** Asks for a format, each shown with the line it writes for the first variable (a placeholder, not a secret). */
async function pickFormat(): Promise<EnvironmentFormat | undefined> {
  const items = ENVIRONMENT_FORMATS.map((format) => ({
    label: FORMAT_NAMES[format],
    description: formatPurpose(format),
    detail: formatVariables(format, { HUAWEICLOUD_SDK_AK: '…' }).trimEnd(),
    format,
  }));
  const choice = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('IAM Identity Center: copy the agency credentials as environment variables'),
    placeHolder: vscode.l10n.t('The shell or file you will paste them into'),
    matchOnDescription: true,
  });
  return choice?.format;
}

/** The `format` argument; refused, before anything else, when it is not one of the formats. */
function formatArgument(invocation: Invocation): EnvironmentFormat {
  const value = invocation.args.format;
  if (!isEnvironmentFormat(value)) {
    throw new IdentityCenterError('configuration', vscode.l10n.t('Give format: one of {0}.', ENVIRONMENT_FORMATS.join(', ')));
  }
  return value;
}
