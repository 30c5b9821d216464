/**
 * Registers every command of the palette under its id (`ids.ts`); its body and its name
 * in the log are in the lazily loaded UI bundle (`src/vscode/ui/bundle.ts`).
 */
import * as vscode from 'vscode';
import type { CommandDeps } from '../ui/commands/run';
import type { UiBundle } from '../uiBundle';
import { loadUiBundle } from '../uiBundle';
import { COMMANDS } from './ids';

/** The commands whose name and body are in the UI bundle (its `COMMAND_BODIES`), by their key in `COMMANDS`. */
const PALETTE: readonly (keyof typeof COMMANDS & keyof UiBundle['COMMAND_BODIES'])[] = [
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
  'showAgency',
  'clearAgency',
];

/** Registers the commands; returns their disposables. */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.showLog, () => deps.showLog()),
    ...PALETTE.map((key) => vscode.commands.registerCommand(COMMANDS[key], (args?: unknown) => loadUiBundle().runPaletteCommand(deps, key, args))),
  ];
}
