/**
 * A stand-in for the `vscode` module, for the activation benchmark only: enough of
 * the API for `activate()` to run on plain node, so the bench can time `require` +
 * `activate()` and see which files load. Tests never use it: they run in a real
 * VS Code. Touching any part of the API not stubbed here throws, naming it, so a new
 * call in `activate()` is noticed rather than silently skipped.
 */
import type { MemorySecretStore } from '../support/memorySecretStore';

/** A VS Code `Event`: subscribe with a listener, get a disposable. */
type Event<T> = (listener: (event: T) => unknown) => { dispose(): void };

/** A minimal `vscode.EventEmitter`. */
export class FakeEventEmitter<T> {
  private readonly listeners = new Set<(event: T) => unknown>();
  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(event: T): void {
    for (const listener of [...this.listeners]) listener(event);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

/** A disposable that does nothing. */
const noop = { dispose(): void {} };

/** An output channel of the fake; `lines` holds what was logged, as `level message`. */
export type FakeOutputChannel = ReturnType<typeof outputChannel>;

/** A debug configuration provider as VS Code calls it when a session starts. */
export interface FakeDebugProvider {
  resolveDebugConfigurationWithSubstitutedVariables?(folder: undefined, config: Record<string, unknown>, token?: unknown): unknown;
}

/** The fake module, and the output channels and debug configuration providers the extension registered through it. */
export interface FakeVscode {
  vscode: object;
  channels: FakeOutputChannel[];
  debugProviders: FakeDebugProvider[];
}

function outputChannel(name: string) {
  const lines: string[] = [];
  const log = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  return {
    name,
    lines,
    logLevel: 3,
    onDidChangeLogLevel: new FakeEventEmitter<number>().event,
    trace: log('trace'),
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    append: log('append'),
    appendLine: log('line'),
    replace: log('replace'),
    clear: () => void (lines.length = 0),
    show: () => undefined,
    hide: () => undefined,
    dispose: () => undefined,
  };
}

function statusBarItem(id: string) {
  return { id, name: '', text: '', tooltip: '', command: undefined as unknown, show: () => undefined, hide: () => undefined, dispose: () => undefined };
}

/**
 * Builds the fake module. `settings` holds `section.key` values, e.g.
 * `{ 'iamIdentityCenter.endpoint': 'http://127.0.0.1:1234' }`.
 */
export function createFakeVscode(settings: Record<string, unknown>): FakeVscode {
  const commands = new Map<string, (...args: unknown[]) => unknown>();
  const channels: FakeOutputChannel[] = [];
  const debugProviders: FakeDebugProvider[] = [];
  const api = {
    ExtensionMode: { Production: 1, Development: 2, Test: 3 },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    LogLevel: { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 },
    EventEmitter: FakeEventEmitter,
    Disposable: class {
      constructor(private readonly onDispose: () => void) {}
      static from(...items: { dispose(): unknown }[]) {
        return { dispose: () => items.forEach((item) => item.dispose()) };
      }
      dispose(): void {
        this.onDispose();
      }
    },
    Uri: { parse: (value: string) => ({ toString: () => value }) },
    window: {
      createOutputChannel: (name: string) => {
        const channel = outputChannel(name);
        channels.push(channel);
        return channel;
      },
      createStatusBarItem: (id: string) => statusBarItem(id),
      showInformationMessage: async () => undefined,
      showWarningMessage: async () => undefined,
      showErrorMessage: async () => undefined,
      createTreeView: () => ({ message: undefined as string | undefined, dispose: () => undefined }),
      registerTerminalProfileProvider: () => noop,
      onDidOpenTerminal: () => noop,
    },
    debug: {
      registerDebugConfigurationProvider: (_type: string, provider: FakeDebugProvider) => {
        debugProviders.push(provider);
        return { dispose: () => void debugProviders.splice(debugProviders.indexOf(provider), 1) };
      },
    },
    commands: {
      registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => {
        commands.set(id, handler);
        return { dispose: () => commands.delete(id) };
      },
      executeCommand: async (id: string, ...args: unknown[]) => commands.get(id)?.(...args),
    },
    authentication: {
      registerAuthenticationProvider: () => noop,
    },
    workspace: {
      getConfiguration: (section?: string) => ({
        get: <T>(key: string, defaultValue?: T): T | undefined => {
          const full = section ? `${section}.${key}` : key;
          return full in settings ? (settings[full] as T) : defaultValue;
        },
        has: (key: string) => (section ? `${section}.${key}` : key) in settings,
        // The bench's settings stand for the user's own (VS Code's "global" level).
        inspect: (key: string) => {
          const full = section ? `${section}.${key}` : key;
          return { key: full, globalValue: settings[full] };
        },
        update: async () => undefined,
      }),
      onDidChangeConfiguration: () => noop,
      onDidGrantWorkspaceTrust: () => noop,
      isTrusted: true,
    },
    env: { uiKind: 1, remoteName: undefined, appName: 'fake', machineId: 'bench', language: 'en' },
    // English: no bundle loaded, messages as written with their arguments filled in.
    l10n: {
      bundle: undefined,
      t: (message: string, ...args: unknown[]) => message.replace(/\{(\d+)\}/g, (match, index: string) => String(args[Number(index)] ?? match)),
    },
  };
  return { vscode: strict(api, 'vscode'), channels, debugProviders };
}

/**
 * Wraps a plain object (and the plain objects in it) so reading a missing property
 * throws instead of yielding undefined. Class instances are left as they are.
 */
function strict<T extends object>(target: T, path: string): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      if (typeof key === 'symbol' || key === 'then' || key === 'default' || key === '__esModule') return Reflect.get(object, key, receiver);
      if (!(key in object)) throw new Error(`The bench's fake vscode has no ${path}.${key}: add it to test/bench/fakeVscode.ts`);
      const value = Reflect.get(object, key, receiver);
      const plain = value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;
      return plain ? strict(value, `${path}.${key}`) : value;
    },
  });
}

/** An environment variable collection that records what is set, as new terminals would get it. */
export class FakeEnvironmentCollection {
  persistent = true;
  description: unknown;
  readonly variables = new Map<string, string>();
  replace(name: string, value: string): void {
    this.variables.set(name, value);
  }
  clear(): void {
    this.variables.clear();
  }
}

/** A Map-backed `Memento`, as `globalState` and `workspaceState` are; starts with `state`. */
function memento(state: Record<string, unknown> = {}) {
  const values = new Map(Object.entries(state));
  return {
    get: (key: string, defaultValue?: unknown) => (values.has(key) ? values.get(key) : defaultValue),
    update: async (key: string, value: unknown) => void (value === undefined ? values.delete(key) : values.set(key, value)),
    keys: () => [...values.keys()],
  };
}

/** An `ExtensionContext` with the parts `activate()` uses; its mementos start with `state`. */
export function createFakeContext(
  secrets: MemorySecretStore,
  extensionPath: string,
  state: { globalState?: Record<string, unknown>; workspaceState?: Record<string, unknown> } = {},
  environment = new FakeEnvironmentCollection(),
) {
  return strict(
    {
      subscriptions: [] as { dispose(): unknown }[],
      secrets,
      extensionMode: 1,
      extensionPath,
      extensionUri: { fsPath: extensionPath, toString: () => `file://${extensionPath}` },
      globalState: memento(state.globalState),
      workspaceState: memento(state.workspaceState),
      logUri: { fsPath: extensionPath },
      environmentVariableCollection: environment,
    },
    'context',
  );
}
