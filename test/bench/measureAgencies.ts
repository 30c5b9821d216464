/**
 * The bench's measures of accounts, agencies and credentials: a start with a selected
 * agency sends no request, 1000 concurrent callers cause one credentials request, and
 * 2000 accounts at 200 a page take exactly 10 requests.
 */
import { selectionKeys } from '../../src/core/agencies/selection';
import { silentLogger } from '../../src/core/common/ports';
import { CredentialManager } from '../../src/core/credentials/manager';
import type { AgencySelection } from '../../src/core/credentials/model';
import { credentialsKey, serializeCredentials } from '../../src/core/credentials/record';
import { PortalClient } from '../../src/core/portal/client';
import { instanceKey } from '../../src/core/profiles/profile';
import type { HttpTransport } from '../../src/core/transport/port';
import type { IdentityCenterEmulator } from '../support/emulator/emulator';
import { MemorySecretStore } from '../support/memorySecretStore';
import type { ProbeInput, ProbeResult } from './activationProbe';
import { type BundleLayout, lazyFilesLoaded } from './layout';

const ACCOUNT = '5c3f0e8a9b2d4e71a6f08c1d2e3b4a59';

/** The emulator's first default agency. */
export const BENCH_SELECTION: AgencySelection = {
  accountId: ACCOUNT,
  accountName: 'production',
  agencyName: 'iic_ReadOnlyAccess_7d41',
  agencyUrn: `iam::${ACCOUNT}:agency:iic_ReadOnlyAccess_7d41`,
  permissionSetName: 'ReadOnlyAccess',
};

/** Stored, usable credentials of `BENCH_SELECTION` at `portalEndpoint`, for the instance at `endpoint` and `startUrl`. */
export function credentialsRecord(portalEndpoint: string, instance: { endpoint: string; startUrl: string }): [string, string] {
  const now = Math.floor(Date.now() / 1000);
  return [
    credentialsKey(portalEndpoint, BENCH_SELECTION, instanceKey(instance)),
    serializeCredentials({ accessKeyId: 'BENCHACCESSKEY', secretAccessKey: 'bench-secret-key', sessionToken: 'bench-session-token', issuedAt: now - 60, expiresAt: now + 3540 }),
  ];
}

/**
 * `cached` with a selected agency whose stored credentials are good: the window chose
 * `BENCH_SELECTION` before, as `WindowSelection.choose` stores it.
 */
export function agencyStartInput(emulator: IdentityCenterEmulator, cached: ProbeInput): ProbeInput {
  const instance = { endpoint: emulator.url, startUrl: `${emulator.url}/start` };
  const keys = selectionKeys(instanceKey(instance));
  return {
    ...cached,
    settings: { ...cached.settings, 'iamIdentityCenter.portalEndpoint': emulator.url },
    secrets: [...cached.secrets, credentialsRecord(emulator.url, instance)],
    globalState: { [keys.last]: BENCH_SELECTION },
    workspaceState: { [keys.window]: BENCH_SELECTION },
  };
}

/**
 * A cached start with a selected agency whose credentials are good, staying up a while
 * so a late request would be seen: the requests it sent, the terminal variables it set,
 * and any lazily loaded file it needed (none is the point).
 */
export async function measureActivationWithAgency(
  emulator: IdentityCenterEmulator,
  cached: ProbeInput,
  runProbe: (input: ProbeInput) => Promise<ProbeResult>,
  layout: BundleLayout,
): Promise<{ cachedActivationRequestsWithAgency: number; agencyActivationTerminalVariables: number; agencyActivationLazyFiles: string[] }> {
  emulator.clearRequests();
  const result = await runProbe({ ...agencyStartInput(emulator, cached), lingerMs: 1500 });
  if (result.problems.length > 0) throw new Error(`the activation with an agency logged problems:\n${result.problems.join('\n')}`);
  const requests = emulator.requests().length;
  emulator.clearRequests();
  return {
    cachedActivationRequestsWithAgency: requests,
    agencyActivationTerminalVariables: result.terminalVariables.length,
    agencyActivationLazyFiles: lazyFilesLoaded(layout, result.loaded),
  };
}

/** 1000 concurrent callers of `ensure()` with no stored credentials, through the real manager and portal client. */
export async function measureCredentialStorm(emulator: IdentityCenterEmulator, transport: HttpTransport): Promise<number> {
  emulator.reset();
  const token = emulator.issueAccessToken();
  const clock = { now: () => Date.now() };
  const portal = new PortalClient({ endpoint: emulator.url, transport: () => transport, clock, logger: silentLogger });
  const credentials = new CredentialManager({
    keyOf: (selection) => credentialsKey(emulator.url, selection, instanceKey({ endpoint: emulator.url, startUrl: `${emulator.url}/start` })),
    store: new MemorySecretStore(),
    clock,
    logger: silentLogger,
    fetch: (selection, signal) => portal.getCredentials(token, selection, signal),
  });
  const results = await Promise.all(Array.from({ length: 1000 }, () => credentials.ensure(BENCH_SELECTION)));
  if (new Set(results.map((c) => c.accessKeyId)).size !== 1) throw new Error('the credential storm returned more than one set of credentials');
  return emulator.requests('/v1/credentials').length;
}

/** Requests to list 2000 accounts at 200 a page. */
export async function measureAccountPages(emulator: IdentityCenterEmulator, transport: HttpTransport): Promise<number> {
  emulator.reset();
  emulator.configure({ accountCount: 2000 });
  const portal = new PortalClient({ endpoint: emulator.url, transport: () => transport, clock: { now: () => Date.now() }, logger: silentLogger });
  const accounts = await portal.listAccounts(emulator.issueAccessToken());
  if (accounts.length !== 2000) throw new Error(`listed ${accounts.length} accounts, not 2000`);
  const pages = emulator.requests('/v1/assigned-accounts').length;
  emulator.reset();
  return pages;
}
