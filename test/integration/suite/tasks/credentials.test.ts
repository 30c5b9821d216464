/**
 * The agency's credentials in the terminals tasks run in, inside a real VS Code: `shell`
 * and `process` tasks run node, which reports the hash of every credential variable it
 * sees (never a value: the run folder is scanned for secrets), and the real Huawei Cloud
 * SDK signs from a task. A window of its own (the `tasks` phase): see `runTask`.
 *
 * VS Code applies the extensions' environment variable collections to every terminal
 * whose launch configuration is not `strictEnv`, tasks' included (the remote terminal
 * channel's `$createProcess`); a task's launch configuration never sets it.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { Harness, openHarnessAtEmulator, signInAfresh } from '../harness';
import { runTask, tasksCanRun } from '../processRuns';
import { assertSignedAs, sdkProbeResult, sdkProbeRun } from '../sdkProbeRun';
import { expectedFor, hashProbeFile, newReportFile, NOTHING, readReport } from '../terminalProbe';

const PRODUCTION = '5c3f0e8a9b2d4e71a6f08c1d2e3b4a59';
const READ_ONLY = `iam::${PRODUCTION}:agency:iic_ReadOnlyAccess_7d41`;

describe('Credentials in tasks, in VS Code', function () {
  // The SDK probe starts node and loads the SDK: a few seconds.
  this.timeout(90_000);
  let h: Harness;
  const config = () => vscode.workspace.getConfiguration('iamIdentityCenter');

  before(async () => {
    h = await openHarnessAtEmulator();
    const failed = await tasksCanRun();
    if (failed > 0) console.log(`      (the window's first ${failed} task(s) started no process, a code-server quirk: see tasksCanRun)`);
  });

  beforeEach(() => signInAfresh(h, 'tasks test', { accountId: PRODUCTION, agencyUrn: READ_ONLY }));

  afterEach(async () => {
    await config().update('terminalCredentials', undefined, vscode.ConfigurationTarget.Global);
  });

  it('a shell task and a process task see the credentials; with terminalCredentials off, neither does', async () => {
    const [issued] = await h.emulator.issuedCredentials();
    for (const [setting, expected] of [[true, expectedFor(issued)], [false, NOTHING]] as const) {
      await config().update('terminalCredentials', setting, vscode.ConfigurationTarget.Global);
      for (const kind of ['shell', 'process'] as const) {
        const report = newReportFile('task');
        assert.equal(await runTask(`IIC ${kind} probe`, kind, process.execPath, [hashProbeFile(), report]), 0, `the ${kind} task ran`);
        assert.deepEqual(await readReport(report), expected, `a ${kind} task, terminalCredentials ${setting}`);
      }
    }
  });

  it('the real SDK signs from a task, as the agency in use', async () => {
    const probe = sdkProbeRun(h.emulatorUrl);
    assert.equal(await runTask('IIC SDK probe', 'process', probe.command, probe.args), 0, 'the probe succeeded');
    await assertSignedAs(h.emulator, await sdkProbeResult(probe), PRODUCTION, READ_ONLY, 'a task');
  });
});
