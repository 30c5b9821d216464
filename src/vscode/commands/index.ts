/**
 * Registers every command of the palette (ids in `ids.ts`, how they run in `run.ts`).
 */
import * as vscode from 'vscode';
import { clearAgency, listAccounts, listAgencies, selectAgency, showAgency, useAgency } from './agency';
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
    registerCommand(deps, COMMANDS.listAccounts, 'List Accounts', listAccounts),
    registerCommand(deps, COMMANDS.listAgencies, 'List Agencies', listAgencies),
    registerCommand(deps, COMMANDS.selectAgency, 'Select Account and Agency', selectAgency),
    registerCommand(deps, COMMANDS.useAgency, 'Use This Agency', useAgency),
    registerCommand(deps, COMMANDS.showAgency, 'Show Selected Agency', showAgency),
    registerCommand(deps, COMMANDS.clearAgency, 'Stop Using Agency Credentials', clearAgency),
  ];
}
