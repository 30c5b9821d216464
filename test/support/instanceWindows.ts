/**
 * VS Code windows on one machine running the core's profile runtimes, for unit tests.
 * Each window has its own registry, id, workspace memento and credential sink; all of
 * them share one secret store (whose change events every window sees), one `globalState`
 * memento, the fake clock and the emulator.
 *
 * The lazy half is played by the real core managers, made per runtime by the
 * `instanceParts` that `src/vscode/ui/instances.ts` uses, so every request reaches the
 * emulator. The steps of the lazy commands the tests need (sign in, select an agency,
 * sign out) make the same core calls the commands in `src/vscode/ui` make.
 */
import { strict as assert } from 'node:assert';
import { markInUse, type Memento, type SelectionMementos, usedElsewhere } from '../../src/core/agencies/selection';
import type { AgencyCredentials, AgencySelection } from '../../src/core/credentials/model';
import { forgetStoredCredentials } from '../../src/core/credentials/record';
import { instanceParts, type InstanceParts } from '../../src/core/instance/parts';
import { InstanceRegistry, type ProfileSource, unknownProfile } from '../../src/core/instance/registry';
import type { CredentialSink, InstanceRuntime, InstanceWork } from '../../src/core/instance/runtime';
import { DEFAULT_PROFILE, namedProfiles, type Profile, type RawProfile, resolveProfile } from '../../src/core/profiles/profile';
import type { StoredSession } from '../../src/core/sessions/model';
import type { HttpTransport } from '../../src/core/transport/port';
import { type EmulatorFixture, signedInSession } from './emulatorFixture';
import { keyChanges } from './windows';

/** A memento on a Map that hands out copies, as VS Code's `workspaceState` and `globalState` do. */
export class MemoryMemento implements Memento {
  readonly values = new Map<string, unknown>();

  get<T>(key: string): T | undefined {
    const value = this.values.get(key);
    return value === undefined ? undefined : (structuredClone(value) as T);
  }

  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, structuredClone(value));
  }

  keys(): readonly string[] {
    return [...this.values.keys()];
  }
}

/** What a window's new processes would get: the agency and credentials last shown, or none. */
export class RecordingSink implements CredentialSink {
  current?: { selection: AgencySelection; credentials: AgencyCredentials };

  show(selection: AgencySelection, credentials: AgencyCredentials): void {
    this.current = { selection, credentials };
  }

  clear(): void {
    this.current = undefined;
  }
}

/** The profile settings as raw values, resolved the way `src/vscode/settings.ts` resolves them. */
export class TestProfiles implements ProfileSource {
  constructor(
    /** The flat settings: the `default` profile. */
    public flat: RawProfile = {},
    /** The `profiles` setting. */
    public named: unknown = {},
    /** The window's `profile` setting. */
    public window = DEFAULT_PROFILE,
  ) {}

  windowProfile(): string {
    return this.window;
  }

  profile(name: string): Profile {
    if (name === DEFAULT_PROFILE) return resolveProfile(DEFAULT_PROFILE, this.flat);
    const raw = namedProfiles(this.named).get(name);
    if (!raw) throw unknownProfile(name);
    return resolveProfile(name, raw);
  }
}

/** Several windows on one machine, and the fake time they share. */
export class Machine {
  /** Every window's `globalState`. */
  readonly shared = new MemoryMemento();
  /** The file's transport, counting the requests in flight so `settle` knows when the emulator has answered. */
  readonly transport: HttpTransport;
  private inflight = 0;

  constructor(readonly fx: EmulatorFixture) {
    this.transport = {
      send: async (request) => {
        this.inflight++;
        try {
          return await fx.transport.send(request);
        } finally {
          this.inflight--;
        }
      },
    };
  }

  /** Opens window `id` on `profiles`, with its workspace memento (a new, empty one unless given). */
  open(id: string, profiles: ProfileSource, workspace = new MemoryMemento()): TestWindow {
    return new TestWindow(this, id, profiles, workspace);
  }

  /** Lets every piece of work run until it waits on the clock, or ends. */
  async settle(): Promise<void> {
    let quiet = 0;
    for (let round = 0; quiet < 3; round++) {
      assert.ok(round < 20_000, 'the emulator never answered');
      await new Promise((resolve) => setImmediate(resolve));
      quiet = this.inflight === 0 ? quiet + 1 : 0;
    }
  }

  /** Moves fake time (the windows' and the emulator's) `ms` on, waking each sleep on its way as real time would. */
  async pass(ms: number): Promise<void> {
    const end = this.fx.clock.now() + ms;
    for (let step = 0; ; step++) {
      assert.ok(step < 10_000, 'the sleeps never end');
      await this.settle();
      const next = this.fx.timers.nextEndMs;
      if (next === undefined || next > end) break;
      this.fx.advance(Math.max(0, next - this.fx.clock.now()));
    }
    this.fx.advance(end - this.fx.clock.now());
    await this.settle();
  }

  /** Runs `work` to its end, moving fake time only as far as its waits (the leases' pauses) need. */
  async drive<T>(work: Promise<T>): Promise<T> {
    let done = false;
    const ended = work.finally(() => (done = true));
    ended.catch(() => undefined);
    for (let step = 0; ; step++) {
      await this.settle();
      if (done) return ended;
      const next = this.fx.timers.nextEndMs;
      assert.ok(next !== undefined && step < 1000, 'the work waits for something that never comes');
      this.fx.advance(Math.max(0, next - this.fx.clock.now()));
    }
  }
}

/** One window: its registry of runtimes, its processes' sink, and what it asked of the lazy half. */
export class TestWindow {
  readonly sink = new RecordingSink();
  readonly registry: InstanceRegistry;
  /** Each piece of work the window's runtimes handed to the lazy half, by name, in order. */
  readonly work: string[] = [];
  /** The agencies for which the window said that a sign-in is needed. */
  readonly signInNotices: AgencySelection[] = [];
  private readonly parts = new WeakMap<InstanceRuntime, InstanceParts>();

  constructor(
    readonly machine: Machine,
    readonly id: string,
    readonly profiles: ProfileSource,
    readonly workspace: MemoryMemento,
  ) {
    const { fx } = machine;
    this.registry = new InstanceRegistry({
      store: fx.store,
      clock: fx.clock,
      scheduleSleep: fx.timers.sleep,
      logger: fx.logger,
      onSecretChange: keyChanges(fx.store),
      mementos: this.mementos,
      windowId: id,
      work: this.lazyWork(),
      profiles,
      sink: this.sink,
    });
  }

  /** The window's workspace memento and the machine's shared one. */
  get mementos(): SelectionMementos {
    return { window: this.workspace, shared: this.machine.shared };
  }

  /** The runtime of profile `name` (the window's when undefined). */
  runtime(name?: string): InstanceRuntime {
    return this.registry.runtime(name);
  }

  /** The clients and managers of `runtime`, made on first use as `src/vscode/ui/instances.ts` makes them (`instanceParts`). */
  partsOf(runtime: InstanceRuntime = this.runtime()): InstanceParts {
    let made = this.parts.get(runtime);
    if (!made) {
      made = this.makeParts(runtime);
      this.parts.set(runtime, made);
    }
    return made;
  }

  /** Signs in to profile `name` through the device flow, and stores the session as Sign In does. */
  async signIn(name?: string): Promise<StoredSession> {
    const runtime = this.runtime(name);
    const { registration, oidc, sessions } = this.partsOf(runtime);
    const client = runtime.followRegistration(await registration.ensureClient({ clientNameIfNone: `window ${this.id}` }));
    const session = await signedInSession(this.machine.fx.emulator, oidc, client, runtime.profile.startUrl, runtime.profile.scopes);
    assert.deepEqual(await sessions.save(session), { persisted: true });
    return session;
  }

  /**
   * Makes `selection` the window's agency as `selectAgency` in `src/vscode/ui/agencyActions.ts`
   * does: one credentials request, then the previous agency's stored credentials are
   * forgotten unless another window uses them.
   */
  async selectAgency(selection: AgencySelection, name?: string): Promise<AgencyCredentials> {
    const runtime = this.runtime(name);
    await runtime.accessToken();
    const previous = runtime.selection.current();
    const credentials = await this.partsOf(runtime).credentials.ensure(selection, { fresh: true });
    await runtime.adopt(selection, credentials);
    const previousKey = previous && runtime.credentialsKey(previous);
    const { shared } = this.machine;
    if (previousKey && previousKey !== runtime.credentialsKey(selection) && !usedElsewhere(shared, this.id, previousKey, this.machine.fx.clock.now())) {
      await forgetStoredCredentials(this.machine.fx.store, previousKey);
    }
    return credentials;
  }

  /**
   * Signs out of profile `name` as Sign Out in `src/vscode/ui/commands/session.ts` does: the
   * credentials out of the window's processes, every session removed through this window's
   * session manager, the portal sessions ended and the agency's stored credentials
   * forgotten (both best effort).
   */
  async signOut(name?: string): Promise<void> {
    const runtime = this.runtime(name);
    runtime.release();
    const sessions = await runtime.storedSessions();
    const parts = this.partsOf(runtime);
    await Promise.all(sessions.map((session) => parts.sessions.remove(session.id)));
    await Promise.all(sessions.map((session) => parts.portal.logout(session.accessToken).catch(() => undefined)));
    await markInUse(this.machine.shared, this.id, undefined);
    const selection = runtime.selection.current();
    if (selection) await forgetStoredCredentials(this.machine.fx.store, runtime.credentialsKey(selection)).catch(() => undefined);
  }

  /** Closes the window: its schedules and listeners stop; what it stored stays (marks included). */
  close(): void {
    this.registry.dispose();
  }

  /** The lazy half's `work` (`src/vscode/ui/bundle.ts`), on this window's parts, recording each call. */
  private lazyWork(): InstanceWork {
    return {
      renewRegistration: (runtime, signal) => {
        this.work.push('renewRegistration');
        return this.partsOf(runtime).registration.ensureClient({ signal });
      },
      refreshSession: (runtime, session, signal) => {
        this.work.push('refreshSession');
        return this.partsOf(runtime).sessions.refreshOrRemove(session, signal);
      },
      renewCredentials: (runtime, selection, signal) => {
        this.work.push('renewCredentials');
        return this.partsOf(runtime).credentials.ensure(selection, { signal });
      },
      signInNeeded: (_runtime, selection) => {
        this.work.push('signInNeeded');
        this.signInNotices.push(selection);
      },
    };
  }

  private makeParts(runtime: InstanceRuntime): InstanceParts {
    const { fx, transport } = this.machine;
    return instanceParts(runtime, { transport: () => transport, sleep: fx.timers.sleep, lease: { owner: this.id, onDidChange: keyChanges(fx.store) } });
  }
}
