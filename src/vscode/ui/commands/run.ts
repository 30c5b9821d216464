/**
 * How every command runs: from the palette with prompts, or with an args object
 * (automation, other extensions, tests) with no prompt at all. A failure is logged and
 * shown once; with args it also rejects, so automation sees it.
 */
import * as vscode from 'vscode';
import { IdentityCenterError } from '../../../core/common/errors';
import { validateClientName } from '../../../core/common/validate';
import { PROFILE_NAME_PATTERN } from '../../../core/profiles/profile';
import { logError, showError, toCommandError } from '../errors';
import { host } from '../instances';

/** How a command was invoked: from the palette (prompts allowed) or with args (none), and for which profile. */
export interface Invocation {
  interactive: boolean;
  args: Record<string, unknown>;
  /** The profile the `profile` argument names; undefined: the window's. */
  profile?: string;
}

/** A command's work, given how it was invoked. */
export type CommandBody<T> = (invocation: Invocation) => Promise<T>;

/**
 * Runs the body of command `id` (`name` in the log). A failure is logged and shown as
 * one notification, whose Retry (when trying again may pass) runs `id` again with the
 * same `args`; with an args object it also rejects, so automation sees it. From the
 * palette the command then resolves undefined, as VS Code would otherwise show a
 * second, vaguer error.
 */
export async function runCommand<T>(id: string, name: string, args: unknown, body: CommandBody<T>): Promise<T | undefined> {
  const interactive = args === undefined || args === null;
  try {
    if (!interactive && (typeof args !== 'object' || Array.isArray(args))) {
      throw new IdentityCenterError('configuration', vscode.l10n.t('This command takes an object of arguments, such as {0}.', '{ "clientName": "My laptop" }'));
    }
    const given = (args ?? {}) as Record<string, unknown>;
    return await body({ interactive, args: given, profile: profileArgument(given.profile) });
  } catch (error) {
    logError(host().log, name, error);
    showError(error, { label: vscode.l10n.t('Retry'), run: () => vscode.commands.executeCommand(id, args) });
    if (interactive) return undefined;
    throw toCommandError(error);
  }
}

/** The `clientName` argument, refused before any request exactly as the input box would. */
export function clientNameArgument(invocation: Invocation): string | undefined {
  const value = invocation.args.clientName;
  if (value === undefined) return undefined;
  const invalid = validateClientName(value);
  if (invalid) throw new IdentityCenterError('configuration', vscode.l10n.t('Invalid clientName: {0}', invalid));
  return value as string;
}

/** The `profile` argument: a profile's name, refused before anything when it is not one. */
function profileArgument(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !PROFILE_NAME_PATTERN.test(value)) {
    throw new IdentityCenterError('configuration', vscode.l10n.t('profile must be the name of one of your profiles, such as "default".'), { setting: 'profiles' });
  }
  return value;
}
