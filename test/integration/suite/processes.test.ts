/**
 * The agency's credentials in the processes a developer starts, inside a real VS Code:
 * the terminal that is never saved (Open Terminal with Agency Credentials), and the
 * clipboard, for another shell (Copy Agency Credentials as Environment Variables).
 * Values are compared by hash only: the run folder is scanned for secrets.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { parse as parseDotenv } from 'dotenv';
import { ENVIRONMENT_FORMATS, formatVariables, type EnvironmentFormat } from '../../../src/core/credentials/environmentFormats';
import { formatEnd } from '../../../src/vscode/summaries';
import { shSees } from '../../support/shell';
import type { IssuedCredential } from '../../support/emulator/portalApi';
import { assertNoSecretIn, Harness, openHarnessAtEmulator, rejection, run, signInAfresh } from './harness';
import { CREDENTIAL_VARIABLES, expectedFor, sha256, terminalSees } from './terminalProbe';
import { Ui } from './ui';

const PRODUCTION = '5c3f0e8a9b2d4e71a6f08c1d2e3b4a59';
const READ_ONLY = `iam::${PRODUCTION}:agency:iic_ReadOnlyAccess_7d41`;

describe('Credentials in every process, in VS Code', () => {
  let h: Harness;
  const config = () => vscode.workspace.getConfiguration('iamIdentityCenter');

  before(async () => {
    h = await openHarnessAtEmulator();
  });

  beforeEach(async () => {
    await signInAfresh(h, 'processes test');
  });

  afterEach(async () => {
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
  describe('Copy Agency Credentials as Environment Variables', () => {
    afterEach(async () => {
      // code-server's clipboard outlives the test, and the run folder is scanned for secrets.
      await vscode.env.clipboard.writeText('');
    });

    it('with { format }, puts the six variables on the clipboard in that syntax, and resolves to the format and the end time only', async () => {
      await run('iamIdentityCenter.selectAgency', { accountId: PRODUCTION, agencyUrn: READ_ONLY });
      const [issued] = await h.emulator.issuedCredentials();
      for (const format of ENVIRONMENT_FORMATS) {
        const copied = await run<{ format: string; expiresAt: number }>('iamIdentityCenter.copyCredentials', { format });
        assert.deepEqual(copied, { format, expiresAt: Math.floor(issued.expiresAtMs / 1000) });
        await assertNoSecretIn(h.emulator, JSON.stringify(copied), 'the copyCredentials result');
        await assertClipboardHolds(format, issued);
      }
      assert.equal((await h.emulator.issuedCredentials()).length, 1, 'the stored credentials, no new request');
    });

    it('renews credentials that are due before copying them', async () => {
      await run('iamIdentityCenter.selectAgency', { accountId: PRODUCTION, agencyUrn: READ_ONLY });
      h.testing.advanceClock(3600_000 * 0.95);
      await h.emulator.advanceClock(3600 * 0.95);
      await run('iamIdentityCenter.copyCredentials', { format: 'sh' });
      const issued = await h.emulator.issuedCredentials();
      assert.equal(issued.length, 2, 'fetched again before copying');
      await assertClipboardHolds('sh', issued[1]);
    });

    it('rejects, leaving the clipboard as it was, without an agency or with a format it does not know (that first)', async () => {
      await vscode.env.clipboard.writeText('what the user copied');
      assert.match(await rejection(run('iamIdentityCenter.copyCredentials', { format: 'sh' })), /No agency is selected\. Select an account and an agency/);
      for (const format of [undefined, 'bash', 'SH', 3]) {
        assert.match(await rejection(run('iamIdentityCenter.copyCredentials', { format })), /Give format: one of sh, fish, powershell, cmd, dotenv\./);
      }
      assert.equal(await vscode.env.clipboard.readText(), 'what the user copied');
    });

    it('from the palette: a pick of formats with an example each, then a notice that the clipboard holds secrets until they end; Escape copies nothing', async () => {
      const ui = new Ui();
      await vscode.commands.executeCommand('notifications.clearAll');
      assert.equal(await vscode.commands.executeCommand('iamIdentityCenter.copyCredentials'), undefined, 'without an agency');
      await ui.waitForNotification((n) => /No agency is selected/.test(n.message), 'what to do without an agency');
      assert.equal((await ui.quickInput()).visible, false, 'and no pick');
      await run('iamIdentityCenter.selectAgency', { accountId: PRODUCTION, agencyUrn: READ_ONLY });
      await vscode.commands.executeCommand('notifications.clearAll');
      const done = Promise.resolve(vscode.commands.executeCommand<{ format: string; expiresAt: number } | undefined>('iamIdentityCenter.copyCredentials'));
      const pick = await ui.waitForQuickInput((state) => state.visible && /copy the agency credentials/.test(state.title) && state.rows.length === 5, 'the format pick');
      for (const example of ["export HUAWEICLOUD_SDK_AK='…'", "set -gx HUAWEICLOUD_SDK_AK '…'", "$env:HUAWEICLOUD_SDK_AK = '…'", 'set "HUAWEICLOUD_SDK_AK=…"', "HUAWEICLOUD_SDK_AK='…'"]) {
        assert.ok(pick.rows.some((row) => row.includes(example)), `the pick shows ${example}`);
      }
      await assertNoSecretIn(h.emulator, pick.rows.join('\n'), 'the format pick');
      await ui.fill('PowerShell');
      await ui.press('Enter');
      const copied = await done;
      const [issued] = await h.emulator.issuedCredentials();
      assert.deepEqual(copied, { format: 'powershell', expiresAt: Math.floor(issued.expiresAtMs / 1000) });
      await assertClipboardHolds('powershell', issued);
      const notice = await ui.waitForNotification((n) => /clipboard now holds the secret credentials/.test(n.message), 'the secrets notice');
      assert.ok(notice.message.includes(`of agency iic_ReadOnlyAccess_7d41, as PowerShell lines. They end ${formatEnd({ expiresAt: copied.expiresAt })};`), notice.message);
      await assertNoSecretIn(h.emulator, notice.message, 'the notice');

      await vscode.env.clipboard.writeText('what the user copied');
      const dismissed = Promise.resolve(vscode.commands.executeCommand('iamIdentityCenter.copyCredentials'));
      await ui.waitForQuickInput((state) => state.visible && /copy the agency credentials/.test(state.title), 'the format pick again');
      await ui.press('Escape');
      assert.equal(await dismissed, undefined);
      assert.equal(await vscode.env.clipboard.readText(), 'what the user copied');
    });
  });
});

/** Asserts, by hash, that the clipboard holds the six variables of `issued` in `format`: run by a real sh, read by dotenv, or as written for the rest. */
async function assertClipboardHolds(format: EnvironmentFormat, issued: IssuedCredential): Promise<void> {
  const text = await vscode.env.clipboard.readText();
  const hashes = (values: Record<string, string | undefined>) => Object.fromEntries(CREDENTIAL_VARIABLES.map((name) => [name, values[name] === undefined ? null : sha256(values[name])]));
  if (format === 'sh') assert.deepEqual(hashes(shSees(text, CREDENTIAL_VARIABLES)), expectedFor(issued), 'sh exports the credentials');
  else if (format === 'dotenv') assert.deepEqual(hashes(parseDotenv(text)), expectedFor(issued), 'dotenv reads the credentials');
  else {
    const variables = { HUAWEICLOUD_SDK_AK: issued.accessKeyId, HUAWEICLOUD_SDK_SK: issued.secretAccessKey, HUAWEICLOUD_SDK_SECURITY_TOKEN: issued.sessionToken, HW_ACCESS_KEY: issued.accessKeyId, HW_SECRET_KEY: issued.secretAccessKey, HW_SECURITY_TOKEN: issued.sessionToken };
    assert.equal(sha256(text), sha256(formatVariables(format, variables)), `the clipboard holds the ${format} lines`);
  }
}
