/**
 * Registers every command of the palette (ids in `ids.ts`, how they run in `run.ts`).
 */
import * as vscode from 'vscode';
import { COMMANDS } from './ids';
import { forgetClient, registerClient, showClient } from './registration';
import { CommandDeps, registerCommand } from './run';
import { signIn, signOut } from './session';


/** Registers the commands; returns their disposables. */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  return [
    registerCommand(deps, COMMANDS.registerClient, 'Register Client', registerClient),
    registerCommand(deps, COMMANDS.showClient, 'Show Client', showClient),
    registerCommand(deps, COMMANDS.forgetClient, 'Forget Client', forgetClient),
    vscode.commands.registerCommand(COMMANDS.showLog, () => deps.showLog()),
    registerCommand(deps, COMMANDS.signIn, 'Sign In', signIn),
    registerCommand(deps, COMMANDS.signOut, 'Sign Out', signOut),
  ];
}
