/**
 * The extension's settings (`iamIdentityCenter.*`): the one reader and writer of them,
 * read fresh on every use so a change takes effect without reloading the window.
 *
 * What decides where secrets go comes from the user's own settings only: the endpoints,
 * and the profiles, which hold endpoints. A workspace may choose one of the user's
 * profiles by name (`profile`), never define one; in an untrusted workspace VS Code
 * ignores the workspace's `profile`, `region`, `startUrl` and `scopes` itself
 * (`restrictedConfigurations`).
 */
import * as os from 'os';
import * as vscode from 'vscode';
import type { RawNetworkSettings } from '../core/common/networkSettings';
import { NETWORK_ENV_NAMES } from '../core/common/networkSettings';
import type { ProfileSource } from '../core/instance/registry';
import { unknownProfile } from '../core/instance/registry';
import { DEFAULT_PROFILE, namedProfiles, type Profile, type RawProfile, resolveProfile } from '../core/profiles/profile';

/** The settings section. */
export const SECTION = 'iamIdentityCenter';

/** The client name offered by Register Client, and used when sign-in must register first. */
export function defaultClientName(): string {
  return `VS Code (${os.hostname()})`;
}

/** The settings of the window: profiles, what processes get, and how requests reach the service. */
export class Settings implements ProfileSource {
  /** The name of the window's profile: the workspace's or the user's choice, `default` when none. */
  windowProfile(): string {
    const value = this.config().get<unknown>('profile');
    return typeof value === 'string' && value.trim() ? value.trim() : DEFAULT_PROFILE;
  }

  /** The profile `name`, checked; a `configuration` error naming the setting to fix, or for a name that is no profile. */
  profile(name: string): Profile {
    if (name === DEFAULT_PROFILE) return resolveProfile(DEFAULT_PROFILE, this.flatProfile());
    const raw = namedProfiles(this.userValue('profiles')).get(name);
    if (!raw) throw unknownProfile(name);
    return resolveProfile(name, raw);
  }

  /** Every profile's name: `default`, then the user's named profiles. */
  profileNames(): string[] {
    return [DEFAULT_PROFILE, ...namedProfiles(this.userValue('profiles')).keys()];
  }

  /** Whether new integrated terminals and tasks get the agency's credentials (`terminalCredentials`, default on). */
  terminalCredentials(): boolean {
    return this.config().get<unknown>('terminalCredentials') !== false;
  }

  /** Whether launched debug sessions get the agency's credentials (`debugCredentials`, default on; the user's own settings only). */
  debugCredentials(): boolean {
    return this.userValue('debugCredentials') !== false;
  }

  /**
   * How requests reach the service, as plain data for the transport: VS Code's `http.*`
   * proxy settings, the proxy and CA variables of the environment, and `caCertificates`.
   */
  network(env: NodeJS.ProcessEnv = process.env): RawNetworkSettings {
    const http = vscode.workspace.getConfiguration('http');
    const picked: Record<string, string | undefined> = {};
    for (const name of NETWORK_ENV_NAMES) picked[name] = env[name];
    return {
      proxy: http.get<unknown>('proxy'),
      noProxy: http.get<unknown>('noProxy'),
      proxyStrictSSL: http.get<unknown>('proxyStrictSSL'),
      proxyAuthorization: http.get<unknown>('proxyAuthorization'),
      caCertificates: this.config().get<unknown>('caCertificates'),
      env: picked,
    };
  }

  /** True when the region or the endpoint is set (the walkthrough's first step). */
  hasRegion(): boolean {
    const config = this.config();
    return Boolean(config.get('region') || this.userValue('endpoint'));
  }

  /** True when `endpoint` is set in the user's settings, so it decides over the region. */
  endpointOverridesRegion(): boolean {
    return Boolean(this.userValue('endpoint'));
  }

  /** Saves the region in the user's settings. */
  async saveRegion(region: string): Promise<void> {
    await this.config().update('region', region, vscode.ConfigurationTarget.Global);
  }

  /** Saves the user portal URL of profile `name`: the flat setting for `default`, its entry of `profiles` otherwise (user settings). */
  async saveStartUrl(startUrl: string, name = DEFAULT_PROFILE): Promise<void> {
    if (name === DEFAULT_PROFILE) {
      await this.config().update('startUrl', startUrl, vscode.ConfigurationTarget.Global);
      return;
    }
    const profiles = { ...(this.userValue('profiles') as Record<string, RawProfile>) };
    profiles[name] = { ...profiles[name], startUrl };
    await this.config().update('profiles', profiles, vscode.ConfigurationTarget.Global);
  }

  /** The user portal URL of the default profile as set (the walkthrough's second step, Set User Portal URL's default). */
  startUrl(): string {
    const value = this.config().get<unknown>('startUrl');
    return typeof value === 'string' ? value.trim() : '';
  }

  /** Makes `name` the window's profile: in the workspace's settings, or the user's when no folder is open. */
  async chooseProfile(name: string): Promise<void> {
    const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await this.config().update('profile', name === DEFAULT_PROFILE && target === vscode.ConfigurationTarget.Global ? undefined : name, target);
  }

  /** True when `event` changed one of the extension's settings. */
  affects(event: vscode.ConfigurationChangeEvent, key?: string): boolean {
    return event.affectsConfiguration(key ? `${SECTION}.${key}` : SECTION);
  }

  /** The flat settings: the profile named `default`. The endpoints from the user's own settings only. */
  private flatProfile(): RawProfile {
    const config = this.config();
    return {
      region: config.get<unknown>('region'),
      endpoint: this.userValue('endpoint'),
      startUrl: config.get<unknown>('startUrl'),
      scopes: config.get<unknown>('scopes'),
      portalEndpoint: this.userValue('portalEndpoint'),
    };
  }

  /**
   * A setting from the user's own settings only. Its manifest scope (`application`)
   * already makes VS Code ignore workspace, folder and dev-container values; reading
   * the user value alone keeps that true whatever the scope.
   */
  private userValue(key: string): unknown {
    return this.config().inspect<unknown>(key)?.globalValue;
  }

  private config(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION);
  }
}
