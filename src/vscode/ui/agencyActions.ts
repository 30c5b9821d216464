/**
 * What a user does with accounts and agencies, on top of the `AgencyService` the
 * activation bundle keeps: list accounts and agencies, select an agency (one credentials
 * request), stop using it, sign out of the portal, and the notice that a renewal needs
 * a new sign-in.
 */
import * as vscode from 'vscode';
import { plainText } from '../../core/common/displayText';
import { isIdentityCenterError } from '../../core/common/errors';
import type { Account, Agency, AgencyCredentials, AgencySelection } from '../../core/credentials/model';
import { CREDENTIALS_KEY_PREFIX, forgetStoredCredentials } from '../../core/credentials/record';
import type { AgencyService } from '../agencies/agencyService';
import { formatEnd } from '../summaries';
import { showWithRemedy } from './errors';

/** The accounts assigned to the signed-in user (signing in first when interactive). */
export async function listAccounts(service: AgencyService, interactive: boolean, signal?: AbortSignal): Promise<Account[]> {
  const accessToken = await service.accessToken(interactive);
  return service.portal().listAccounts(accessToken, signal);
}

/** The agencies the user may take in `accountId`. */
export async function listAgencies(service: AgencyService, accountId: string, interactive: boolean, signal?: AbortSignal): Promise<Agency[]> {
  const accessToken = await service.accessToken(interactive);
  return service.portal().listAgencies(accessToken, accountId, signal);
}

/**
 * The `globalState` key of the SecretStorage keys of every agency's credentials stored
 * (portal endpoint, account id and agency URN: nothing secret), so Sign Out forgets them
 * all, whatever the settings say by then.
 */
export const CREDENTIAL_RECORDS_KEY = 'iamIdentityCenter.credentialRecords';

/**
 * Makes `selection` the agency in use: one credentials request, then terminals and the
 * renewal schedule follow. The previous agency's stored credentials are forgotten (best
 * effort: a failure is logged, and the next Sign Out tries again).
 */
export async function selectAgency(service: AgencyService, selection: AgencySelection, interactive: boolean, signal?: AbortSignal): Promise<AgencyCredentials> {
  await service.accessToken(interactive);
  const manager = service.manager();
  const previous = service.selection();
  const credentials = await manager.ensure(selection, { fresh: true, signal });
  const key = manager.key(selection);
  await rememberCredentialRecords(service, [key]);
  await service.adopt(selection, credentials);
  const previousKey = previous && manager.key(previous);
  if (previousKey && previousKey !== key) await forgetCredentialRecords(service, [previousKey]);
  return credentials;
}

/**
 * Forgets the stored credentials of every agency used (best effort): returns false when
 * some could not be deleted. Those stay listed, so the next Sign Out tries again.
 */
export async function forgetAllCredentials(service: AgencyService): Promise<boolean> {
  const keys = credentialRecords(service);
  const selection = service.selection();
  if (selection) {
    try {
      keys.push(service.manager().key(selection));
    } catch {
      // An unusable portalEndpoint: the record was listed when it was stored.
    }
  }
  return forgetCredentialRecords(service, [...new Set(keys)]);
}

/** Deletes the credentials records under `keys`, and drops the deleted ones from the list; false when one failed. */
async function forgetCredentialRecords(service: AgencyService, keys: readonly string[]): Promise<boolean> {
  const failed: string[] = [];
  for (const key of keys) {
    try {
      await forgetStoredCredentials(service.deps.store, key);
    } catch (error) {
      failed.push(key);
      service.deps.logger.warn(`Could not delete stored agency credentials (${isIdentityCenterError(error) ? error.kind : 'error'}); the next Sign Out tries again.`);
    }
  }
  const kept = credentialRecords(service).filter((key) => !keys.includes(key) || failed.includes(key));
  await service.deps.globalState.update(CREDENTIAL_RECORDS_KEY, [...new Set([...kept, ...failed])]);
  return failed.length === 0;
}

async function rememberCredentialRecords(service: AgencyService, keys: readonly string[]): Promise<void> {
  await service.deps.globalState.update(CREDENTIAL_RECORDS_KEY, [...new Set([...credentialRecords(service), ...keys])]);
}

/** The listed credentials records; anything but a list of strings reads as none. */
function credentialRecords(service: AgencyService): string[] {
  const value = service.deps.globalState.get<unknown>(CREDENTIAL_RECORDS_KEY);
  return Array.isArray(value) ? value.filter((key): key is string => typeof key === 'string' && key.startsWith(CREDENTIALS_KEY_PREFIX)) : [];
}

/**
 * Ends the portal session of each access token (best effort, each at most 5 s): returns
 * the first failure, or undefined when every one ended.
 */
export async function endPortalSessions(service: AgencyService, accessTokens: readonly string[]): Promise<unknown> {
  if (accessTokens.length === 0) return undefined;
  let failure: unknown;
  const fail = (error: unknown) => {
    failure ??= error;
    service.deps.logger.warn(`Ending the portal session failed (${isIdentityCenterError(error) ? error.kind : 'error'}); signing out anyway.`);
  };
  try {
    const portal = service.portal();
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
