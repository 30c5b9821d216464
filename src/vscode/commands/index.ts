/**
 * Registers every command of the palette: its id (`ids.ts`) and its body, which runs in
 * the lazily loaded UI bundle (`src/vscode/ui/commands/`) with its name in the log.
 */
import * as vscode from 'vscode';
import type { CommandDeps } from '../ui/commands/run';
import type { UiBundle } from '../uiBundle';
import { loadUiBundle } from '../uiBundle';
import { COMMANDS } from './ids';

/**
 * The commands whose body is in the UI bundle, by the body's name there, which is also
 * the id's (`COMMANDS[name]`). The log names stay in the UI bundle: activation carries
 * no more than it registers (`dist/extension.js` is held to 40 KB).
 */
const PALETTE: readonly (keyof UiBundle['COMMAND_BODIES'])[] = [
  'registerClient',
  'showClient',
  'forgetClient',
  'chooseRegion',
  'signIn',
  'signOut',
  'listAccounts',
  'listAgencies',
  'selectAgency',
  'useAgency',
  'showAgency',
  'clearAgency',
  'openTerminal',
  'copyCredentials',
];

/** Registers the commands; returns their disposables. */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.showLog, () => deps.showLog()),
    ...PALETTE.map((body) => vscode.commands.registerCommand(COMMANDS[body], (args?: unknown) => loadUiBundle().runPaletteCommand(deps, body, args))),
  ];
}
