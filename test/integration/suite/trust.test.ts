/**
 * Trust inside a real VS Code: text from the service is shown as text (the rendered
 * notifications hold no link made of it), a settings change halfway through a sign-in
 * cannot send its secrets elsewhere, and the Test-mode hooks reach only the
 * extension's own records.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { StoredRecord } from '../../../src/vscode/testSeams';
import { Harness, openHarness, rejection, run } from './harness';
import { Ui } from './ui';

const SIGN_IN = 'iamIdentityCenter.signIn';
const HOSTILE_LINK = '[Open](command:workbench.action.quit)';

describe('Trust in VS Code', () => {
  let h: Harness;
  let stopListening: (() => void) | undefined;

  before(async () => {
    h = await openHarness();
    await vscode.workspace.getConfiguration('iamIdentityCenter').update('startUrl', `${h.emulatorUrl}/start`, vscode.ConfigurationTarget.Global);
  });

  beforeEach(async () => {
    h.testing.resetClock();
    await run('iamIdentityCenter.signOut');
    await run('iamIdentityCenter.forgetClient');
    await h.emulator.reset();
    await h.secondEmulator.reset();
    await h.emulator.configure({ enforceInterval: false });
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  afterEach(async () => {
    stopListening?.();
    stopListening = undefined;
    h.testing.useInstantTime(true);
    await vscode.workspace.getConfiguration('iamIdentityCenter').update('endpoint', h.emulatorUrl, vscode.ConfigurationTarget.Global);
  });

  it('a verification URI with markdown link syntax is shown as text, not as a clickable command', async () => {
    await h.emulator.injectFault(
      {
        type: 'body',
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({
          device_code: 'dcode-hostile',
          user_code: 'WDJB-MJHT',
          verification_uri: `${h.emulatorUrl}/device/${HOSTILE_LINK}`,
          expires_in: 600,
          interval: 5,
        }),
      },
      { path: '/v1/device/authorize' },
    );
    const shown = new Promise<void>((resolve) => {
      stopListening = h.testing.onUserCode(() => resolve());
    });
    // Real time, so the sign-in (whose device code the emulator does not know) is still
    // polling, its progress notification on screen, while the notifications are read.
    h.testing.useInstantTime(false);
    const signingIn = rejection(run(SIGN_IN, { clientName: 'trust test' }));
    const outcome = await Promise.race([shown.then(() => 'shown'), signingIn]);
    assert.equal(outcome, 'shown', 'the user code was shown');
    const host = new URL(h.emulatorUrl).host;
    const prompt = await new Ui().waitForNotification((n) => n.message.includes('WDJB-MJHT'), 'the user code');
    h.testing.cancelSignIn();
    assert.match(await signingIn, /cancel/i);
    assert.deepEqual(prompt.links, [], `no link in "${prompt.message}"`);
    assert.ok(prompt.message.includes('[Open] (command:workbench.action.quit)'), prompt.message);
    assert.ok(prompt.message.includes(`at ${host}`), 'the prompt names the service host');
  });

  it('an account label with link syntax from the id token is never shown', async () => {
    await h.emulator.configure({
      enforceInterval: false,
      user: { sub: 'user-0002', preferredUsername: HOSTILE_LINK, email: 'alice@example.com', name: HOSTILE_LINK },
    });
    stopListening = h.testing.onUserCode((prompt) => void h.emulator.approve(prompt.userCode));
    const session = await run<{ account: string }>(SIGN_IN, {});
    assert.equal(session.account, 'alice@example.com');
    assert.equal(await h.testing.sessionAccount(), 'alice@example.com');
  });

  it('a hostile user code is refused with a message that quotes nothing of it', async () => {
    await h.emulator.injectFault(
      {
        type: 'body',
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ device_code: 'dcode-x', user_code: HOSTILE_LINK, verification_uri: `${h.emulatorUrl}/device`, expires_in: 600 }),
      },
      { path: '/v1/device/authorize' },
    );
    const message = await rejection(run(SIGN_IN, { clientName: 'trust test' }));
    assert.match(message, /unexpected response/);
    assert.ok(!message.includes('command:'), message);
  });

  it('changing the endpoint during a sign-in sends nothing to the new one and keeps the session under the old', async () => {
    // Real one-second polls, so the settings change lands before the approval is seen.
    h.testing.useInstantTime(false);
    await h.emulator.configure({ enforceInterval: false, interval: 1 });
    stopListening = h.testing.onUserCode((prompt) => {
      void (async () => {
        await vscode.workspace.getConfiguration('iamIdentityCenter').update('endpoint', h.secondEmulator.url, vscode.ConfigurationTarget.Global);
        await h.emulator.approve(prompt.userCode);
      })();
    });
    const session = await run<{ account: string }>(SIGN_IN, { clientName: 'switching' });
    assert.equal(session.account, 'test.user@example.com');
    assert.deepEqual(await h.secondEmulator.requests(), [], 'the client secret never went to the new endpoint');
    const polls = await h.emulator.requests('/v1/tokens');
    assert.ok(polls.length >= 1, 'the polls stayed with the endpoint the sign-in started on');
    await vscode.workspace.getConfiguration('iamIdentityCenter').update('endpoint', h.emulatorUrl, vscode.ConfigurationTarget.Global);
    assert.equal(await h.testing.sessionAccount(), 'test.user@example.com', 'the session is stored under the endpoint that issued it');
  });

  it('the Test-mode hooks reach only the registration and sessions records', async () => {
    for (const record of ['registration', 'sessions'] as const) {
      await h.testing.storeRaw(record, 'x');
      assert.equal(await h.testing.readRaw(record), 'x');
    }
    await run('iamIdentityCenter.forgetClient');
    await run('iamIdentityCenter.signOut').catch(() => undefined);
    await h.testing.storeRaw('sessions', '{"version":1,"sessions":[]}');
    for (const other of ['vscode.github-authentication', 'iamIdentityCenter.other', '']) {
      await assert.rejects(h.testing.storeRaw(other as StoredRecord, 'x'), /only the registration and sessions/);
      await assert.rejects(h.testing.readRaw(other as StoredRecord), /only the registration and sessions/);
    }
  });
});
