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
import type { AgencyService } from '../agencies/agencyService';
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

/** Makes `selection` the agency in use: one credentials request, then terminals and the renewal schedule follow. */
export async function selectAgency(service: AgencyService, selection: AgencySelection, interactive: boolean, signal?: AbortSignal): Promise<AgencyCredentials> {
  await service.accessToken(interactive);
  const credentials = await service.manager().ensure(selection, { fresh: true, signal });
  await service.adopt(selection, credentials);
  return credentials;
}

/**
 * At sign-out: ends the portal session of each access token (best effort), forgets the
 * credentials and takes them out of terminals. The selection stays.
 */
export async function signOutOfPortal(service: AgencyService, accessTokens: readonly string[], log: (line: string) => void): Promise<void> {
  const portal = accessTokens.length > 0 ? service.portal() : undefined;
  await Promise.all(
    accessTokens.map((token) =>
      portal?.logout(token).catch((error: unknown) => log(`Ending the portal session failed (${isIdentityCenterError(error) ? error.kind : 'error'}); signing out anyway.`)),
    ),
  );
  await service.forgetCredentials();
}

/** Says once that `selection`'s credentials cannot be renewed until the user signs in again. */
export function showAgencySignInNeeded(selection: AgencySelection, current: AgencyCredentials | undefined): void {
  const agency = plainText(selection.agencyName);
  const account = plainText(selection.accountName);
  const message = current
    ? vscode.l10n.t(
        'Your IAM Identity Center sign-in has ended, so the credentials of agency {0} in account {1} cannot be renewed. They end at {2}. Sign in again to keep them valid.',
        agency,
        account,
        new Date(current.expiresAt * 1000 - (current.clockOffsetMs ?? 0)).toLocaleTimeString(),
      )
    : vscode.l10n.t('Your IAM Identity Center sign-in has ended, so the credentials of agency {0} in account {1} cannot be renewed. Sign in again to keep them valid.', agency, account);
  showWithRemedy('warning', message, 'signIn');
}
