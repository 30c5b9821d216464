/**
 * How a failure reaches the user: one notification that says what to do next, with
 * the service's own text only in the log (at debug level).
 */
import * as vscode from 'vscode';
import { plainText } from '../../core/common/displayText';
import { isIdentityCenterError } from '../../core/common/errors';
import type { Logger } from '../../core/common/ports';
import { COMMANDS } from '../commands/ids';

/** The user-facing message of any error; unknown errors get a generic one. */
export function userMessage(error: unknown): string {
  if (isIdentityCenterError(error)) return error.message;
  return 'IAM Identity Center hit an unexpected error. Run "IAM Identity Center: Show Log" for details, then retry.';
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

/** Shows the error as one notification with a Show Log button, without waiting for a click. */
export function showError(error: unknown): void {
  if (isIdentityCenterError(error, 'cancelled')) return;
  void vscode.window.showErrorMessage(userMessage(error), 'Show Log').then((choice) => {
    if (choice) void vscode.commands.executeCommand(COMMANDS.showLog);
  });
}

/** An `Error` for `executeCommand` callers, carrying only the user-facing message. */
export function toCommandError(error: unknown): Error {
  const result = new Error(userMessage(error));
  if (isIdentityCenterError(error)) result.name = `IdentityCenterError(${error.kind})`;
  return result;
}

