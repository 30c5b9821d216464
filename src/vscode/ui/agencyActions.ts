/**
 * What a user does with accounts and agencies, on top of the runtime the activation
 * bundle keeps for each profile: list accounts and agencies, select an agency (one
 * credentials request), forget stored credentials, sign out of the portal, and the notice
 * that a renewal needs a new sign-in.
 */
import * as vscode from 'vscode';
import { markInUse, usedElsewhere } from '../../core/agencies/selection';
import { plainText } from '../../core/common/displayText';
import { isIdentityCenterError } from '../../core/common/errors';
import type { AgencyCredentials, AgencySelection } from '../../core/credentials/model';
import type { Account, Agency } from '../../core/portal/model';
import { CREDENTIALS_KEY_PREFIX, forgetStoredCredentials } from '../../core/credentials/record';
import type { InstanceRuntime } from '../../core/instance/runtime';
import { formatEnd } from '../summaries';
import { showWithRemedy } from './errors';
import { host, partsOf } from './instances';
import { signIn } from './signIn';

/** A valid access token of `runtime`'s instance: its session's (refreshed when it can be), or a new sign-in when interactive. */
export async function accessToken(runtime: InstanceRuntime, interactive: boolean): Promise<string> {
  const [session] = await runtime.liveSessions();
  if (session) return session.accessToken;
  if (interactive) return (await signIn({ interactive: true, profile: runtime.profile.name })).accessToken;
  return runtime.accessToken();
}

/** The accounts assigned to the signed-in user (signing in first when interactive). */
export async function listAccounts(runtime: InstanceRuntime, interactive: boolean, signal?: AbortSignal): Promise<Account[]> {
  return partsOf(runtime).portal.listAccounts(await accessToken(runtime, interactive), signal);
}

/** The agencies the user may take in `accountId`. */
export async function listAgencies(runtime: InstanceRuntime, accountId: string, interactive: boolean, signal?: AbortSignal): Promise<Agency[]> {
  return partsOf(runtime).portal.listAgencies(await accessToken(runtime, interactive), accountId, signal);
}

/**
 * The `globalState` key of the SecretStorage keys of every agency's credentials stored for
 * one instance (portal endpoint, account id and agency URN: nothing secret), so Sign Out
 * forgets them all, whatever the settings say by then.
 */
export function credentialRecordsKey(runtime: InstanceRuntime): string {
  return `${LEGACY_CREDENTIAL_RECORDS_KEY}|${runtime.key}`;
}

/** The key the release before profiles listed its credentials records under (read by the `default` profile). */
const LEGACY_CREDENTIAL_RECORDS_KEY = 'iamIdentityCenter.credentialRecords';

/**
 * Makes `selection` the window's agency: one credentials request, then the window's
 * processes and the renewal schedule follow. The previous agency's stored credentials are
 * forgotten unless another window uses them (best effort: a failure is logged, and the
 * next Sign Out tries again).
 */
export async function selectAgency(runtime: InstanceRuntime, selection: AgencySelection, interactive: boolean, signal?: AbortSignal): Promise<AgencyCredentials> {
  await accessToken(runtime, interactive);
  const previous = runtime.selection.current();
  const credentials = await partsOf(runtime).credentials.ensure(selection, { fresh: true, signal });
  const key = runtime.credentialsKey(selection);
  await rememberCredentialRecords(runtime, [key]);
  await runtime.adopt(selection, credentials);
  const previousKey = previous && runtime.credentialsKey(previous);
  const { mementos, windowId, clock } = host();
  const forget = legacyKeys(runtime, [selection, previous]);
  if (previousKey && previousKey !== key && !usedElsewhere(mementos.shared, windowId, previousKey, clock.now())) forget.push(previousKey);
  if (forget.length > 0) await forgetCredentialRecords(runtime, [...new Set(forget)]);
  return credentials;
}

/**
 * Forgets the stored credentials of every agency used with `runtime`'s instance, in any
 * window (best effort): returns false when some could not be deleted. Those stay listed,
 * so the next Sign Out tries again.
 */
export async function forgetAllCredentials(runtime: InstanceRuntime): Promise<boolean> {
  const keys = credentialRecords(runtime);
  const selection = runtime.selection.current();
  if (selection) keys.push(runtime.credentialsKey(selection), ...legacyKeys(runtime, [selection]));
  await markInUse(host().mementos.shared, host().windowId, undefined);
  return forgetCredentialRecords(runtime, [...new Set(keys)]);
}

/** Deletes the credentials records under `keys`, and drops the deleted ones from the list; false when one failed. */
async function forgetCredentialRecords(runtime: InstanceRuntime, keys: readonly string[]): Promise<boolean> {
  const failed: string[] = [];
  for (const key of keys) {
    try {
      await forgetStoredCredentials(host().store, key);
    } catch (error) {
      failed.push(key);
      host().log.warn(`Could not delete stored agency credentials (${isIdentityCenterError(error) ? error.kind : 'error'}); the next Sign Out tries again.`);
    }
  }
  const kept = credentialRecords(runtime).filter((key) => !keys.includes(key) || failed.includes(key));
  await host().mementos.shared.update(credentialRecordsKey(runtime), [...new Set([...kept, ...failed])]);
  if (runtime.legacySessionsKey) await host().mementos.shared.update(LEGACY_CREDENTIAL_RECORDS_KEY, undefined);
  return failed.length === 0;
}

/** The keys the release before profiles kept these agencies' credentials under, for the `default` profile (none for another). */
function legacyKeys(runtime: InstanceRuntime, selections: ReadonlyArray<AgencySelection | undefined>): string[] {
  return selections.flatMap((selection) => {
    const key = selection && runtime.legacyCredentialsKey(selection);
    return key === undefined ? [] : [key];
  });
}

async function rememberCredentialRecords(runtime: InstanceRuntime, keys: readonly string[]): Promise<void> {
  await host().mementos.shared.update(credentialRecordsKey(runtime), [...new Set([...credentialRecords(runtime), ...keys])]);
}

/** The listed credentials records of `runtime`'s instance (and, for `default`, those of the release before profiles). */
function credentialRecords(runtime: InstanceRuntime): string[] {
  const { shared } = host().mementos;
  const lists = [shared.get<unknown>(credentialRecordsKey(runtime)), runtime.legacySessionsKey ? shared.get<unknown>(LEGACY_CREDENTIAL_RECORDS_KEY) : undefined];
  return lists.flatMap((value) => (Array.isArray(value) ? value.filter((key): key is string => typeof key === 'string' && key.startsWith(CREDENTIALS_KEY_PREFIX)) : []));
}

/**
 * Ends the portal session of each access token (best effort, each at most 5 s): returns
 * the first failure, or undefined when every one ended.
 */
export async function endPortalSessions(runtime: InstanceRuntime, accessTokens: readonly string[]): Promise<unknown> {
  if (accessTokens.length === 0) return undefined;
  let failure: unknown;
  const fail = (error: unknown) => {
    failure ??= error;
    host().log.warn(`Ending the portal session failed (${isIdentityCenterError(error) ? error.kind : 'error'}); signing out anyway.`);
  };
  try {
    const { portal } = partsOf(runtime);
    await Promise.all(accessTokens.map((token) => portal.logout(token).catch(fail)));
  } catch (error) {
    fail(error);
  }
  return failure;
}

/** Says once that `selection`'s credentials cannot be renewed until the user signs in again. */
export function showAgencySignInNeeded(selection: AgencySelection, current: AgencyCredentials | undefined): void {
  const agency = plainText(selection.agencyName);
  const account = plainText(selection.accountName);
  const message = current
    ? vscode.l10n.t(
        'Your IAM Identity Center sign-in has ended, so the credentials of agency {0} in account {1} cannot be renewed. They end {2}. Sign in again to keep them valid.',
        agency,
        account,
        formatEnd(current),
      )
    : vscode.l10n.t('Your IAM Identity Center sign-in has ended, so the credentials of agency {0} in account {1} cannot be renewed. Sign in again to keep them valid.', agency, account);
  showWithRemedy('warning', message, 'signIn');
}
