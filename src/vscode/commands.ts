/**
 * The command-palette commands of the registration. Each works with prompts from
 * the palette, and with an args object (automation) with no prompt at all.
 */
import * as vscode from 'vscode';
import { plainText } from '../core/displayText';
import { IdentityCenterError } from '../core/errors';
import { validateClientName } from '../core/oidcClient';
import { Logger } from '../core/ports';
import { logError, showError, toCommandError } from './errors';
import { IdentityCenterAuthProvider } from './authProvider';
import { ClientSummary, RegistrationService, summarize } from './registrationService';
import { defaultClientName } from './settings';

/** The contract's command ids. */
export const COMMANDS = {
  registerClient: 'iamIdentityCenter.registerClient',
  showClient: 'iamIdentityCenter.showClient',
  forgetClient: 'iamIdentityCenter.forgetClient',
  showLog: 'iamIdentityCenter.showLog',
  signIn: 'iamIdentityCenter.signIn',
  signOut: 'iamIdentityCenter.signOut',
} as const;

/** What the commands need. */
export interface CommandDeps {
  registrations: RegistrationService;
  provider: IdentityCenterAuthProvider;
  logger: Logger;
  showLog(): void;
}

/** Registers the commands; returns their disposables. */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.registerClient, (args?: unknown) => runCommand(deps, 'Register Client', args, registerClient)),
    vscode.commands.registerCommand(COMMANDS.showClient, (args?: unknown) => runCommand(deps, 'Show Client', args, showClient)),
    vscode.commands.registerCommand(COMMANDS.forgetClient, (args?: unknown) => runCommand(deps, 'Forget Client', args, forgetClient)),
    vscode.commands.registerCommand(COMMANDS.showLog, () => deps.showLog()),
    vscode.commands.registerCommand(COMMANDS.signIn, (args?: unknown) => runCommand(deps, 'Sign In', args, signIn)),
    vscode.commands.registerCommand(COMMANDS.signOut, (args?: unknown) => runCommand(deps, 'Sign Out', args, signOut)),
  ];
}

/** How a command was invoked: from the palette (prompts allowed) or with args (none). */
interface Invocation {
  interactive: boolean;
  args: Record<string, unknown>;
}

/**
 * Runs a command body. A failure is logged and shown as one notification; with an
 * args object it also rejects, so automation sees it. From the palette the command
 * then resolves undefined, as VS Code would otherwise show a second, vaguer error.
 */
async function runCommand<T>(
  deps: CommandDeps,
  name: string,
  args: unknown,
  body: (deps: CommandDeps, invocation: Invocation) => Promise<T>,
): Promise<T | undefined> {
  const interactive = args === undefined || args === null;
  try {
    if (!interactive && (typeof args !== 'object' || Array.isArray(args))) {
      throw new IdentityCenterError('configuration', `${name} takes an object of arguments, such as { "clientName": "My laptop" }.`);
    }
    return await body(deps, { interactive, args: (args ?? {}) as Record<string, unknown> });
  } catch (error) {
    logError(deps.logger, name, error);
    showError(error);
    if (interactive) return undefined;
    throw toCommandError(error);
  }
}

/** The `clientName` argument, refused before any request exactly as the input box would. */
function clientNameArgument(invocation: Invocation): string | undefined {
  const value = invocation.args.clientName;
  if (value === undefined) return undefined;
  const invalid = validateClientName(value);
  if (invalid) throw new IdentityCenterError('configuration', `Invalid clientName: ${invalid}`);
  return value as string;
}

async function registerClient(deps: CommandDeps, invocation: Invocation): Promise<ClientSummary | undefined> {
  let clientName: string | undefined;
  if (invocation.interactive) {
    clientName = await vscode.window.showInputBox({
      title: 'IAM Identity Center: client name',
      prompt: 'The name IAM Identity Center shows for this client (1 to 1024 characters).',
      value: defaultClientName(),
      ignoreFocusOut: true,
      validateInput: (value) => validateClientName(value),
    });
    if (clientName === undefined) return undefined;
  } else {
    clientName = clientNameArgument(invocation) ?? defaultClientName();
  }
  const name = clientName;
  const registration = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Registering the client with IAM Identity Center…', cancellable: true },
    (_progress, token) => {
      const abort = new AbortController();
      const subscription = token.onCancellationRequested(() => abort.abort());
      return deps.registrations
        .current(invocation.interactive)
        .then((clients) => deps.registrations.register(clients, name, abort.signal))
        .finally(() => subscription.dispose());
    },
  );
  void vscode.window.showInformationMessage(
    `Registered client ${plainText(registration.clientId)}. Its secret expires ${formatLocalTime(registration.expiresAt)}; it will be renewed automatically.`,
  );
  return summarize(registration);
}

async function showClient(deps: CommandDeps, invocation: Invocation): Promise<ClientSummary | undefined> {
  const registration = await deps.registrations.stored();
  if (invocation.interactive) {
    if (registration) {
      void vscode.window.showInformationMessage(
        `Client ${plainText(registration.clientId)} ("${plainText(registration.clientName)}") at ${plainText(registration.endpoint)}, scopes ${plainText(registration.scopes.join(', '))}. Its secret expires ${formatLocalTime(registration.expiresAt)}.`,
      );
    } else {
      void vscode.window.showInformationMessage('No client is registered for the current settings.', 'Register Client').then((choice) => {
        if (choice) void vscode.commands.executeCommand(COMMANDS.registerClient);
      });
    }
  }
  return registration ? summarize(registration) : undefined;
}

async function forgetClient(deps: CommandDeps, invocation: Invocation): Promise<undefined> {
  const endpoint = await deps.registrations.forget();
  if (invocation.interactive) {
    void vscode.window.showInformationMessage(endpoint ? `Forgot the client registration for ${endpoint}.` : 'No endpoint is set, so there was nothing to forget.');
  }
  return undefined;
}

/** An epoch-seconds time in the user's local time zone. */
export function formatLocalTime(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toLocaleString();
}

/** What `signIn` resolves to: the session, without its tokens. */
export interface SessionSummary {
  account: string;
  expiresAt: number;
  scopes: string[];
}

async function signIn(deps: CommandDeps, invocation: Invocation): Promise<SessionSummary> {
  const session = await deps.provider.signIn({ interactive: invocation.interactive, clientName: clientNameArgument(invocation) });
  if (invocation.interactive) {
    void vscode.window.showInformationMessage(`Signed in to IAM Identity Center as ${plainText(session.account.label)}. The session ends ${formatLocalTime(session.expiresAt)}.`);
  }
  return { account: plainText(session.account.label), expiresAt: session.expiresAt, scopes: [...session.scopes] };
}

async function signOut(deps: CommandDeps, invocation: Invocation): Promise<undefined> {
  const count = await deps.provider.removeAll();
  if (invocation.interactive) {
    void vscode.window.showInformationMessage(count > 0 ? 'Signed out of IAM Identity Center. The client registration is kept.' : 'You were not signed in.');
  }
  return undefined;
}
