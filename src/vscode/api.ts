/**
 * What `activate()` returns to other extensions: `ensureClient()`, which renews the
 * registration when due and resolves to it without its secret.
 */
import type { TestingHooks } from './testSeams';
import { Services } from './services';
import { ClientSummary, summarize } from './summaries';

/** The extension's public API. */
export interface ExtensionApi {
  /** A usable registration (without its secret), renewed first when due. */
  ensureClient(): Promise<ClientSummary>;
  /** Present only in Test mode, and never in the Marketplace bundle (`src/vscode/testSeams.ts`). */
  testing?: TestingHooks;
}

/** The public API over the extension's services. */
export function createApi(services: Services): ExtensionApi {
  return {
    ensureClient: async () => summarize(await services.endpoints.ensureClient(await services.endpoints.current(false))),
  };
}
