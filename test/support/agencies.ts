/**
 * The agencies the emulator assigns by default, as the selections a window stores, so
 * tests name an agency by its account and agency names rather than copying ids.
 */
import { strict as assert } from 'node:assert';
import type { AgencySelection } from '../../src/core/credentials/model';
import { DEFAULT_SETTINGS } from './emulator/emulator';

/** The selection of agency `agencyName` in the emulator's default account `accountName`. */
export function emulatorAgency(accountName: string, agencyName: string): AgencySelection {
  const account = DEFAULT_SETTINGS.accounts.find((candidate) => candidate.accountName === accountName);
  const agency = account?.agencies.find((candidate) => candidate.agencyName === agencyName);
  assert.ok(account && agency, `the emulator assigns no agency ${agencyName} in ${accountName}`);
  const { accountId } = account;
  return { accountId, accountName, agencyName, agencyUrn: `iam::${accountId}:agency:${agencyName}`, permissionSetName: agency.permissionSetName };
}
