/**
 * The region: asked with a pick list when neither `iamIdentityCenter.endpoint` nor
 * `region` is set, and by Choose Region (the walkthrough's first step).
 */
import * as vscode from 'vscode';
import { cancelledError, IdentityCenterError } from '../../core/common/errors';
import { REGION_PATTERN } from '../../core/common/validate';
import type { Invocation } from './commands/run';
import { host } from './instances';
import { showSettingNotice } from './errors';

/**
 * Regions with an IAM Identity Center OIDC endpoint `https://oidc.{region}.myhuaweicloud.com`,
 * each with its console name in the display language (a function: translations arrive
 * after this module loads).
 */
export const REGIONS: readonly { id: string; label: () => string }[] = [
  { id: 'cn-north-4', label: () => vscode.l10n.t('CN North-Beijing4') },
  { id: 'cn-east-3', label: () => vscode.l10n.t('CN East-Shanghai1') },
  { id: 'cn-south-1', label: () => vscode.l10n.t('CN South-Guangzhou') },
  { id: 'cn-southwest-2', label: () => vscode.l10n.t('CN Southwest-Guiyang1') },
  { id: 'ap-southeast-1', label: () => vscode.l10n.t('CN-Hong Kong') },
  { id: 'ap-southeast-2', label: () => vscode.l10n.t('AP-Bangkok') },
  { id: 'ap-southeast-3', label: () => vscode.l10n.t('AP-Singapore') },
  { id: 'af-south-1', label: () => vscode.l10n.t('AF-Johannesburg') },
  { id: 'la-south-2', label: () => vscode.l10n.t('LA-Santiago') },
  { id: 'sa-brazil-1', label: () => vscode.l10n.t('LA-Sao Paulo1') },
  { id: 'tr-west-1', label: () => vscode.l10n.t('TR-Istanbul') },
  { id: 'me-east-1', label: () => vscode.l10n.t('ME-Riyadh') },
];

/** Asks for a region with a pick list and saves it in the user's settings; rejects `cancelled` when dismissed. */
export async function pickRegion(): Promise<string> {
  const pick = await vscode.window.showQuickPick(
    REGIONS.map((region) => ({ label: region.id, description: region.label() })),
    {
      title: vscode.l10n.t('IAM Identity Center: choose the region'),
      placeHolder: vscode.l10n.t('The region shown at the top left of the console'),
      ignoreFocusOut: true,
    },
  );
  if (!pick) throw cancelledError();
  return saveRegion(pick.label);
}

/**
 * Choose Region: the pick list from the palette; with args, `{ "region": "cn-north-4" }`,
 * checked as the setting is. Saves it in the user's settings and returns it. From the
 * palette, says so when `iamIdentityCenter.endpoint` is set, as it then decides instead,
 * with the button that opens it.
 */
export async function chooseRegion(invocation: Invocation): Promise<{ region: string }> {
  if (!invocation.interactive) {
    const region = invocation.args.region;
    if (typeof region !== 'string' || !REGION_PATTERN.test(region)) {
      throw new IdentityCenterError('configuration', vscode.l10n.t('region must be a region id such as cn-north-4.'));
    }
    return { region: await saveRegion(region) };
  }
  const region = await pickRegion();
  if (host().settings.endpointOverridesRegion()) {
    showSettingNotice(
      'information',
      vscode.l10n.t('Region {0} is saved. The Endpoint setting is also set, and decides the service while it is: clear it to use the region.', region),
      'endpoint',
    );
  }
  return { region };
}

async function saveRegion(region: string): Promise<string> {
  await host().settings.saveRegion(region);
  return region;
}
