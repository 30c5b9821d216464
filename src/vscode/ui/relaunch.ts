/**
 * Terminals already open keep the environment they started with: after Stop Using, Sign
 * Out or a switch of agency, those that started with credentials keep the old ones. This
 * offers Relaunch Terminals for them. VS Code relaunches a terminal's process with the
 * environment now in force (`workbench.action.terminal.relaunch`, which acts on the
 * active terminal, so each is made active first). A terminal from Open Terminal with
 * Agency Credentials carries the credentials in its own options, which a relaunch would
 * start again, so it is closed and opened again with the new ones (only closed when
 * there are none).
 */
import * as vscode from 'vscode';
import { agencyTerminalLabel, openAgencyTerminal } from './commands/terminal';
import { logError, NoticeButton, showError } from './errors';
import { host } from './instances';

/** How long a terminal may take to become the active one before its relaunch is given up. */
const ACTIVATION_TIMEOUT_MS = 5_000;

/** The open terminals that started with credentials, and so keep them after a change. */
function terminalsWithOldCredentials(): vscode.Terminal[] {
  return vscode.window.terminals.filter((terminal) => host().terminals.holding.has(terminal) || agencyTerminalLabel(terminal) !== undefined);
}

/**
 * `message`, and Relaunch Terminals when an open terminal keeps old credentials: then the
 * message says so. The button relaunches those terminals (see the file's comment).
 */
export function withRelaunchOffer(message: string): { message: string; button?: NoticeButton } {
  const stale = terminalsWithOldCredentials();
  if (stale.length === 0) return { message };
  return {
    message: vscode.l10n.t('{0} Terminals already open keep the old credentials until you relaunch them.', message),
    button: { label: vscode.l10n.t('Relaunch Terminals'), run: () => relaunchTerminals(stale) },
  };
}

/** Relaunches `terminals` that are still open with the credentials in force now (none, after Stop Using or Sign Out). */
async function relaunchTerminals(terminals: readonly vscode.Terminal[]): Promise<void> {
  const previous = vscode.window.activeTerminal;
  const closed = new Set<vscode.Terminal>();
  for (const terminal of terminals.filter((candidate) => vscode.window.terminals.includes(candidate))) {
    const label = agencyTerminalLabel(terminal);
    if (label === undefined) {
      await relaunchInPlace(terminal);
    } else {
      closed.add(terminal);
      await reopenAgencyTerminal(terminal, label);
    }
  }
  if (previous && !closed.has(previous) && vscode.window.terminals.includes(previous)) previous.show(true);
}

/** Relaunches a terminal's process, keeping the terminal; it now holds credentials only when new terminals get them. */
async function relaunchInPlace(terminal: vscode.Terminal): Promise<void> {
  const { log, terminals } = host();
  if (!(await makeActive(terminal))) {
    log.warn('A terminal did not become active in time, so it was not relaunched.');
    return;
  }
  await vscode.commands.executeCommand('workbench.action.terminal.relaunch');
  if (terminals.description === undefined) terminals.holding.delete(terminal);
}

/**
 * Closes a terminal of Open Terminal with Agency Credentials, and opens it again when an
 * agency is in use with credentials; a failure to reopen is shown like the command's.
 */
async function reopenAgencyTerminal(terminal: vscode.Terminal, label: string): Promise<void> {
  terminal.dispose();
  const runtime = host().instances.windowInstance();
  if (!runtime || !(await runtime.agencyState())?.credentials) return;
  try {
    await openAgencyTerminal(runtime, label || undefined);
  } catch (error) {
    logError(host().log, 'Reopen Terminal with Agency Credentials', error);
    showError(error);
  }
}

/** Makes `terminal` the active one (VS Code's relaunch acts on it); false when it did not become active in time. */
async function makeActive(terminal: vscode.Terminal): Promise<boolean> {
  if (vscode.window.activeTerminal === terminal) return true;
  return new Promise<boolean>((resolve) => {
    const done = (active: boolean) => {
      clearTimeout(timer);
      subscription.dispose();
      resolve(active);
    };
    const subscription = vscode.window.onDidChangeActiveTerminal((active) => {
      if (active === terminal) done(true);
    });
    const timer = setTimeout(() => done(vscode.window.activeTerminal === terminal), ACTIVATION_TIMEOUT_MS);
    terminal.show(true);
  });
}
