/**
 * Registers every command of the palette: its id (`ids.ts`), its name in the log, and
 * its body, which runs in the lazily loaded UI bundle (`src/vscode/ui/commands/`).
 */
import * as vscode from 'vscode';
import type { CommandDeps } from '../ui/commands/run';
import type { UiBundle } from '../uiBundle';
import { loadUiBundle } from '../uiBundle';
import { COMMANDS } from './ids';

/** The commands whose body is in the UI bundle: [id, name in the log (English, as the log is), body]. */
const PALETTE: readonly [string, string, keyof UiBundle['COMMAND_BODIES']][] = [
  [COMMANDS.registerClient, 'Register Client', 'registerClient'],
  [COMMANDS.showClient, 'Show Client', 'showClient'],
  [COMMANDS.forgetClient, 'Forget Client', 'forgetClient'],
  [COMMANDS.chooseRegion, 'Choose Region', 'chooseRegion'],
  [COMMANDS.signIn, 'Sign In', 'signIn'],
  [COMMANDS.signOut, 'Sign Out', 'signOut'],
  [COMMANDS.listAccounts, 'List Accounts', 'listAccounts'],
  [COMMANDS.listAgencies, 'List Agencies', 'listAgencies'],
  [COMMANDS.selectAgency, 'Select Account and Agency', 'selectAgency'],
  [COMMANDS.useAgency, 'Use This Agency', 'useAgency'],
  [COMMANDS.copyAccountId, 'Copy Account ID', 'copyAccountId'],
  [COMMANDS.copyAgencyUrn, 'Copy Agency URN', 'copyAgencyUrn'],
  [COMMANDS.showAgency, 'Show Selected Agency', 'showAgency'],
  [COMMANDS.clearAgency, 'Stop Using Agency Credentials', 'clearAgency'],
  [COMMANDS.openTerminal, 'Open Terminal with Agency Credentials', 'openTerminal'],
];

/** Registers the commands; returns their disposables. */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.showLog, () => deps.showLog()),
    ...PALETTE.map(([id, name, body]) =>
      vscode.commands.registerCommand(id, (args?: unknown) => {
        const ui = loadUiBundle();
        return ui.runCommand(deps, name, args, ui.COMMAND_BODIES[body] as Parameters<UiBundle['runCommand']>[3]);
      }),
    ),
  ];
}
