/**
 * The agency's credentials in debug sessions and the contributed terminal profile, inside
 * a real VS Code (tasks: `tasks/credentials.test.ts`): debug sessions run node under the
 * JavaScript debugger VS Code ships (js-debug), and each process reports the hash of
 * every credential variable it sees (never a value: the run folder is scanned
 * for secrets). What a debugger was handed is `session.configuration`, the configuration
 * after every provider resolved it.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as vscode from 'vscode';
import { assertNoSecretIn, closedPort, EXTENSION_ID, Harness, openHarnessAtEmulator, run, signInAfresh } from './harness';
import { CREDENTIAL_VARIABLES, expectedFor, hashProbeFile, newReportFile, NOTHING, readReport, sha256, terminalSees } from './terminalProbe';
import { openedTerminal, startedSession } from './processRuns';
import { Ui } from './ui';

const PRODUCTION = '5c3f0e8a9b2d4e71a6f08c1d2e3b4a59';
const READ_ONLY = `iam::${PRODUCTION}:agency:iic_ReadOnlyAccess_7d41`;

/** The contributed terminal profile, as VS Code's profile pick hands it to `newWithProfile`. */
const AGENCY_PROFILE = { extensionIdentifier: EXTENSION_ID, id: 'iamIdentityCenter.terminal', title: 'IAM Identity Center' };

describe('Credentials in debug sessions and the terminal profile, in VS Code', () => {
  let h: Harness;
  const config = () => vscode.workspace.getConfiguration('iamIdentityCenter');

  before(async () => {
    h = await openHarnessAtEmulator();
  });

  beforeEach(async () => {
    await signInAfresh(h, 'debug and profile test');
  });

  afterEach(async () => {
    await config().update('terminalCredentials', undefined, vscode.ConfigurationTarget.Global);
    await config().update('debugCredentials', undefined, vscode.ConfigurationTarget.Global);
    await vscode.debug.stopDebugging();
    for (const terminal of vscode.window.terminals) terminal.dispose();
  });

  const selectReadOnly = () => run('iamIdentityCenter.selectAgency', { accountId: PRODUCTION, agencyUrn: READ_ONLY });

  describe('debug sessions (js-debug)', () => {
    it('a launch gets the credentials in its env, and the program sees them; no request while they are good', async () => {
      await selectReadOnly();
      const [issued] = await h.emulator.issuedCredentials();
      const { configuration, report } = await debugProbe({});
      assert.deepEqual(envNames(configuration), [...CREDENTIAL_VARIABLES].sort());
      assert.deepEqual(report, expectedFor(issued));
      assert.equal((await h.emulator.issuedCredentials()).length, 1, 'the stored credentials, no new request');
    });

    it('a variable the configuration sets itself in env wins, and its other variables stay', async () => {
      await selectReadOnly();
      const [issued] = await h.emulator.issuedCredentials();
      const { configuration, report } = await debugProbe({ env: { HW_ACCESS_KEY: 'the configuration’s own', IIC_OTHER: 'kept' } });
      assert.ok(configuration.env?.HW_ACCESS_KEY === 'the configuration’s own' && configuration.env?.IIC_OTHER === 'kept', 'the configuration’s own entries are handed on as they were');
      assert.deepEqual(report, { ...expectedFor(issued), HW_ACCESS_KEY: sha256('the configuration’s own') });
    });

    it('with debugCredentials off in the user settings, a launch gets none', async () => {
      await selectReadOnly();
      await config().update('debugCredentials', false, vscode.ConfigurationTarget.Global);
      const { configuration, report } = await debugProbe({});
      assert.deepEqual(envNames(configuration), []);
      assert.deepEqual(report, NOTHING);
    });

    it('credentials due for renewal are fetched before the launch, which gets the new ones', async () => {
      await selectReadOnly();
      h.testing.advanceClock(3600_000 * 0.95);
      await h.emulator.advanceClock(3600 * 0.95);
      const { report } = await debugProbe({});
      const issued = await h.emulator.issuedCredentials();
      assert.equal(issued.length, 2, 'fetched again before the launch');
      assert.deepEqual(report, expectedFor(issued[1]));
    });

    it('an attach to a running node process is handed on without credentials', async () => {
      await selectReadOnly();
      const port = await closedPort();
      const target = spawn(process.execPath, [`--inspect=127.0.0.1:${port}`, '-e', 'setInterval(() => {}, 1000)'], { stdio: ['ignore', 'ignore', 'pipe'] });
      try {
        await new Promise<void>((resolve, reject) => {
          target.stderr.on('data', (chunk: Buffer) => /Debugger listening/.test(chunk.toString()) && resolve());
          target.once('exit', () => reject(new Error('the node process to attach to ended')));
        });
        const session = await startedSession({ type: 'node', request: 'attach', name: 'IIC attach', address: '127.0.0.1', port });
        assert.deepEqual(envNames(session.configuration), [], 'no env added');
        await assertNoSecretIn(h.emulator, JSON.stringify(session.configuration), 'the attach configuration');
        await vscode.debug.stopDebugging(session);
      } finally {
        target.kill();
      }
    });
  });

  describe('the contributed terminal profile', () => {
    it('opens a transient terminal named after the agency, with the credentials, even with terminalCredentials off', async () => {
      await selectReadOnly();
      await config().update('terminalCredentials', false, vscode.ConfigurationTarget.Global);
      const terminal = await openedTerminal(() => vscode.commands.executeCommand('workbench.action.terminal.newWithProfile', { config: AGENCY_PROFILE }));
      assert.match(terminal.name, /^iic_ReadOnlyAccess_7d41 · production$/);
      assert.equal((terminal.creationOptions as vscode.TerminalOptions).isTransient, true, 'never saved by session restore');
      const [issued] = await h.emulator.issuedCredentials();
      assert.deepEqual(await terminalSees(terminal), expectedFor(issued));
    });

    it('opens nothing without an agency, and VS Code shows what to do', async () => {
      const ui = new Ui();
      await vscode.commands.executeCommand('notifications.clearAll');
      const before = vscode.window.terminals.length;
      await vscode.commands.executeCommand('workbench.action.terminal.newWithProfile', { config: AGENCY_PROFILE });
      await ui.waitForNotification((n) => /No agency is selected\. Select an account and an agency/.test(n.message), 'what to do without an agency');
      assert.equal(vscode.window.terminals.length, before, 'no terminal opened');
    });
  });
});

/** Launches the hash probe under js-debug with `extra` in its configuration: the configuration handed to the debugger, and what the program saw. */
async function debugProbe(extra: Partial<vscode.DebugConfiguration>): Promise<{ configuration: vscode.DebugConfiguration; report: Record<string, string | null> }> {
  const report = newReportFile('debug');
  const session = await startedSession({ type: 'node', request: 'launch', name: 'IIC debug probe', program: hashProbeFile(), args: [report], runtimeExecutable: process.execPath, ...extra });
  return { configuration: session.configuration, report: await readReport(report) };
}

/** The credential variables among a configuration's `env` names, sorted. */
function envNames(configuration: vscode.DebugConfiguration): string[] {
  const names = Object.keys((configuration.env as Record<string, unknown> | undefined) ?? {});
  return names.filter((name) => (CREDENTIAL_VARIABLES as readonly string[]).includes(name)).sort();
}
