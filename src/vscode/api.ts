/**
 * What `activate()` returns to other extensions: `ensureClient()`, which renews the
 * registration when due. In Test mode it also exposes hooks the integration tests
 * use to move the clock and to reach the raw SecretStorage.
 */
import { registrationKey } from '../core/registration';
import { IdentityCenterAuthProvider } from './authProvider';
import { ClientSummary, summarize } from './registrationService';
import { Services } from './services';
import { resolveSettings } from './settings';

/** Hooks for the integration tests; present only when the extension runs in Test mode. */
export interface TestingHooks {
  /** Moves the extension's clock forward. */
  advanceClock(ms: number): void;
  /** Puts the extension's clock back to the system time. */
  resetClock(): void;
  /** The SecretStorage key of the current settings' registration. */
  currentKey(): Promise<string>;
  /** Writes raw text under a key (to plant a corrupt record). */
  storeRaw(key: string, text: string): Promise<void>;
  /** Reads raw text under a key. */
  readRaw(key: string): Promise<string | undefined>;
  /** Makes every wait pass at once on the extension's clock (sign-in polling). */
  useInstantTime(enabled: boolean): void;
  /** Calls `listener` with each user code the sign-in shows; returns a function that stops it. */
  onUserCode(listener: (prompt: { userCode: string; verificationUri: string }) => void): () => void;
  /** Cancels the sign-in in progress. */
  cancelSignIn(): void;
  /** The account label of the provider's first valid session, as the Accounts menu gets it. */
  sessionAccount(): Promise<string | undefined>;
}

/** The extension's public API. */
export interface ExtensionApi {
  /** A usable registration (without its secret), renewed first when due. */
  ensureClient(): Promise<ClientSummary>;
  testing?: TestingHooks;
}

/** Builds the API object. */
export function createApi(services: Services, provider: IdentityCenterAuthProvider, testMode: boolean): ExtensionApi {
  const api: ExtensionApi = {
    ensureClient: async () => summarize(await services.registrations.ensureClient()),
  };
  if (testMode) {
    api.testing = {
      advanceClock: (ms) => services.clock.advance(ms),
      resetClock: () => services.clock.reset(),
      currentKey: async () => {
        const { endpoint, scopes } = await resolveSettings(false);
        return registrationKey(endpoint, scopes);
      },
      storeRaw: (key, text) => services.store.store(key, text),
      readRaw: (key) => services.store.get(key),
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
