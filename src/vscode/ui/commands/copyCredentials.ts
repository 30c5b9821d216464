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
import { credentialEnvironment } from '../../../core/credentials/environment';
import type { InstanceRuntime } from '../../../core/instance/runtime';
import { host } from '../instances';
import { instanceFor } from '../signIn';
import type { Invocation } from './run';

/** What Copy Agency Credentials as Environment Variables resolves to: no value, only the format and when the credentials end. */
export interface CopiedCredentials {
  format: EnvironmentFormat;
  /** When the copied credentials end, epoch seconds. */
  expiresAt: number;
}

/** Copies the credentials in `{ format }`, or the format picked from the palette; undefined when the pick is dismissed. */
export async function copyCredentials(invocation: Invocation): Promise<CopiedCredentials | undefined> {
  const format = invocation.interactive ? undefined : formatArgument(invocation);
  const runtime = await instanceFor(invocation.profile, false);
  if (!runtime.selection.current()) throw new IdentityCenterError('configuration', vscode.l10n.t('No agency is selected. Select an account and an agency to use one.'));
  const chosen = format ?? (await pickFormat());
  if (!chosen) return undefined;
  return copy(runtime, chosen, invocation.interactive);
}

/** Puts `runtime`'s credentials on the clipboard in `format`; from the palette, says so and until when. */
async function copy(runtime: InstanceRuntime, format: EnvironmentFormat, interactive: boolean): Promise<CopiedCredentials> {
  const { selection, credentials } = await runtime.usableCredentials();
  await vscode.env.clipboard.writeText(formatVariables(format, credentialEnvironment(credentials)));
  if (interactive) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t(
        'The clipboard now holds the secret credentials of agency {0}, as {1} lines. They end {2}; paste them only where they are needed.',
        plainText(selection.agencyName),
        FORMAT_NAMES[format],
        formatEnd(credentials, host().clock.now()),
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
