/**
 * Choose Profile: which of the user's profiles (the flat settings are `default`; more in
 * the Profiles setting) this window uses. Saved in the workspace's settings, or the
 * user's when no folder is open; a workspace may choose a profile, never define one.
 */
import * as vscode from 'vscode';
import { plainText } from '../../../core/common/displayText';
import { IdentityCenterError } from '../../../core/common/errors';
import { unknownProfile } from '../../../core/instance/registry';
import { host } from '../instances';
import type { Invocation } from './run';

/** Chooses the window's profile: `{ profile }`, or a pick from the palette; resolves to the profile chosen. */
export async function chooseProfile(invocation: Invocation): Promise<{ profile: string } | undefined> {
  const { settings, instances } = host();
  const names = settings.profileNames();
  let name = invocation.profile;
  if (invocation.interactive) {
    const current = instances.nameOf();
    const choice = await vscode.window.showQuickPick(
      names.map((profile) => ({ label: plainText(profile), description: profile === current ? vscode.l10n.t('in use in this window') : undefined, profile })),
      { title: vscode.l10n.t('Choose a profile for this window'), placeHolder: vscode.l10n.t('Profiles come from your user settings (Profiles)') },
    );
    name = choice?.profile;
    if (!name) return undefined;
  } else if (!name) {
    throw new IdentityCenterError('configuration', vscode.l10n.t('Give profile: the name of one of your profiles, such as "default".'));
  }
  if (!names.includes(name)) throw unknownProfile(name);
  await settings.chooseProfile(name);
  return { profile: name };
}
