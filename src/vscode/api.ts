/**
 * What `activate()` returns to other extensions: `ensureClient()`, which renews the
 * registration when due. In Test mode it also exposes hooks the integration tests
 * use to move the clock and to reach the raw SecretStorage.
 */
import { IdentityCenterAuthProvider } from './authProvider';
import { ClientSummary, summarize } from './registrationService';
import { Services } from './services';

/** Hooks for the integration tests; present only when the extension runs in Test mode. */
export interface TestingHooks {
  /** Moves the extension's clock forward. */
  advanceClock(ms: number): void;
  /** Puts the extension's clock back to the system time. */
  resetClock(): void;
  /**
   * Writes raw text as one of the current settings' own records (to plant a corrupt
   * one). Only the extension's records: never an arbitrary SecretStorage key.
   */
  storeRaw(record: StoredRecord, text: string): Promise<void>;
  /** Reads one of the current settings' own records as raw text. */
  readRaw(record: StoredRecord): Promise<string | undefined>;
  /** Makes every wait pass at once on the extension's clock (sign-in polling). */
  useInstantTime(enabled: boolean): void;
  /** Calls `listener` with each user code the sign-in shows; returns a function that stops it. */
  onUserCode(listener: (prompt: { userCode: string; verificationUri: string }) => void): () => void;
  /** Cancels the sign-in in progress. */
  cancelSignIn(): void;
  /** The account label of the provider's first valid session, as the Accounts menu gets it. */
  sessionAccount(): Promise<string | undefined>;
}

/** The records `storeRaw` and `readRaw` reach: the registration and the sessions of the settings in force. */
export type StoredRecord = 'registration' | 'sessions';

/** The extension's public API. */
export interface ExtensionApi {
  /** A usable registration (without its secret), renewed first when due. */
  ensureClient(): Promise<ClientSummary>;
  testing?: TestingHooks;
}

/** Builds the API object. */
export function createApi(services: Services, provider: IdentityCenterAuthProvider, testMode: boolean): ExtensionApi {
  const api: ExtensionApi = {
    ensureClient: async () => summarize(await services.registrations.ensureClient(await services.registrations.current(false))),
  };
  if (testMode) {
    api.testing = {
      advanceClock: (ms) => services.clock.advance(ms),
      resetClock: () => services.clock.reset(),
      storeRaw: async (record, text) => services.store.store(await recordKey(services, record), text),
      readRaw: async (record) => services.store.get(await recordKey(services, record)),
      useInstantTime: (enabled) => {
        services.instantTime.enabled = enabled;
      },
      onUserCode: (listener) => {
        services.userCodeListeners.add(listener);
        return () => services.userCodeListeners.delete(listener);
      },
      cancelSignIn: () => provider.cancelSignIn(),
      sessionAccount: async () => (await provider.getSessions())[0]?.account.label,
    };
  }
  return api;
}

/** The SecretStorage key of one of the current settings' records; anything else is refused. */
async function recordKey(services: Services, record: StoredRecord): Promise<string> {
  const clients = await services.registrations.current(false);
  if (record === 'registration') return clients.registration.key;
  if (record === 'sessions') return clients.sessions.key;
  throw new Error('storeRaw and readRaw reach only the registration and sessions records');
}
