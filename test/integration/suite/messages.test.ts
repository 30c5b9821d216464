/**
 * Every message leads on, inside a real VS Code, read and clicked the way a person
 * does through the Notifications Center: a bad or missing region offers Choose Region;
 * an unreachable endpoint names its host and offers Retry (the same command again) and
 * Open Settings (that one setting); a cancelled sign-in is no error; Sign In leads to
 * Select Account and Agency, using an agency to Open Terminal; Register names the client
 * as typed; and open terminals keep old credentials until Relaunch Terminals gives them
 * the new ones.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { NotificationState } from '../../support/realVscode/uiDriver';
import { closedPort, Harness, openHarness, rejection, run } from './harness';
import { expectedFor, NOTHING, terminalSees } from './terminalProbe';
import { Ui } from './ui';

const PRODUCTION = '5c3f0e8a9b2d4e71a6f08c1d2e3b4a59';
const STAGING = '8e1b7a4c2f6d49a0b3c5d7e9f1a2b4c6';
const READ_ONLY = `iam::${PRODUCTION}:agency:iic_ReadOnlyAccess_7d41`;
const DEVELOPER = `iam::${STAGING}:agency:iic_Developer_51ce`;
const RELAUNCH_NOTE = 'Terminals already open keep the old credentials until you relaunch them.';

describe('Messages that lead on, in VS Code', () => {
  let h: Harness;
  let ui: Ui;
  let stopListening: (() => void) | undefined;
  const config = () => vscode.workspace.getConfiguration('iamIdentityCenter');

  before(async () => {
    h = await openHarness();
    ui = new Ui();
    await config().update('startUrl', `${h.emulatorUrl}/start`, vscode.ConfigurationTarget.Global);
  });

  beforeEach(async () => {
    h.testing.resetClock();
    await run('iamIdentityCenter.clearAgency');
    await run('iamIdentityCenter.signOut');
    await h.emulator.reset();
    await h.emulator.configure({ enforceInterval: false });
    for (const terminal of vscode.window.terminals) terminal.dispose();
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  afterEach(async () => {
    stopListening?.();
    stopListening = undefined;
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await config().update('region', undefined, vscode.ConfigurationTarget.Global);
    await config().update('endpoint', h.emulatorUrl, vscode.ConfigurationTarget.Global);
    for (const terminal of vscode.window.terminals) terminal.dispose();
  });

  /** Signs in with args, the emulator approving each code. */
  async function signIn(): Promise<void> {
    stopListening ??= h.testing.onUserCode((prompt) => void h.emulator.approve(prompt.userCode));
    await run('iamIdentityCenter.signIn', { clientName: 'messages test' });
  }

  /**
   * Signed in with an agency in use: a shell terminal that sees its credentials, and a
   * terminal of Open Terminal with Agency Credentials (`args` are its arguments).
   */
  async function openTerminalsWithCredentials(args: { name?: string }) {
    await signIn();
    await run('iamIdentityCenter.selectAgency', { accountId: PRODUCTION, agencyUrn: READ_ONLY });
    const [issued] = await h.emulator.issuedCredentials();
    const shell = vscode.window.createTerminal({ name: 'opened with credentials' });
    assert.deepEqual(await terminalSees(shell), expectedFor(issued));
    const opened = await run<{ name: string }>('iamIdentityCenter.openTerminal', args);
    const agencyTerminal = vscode.window.terminals.find((terminal) => terminal.name === opened.name);
    assert.ok(agencyTerminal, 'the terminal of Open Terminal is open');
    return { issued, shell, agencyTerminal };
  }

  /** The notification whose message contains `text`, once shown. */
  function notification(text: string): Promise<NotificationState> {
    return ui.waitForNotification((n) => n.message.includes(text), `"${text}"`);
  }

  it('a region setting that is not a region offers Choose Region, which opens the region pick', async () => {
    await config().update('endpoint', undefined, vscode.ConfigurationTarget.Global);
    await config().update('region', 'not a region', vscode.ConfigurationTarget.Global);
    await rejection(run('iamIdentityCenter.registerClient', { clientName: 'bad region' }));
    const shown = await notification('The Region setting "not a region" is not a region id');
    assert.deepEqual(shown.buttons, ['Choose Region', 'Show Log']);
    await ui.clickNotificationButton('The Region setting', 'Choose Region');
    await ui.waitForQuickInput((state) => state.visible && /choose the region/.test(state.title), 'the region pick');
    await ui.press('Escape');
  });

  it('the region pick says what to choose in a line that fits a 1024×768 window, as a first desktop window opens', async () => {
    await ui.resize(1024, 768);
    try {
      const done = vscode.commands.executeCommand('iamIdentityCenter.chooseRegion');
      const pick = await ui.waitForQuickInput((state) => state.visible && /choose the region/.test(state.title), 'the region pick');
      assert.equal(pick.placeholder, 'The region shown at the top left of the console');
      assert.ok(pick.placeholderFits, `the placeholder is cut off: ${pick.placeholder}`);
      await ui.press('Escape');
      await Promise.resolve(done).catch(() => undefined);
    } finally {
      await ui.resize(1280, 800);
    }
  });

  it('no region and no endpoint: the message says to choose the region, with Choose Region', async () => {
    await config().update('endpoint', undefined, vscode.ConfigurationTarget.Global);
    const message = await rejection(run('iamIdentityCenter.registerClient', { clientName: 'no region' }));
    assert.equal(message, 'No IAM Identity Center region is set. Choose the region (or set the Endpoint setting), then retry.');
    assert.deepEqual((await notification('No IAM Identity Center region is set')).buttons, ['Choose Region', 'Show Log']);
  });

  it('an unreachable endpoint names its host, and offers Retry (the same command, the same args) and Open Settings (the Endpoint setting alone)', async () => {
    const port = await closedPort();
    await config().update('endpoint', `http://127.0.0.1:${port}`, vscode.ConfigurationTarget.Global);
    const message = await rejection(run('iamIdentityCenter.registerClient', { clientName: 'retried by a click' }));
    assert.equal(message, `Could not reach IAM Identity Center at 127.0.0.1:${port} (ECONNREFUSED). Check your network connection and the Endpoint setting, then retry.`);
    const shown = await notification(`Could not reach IAM Identity Center at 127.0.0.1:${port}`);
    assert.deepEqual(shown.buttons, ['Retry', 'Open Settings', 'Show Log']);

    await ui.clickNotificationButton(`127.0.0.1:${port}`, 'Open Settings');
    const settings = await ui.waitForSettingsEditor((state) => state.keys.length > 0, 'the Endpoint setting');
    assert.equal(settings.query, '@id:iamIdentityCenter.endpoint');
    assert.deepEqual(settings.keys, ['iamIdentityCenter.endpoint'], 'that one setting');

    await rejection(run('iamIdentityCenter.registerClient', { clientName: 'retried by a click' }));
    await config().update('endpoint', h.emulatorUrl, vscode.ConfigurationTarget.Global);
    assert.equal((await h.emulator.requests('/v1/clients')).length, 0);
    await ui.clickNotificationButton(`127.0.0.1:${port}`, 'Retry');
    await notification('Registered client "retried by a click"');
    const registrations = await h.emulator.requests('/v1/clients');
    assert.deepEqual(
      registrations.map((r) => (r.body as { client_name: string }).client_name),
      ['retried by a click'],
      'Retry ran Register Client again with its arguments',
    );
  });

  it('a cancelled sign-in is logged as cancelled, not as an error, and shows no notification', async () => {
    const lines: { level: string; message: string }[] = [];
    const stopLog = h.testing.onLog((level, message) => lines.push({ level, message }));
    stopListening = h.testing.onUserCode(() => h.testing.cancelSignIn());
    try {
      assert.match(await rejection(run('iamIdentityCenter.signIn', {})), /cancel/i);
    } finally {
      stopLog();
    }
    assert.deepEqual(lines.filter((line) => line.level === 'error'), [], 'no [error] line');
    assert.ok(lines.some((line) => line.level === 'info' && line.message === 'Sign In cancelled'), JSON.stringify(lines));
    void vscode.window.showInformationMessage('A marker shown after the sign-in stopped');
    const shown = await ui.notifications();
    assert.ok(shown.some((n) => n.message.includes('A marker shown after the sign-in stopped')));
    assert.deepEqual(shown.filter((n) => /cancel/i.test(n.message)), [], 'no notification about the cancellation');
  });

  it('signed in from the palette, the notification offers Select Account and Agency, which opens the account pick', async () => {
    stopListening = h.testing.onUserCode((prompt) => void h.emulator.approve(prompt.userCode));
    await vscode.commands.executeCommand('iamIdentityCenter.signIn');
    const shown = await notification('Signed in to IAM Identity Center as test.user@example.com. The session ends ');
    assert.match(shown.message, /The session ends (at|tomorrow at) \d{1,2}:\d\d(\s[AP]M)?\.$/u, 'a time, with no seconds and no date today');
    assert.deepEqual(shown.buttons, ['Select Account and Agency']);
    await ui.clickNotificationButton('Signed in to IAM Identity Center', 'Select Account and Agency');
    await ui.waitForQuickInput((state) => state.visible && /Select an account/.test(state.title), 'the account pick');
    await ui.press('Escape');
  });

  it('using an agency offers Open Terminal, which opens a terminal named after it', async () => {
    await signIn();
    await run('iamIdentityCenter.useAgency', { account: { accountId: PRODUCTION }, agency: { agencyUrn: READ_ONLY } });
    const shown = await notification('Using agency iic_ReadOnlyAccess_7d41 in account production: new terminals get its credentials, which end ');
    assert.deepEqual(shown.buttons, ['Open Terminal'], 'no Relaunch Terminals: no terminal is open');
    assert.ok(!shown.message.includes(RELAUNCH_NOTE));
    const opened = openedTerminal('iic_ReadOnlyAccess_7d41 · production');
    await ui.clickNotificationButton('Using agency iic_ReadOnlyAccess_7d41', 'Open Terminal');
    assert.equal(((await opened).creationOptions as vscode.TerminalOptions).isTransient, true, 'the terminal of Open Terminal with Agency Credentials');
  });

  it('Register Client names the client as it was typed, not by its id', async () => {
    const registration = await run<{ clientId: string }>('iamIdentityCenter.registerClient', { clientName: 'Typed laptop name' });
    const shown = await notification('Registered client "Typed laptop name" with IAM Identity Center.');
    assert.ok(!shown.message.includes(registration.clientId), 'the opaque id is for Show Client Registration and the log');
  });

  it('after a switch, open terminals keep the old credentials until Relaunch Terminals gives them the new ones', async () => {
    const { issued: first, shell, agencyTerminal: oldDeploy } = await openTerminalsWithCredentials({ name: 'deploy' });
    assert.equal(oldDeploy.name, 'deploy (iic_ReadOnlyAccess_7d41 · production)');

    await run('iamIdentityCenter.useAgency', { account: { accountId: STAGING }, agency: { agencyUrn: DEVELOPER } });
    const [, second] = await h.emulator.issuedCredentials();
    const shown = await notification('Using agency iic_Developer_51ce in account staging');
    assert.ok(shown.message.endsWith(RELAUNCH_NOTE), shown.message);
    assert.deepEqual(shown.buttons, ['Open Terminal', 'Relaunch Terminals']);
    assert.deepEqual(await terminalSees(shell), expectedFor(first), 'until relaunched, the old credentials');

    const pid = await shell.processId;
    const closing = closed(oldDeploy);
    const reopened = openedTerminal('deploy (iic_Developer_51ce · staging)');
    await ui.clickNotificationButton('Using agency iic_Developer_51ce', 'Relaunch Terminals');
    await relaunched(shell, pid);
    assert.deepEqual(await terminalSees(shell), expectedFor(second), 'the relaunched terminal has the new credentials');
    await closing;
    assert.deepEqual(await terminalSees(await reopened), expectedFor(second), 'the terminal of Open Terminal is opened again with them');
  });

  it('after Stop Using and after Sign Out, Relaunch Terminals takes the credentials out of open terminals', async () => {
    const { shell, agencyTerminal } = await openTerminalsWithCredentials({});
    const closing = closed(agencyTerminal);

    await vscode.commands.executeCommand('iamIdentityCenter.clearAgency');
    const stopped = await notification('Stopped using the agency');
    assert.equal(stopped.message, `Stopped using the agency: new terminals get no credentials. ${RELAUNCH_NOTE}`);
    assert.deepEqual(stopped.buttons, ['Relaunch Terminals']);
    let pid = await shell.processId;
    await ui.clickNotificationButton('Stopped using the agency', 'Relaunch Terminals');
    await relaunched(shell, pid);
    assert.deepEqual(await terminalSees(shell), NOTHING);
    await closing;
    assert.deepEqual(
      vscode.window.terminals.map((terminal) => terminal.name),
      ['opened with credentials'],
      'the terminal of Open Terminal is closed, not opened again: no agency is in use',
    );

    await run('iamIdentityCenter.selectAgency', { accountId: PRODUCTION, agencyUrn: READ_ONLY });
    const [, again] = await h.emulator.issuedCredentials();
    const second = vscode.window.createTerminal({ name: 'opened before Sign Out' });
    assert.deepEqual(await terminalSees(second), expectedFor(again));
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('iamIdentityCenter.signOut');
    const signedOut = await notification('Signed out of IAM Identity Center.');
    assert.equal(signedOut.message, `Signed out of IAM Identity Center. The client registration is kept. ${RELAUNCH_NOTE}`);
    pid = await second.processId;
    await ui.clickNotificationButton('Signed out of IAM Identity Center.', 'Relaunch Terminals');
    await relaunched(second, pid);
    assert.deepEqual(await terminalSees(second), NOTHING);
    assert.deepEqual(await terminalSees(shell), NOTHING, 'relaunched earlier, it had none to lose');

    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('iamIdentityCenter.clearAgency');
    const nothingLeft = await notification('Stopped using the agency');
    assert.deepEqual(nothingLeft.buttons, [], 'no open terminal keeps credentials any more');
  });
});

/** Resolves with the terminal named `name` when it opens. */
function openedTerminal(name: string): Promise<vscode.Terminal> {
  return new Promise((resolve) => {
    const subscription = vscode.window.onDidOpenTerminal((terminal) => {
      if (terminal.name !== name) return;
      subscription.dispose();
      resolve(terminal);
    });
  });
}

/** Resolves when `terminal` closes. */
function closed(terminal: vscode.Terminal): Promise<void> {
  return new Promise((resolve) => {
    const subscription = vscode.window.onDidCloseTerminal((gone) => {
      if (gone !== terminal) return;
      subscription.dispose();
      resolve();
    });
  });
}

/** Waits until `terminal` runs a new process (its process id is no longer `before`). */
async function relaunched(terminal: vscode.Terminal, before: number | undefined): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((await terminal.processId) === before) {
    if (Date.now() > deadline) assert.fail(`${terminal.name} was not relaunched`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
