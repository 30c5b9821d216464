/**
 * The agency's credentials in the processes a developer starts, inside a real VS Code:
 * the terminal that is never saved (Open Terminal with Agency Credentials).
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { assertNoSecretIn, Harness, openHarness, rejection, run } from './harness';
import { expectedFor, terminalSees } from './terminalProbe';

const PRODUCTION = '5c3f0e8a9b2d4e71a6f08c1d2e3b4a59';
const READ_ONLY = `iam::${PRODUCTION}:agency:iic_ReadOnlyAccess_7d41`;

describe('Credentials in every process, in VS Code', () => {
  let h: Harness;
  let stopListening: (() => void) | undefined;
  const config = () => vscode.workspace.getConfiguration('iamIdentityCenter');

  before(async () => {
    h = await openHarness();
    await config().update('startUrl', `${h.emulatorUrl}/start`, vscode.ConfigurationTarget.Global);
  });

  beforeEach(async () => {
    h.testing.resetClock();
    await run('iamIdentityCenter.clearAgency');
    await run('iamIdentityCenter.signOut');
    await h.emulator.reset();
    await h.emulator.configure({ enforceInterval: false });
    stopListening = h.testing.onUserCode((prompt) => void h.emulator.approve(prompt.userCode));
    await run('iamIdentityCenter.signIn', { clientName: 'processes test' });
  });

  afterEach(async () => {
    stopListening?.();
    stopListening = undefined;
    await config().update('terminalCredentials', undefined, vscode.ConfigurationTarget.Global);
    for (const terminal of vscode.window.terminals) terminal.dispose();
  });

  it('Open Terminal with Agency Credentials opens a transient terminal named after the agency, with the credentials even when terminalCredentials is off', async () => {
    await run('iamIdentityCenter.selectAgency', { accountId: PRODUCTION, agencyUrn: READ_ONLY });
    await config().update('terminalCredentials', false, vscode.ConfigurationTarget.Global);
    const opened = await run<{ name: string }>('iamIdentityCenter.openTerminal', {});
    assert.deepEqual(Object.keys(opened), ['name']);
    assert.match(opened.name, /iic_ReadOnlyAccess_7d41/);
    await assertNoSecretIn(h.emulator, JSON.stringify(opened), 'the openTerminal result');
    const terminal = vscode.window.terminals.find((t) => t.name === opened.name);
    assert.ok(terminal, 'the terminal is open');
    assert.equal((terminal.creationOptions as vscode.TerminalOptions).isTransient, true, 'never saved by session restore');
    const [issued] = await h.emulator.issuedCredentials();
    assert.deepEqual(await terminalSees(terminal), expectedFor(issued));
    const named = await run<{ name: string }>('iamIdentityCenter.openTerminal', { name: 'deploy' });
    assert.match(named.name, /^deploy \(iic_ReadOnlyAccess_7d41/);
  });

  it('Open Terminal with Agency Credentials opens nothing and says what to do without an agency, or with a bad name', async () => {
    const before = vscode.window.terminals.length;
    assert.match(await rejection(run('iamIdentityCenter.openTerminal', {})), /No agency is selected/);
    await run('iamIdentityCenter.selectAgency', { accountId: PRODUCTION, agencyUrn: READ_ONLY });
    assert.match(await rejection(run('iamIdentityCenter.openTerminal', { name: 'a\nb' })), /name must be/);
    assert.equal(vscode.window.terminals.length, before);
  });

  it('Open Terminal with Agency Credentials renews credentials that are due first', async () => {
    await run('iamIdentityCenter.selectAgency', { accountId: PRODUCTION, agencyUrn: READ_ONLY });
    h.testing.advanceClock(3600_000 * 0.95);
    await h.emulator.advanceClock(3600 * 0.95);
    const opened = await run<{ name: string }>('iamIdentityCenter.openTerminal', {});
    const issued = await h.emulator.issuedCredentials();
    assert.equal(issued.length, 2, 'fetched again before opening');
    const terminal = vscode.window.terminals.find((t) => t.name === opened.name);
    assert.ok(terminal);
    assert.deepEqual(await terminalSees(terminal), expectedFor(issued[1]));
  });
});
