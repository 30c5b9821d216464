/**
 * Registers every command of the palette under its id (`ids.ts`); its name in the log
 * and its body are in the lazily loaded UI bundle (`src/vscode/ui/bundle.ts`).
 */
import * as vscode from 'vscode';
import type { PaletteCommand } from '../ui/bundle';
import type { CommandDeps } from '../ui/commands/run';
import { loadUiBundle } from '../uiBundle';
import { COMMANDS } from './ids';

/** The commands whose body is in the UI bundle, by their key in `COMMANDS` (which gives the id); the bundle knows their names. */
const PALETTE: readonly PaletteCommand[] = [
  'registerClient',
  'showClient',
  'forgetClient',
  'chooseRegion',
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
];

/** Registers the commands; returns their disposables. */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.showLog, () => deps.showLog()),
    ...PALETTE.map((command) => vscode.commands.registerCommand(COMMANDS[command], (args?: unknown) => loadUiBundle().runPaletteCommand(deps, command, args))),
  ];
}
