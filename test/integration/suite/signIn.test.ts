/**
 * Device-code sign-in inside a real VS Code: the command, the provider's sessions,
 * deny, expiry, cancel, sign-out, and renewal of an expired registration first.
 * Waits pass on the extension's clock (instant time), so nothing really sleeps.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { assertNoSecretIn, Harness, openHarness, rejection, run } from './harness';
import { Ui } from './ui';

const SIGN_IN = 'iamIdentityCenter.signIn';
const SIGN_OUT = 'iamIdentityCenter.signOut';
const PROVIDER = 'iam-identity-center';

interface SessionSummary {
  account: string;
  expiresAt: number;
  scopes: string[];
}

describe('Sign In in VS Code', () => {
  let h: Harness;
  let stopListening: (() => void) | undefined;

  before(async () => {
    h = await openHarness();
    await vscode.workspace.getConfiguration('iamIdentityCenter').update('startUrl', `${h.emulatorUrl}/start`, vscode.ConfigurationTarget.Global);
  });

  beforeEach(async () => {
    h.testing.resetClock();
    await run(SIGN_OUT);
    await run('iamIdentityCenter.forgetClient');
    await h.emulator.reset();
    await h.emulator.configure({ enforceInterval: false });
  });

  afterEach(() => {
    stopListening?.();
    stopListening = undefined;
  });

  /** Acts on each user code the extension shows, through the emulator. */
  function whenCodeShown(action: (userCode: string) => Promise<unknown>): void {
    stopListening = h.testing.onUserCode((prompt) => void action(prompt.userCode));
  }

  it('signs in through the command: registers, authorizes with the new client, polls, stores the session', async () => {
    whenCodeShown((code) => h.emulator.approve(code));
    const result = await run<SessionSummary>(SIGN_IN, { clientName: 'sign-in test' });
    assert.equal(result.account, 'test.user@example.com');
    assert.deepEqual(result.scopes, ['openid']);
    assert.ok(result.expiresAt > Date.now() / 1000);
    await assertNoSecretIn(h.emulator, JSON.stringify(result), 'the signIn result');

    const [registration] = await h.emulator.requests('/v1/clients');
    const [authorize] = await h.emulator.requests('/v1/device/authorize');
    const clientId = (await run<{ clientId: string }>('iamIdentityCenter.showClient')).clientId;
    assert.equal((registration.body as { client_name: string }).client_name, 'sign-in test');
    assert.equal((authorize.body as { client_id: string }).client_id, clientId);
    assert.equal((authorize.body as { start_url: string }).start_url, `${h.emulatorUrl}/start`);
    const polls = await h.emulator.requests('/v1/tokens');
    assert.ok(polls.length >= 1);
    assert.equal((polls[0].body as { grant_type: string }).grant_type, 'urn:ietf:params:oauth:grant-type:device_code');
    assert.equal(await signedInAccount(), 'test.user@example.com');
  });

  it('concurrent signIn calls share one flow', async () => {
    whenCodeShown((code) => h.emulator.approve(code));
    const results = await Promise.all([run<SessionSummary>(SIGN_IN, {}), run<SessionSummary>(SIGN_IN, {}), run<SessionSummary>(SIGN_IN, {})]);
    assert.equal(new Set(results.map((r) => r.expiresAt)).size, 1);
    assert.equal((await h.emulator.requests('/v1/device/authorize')).length, 1);
  });

  it('a denied sign-in rejects with a clear message and stores nothing', async () => {
    whenCodeShown((code) => h.emulator.deny(code));
    assert.match(await rejection(run(SIGN_IN, {})), /denied/i);
    assert.equal(await signedInAccount(), undefined);
  });

  it('an expired code rejects with a message to sign in again', async () => {
    whenCodeShown((code) => h.emulator.expire(code));
    assert.match(await rejection(run(SIGN_IN, {})), /expired.*Sign In again/i);
  });

  it('cancel stops polling: no request after the cancel', async () => {
    let tokenRequestsAtCancel = -1;
    whenCodeShown(async () => {
      h.testing.cancelSignIn();
      tokenRequestsAtCancel = (await h.emulator.requests('/v1/tokens')).length;
    });
    assert.match(await rejection(run(SIGN_IN, {})), /cancel/i);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal((await h.emulator.requests('/v1/tokens')).length, tokenRequestsAtCancel);
  });

  it('renews an expired registration first: one POST /v1/clients, then authorization with the new id', async () => {
    const old = await run<{ clientId: string; issuedAt: number; expiresAt: number }>('iamIdentityCenter.registerClient', { clientName: 'old' });
    await h.emulator.clearRequests();
    h.testing.advanceClock((old.expiresAt - old.issuedAt) * 1000);
    await h.emulator.advanceClock(old.expiresAt - old.issuedAt);
    whenCodeShown((code) => h.emulator.approve(code));
    await run<SessionSummary>(SIGN_IN, {});
    const registrations = await h.emulator.requests('/v1/clients');
    assert.equal(registrations.length, 1);
    const fresh = await run<{ clientId: string }>('iamIdentityCenter.showClient');
    assert.notEqual(fresh.clientId, old.clientId);
    const authorizations = await h.emulator.requests('/v1/device/authorize');
    assert.deepEqual(authorizations.map((r) => (r.body as { client_id: string }).client_id), [fresh.clientId]);
  });

  it('a revoked client is registered again once and the flow restarts once', async () => {
    const first = await run<{ clientId: string }>('iamIdentityCenter.registerClient', { clientName: 'revoked' });
    await h.emulator.revokeClient(first.clientId);
    whenCodeShown((code) => h.emulator.approve(code));
    await run<SessionSummary>(SIGN_IN, {});
    assert.equal((await h.emulator.requests('/v1/clients')).length, 2);
    const second = await run<{ clientId: string; clientName: string }>('iamIdentityCenter.showClient');
    assert.equal(second.clientName, 'revoked');
    assert.deepEqual((await h.emulator.requests('/v1/device/authorize')).map((r) => (r.body as { client_id: string }).client_id), [first.clientId, second.clientId]);
  });

  it('sign-out deletes the session and keeps the registration', async () => {
    whenCodeShown((code) => h.emulator.approve(code));
    await run<SessionSummary>(SIGN_IN, {});
    assert.equal(await signedInAccount(), 'test.user@example.com');
    const changed = new Promise<void>((resolve) => {
      const subscription = vscode.authentication.onDidChangeSessions((event) => {
        if (event.provider.id === PROVIDER) {
          subscription.dispose();
          resolve();
        }
      });
    });
    assert.equal(await run(SIGN_OUT), undefined);
    await changed;
    assert.equal(await signedInAccount(), undefined);
    assert.ok(await run('iamIdentityCenter.showClient'), 'the registration is kept');
  });

  it('an expired session without a refresh token is removed; with one it is refreshed', async () => {
    await h.emulator.configure({ issueRefreshTokens: false, enforceInterval: false });
    whenCodeShown((code) => h.emulator.approve(code));
    const noRefresh = await run<SessionSummary>(SIGN_IN, {});
    h.testing.advanceClock((noRefresh.expiresAt * 1000 - Date.now()) + 1000);
    assert.equal(await signedInAccount(), undefined);
    h.testing.resetClock();

    await h.emulator.configure({ issueRefreshTokens: true, enforceInterval: false });
    const withRefresh = await run<SessionSummary>(SIGN_IN, {});
    h.testing.advanceClock((withRefresh.expiresAt * 1000 - Date.now()) + 1000);
    assert.equal(await signedInAccount(), 'test.user@example.com');
    const refreshes = (await h.emulator.requests('/v1/tokens')).filter((r) => (r.body as { grant_type: string }).grant_type === 'refresh_token');
    assert.equal(refreshes.length, 1);
  });

  it('warns once, with Sign In Again, before a session that cannot be refreshed ends', async () => {
    await h.emulator.configure({ issueRefreshTokens: false, enforceInterval: false });
    whenCodeShown((code) => h.emulator.approve(code));
    const session = await run<SessionSummary>(SIGN_IN, {});
    await vscode.commands.executeCommand('notifications.clearAll');
    assert.equal(await h.testing.runSessionEndWarnings(), 0, 'not due yet');
    h.testing.advanceClock(session.expiresAt * 1000 - Date.now() - 60_000);
    assert.equal(await h.testing.runSessionEndWarnings(), 1);
    assert.equal(await h.testing.runSessionEndWarnings(), 0, 'once');
    const warnings = (await new Ui().notifications()).filter((n) => /session ends at/.test(n.message));
    assert.equal(warnings.length, 1);
  });

  /** The account of the provider's first session, read through `getSessions` as the Accounts menu does. */
  function signedInAccount(): Promise<string | undefined> {
    return h.testing.sessionAccount();
  }
});
