/**
 * What a person sees during sign-in: the start-URL prompt (Set User Portal URL's too), the
 * user code with a "Copy & Open" action, and a cancellable progress notification with the
 * time left.
 */
import * as vscode from 'vscode';
import { plainText } from '../../core/common/displayText';
import { cancelledError, IdentityCenterError } from '../../core/common/errors';
import { parseServiceUrl } from '../../core/common/url';
import type { UserCodePrompt } from '../../core/signin/signIn';
import { DEFAULT_PROFILE, type Profile } from '../../core/profiles/profile';
import type { Invocation } from './commands/run';
import { host } from './instances';

/** Where a person finds the start URL, for the prompt and the error when it is missing. */
function whereToFindStartUrl(): string {
  return vscode.l10n.t('Find it in the IAM Identity Center console under Settings (User portal URL), or ask your administrator.');
}

/** The profile's user portal URL, or asked for (and saved to the profile) when interactive. */
export async function resolveStartUrl(profile: Profile, interactive: boolean): Promise<string> {
  const current = profile.startUrl;
  const named = profile.name !== DEFAULT_PROFILE;
  if (current) {
    if (!parseServiceUrl(current)) {
      throw named
        ? new IdentityCenterError('configuration', vscode.l10n.t('The startUrl of the profile "{0}" in the Profiles setting must be an https:// URL. Fix it, then sign in again.', profile.name), { setting: 'profiles' })
        : new IdentityCenterError('configuration', vscode.l10n.t('The User portal URL setting must be an https:// URL. Fix it, then sign in again.'), { setting: 'startUrl' });
    }
    return current;
  }
  if (!interactive) {
    throw named
      ? new IdentityCenterError(
          'configuration',
          vscode.l10n.t('The profile "{0}" in the Profiles setting has no startUrl. Set it to your IAM Identity Center user portal URL, then sign in again. {1}', profile.name, whereToFindStartUrl()),
          { setting: 'profiles' },
        )
      : new IdentityCenterError(
          'configuration',
          vscode.l10n.t('The User portal URL setting is empty. Set it to your IAM Identity Center user portal URL, then sign in again. {0}', whereToFindStartUrl()),
          { setting: 'startUrl' },
        );
  }
  return askStartUrl('', profile.name);
}

/**
 * Asks for the start URL in an input box that refuses anything but a service URL as it
 * is typed, and saves the answer to profile `name` in the user's settings; rejects
 * `cancelled` when dismissed.
 */
async function askStartUrl(current: string, name: string): Promise<string> {
  const value = await vscode.window.showInputBox({
    title: vscode.l10n.t('IAM Identity Center: user portal URL'),
    prompt: vscode.l10n.t('The start URL of your IAM Identity Center user portal (https://…). {0}', whereToFindStartUrl()),
    placeHolder: 'https://…',
    value: current,
    ignoreFocusOut: true,
    validateInput: (text) => (parseServiceUrl(text.trim()) ? undefined : vscode.l10n.t('Enter an https:// URL.')),
  });
  if (value === undefined) throw cancelledError();
  await host().settings.saveStartUrl(value.trim(), name);
  return value.trim();
}

/**
 * Set User Portal URL (the walkthrough's second step): the sign-in's own input box from
 * the palette, showing the URL in force; with args, `{ "startUrl": "https://…" }`, refused
 * unless it is a service URL, as the box would. Saves it in the user's settings (to the
 * default profile, or the one `profile` names) and returns it.
 */
export async function setStartUrl(invocation: Invocation): Promise<{ startUrl: string }> {
  const { settings, instances } = host();
  const name = instances.nameOf(invocation.profile);
  if (invocation.interactive) return { startUrl: await askStartUrl(name === DEFAULT_PROFILE ? settings.startUrl() : instances.profile(name).startUrl, name) };
  const startUrl = invocation.args.startUrl;
  if (typeof startUrl !== 'string' || !parseServiceUrl(startUrl.trim())) {
    throw new IdentityCenterError('configuration', vscode.l10n.t('startUrl must be an https:// URL (http:// only for 127.0.0.1, localhost or [::1]), without credentials.'));
  }
  await settings.saveStartUrl(startUrl.trim(), name);
  return { startUrl: startUrl.trim() };
}

/** What the modal answers when VS Code refused to show it. */
const NO_MODAL = Symbol('no modal');

/**
 * Shows the user code the way VS Code's own device-code sign-ins do: a modal that names
 * `host`, the service this sign-in talks to, and the code, with Copy & Open (copies the
 * code and opens the page) and Cancel. Resolves once Copy & Open has run, so polling
 * starts then and the modal never outlives the sign-in; rejects `cancelled` on Cancel or
 * when `signal` aborts first. Under automation nothing is modal and it resolves at once:
 * the code is in the progress notification and the log only. So it does too when VS
 * Code refuses the modal (as it does to extension tests).
 */
export async function showUserCode(prompt: UserCodePrompt, service: string, interactive: boolean, signal: AbortSignal): Promise<void> {
  if (!interactive) return;
  if (signal.aborted) throw cancelledError();
  const copyAndOpenLabel = vscode.l10n.t('Copy & Open');
  const aborted = new Promise<undefined>((resolve) => signal.addEventListener('abort', () => resolve(undefined), { once: true }));
  const choice = await Promise.race([
    vscode.window.showInformationMessage(
      vscode.l10n.t('Sign in to IAM Identity Center at {0}', plainText(service)),
      {
        modal: true,
        detail: vscode.l10n.t(
          'Your code: {0}\n\n{1} copies the code and opens {2}, where you enter it and approve the sign-in.',
          plainText(prompt.userCode),
          copyAndOpenLabel,
          plainText(prompt.verificationUri),
        ),
      },
      copyAndOpenLabel,
    ).then(
      (answer) => answer,
      () => NO_MODAL,
    ),
    aborted,
  ]);
  if (choice === NO_MODAL) return;
  if (signal.aborted || choice !== copyAndOpenLabel) throw cancelledError();
  await copyAndOpen(prompt);
}

/**
 * Copies the code and opens the verification page. Neither may stop the sign-in: a
 * clipboard that refuses is skipped, and when no browser opens, a warning (not waited
 * for) offers the URL to copy.
 */
export async function copyAndOpen(prompt: UserCodePrompt): Promise<void> {
  await Promise.resolve(vscode.env.clipboard.writeText(prompt.userCode)).catch(() => undefined);
  const target = prompt.verificationUriComplete ?? prompt.verificationUri;
  let opened = false;
  try {
    opened = await vscode.env.openExternal(await vscode.env.asExternalUri(vscode.Uri.parse(target, true)));
  } catch {
    opened = false;
  }
  if (!opened) {
    const copyUrl = vscode.l10n.t('Copy URL');
    void vscode.window
      .showWarningMessage(vscode.l10n.t('Could not open a browser. Open {0} yourself and enter the code {1}.', plainText(target), plainText(prompt.userCode)), copyUrl)
      .then((choice) => (choice === copyUrl ? vscode.env.clipboard.writeText(target) : undefined));
  }
}

/**
 * Runs `work` under a cancellable notification that shows the code and the minutes
 * left. Its Cancel button aborts `abort`, which the caller may also abort.
 */
export function withSignInProgress<T>(
  abort: AbortController,
  service: string,
  work: (signal: AbortSignal, onUserCode: (prompt: UserCodePrompt) => void) => Promise<T>,
  now: () => number,
): Thenable<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Signing in to IAM Identity Center at {0}', plainText(service)), cancellable: true },
    async (progress, token) => {
      const cancellation = token.onCancellationRequested(() => abort.abort());
      let ticker: ReturnType<typeof setInterval> | undefined;
      const onUserCode = (prompt: UserCodePrompt) => {
        const report = () => {
          const minutes = Math.max(0, Math.ceil((prompt.expiresAtMs - now()) / 60_000));
          progress.report({ message: vscode.l10n.t('enter code {0} at {1} ({2} min left)', plainText(prompt.userCode), plainText(prompt.verificationUri), minutes) });
        };
        report();
        if (ticker) clearInterval(ticker);
        ticker = setInterval(report, 15_000);
      };
      try {
        return await work(abort.signal, onUserCode);
      } finally {
        if (ticker) clearInterval(ticker);
        cancellation.dispose();
      }
    },
  );
}
