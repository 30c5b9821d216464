/**
 * The profiles of one window and their runtimes: the window's own profile, whose
 * runtime feeds the window's processes (terminals, tasks, debug sessions), and any other
 * profile a command or another extension names, whose runtime is made on first use.
 * A runtime lives while its profile reads the same; a settings change that changes a
 * profile gives it a new one, and a change of the window's profile moves the processes'
 * credentials to the new one's agency.
 */
import { IdentityCenterError } from '../common/errors';
import { DEFAULT_PROFILE, type Profile, requireEndpoint } from '../profiles/profile';
import { type CredentialSink, type InstanceChange, type InstanceDeps, InstanceRuntime } from './runtime';
import * as l10n from '@vscode/l10n';

/** Where profiles come from: the settings, read fresh on each call. */
export interface ProfileSource {
  /** The name of the window's profile (`default` unless the window or the user chose another). */
  windowProfile(): string;
  /** The profile `name`, checked; a `configuration` error when it is unusable or unknown. */
  profile(name: string): Profile;
}

/** What the registry is built from: what every runtime shares, where profiles come from, and the window's processes. */
export interface RegistryDeps extends Omit<InstanceDeps, 'profile' | 'legacy'> {
  profiles: ProfileSource;
  sink: CredentialSink;
}

/** One window's runtimes. */
export class InstanceRegistry {
  private readonly runtimes = new Map<string, InstanceRuntime>();
  private readonly listeners = new Set<(runtime: InstanceRuntime, change: InstanceChange | 'window') => void>();
  private windowRuntime?: InstanceRuntime;

  constructor(private readonly deps: RegistryDeps) {}

  /** The name of the profile `name` or, when undefined, of the window's. */
  nameOf(name?: string): string {
    return name ?? this.deps.profiles.windowProfile();
  }

  /** The profile `name` (the window's when undefined), checked, perhaps without an endpoint yet. */
  profile(name?: string): Profile {
    return this.deps.profiles.profile(this.nameOf(name));
  }

  /** The runtime of profile `name` (the window's when undefined); a `configuration` error when it has no usable endpoint. */
  runtime(name?: string): InstanceRuntime {
    const profile = requireEndpoint(this.profile(name));
    const existing = this.runtimes.get(profile.name);
    if (existing && JSON.stringify(existing.profile) === JSON.stringify(profile)) return existing;
    existing?.dispose();
    const runtime = new InstanceRuntime({ ...this.deps, profile, legacy: profile.name === DEFAULT_PROFILE });
    runtime.onDidChange((change) => this.fire(runtime, change));
    this.runtimes.set(profile.name, runtime);
    void runtime.scheduleRegistration();
    return runtime;
  }

  /** The window's runtime as it stands, or undefined while the window's profile cannot be used (no endpoint yet, a bad setting). */
  current(): InstanceRuntime | undefined {
    try {
      return this.runtime();
    } catch {
      return undefined;
    }
  }

  /** The runtime that feeds the window's processes now (set by `follow`). */
  windowInstance(): InstanceRuntime | undefined {
    return this.windowRuntime;
  }

  /**
   * At startup and after a settings change: the window's runtime feeds the window's
   * processes (restoring its agency, with no request while its credentials are good).
   * Every runtime keeps its registration renewed from when it is made.
   */
  async follow(): Promise<void> {
    const next = this.current();
    if (next === this.windowRuntime) return;
    this.windowRuntime?.detach();
    this.windowRuntime = next;
    if (next) await next.attach(this.deps.sink);
    this.fire(next, 'window');
  }

  /** Listens to what changes in any runtime, and to the window's runtime being replaced; returns an unsubscribe function. */
  onDidChange(listener: (runtime: InstanceRuntime | undefined, change: InstanceChange | 'window') => void): () => void {
    this.listeners.add(listener as (runtime: InstanceRuntime, change: InstanceChange | 'window') => void);
    return () => this.listeners.delete(listener as (runtime: InstanceRuntime, change: InstanceChange | 'window') => void);
  }

  /** Stops every runtime. */
  dispose(): void {
    for (const runtime of this.runtimes.values()) runtime.dispose();
    this.runtimes.clear();
    this.listeners.clear();
  }

  private fire(runtime: InstanceRuntime | undefined, change: InstanceChange | 'window'): void {
    for (const listener of [...this.listeners]) listener(runtime as InstanceRuntime, change);
  }
}

/** The error for a profile name that names no profile. */
export function unknownProfile(name: string): IdentityCenterError {
  return new IdentityCenterError(
    'configuration',
    l10n.t('There is no profile "{0}". Choose one of your profiles, or add it to the Profiles setting, then retry.', name.slice(0, 64)),
    { setting: 'profiles' },
  );
}
