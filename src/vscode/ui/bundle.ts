/**
 * Everything that runs only once the user acts or a request is due, bundled as
 * `dist/lazy.js` and loaded on first use (`src/vscode/lazy.ts`): the command bodies and
 * how they run, the prompts and picks, the sign-in, the views' data, the status menu and
 * the warnings, and, below them, the OIDC and portal clients, the managers that write the
 * records, and the HTTP stack. Its exports are the `LazyBundle` port; `connect` hands it
 * the `Host`. Loading it hands its copy of the core the display language's translations.
 */
import * as vscode from 'vscode';
import * as l10n from '@vscode/l10n';
import type { InstanceWork, SessionRenewal } from '../../core/instance/runtime';
import { COMMANDS } from '../commands/ids';
import type { LazyBundle } from '../lazy';
import { AccountsView } from './accountsView';
import { showAgencySignInNeeded } from './agencyActions';
import { clearAgency, listAccountsCommand, listAgenciesCommand, selectAgencyCommand, showAgency, useAgency } from './commands/agency';
import { copyCredentials } from './commands/copyCredentials';
import { copyAccountId, copyAgencyUrn } from './commands/copyIds';
import { chooseProfile } from './commands/profile';
import { forgetClient, registerClient, showClient } from './commands/registration';
import { CommandBody, runCommand as run } from './commands/run';
import { removeSession, signIn as signInCommand, signOut } from './commands/session';
import { agencyTerminalProfile, openTerminal } from './commands/terminal';
import { host, partsOf } from './instances';
import { chooseRegion } from './regionPick';
import { warnOfEndingSessions, warnOfShortLivedSecrets } from './sessionEndNotice';
import { signIn } from './signIn';
import { setStartUrl } from './signInUi';
import { showStatusMenu } from './statusBar';

if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });

export { connect } from './instances';
export { removeSession, showStatusMenu, signIn, warnOfEndingSessions };

/**
 * Each command the lazy bundle runs: its name in the log (English, as the log is) and
 * its body, by its key in `COMMANDS`, which gives its id. `src/vscode/commands/index.ts`
 * registers these keys; a unit test holds the two lists and package.json together.
 */
export const COMMAND_BODIES = {
  registerClient: { name: 'Register Client', body: registerClient },
  showClient: { name: 'Show Client', body: showClient },
  forgetClient: { name: 'Forget Client', body: forgetClient },
  chooseRegion: { name: 'Choose Region', body: chooseRegion },
  chooseProfile: { name: 'Choose Profile', body: chooseProfile },
  setStartUrl: { name: 'Set User Portal URL', body: setStartUrl },
  signIn: { name: 'Sign In', body: signInCommand },
  signOut: { name: 'Sign Out', body: signOut },
  listAccounts: { name: 'List Accounts', body: listAccountsCommand },
  listAgencies: { name: 'List Agencies', body: listAgenciesCommand },
  selectAgency: { name: 'Select Account and Agency', body: selectAgencyCommand },
  useAgency: { name: 'Use This Agency', body: useAgency },
  copyAccountId: { name: 'Copy Account ID', body: copyAccountId },
  copyAgencyUrn: { name: 'Copy Agency URN', body: copyAgencyUrn },
  showAgency: { name: 'Show Selected Agency', body: showAgency },
  clearAgency: { name: 'Stop Using Agency Credentials', body: clearAgency },
  openTerminal: { name: 'Open Terminal with Agency Credentials', body: openTerminal },
  copyCredentials: { name: 'Copy Agency Credentials as Environment Variables', body: copyCredentials },
} satisfies Partial<Record<keyof typeof COMMANDS, { name: string; body: CommandBody<unknown> }>>;

/** Runs the command `id` with `args` (see `commands/run.ts`); a failure's Retry runs it again. */
export function runCommand(id: string, args: unknown): Promise<unknown> {
  const key = (Object.keys(COMMAND_BODIES) as (keyof typeof COMMAND_BODIES)[]).find((candidate) => COMMANDS[candidate] === id);
  if (!key) return Promise.reject(new Error(`No command ${id}`));
  const { name, body } = COMMAND_BODIES[key];
  return run(id, name, args, body as CommandBody<unknown>);
}

/** The work the activation half hands the lazy half (see `InstanceWork`). */
export const work: InstanceWork = {
  renewRegistration: (runtime, signal) => partsOf(runtime).registration.ensureClient({ signal }),
  refreshSession: async (runtime, session, signal): Promise<SessionRenewal> => partsOf(runtime).sessions.refreshOrRemove(session, signal),
  renewCredentials: (runtime, selection, signal) => partsOf(runtime).credentials.ensure(selection, { signal }),
  signInNeeded: (_runtime, selection, current) => showAgencySignInNeeded(selection, current),
  shortLivedSecrets: (lifetimeMs) => warnOfShortLivedSecrets(lifetimeMs),
};

/** The accounts view's data (see `LazyBundle.accountsView`). */
export function accountsView(view: vscode.TreeView<unknown>, changes: vscode.EventEmitter<unknown>): AccountsView {
  return new AccountsView(view, changes);
}

/** The contributed terminal profile's terminal, for the window's profile. */
export async function terminalProfile(): Promise<vscode.TerminalProfile> {
  const runtime = host().instances.runtime();
  return agencyTerminalProfile(runtime);
}

// The exports are the port activation uses: a missing or changed one fails the build here.
void ({ runCommand, work, signIn, removeSession, accountsView, showStatusMenu, warnOfEndingSessions, terminalProfile } satisfies Omit<LazyBundle, never>);
