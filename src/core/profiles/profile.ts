/**
 * A profile: one IAM Identity Center instance as the user configured it (its OIDC
 * endpoint, its user portal, the scopes and the portal API), resolved from raw setting
 * values in one place. The flat settings are the profile named `default`; more live in
 * the `profiles` setting. What identifies the instance (`instanceKey`) keys its sessions,
 * its selection and its runtime, so two portals in one region never share a session.
 */
import * as l10n from '@vscode/l10n';
import { IdentityCenterError, SettingKey } from '../common/errors';
import { settingLabel } from '../common/settingLabels';
import { normalizeEndpoint, parseServiceUrl } from '../common/url';
import { isJsonObject, REGION_PATTERN } from '../common/validate';

/** The profile the flat settings make, and the one a window uses when it names none. */
export const DEFAULT_PROFILE = 'default';

/** The portal API used when a profile names none. */
export const DEFAULT_PORTAL_ENDPOINT = 'https://portal-identitycenter.myhuaweicloud.com';

/** A profile's name: what commands, scopes (`profile:<name>`) and the window's `profile` setting use. */
export const PROFILE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** A profile's settings as stored: the flat settings, or one entry of `profiles`. Nothing is trusted yet. */
export interface RawProfile {
  region?: unknown;
  endpoint?: unknown;
  startUrl?: unknown;
  scopes?: unknown;
  portalEndpoint?: unknown;
}

/** One profile, checked. */
export interface Profile {
  name: string;
  /** Base URL of the OIDC service, normalized; undefined while neither endpoint nor region is set. */
  endpoint?: string;
  /** The user portal URL sent as `start_url`; empty while not set (sign-in asks for it). */
  startUrl: string;
  scopes: string[];
  /**
   * Base URL of the portal API, normalized; empty when the setting is unusable, which
   * `requirePortalEndpoint` reports. Sign Out still ends the sessions then.
   */
  portalEndpoint: string;
}

/** A profile with its endpoint: what an operation runs against, from start to end. */
export type ProfileTarget = Profile & { endpoint: string };

/**
 * Checks `raw` as the profile `name`. Throws a `configuration` error naming the setting
 * to fix when a value is set but unusable; an unset endpoint is left for `requireEndpoint`.
 */
export function resolveProfile(name: string, raw: RawProfile): Profile {
  const fix = new SettingsOf(name);
  const endpointText = stringOf(raw.endpoint);
  const region = stringOf(raw.region);
  let endpoint: string | undefined;
  if (endpointText) endpoint = fix.serviceUrl(endpointText, 'endpoint');
  else if (region) {
    if (!REGION_PATTERN.test(region)) throw fix.badRegion(region);
    endpoint = `https://oidc.${region}.myhuaweicloud.com`;
  }
  const portalText = stringOf(raw.portalEndpoint);
  const portalUrl = portalText ? parseServiceUrl(portalText) : undefined;
  return {
    name,
    ...(endpoint === undefined ? {} : { endpoint }),
    startUrl: stringOf(raw.startUrl),
    scopes: scopesOf(raw.scopes),
    portalEndpoint: !portalText ? DEFAULT_PORTAL_ENDPOINT : portalUrl ? normalizeEndpoint(portalUrl.toString()) : '',
  };
}

/** The profile's portal API, or the `configuration` error of its unusable setting. */
export function requirePortalEndpoint(profile: Profile): string {
  if (profile.portalEndpoint) return profile.portalEndpoint;
  return new SettingsOf(profile.name).serviceUrl('', 'portalEndpoint');
}

/** The profile with an endpoint, or a `configuration` error saying what to set. */
export function requireEndpoint(profile: Profile): ProfileTarget {
  if (profile.endpoint) return { ...profile, endpoint: profile.endpoint };
  if (profile.name === DEFAULT_PROFILE) {
    throw new IdentityCenterError('configuration', l10n.t('No IAM Identity Center region is set. Choose the region (or set the Endpoint setting), then retry.'), {
      setting: 'region',
    });
  }
  throw new IdentityCenterError(
    'configuration',
    l10n.t('The profile "{0}" in the Profiles setting has neither a region nor an endpoint. Add one, then retry.', profile.name),
    { setting: 'profiles' },
  );
}

/**
 * What identifies the instance a profile signs in to: its OIDC endpoint and its user
 * portal. Two profiles in one region with different user portals are two instances.
 */
export function instanceKey(profile: { endpoint: string; startUrl: string }): string {
  return `${normalizeEndpoint(profile.endpoint)}|${profile.startUrl.trim()}`;
}

/**
 * The named profiles of the `profiles` setting (an object of name to settings), with
 * their raw settings; names that are not profile names, `default` (the flat settings)
 * and entries that are not objects are left out.
 */
export function namedProfiles(value: unknown): Map<string, RawProfile> {
  const profiles = new Map<string, RawProfile>();
  if (!isJsonObject(value)) return profiles;
  for (const [name, raw] of Object.entries(value)) {
    if (name !== DEFAULT_PROFILE && PROFILE_NAME_PATTERN.test(name) && isJsonObject(raw)) profiles.set(name, raw);
  }
  return profiles;
}

/** The errors of one profile's settings: the flat settings by their labels, a named profile by the Profiles setting. */
class SettingsOf {
  constructor(private readonly profile: string) {}

  private get flat(): boolean {
    return this.profile === DEFAULT_PROFILE;
  }

  serviceUrl(text: string, setting: 'endpoint' | 'portalEndpoint'): string {
    const url = parseServiceUrl(text);
    if (url) return normalizeEndpoint(url.toString());
    const message = this.flat
      ? l10n.t('The {0} setting must be an https:// URL (http:// only for 127.0.0.1, localhost or [::1]), without credentials. Fix it, then retry.', settingLabel(setting))
      : l10n.t(
          'The {0} of the profile "{1}" in the Profiles setting must be an https:// URL (http:// only for 127.0.0.1, localhost or [::1]), without credentials. Fix it, then retry.',
          setting,
          this.profile,
        );
    return this.fail(message, setting);
  }

  badRegion(region: string): IdentityCenterError {
    const shown = region.slice(0, 40);
    return this.flat
      ? new IdentityCenterError('configuration', l10n.t('The Region setting "{0}" is not a region id such as cn-north-4. Choose the region, then retry.', shown), {
          setting: 'region',
        })
      : new IdentityCenterError(
          'configuration',
          l10n.t('The region "{0}" of the profile "{1}" in the Profiles setting is not a region id such as cn-north-4. Fix it, then retry.', shown, this.profile),
          { setting: 'profiles' },
        );
  }

  private fail(message: string, setting: SettingKey): never {
    throw new IdentityCenterError('configuration', message, { setting: this.flat ? setting : 'profiles' });
  }
}

function stringOf(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** The scopes to register and sign in with: the strings given, trimmed, once each; `openid` when none. */
function scopesOf(value: unknown): string[] {
  if (!Array.isArray(value)) return ['openid'];
  const scopes = value.filter((scope): scope is string => typeof scope === 'string' && scope.trim().length > 0).map((scope) => scope.trim());
  return scopes.length > 0 ? [...new Set(scopes)] : ['openid'];
}
