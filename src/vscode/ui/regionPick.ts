/**
 * Asks for the region when neither `iamIdentityCenter.endpoint` nor `region` is set.
 */
import * as vscode from 'vscode';
import { cancelledError } from '../../core/common/errors';
import { SECTION } from '../settings';

/** Regions with an IAM Identity Center OIDC endpoint `https://oidc.{region}.myhuaweicloud.com`. */
export const REGIONS: readonly { id: string; label: string }[] = [
  { id: 'cn-north-4', label: 'CN North-Beijing4' },
  { id: 'cn-east-3', label: 'CN East-Shanghai1' },
  { id: 'cn-south-1', label: 'CN South-Guangzhou' },
  { id: 'cn-southwest-2', label: 'CN Southwest-Guiyang1' },
  { id: 'ap-southeast-1', label: 'CN-Hong Kong' },
  { id: 'ap-southeast-2', label: 'AP-Bangkok' },
  { id: 'ap-southeast-3', label: 'AP-Singapore' },
  { id: 'af-south-1', label: 'AF-Johannesburg' },
  { id: 'la-south-2', label: 'LA-Santiago' },
  { id: 'sa-brazil-1', label: 'LA-Sao Paulo1' },
  { id: 'tr-west-1', label: 'TR-Istanbul' },
  { id: 'me-east-1', label: 'ME-Riyadh' },
];

/** Asks for a region with a pick list and saves it in the user's settings; rejects `cancelled` when dismissed. */
export async function pickRegion(): Promise<void> {
  const pick = await vscode.window.showQuickPick(
    REGIONS.map((region) => ({ label: region.id, description: region.label })),
    {
      title: vscode.l10n.t('IAM Identity Center: choose the region'),
      placeHolder: vscode.l10n.t('The region where your IAM Identity Center instance is enabled: the console shows it at the top left. Not sure? Ask your administrator.'),
      ignoreFocusOut: true,
    },
  );
  if (!pick) throw cancelledError();
  await vscode.workspace.getConfiguration(SECTION).update('region', pick.label, vscode.ConfigurationTarget.Global);
}
