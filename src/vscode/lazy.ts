/**
 * The one boundary between what activation loads (`dist/extension.js`) and what loads on
 * first use (`dist/lazy.js`, built from `src/vscode/ui/bundle.ts`: every request, write,
 * prompt and pick). One named port each way:
 *
 * - `LazyBundle`, what activation asks of the lazy half: run a command, do an instance's
 *   work that needs the network or a write, draw a view, show a menu or a warning.
 * - `Host`, what the lazy half is handed once when it loads: the window's parts.
 *
 * Lint allows only `import type` from the lazy folders on this side. A palette sign-in
 * crosses twice: the command into `runCommand`, and the lazy half asking `Host.instances`
 * for the profile's runtime. The new session reaches the provider as another window's
 * would: through SecretStorage's change event.
 */
import type * as vscode from 'vscode';
import type { SelectionMementos } from '../core/agencies/selection';
import type { Clock, SecretStore, Sleep } from '../core/common/ports';
import type { InstanceRegistry } from '../core/instance/registry';
import type { InstanceRuntime, InstanceWork } from '../core/instance/runtime';
import type { StoredSession } from '../core/sessions/model';
import type { UserCodePrompt } from '../core/signin/signIn';
import type { Settings } from './settings';
import type { TerminalEnvironment } from './terminalEnvironment';

/** A user code a sign-in shows, and how to cancel that sign-in (as its notification's Cancel button does). */
export interface UserCodeShown {
  prompt: UserCodePrompt;
  cancel(): void;
}

/** How a sign-in was asked for. */
export interface SignInRequest {
  /** False under automation: no prompt, modal or pick list. */
  interactive: boolean;
  /** Extra scopes asked for by `getSession`; the profile's scopes are always included. */
  scopes?: readonly string[];
  /** The client name to register under when no client is stored; default `VS Code (hostname)`. */
  clientName?: string;
  /** The profile to sign in to; the window's when absent. */
  profile?: string;
}

/** The window's parts, handed to the lazy half when it loads (lazy → activation). */
export interface Host {
  log: vscode.LogOutputChannel;
  clock: Clock;
  /** Waits between retries and polls (instant in Test mode). */
  sleep: Sleep;
  store: SecretStore;
  /** Names this window in leases and in the marks of credentials in use. */
  windowId: string;
  /** Tells of a changed SecretStorage key, from this window or another; returns an unsubscribe function. */
  onSecretChange(listener: (key: string) => void): () => void;
  mementos: SelectionMementos;
  /** The settings: the only reader and writer of `iamIdentityCenter.*`. */
  settings: Settings;
  /** The window's profiles and their runtimes. */
  instances: InstanceRegistry;
  /** The integrated terminals' environment, and the open terminals that started with credentials. */
  terminals: TerminalEnvironment;
  /** Fires with each user code a sign-in shows (the code and page, never the device code). */
  userCodes: vscode.EventEmitter<UserCodeShown>;
}

/** What `dist/lazy.js` does for activation (activation → lazy); the bundle's exports satisfy it. */
export interface LazyBundle {
  /** Runs palette command `id` with `args` (none: from the palette, with prompts). */
  runCommand(id: string, args: unknown): Promise<unknown>;
  /** An instance's work that needs the network, a write or a prompt. */
  work: InstanceWork;
  /** Signs in to `runtime`'s instance (the provider's `createSession`); concurrent calls share one flow. */
  signIn(request: SignInRequest): Promise<StoredSession>;
  /** Signs out of one session (the Accounts menu); the client registration stays. */
  removeSession(runtime: InstanceRuntime, sessionId: string): Promise<void>;
  /** The accounts view's data, for the tree the activation half registered. */
  accountsView(view: vscode.TreeView<unknown>, changes: vscode.EventEmitter<unknown>): AccountsData;
  /** The menu behind the status bar item. */
  showStatusMenu(): Promise<void>;
  /** Shows the warnings, due now and claimed by no other window, that sessions of `runtime` end; resolves to how many. */
  warnOfEndingSessions(runtime: InstanceRuntime): Promise<number>;
  /** The terminal the contributed profile opens: named after the agency, its credentials in its own environment, never saved. */
  terminalProfile(): Promise<vscode.TerminalProfile>;
}

/** The accounts view's data: its rows, and what changes them. */
export interface AccountsData {
  getTreeItem(node: unknown): vscode.TreeItem;
  getChildren(node?: unknown): Promise<unknown[]>;
  /** Lists everything again when shown. */
  refresh(): void;
  /** Redraws which agency is in use, listing nothing again. */
  agencyChanged(): void;
  /** Lists the agencies of the account of an error row again. */
  retryAgencies(node: unknown): void;
}

let loaded: LazyBundle | undefined;

/** Loads `dist/lazy.js` on first use and hands it `host`; a start with stored, usable records never calls this. */
export function loadLazy(host: Host): LazyBundle {
  if (!loaded) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bundle = require('./lazy.js') as LazyBundle & { connect(host: Host): void };
    bundle.connect(host);
    loaded = bundle;
  }
  return loaded;
}
