/**
 * How a failure reaches the user: one notification that says what to do next, with
 * the service's own text only in the log (at debug level); and the one way any notice
 * offers its next steps (Retry, Sign In, Register Client, Choose Region, Open Settings
 * on the one setting concerned, Show Log) as buttons.
 */
import * as vscode from 'vscode';
import { plainText } from '../../core/common/displayText';
import { FailureKind, IdentityCenterError, isIdentityCenterError, Remedy, SettingKey } from '../../core/common/errors';
import type { Logger } from '../../core/common/ports';
import { isTransientFailure } from '../../core/transport/httpFailure';
import { COMMANDS } from '../commands/ids';
import { SECTION } from '../settings';

/** A button of a notification: its label, and what a click on it runs. */
export interface NoticeButton {
  label: string;
  run(): unknown;
}

/** The user-facing message of any error; unknown errors get a generic one. */
export function userMessage(error: unknown): string {
  if (isIdentityCenterError(error)) return error.message;
  return vscode.l10n.t('IAM Identity Center hit an unexpected error. Show Log has the details; then retry.');
}

/** Logs an error: its message, and at debug level the service's code and text. A cancellation is no error: one info line. */
export function logError(logger: Logger, action: string, error: unknown): void {
  if (isIdentityCenterError(error, 'cancelled')) {
    logger.info(`${action} cancelled`);
  } else if (isIdentityCenterError(error)) {
    logger.error(`${action} failed (${error.kind}): ${error.message}`);
    if (error.serviceText !== undefined || error.code !== undefined) {
      logger.debug(`Service said: status ${error.status ?? '-'}, code ${error.code ?? '-'}, text ${JSON.stringify(plainText(error.serviceText ?? '', 500))}`);
    }
  } else {
    logger.error(`${action} failed unexpectedly: ${error instanceof Error ? error.name : typeof error}`);
  }
}

/**
 * Shows the error as one notification, without waiting for a click: `retry` when trying
 * again may pass, the error's remedy (Sign In, Register Client, Choose Region, Open
 * Settings), then Show Log. A cancellation shows nothing.
 */
export function showError(error: unknown, retry?: NoticeButton): void {
  if (isIdentityCenterError(error, 'cancelled')) return;
  showNotice('error', userMessage(error), [worthRetrying(error) ? retry : undefined, remedyButton(error), showLogButton()]);
}

/**
 * Shows `message` as an information or warning notification with the remedy's button
 * (labelled `label`, else the remedy's own words), which runs it; does not wait.
 */
export function showWithRemedy(severity: 'information' | 'warning', message: string, remedy: Remedy, label?: string): void {
  const button = buttonOf(remedy);
  showNotice(severity, message, [{ ...button, label: label ?? button.label }]);
}

/** Shows `message` with the button that opens `setting` (Choose Region, for the region); does not wait. */
export function showSettingNotice(severity: 'information' | 'warning', message: string, setting: SettingKey): void {
  showNotice(severity, message, [settingButton(setting)]);
}

/** Shows `message` as a warning with a fix (a remedy, or the one of the error that caused it), if any, and Show Log; does not wait. */
export function showWarning(message: string, fix?: Remedy | IdentityCenterError): void {
  showNotice('warning', message, [typeof fix === 'string' ? buttonOf(fix) : remedyButton(fix), showLogButton()]);
}

/** One notification with `buttons` (the undefined ones left out); a click runs that button. Does not wait. */
export function showNotice(severity: 'information' | 'warning' | 'error', message: string, buttons: readonly (NoticeButton | undefined)[]): void {
  const shown = buttons.filter((button): button is NoticeButton => button !== undefined);
  const show = severity === 'error' ? vscode.window.showErrorMessage : severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  void show(message, ...shown.map((button) => button.label)).then((choice) => {
    if (choice !== undefined) void shown.find((button) => button.label === choice)?.run();
  });
}

/** Show Log: the extension's output channel. */
function showLogButton(): NoticeButton {
  return { label: vscode.l10n.t('Show Log'), run: () => vscode.commands.executeCommand(COMMANDS.showLog) };
}

/**
 * True when the same request may pass if tried again: no answer arrived (a certificate
 * problem too, once its setting is fixed), a proxy wanted credentials, or the service
 * was busy or down for a while.
 */
function worthRetrying(error: unknown): boolean {
  return isIdentityCenterError(error, 'network', 'timeout') || isTransientFailure(error) || (isIdentityCenterError(error) && error.status === 407);
}

/** The button that fixes `error`: its remedy, else its setting's, else its kind's; none for other values. */
function remedyButton(error: unknown): NoticeButton | undefined {
  if (!isIdentityCenterError(error)) return undefined;
  if (!error.remedy && error.setting) return settingButton(error.setting);
  const remedy = error.remedy ?? REMEDY_OF_KIND[error.kind];
  return remedy && buttonOf(remedy, error.setting);
}

/** The button that opens `setting` alone; for the region, Choose Region's pick list instead. */
function settingButton(setting: SettingKey): NoticeButton {
  return buttonOf(setting === 'region' ? 'chooseRegion' : 'openSettings', setting);
}

/** The button of `remedy`, in its own words; Open Settings opens `setting`. */
function buttonOf(remedy: Remedy, setting?: SettingKey): NoticeButton {
  const action = REMEDIES[remedy];
  return { label: action.label(), run: () => action.run(setting) };
}

/** The remedy a kind of failure always has, for errors that name none. */
const REMEDY_OF_KIND: Partial<Record<FailureKind, Remedy>> = {
  signInRequired: 'signIn',
  denied: 'signIn',
  rejectedClient: 'registerClient',
};

/** Each remedy's button and what it runs (Open Settings: the setting concerned alone, by the editor's `@id:` filter). */
const REMEDIES: Record<Remedy, { label: () => string; run: (setting?: SettingKey) => Thenable<unknown> }> = {
  signIn: { label: () => vscode.l10n.t('Sign In'), run: () => vscode.commands.executeCommand(COMMANDS.signIn) },
  registerClient: { label: () => vscode.l10n.t('Register Client'), run: () => vscode.commands.executeCommand(COMMANDS.registerClient) },
  chooseRegion: { label: () => vscode.l10n.t('Choose Region'), run: () => vscode.commands.executeCommand(COMMANDS.chooseRegion) },
  openSettings: { label: () => vscode.l10n.t('Open Settings'), run: (setting) => vscode.commands.executeCommand('workbench.action.openSettings', setting ? `@id:${settingId(setting)}` : SECTION) },
};

/** The full id of `setting`: the extension's own under its section, VS Code's as it is. */
export function settingId(setting: SettingKey): string {
  return setting.includes('.') ? setting : `${SECTION}.${setting}`;
}

/** An `Error` for `executeCommand` callers, carrying only the user-facing message. */
export function toCommandError(error: unknown): Error {
  const result = new Error(userMessage(error));
  if (isIdentityCenterError(error)) result.name = `IdentityCenterError(${error.kind})`;
  return result;
}
