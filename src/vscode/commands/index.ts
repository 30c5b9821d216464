/**
 * Registers every command under its id (`ids.ts`). Their bodies, and their names in the
 * log, are in the lazy bundle (`src/vscode/ui/bundle.ts`, `COMMAND_BODIES`): activation
 * carries no more than the ids it registers.
 */
import * as vscode from 'vscode';
import type { LazyBundle } from '../lazy';
import { COMMANDS } from './ids';

/** The commands whose body is in the lazy bundle, by their key in `COMMANDS`. */
export const LAZY_COMMANDS = [
  'registerClient',
  'showClient',
  'forgetClient',
  'chooseRegion',
  'chooseProfile',
  'setStartUrl',
  'signIn',
  'signOut',
  'listAccounts',
  'listAgencies',
  'selectAgency',
  'useAgency',
  'copyAccountId',
  'copyAgencyUrn',
  'showAgency',
  'clearAgency',
  'openTerminal',
  'copyCredentials',
] as const satisfies readonly (keyof typeof COMMANDS)[];

/** Registers the commands; returns their disposables. */
export function registerCommands(lazy: () => LazyBundle, showLog: () => void): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.showLog, showLog),
    ...LAZY_COMMANDS.map((key) => vscode.commands.registerCommand(COMMANDS[key], (args?: unknown) => lazy().runCommand(COMMANDS[key], args))),
  ];
}
