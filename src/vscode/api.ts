/**
 * What `activate()` returns to other extensions: `ensureClient()`, which renews the
 * window profile's registration when due and resolves to it without its secret.
 */
import type { InstanceRegistry } from '../core/instance/registry';
import type { TestingHooks } from './testSeams';
import { ClientSummary, summarize } from './summaries';

/** The extension's public API. */
export interface ExtensionApi {
  /** A usable registration (without its secret), renewed first when due. */
  ensureClient(): Promise<ClientSummary>;
  /** Present only in Test mode, and never in the Marketplace bundle (`src/vscode/testSeams.ts`). */
  testing?: TestingHooks;
}

/** The public API over the window's profiles. */
export function createApi(instances: InstanceRegistry): ExtensionApi {
  return {
    ensureClient: async () => summarize(await instances.runtime().ensureRegistration()),
  };
}
