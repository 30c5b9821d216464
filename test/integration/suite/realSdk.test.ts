/**
 * The real Huawei Cloud Node.js SDK signs with what each kind of process gets, inside a
 * real VS Code: a new integrated terminal, a debug session, the terminal that is never
 * saved, and `/bin/sh` fed what Copy Agency Credentials puts on the clipboard. The
 * probe (`test/support/sdkProbe.js`) makes one signed IAM call to the emulator, which
 * checks the SDK-HMAC-SHA256 signature and answers as the agency whose credentials signed.
 * Loopback only; the probe prints nothing and writes no secret.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { Harness, openHarnessAtEmulator, run, signInAfresh } from './harness';
import { openedTerminal, startedSession } from './processRuns';
import { assertSignedAs, sdkProbeResult, sdkProbeRun } from './sdkProbeRun';
import { NOTHING, terminalSees } from './terminalProbe';

const PRODUCTION = '5c3f0e8a9b2d4e71a6f08c1d2e3b4a59';
const STAGING = '8e1b7a4c2f6d49a0b3c5d7e9f1a2b4c6';
const READ_ONLY = `iam::${PRODUCTION}:agency:iic_ReadOnlyAccess_7d41`;
const DEVELOPER = `iam::${STAGING}:agency:iic_Developer_51ce`;

describe('The Huawei Cloud SDK signs from every kind of process, in VS Code', function () {
  // Each probe starts node and loads the SDK: a few seconds.
  this.timeout(90_000);
  let h: Harness;
  const config = () => vscode.workspace.getConfiguration('iamIdentityCenter');

  before(async () => {
    h = await openHarnessAtEmulator();
  });

  beforeEach(() => signInAfresh(h, 'real SDK test', { accountId: PRODUCTION, agencyUrn: READ_ONLY }));

  afterEach(async () => {
    // code-server's clipboard outlives the test, and the run folder is scanned for secrets.
    await vscode.env.clipboard.writeText('');
    await config().update('terminalCredentials', undefined, vscode.ConfigurationTarget.Global);
    await vscode.debug.stopDebugging();
    for (const terminal of vscode.window.terminals) terminal.dispose();
  });

  it('from a new integrated terminal', async () => {
    const probe = sdkProbeRun(h.emulatorUrl);
    vscode.window.createTerminal({ name: 'IIC SDK probe terminal', shellPath: probe.command, shellArgs: probe.args });
    await assertSignedAs(h.emulator, await sdkProbeResult(probe), PRODUCTION, READ_ONLY, 'a new terminal');
  });

  it('from a debug session (js-debug launch)', async () => {
    const probe = sdkProbeRun(h.emulatorUrl);
    await startedSession({ type: 'node', request: 'launch', name: 'IIC SDK probe', program: probe.probe, args: probe.probeArgs, runtimeExecutable: probe.command });
    await assertSignedAs(h.emulator, await sdkProbeResult(probe), PRODUCTION, READ_ONLY, 'a debug session');
  });

  it('from the terminal that is never saved (Open Terminal with Agency Credentials), with terminalCredentials off', async () => {
    await config().update('terminalCredentials', false, vscode.ConfigurationTarget.Global);
    const opened = await run<{ name: string }>('iamIdentityCenter.openTerminal', {});
    const terminal = vscode.window.terminals.find((t) => t.name === opened.name);
    assert.ok(terminal, 'the terminal is open');
    const probe = sdkProbeRun(h.emulatorUrl);
    terminal.sendText(probe.commandLine);
    await assertSignedAs(h.emulator, await sdkProbeResult(probe), PRODUCTION, READ_ONLY, 'the transient terminal');
  });

  it('from /bin/sh fed the clipboard of Copy Agency Credentials as sh, with terminalCredentials off', async () => {
    await config().update('terminalCredentials', false, vscode.ConfigurationTarget.Global);
    // Transient: what is typed into it (the credentials) is never saved by session restore.
    const sh = await openedTerminal(async () => vscode.window.createTerminal({ name: 'IIC sh', shellPath: '/bin/sh', isTransient: true }));
    assert.deepEqual(await terminalSees(sh), NOTHING, 'the shell has no credentials of its own');
    await run('iamIdentityCenter.copyCredentials', { format: 'sh' });
    sh.sendText(await vscode.env.clipboard.readText());
    const probe = sdkProbeRun(h.emulatorUrl);
    sh.sendText(probe.commandLine);
    await assertSignedAs(h.emulator, await sdkProbeResult(probe), PRODUCTION, READ_ONLY, 'sh fed the clipboard');
  });

  it('after a switch of agency, from a new terminal, as the new agency', async () => {
    await run('iamIdentityCenter.selectAgency', { accountId: STAGING, agencyUrn: DEVELOPER });
    const probe = sdkProbeRun(h.emulatorUrl);
    vscode.window.createTerminal({ name: 'IIC SDK probe terminal', shellPath: probe.command, shellArgs: probe.args });
    await assertSignedAs(h.emulator, await sdkProbeResult(probe), STAGING, DEVELOPER, 'a new terminal after the switch');
  });
});
