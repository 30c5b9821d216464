/**
 * How a failure reaches the user: one notification that says what to do next, with
 * the service's own text only in the log (at debug level); and the one way any notice
 * offers a fix (Sign In, Register Client, Open Settings) as a button.
 */
import * as vscode from 'vscode';
import { plainText } from '../../core/common/displayText';
import { FailureKind, isIdentityCenterError, Remedy } from '../../core/common/errors';
import type { Logger } from '../../core/common/ports';
import { COMMANDS } from '../commands/ids';
import { SECTION } from '../settings';

/** The user-facing message of any error; unknown errors get a generic one. */
export function userMessage(error: unknown): string {
  if (isIdentityCenterError(error)) return error.message;
  return vscode.l10n.t('IAM Identity Center hit an unexpected error. Show Log has the details; then retry.');
}

/** Logs an error: its message, and at debug level the service's code and text. */
export function logError(logger: Logger, action: string, error: unknown): void {
  if (isIdentityCenterError(error)) {
    logger.error(`${action} failed (${error.kind}): ${error.message}`);
    if (error.serviceText !== undefined || error.code !== undefined) {
      logger.debug(`Service said: status ${error.status ?? '-'}, code ${error.code ?? '-'}, text ${JSON.stringify(plainText(error.serviceText ?? '', 500))}`);
    }
  } else {
    logger.error(`${action} failed unexpectedly: ${error instanceof Error ? error.name : typeof error}`);
  }
}

/**
 * Shows the error as one notification, without waiting for a click: the error's remedy
 * (Sign In, Register Client, Open Settings) as the first button, then Show Log.
 */
export function showError(error: unknown): void {
  if (isIdentityCenterError(error, 'cancelled')) return;
  const remedy = isIdentityCenterError(error) ? (error.remedy ?? REMEDY_OF_KIND[error.kind]) : undefined;
  notify(vscode.window.showErrorMessage, userMessage(error), remedy, { showLog: true });
}

/**
 * Shows `message` as an information or warning notification with the remedy's button
 * (labelled `label`, else the remedy's own words), which runs it; does not wait.
 */
export function showWithRemedy(severity: 'information' | 'warning', message: string, remedy: Remedy, label?: string): void {
  notify(severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage, message, remedy, { label });
}

/** Shows `message` as a warning with the remedy's button, if any, and Show Log; does not wait. */
export function showWarning(message: string, remedy?: Remedy): void {
  notify(vscode.window.showWarningMessage, message, remedy, { showLog: true });
}

/** One notification: the remedy's button first, then Show Log when asked for; a click runs it. */
function notify(
  show: (message: string, ...items: string[]) => Thenable<string | undefined>,
  message: string,
  remedy: Remedy | undefined,
  options: { label?: string; showLog?: boolean },
): void {
  const action = remedy ? REMEDIES[remedy] : undefined;
  const remedyLabel = action ? (options.label ?? action.label()) : undefined;
  const showLog = options.showLog ? vscode.l10n.t('Show Log') : undefined;
  const buttons = [remedyLabel, showLog].filter((label): label is string => label !== undefined);
  void show(message, ...buttons).then((choice) => {
    if (choice === undefined) return;
    if (choice === showLog) void vscode.commands.executeCommand(COMMANDS.showLog);
    else if (action && choice === remedyLabel) void action.run();
  });
}

/** The remedy a kind of failure always has, for errors that name none. */
const REMEDY_OF_KIND: Partial<Record<FailureKind, Remedy>> = {
  signInRequired: 'signIn',
  denied: 'signIn',
  rejectedClient: 'registerClient',
};

/** Each remedy's button and what it runs. */
const REMEDIES: Record<Remedy, { label: () => string; run: () => Thenable<unknown> }> = {
  signIn: { label: () => vscode.l10n.t('Sign In'), run: () => vscode.commands.executeCommand(COMMANDS.signIn) },
  registerClient: { label: () => vscode.l10n.t('Register Client'), run: () => vscode.commands.executeCommand(COMMANDS.registerClient) },
  openSettings: { label: () => vscode.l10n.t('Open Settings'), run: () => vscode.commands.executeCommand('workbench.action.openSettings', SECTION) },
};

/** An `Error` for `executeCommand` callers, carrying only the user-facing message. */
export function toCommandError(error: unknown): Error {
  const result = new Error(userMessage(error));
  if (isIdentityCenterError(error)) result.name = `IdentityCenterError(${error.kind})`;
  return result;
}

