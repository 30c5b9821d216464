/**
 * Test mode only: the time the in-VS-Code tests control and the hooks they drive the
 * extension with. `activate()` loads this module only when `IIC_TEST_HOOKS` is true (the
 * development build) and the extension runs in Test mode; `esbuild --production`
 * defines the flag false, so the Marketplace bundle has none of it.
 */
import { AdjustableClock, switchableSleep } from '../testing/time';
import type { IdentityCenterAuthProvider } from './authProvider';
import type { SessionEndNotice } from './sessionEndNotice';
import type { Window, WindowTime } from './window';

/** The records `storeRaw` and `readRaw` reach: the registration and the sessions of a profile (the window's unless named). */
export type StoredRecord = 'registration' | 'sessions';

/** Hooks for the integration tests. */
export interface TestingHooks {
  /** Moves the extension's clock forward. */
  advanceClock(ms: number): void;
  /** Puts the extension's clock back to the system time. */
  resetClock(): void;
  /**
   * Writes raw text as one of the records of profile `profile` (the window's when
   * undefined), to plant a corrupt one. Only the extension's records: never an arbitrary
   * SecretStorage key.
   */
  storeRaw(record: StoredRecord, text: string, profile?: string): Promise<void>;
  /** Reads one of the records of profile `profile` (the window's when undefined) as raw text. */
  readRaw(record: StoredRecord, profile?: string): Promise<string | undefined>;
  /** Makes every wait pass at once on the extension's clock (sign-in polling, retries). */
  useInstantTime(enabled: boolean): void;
  /** Calls `listener` with each user code the sign-in shows; returns a function that stops it. */
  onUserCode(listener: (prompt: { userCode: string; verificationUri: string }) => void): () => void;
  /** Cancels the sign-in in progress. */
  cancelSignIn(): void;
  /** The account label of the provider's first valid session, as the Accounts menu gets it. */
  sessionAccount(): Promise<string | undefined>;
  /**
   * What the provider answers VS Code's `getSession(id, scopes)` with: each valid session's
   * id, account label and scopes (never its token).
   */
  providerSessions(scopes: string[]): Promise<Array<{ id: string; label: string; scopes: string[] }>>;
  /** Runs the agency credentials' renewal now, as their schedule does when they fall due. */
  renewAgencyCredentials(): Promise<void>;
  /** Shows the session-end warnings due now, as their timer does; resolves to how many this window showed. */
  runSessionEndWarnings(): Promise<number>;
  /** Makes every SecretStorage delete of the extension fail, as a keyring that refuses them does. */
  failSecretDeletes(enabled: boolean): void;
  /** Whether credentials of this agency are stored for profile `profile` (the window's when undefined); never the values. */
  hasStoredCredentials(agency: { accountId: string; agencyUrn: string }, profile?: string): Promise<boolean>;
  /** The description VS Code shows for the terminal environment (markdown). */
  terminalDescription(): string | undefined;
  /** Calls `listener` with each line the extension logs, and its level; returns a function that stops it. */
  onLog(listener: (level: LogLevelName, message: string) => void): () => void;
}

/** The levels of the extension's log channel. */
export type LogLevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** The parts of a Test-mode extension host the hooks reach. */
export interface HookedParts {
  window: Window;
  provider: IdentityCenterAuthProvider;
  sessionEndNotice: SessionEndNotice;
}

/** The seams of one Test-mode extension host: its time, and the hooks built on it. */
export interface TestSeams {
  time: WindowTime;
  hooks(parts: HookedParts): TestingHooks;
}

/** Creates the seams: a clock the tests move, and sleeps they can make instant. */
export function createTestSeams(): TestSeams {
  const clock = new AdjustableClock();
  const instant = { enabled: false };
  let cancelLatest: (() => void) | undefined;
  return {
    time: { clock, sleep: switchableSleep(clock, instant) },
    hooks: ({ window, provider, sessionEndNotice }) => {
      window.userCodes.event((shown) => (cancelLatest = shown.cancel));
      const deleteSecret = window.store.delete;
      const logListeners = tapLog(window.log);
      const runtime = (profile?: string) => window.instances.runtime(profile);
      return {
        advanceClock: (ms) => clock.advance(ms),
        resetClock: () => clock.reset(),
        storeRaw: async (record, text, profile) => window.store.store(recordKey(window, record, profile), text),
        readRaw: async (record, profile) => window.store.get(recordKey(window, record, profile)),
        useInstantTime: (enabled) => {
          instant.enabled = enabled;
        },
        onUserCode: (listener) => {
          const subscription = window.userCodes.event((shown) => listener(shown.prompt));
          return () => subscription.dispose();
        },
        cancelSignIn: () => cancelLatest?.(),
        sessionAccount: async () => (await provider.getSessions())[0]?.account.label,
        providerSessions: async (scopes) => (await provider.getSessions(scopes)).map((session) => ({ id: session.id, label: session.account.label, scopes: [...session.scopes] })),
        renewAgencyCredentials: async () => void (await runtime().renewCredentials()),
        runSessionEndWarnings: () => sessionEndNotice.warnDue(),
        failSecretDeletes: (enabled) => {
          window.store.delete = enabled ? async () => Promise.reject(new Error('the keyring refuses deletes')) : deleteSecret;
        },
        hasStoredCredentials: async (agency, profile) => (await window.store.get(runtime(profile).credentialsKey(agency))) !== undefined,
        terminalDescription: () => window.terminals.description,
        onLog: (listener) => {
          logListeners.add(listener);
          return () => logListeners.delete(listener);
        },
      };
    },
  };
}

/** Passes every line `log` is given to the listeners returned, as well as to the channel. */
function tapLog(log: Window['log']): Set<(level: LogLevelName, message: string) => void> {
  const listeners = new Set<(level: LogLevelName, message: string) => void>();
  for (const level of ['trace', 'debug', 'info', 'warn', 'error'] as const) {
    const write = log[level].bind(log) as (message: string | Error, ...args: unknown[]) => void;
    log[level] = (message: string | Error, ...args: unknown[]) => {
      for (const listener of listeners) listener(level, message instanceof Error ? message.message : message);
      write(message, ...args);
    };
  }
  return listeners;
}

/** The SecretStorage key of one of a profile's records (the window's when `profile` is undefined); anything else is refused. */
function recordKey(window: Window, record: StoredRecord, profile?: string): string {
  const runtime = window.instances.runtime(profile);
  if (record === 'registration') return runtime.registrationKey;
  if (record === 'sessions') return runtime.sessionsKey;
  throw new Error('storeRaw and readRaw reach only the registration and sessions records');
}
