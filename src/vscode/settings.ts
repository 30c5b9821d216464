/**
 * The extension's settings (`iamIdentityCenter.*`), read fresh on every use so a
 * change takes effect without reloading the window.
 */
import * as os from 'os';
import * as vscode from 'vscode';
import { IdentityCenterError, SettingKey } from '../core/common/errors';
import { normalizeEndpoint, parseServiceUrl } from '../core/common/url';
import { REGION_PATTERN } from '../core/common/validate';

/** The settings section. */
export const SECTION = 'iamIdentityCenter';

/** The client name offered by Register Client, and used when sign-in must register first. */
export function defaultClientName(): string {
  return `VS Code (${os.hostname()})`;
}

/** The settings that decide which registration is in use. */
export interface ServiceSettings {
  /** Base URL of the OIDC service, validated; undefined when neither endpoint nor region is set. */
  endpoint?: string;
  scopes: string[];
  startUrl: string;
}

/** The settings of one operation, with an endpoint: read once, used to its end. */
export type ServiceTarget = Required<ServiceSettings>;

/**
 * A setting that decides where secrets go, from the user's own settings only. Its
 * manifest scope (`application`) already makes VS Code ignore workspace, folder and
 * dev-container values; reading the user value alone keeps that true whatever the scope.
 */
export function userSetting(config: vscode.WorkspaceConfiguration, key: string): string {
  const value = config.inspect<unknown>(key)?.globalValue;
  return typeof value === 'string' ? value.trim() : '';
}

/** A string setting as VS Code resolves it (a non-string value counts as empty). */
function stringSetting(config: vscode.WorkspaceConfiguration, key: string): string {
  const value = config.get<unknown>(key);
  return typeof value === 'string' ? value.trim() : '';
}

/** Reads the settings; throws a `configuration` error when one is set but unusable. */
export function readSettings(): ServiceSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const endpointSetting = userSetting(config, 'endpoint');
  const region = stringSetting(config, 'region');
  const scopes = normalizeScopes(config.get<unknown>('scopes'));
  const startUrl = stringSetting(config, 'startUrl');
  if (endpointSetting) {
    const url = parseServiceUrl(endpointSetting);
    if (!url) throw notAServiceUrl(vscode.l10n.t('Endpoint'), 'endpoint');
    return { endpoint: normalizeEndpoint(url.toString()), scopes, startUrl };
  }
  if (region) {
    if (!REGION_PATTERN.test(region)) {
      throw new IdentityCenterError(
        'configuration',
        vscode.l10n.t('The Region setting "{0}" is not a region id such as cn-north-4. Choose the region, then retry.', region.slice(0, 40)),
        { setting: 'region' },
      );
    }
    return { endpoint: `https://oidc.${region}.myhuaweicloud.com`, scopes, startUrl };
  }
  return { scopes, startUrl };
}

/** The portal API used when `iamIdentityCenter.portalEndpoint` is empty. */
export const DEFAULT_PORTAL_ENDPOINT = 'https://portal-identitycenter.myhuaweicloud.com';

/**
 * The portal API's base URL, from the user's own settings only (it receives the access
 * token): https, or http on loopback. Throws a `configuration` error when it is unusable.
 */
export function readPortalEndpoint(): string {
  const text = userSetting(vscode.workspace.getConfiguration(SECTION), 'portalEndpoint');
  if (!text) return DEFAULT_PORTAL_ENDPOINT;
  const url = parseServiceUrl(text);
  if (!url) throw notAServiceUrl(vscode.l10n.t('Portal endpoint'), 'portalEndpoint');
  return normalizeEndpoint(url.toString());
}

/** The error of a service URL setting (`label`, as the Settings editor names it) that is not one. */
function notAServiceUrl(label: string, setting: SettingKey): IdentityCenterError {
  return new IdentityCenterError(
    'configuration',
    vscode.l10n.t('The {0} setting must be an https:// URL (http:// only for 127.0.0.1, localhost or [::1]), without credentials. Fix it, then retry.', label),
    { setting },
  );
}

/** The settings with an endpoint, or a `configuration` error naming what to set. */
export function requireTarget(settings: ServiceSettings): ServiceTarget {
  if (!settings.endpoint) {
    throw new IdentityCenterError(
      'configuration',
      vscode.l10n.t('No IAM Identity Center region is set. Choose the region (or set the Endpoint setting), then retry.'),
      { setting: 'region' },
    );
  }
  return { ...settings, endpoint: settings.endpoint };
}

function normalizeScopes(value: unknown): string[] {
  if (!Array.isArray(value)) return ['openid'];
  const scopes = value.filter((scope): scope is string => typeof scope === 'string' && scope.trim().length > 0).map((scope) => scope.trim());
  return scopes.length > 0 ? [...new Set(scopes)] : ['openid'];
}
