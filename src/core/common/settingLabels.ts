/**
 * What messages call a setting: the label the Settings editor shows for it, never its
 * id, so "Check the Endpoint setting" reads the way the settings page does.
 */
import * as l10n from '@vscode/l10n';
import type { SettingKey } from './errors';

/** The label of `setting` in the display language (VS Code's `http.proxy` keeps its id). */
export function settingLabel(setting: SettingKey): string {
  switch (setting) {
    case 'region':
      return l10n.t('Region');
    case 'endpoint':
      return l10n.t('Endpoint');
    case 'startUrl':
      return l10n.t('User portal URL');
    case 'scopes':
      return l10n.t('Scopes');
    case 'portalEndpoint':
      return l10n.t('Portal endpoint');
    case 'terminalCredentials':
      return l10n.t('Terminal credentials');
    case 'debugCredentials':
      return l10n.t('Debug credentials');
    case 'caCertificates':
      return l10n.t('CA certificates');
    case 'profiles':
      return l10n.t('Profiles');
    case 'profile':
      return l10n.t('Profile');
    case 'http.proxy':
      return 'http.proxy';
  }
}
