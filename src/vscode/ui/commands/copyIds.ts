/**
 * Copy Account ID and Copy Agency URN, in the context menus of the accounts view's rows:
 * the plain id on the clipboard, whole, where the row shows it cut off. Ids are not
 * secret; still, only an id of the right shape is copied, whoever calls.
 */
import * as vscode from 'vscode';
import { IdentityCenterError } from '../../../core/common/errors';
import { ACCOUNT_ID_PATTERN } from '../../../core/portal/model';
import { agencyRowIds } from './agency';
import type { Invocation } from './run';

/** Copy Account ID: `{ account: { accountId } }`, an account row of the view; resolves to what was copied. */
export async function copyAccountId(invocation: Invocation): Promise<{ accountId: string }> {
  const accountId = (invocation.args.account as { accountId?: unknown } | undefined)?.accountId;
  if (typeof accountId !== 'string' || !ACCOUNT_ID_PATTERN.test(accountId)) {
    throw new IdentityCenterError('configuration', vscode.l10n.t('This command runs from an account in the IAM Identity Center view.'));
  }
  await vscode.env.clipboard.writeText(accountId);
  return { accountId };
}

/** Copy Agency URN: `{ account: { accountId }, agency: { agencyUrn } }`, an agency row of the view; resolves to what was copied. */
export async function copyAgencyUrn(invocation: Invocation): Promise<{ agencyUrn: string }> {
  const { agencyUrn } = agencyRowIds(invocation.args);
  await vscode.env.clipboard.writeText(agencyUrn);
  return { agencyUrn };
}
