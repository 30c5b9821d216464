/**
 * The real Huawei Cloud Node.js SDK run from a process VS Code starts: node runs
 * `test/support/sdkProbe.js` with a result file in the run's shared folder and the
 * emulator's URL as its endpoint; the test reads the result and deletes it. The probe
 * prints nothing and writes no secret (the run folder is scanned for secrets).
 */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EmulatorControl } from '../../support/emulator/control';
import type { SdkProbeResult } from '../../support/sdkProbeResult';
import { EXTENSION_ID } from './harness';
import { newReportFile, readReport } from './terminalProbe';


/** One run of the probe: the program, its arguments, and where it writes its result. */
export interface SdkProbeRun {
  /** node (the one VS Code runs extensions with). */
  command: string;
  /** The probe, then its arguments. */
  args: string[];
  /** The probe's arguments alone (a debug configuration's `args`). */
  probeArgs: string[];
  /** The probe itself (a debug configuration's `program`). */
  probe: string;
  /** The whole command, quoted for a POSIX shell. */
  commandLine: string;
  resultFile: string;
}

/** A run of the probe against the emulator at `emulatorUrl`, with a new result file. */
export function sdkProbeRun(emulatorUrl: string): SdkProbeRun {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed`);
  const probe = path.join(extension.extensionPath, 'test', 'support', 'sdkProbe.js');
  const resultFile = newReportFile('sdk');
  const probeArgs = [resultFile, emulatorUrl];
  const args = [probe, ...probeArgs];
  return { command: process.execPath, args, probeArgs, probe, commandLine: [process.execPath, ...args].map(shQuote).join(' '), resultFile };
}

/** Waits for the probe's result, reads it and deletes it. */
export function sdkProbeResult(run: SdkProbeRun): Promise<SdkProbeResult> {
  return readReport<SdkProbeResult>(run.resultFile);
}

function shQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Asserts the probe's call was accepted as `agencyUrn` of `accountId`: the SDK's lookup
 * and its call, each signed with the newest credentials the portal issued, the HW_
 * variables holding the same values.
 */
export async function assertSignedAs(emulator: EmulatorControl, result: SdkProbeResult, accountId: string, agencyUrn: string, where: string): Promise<void> {
  assert.deepEqual(result, { ok: true, status: 200, accountId, agencyUrn, errorCode: null, hwVariables: 'same' }, where);
  const issued = await emulator.issuedCredentials();
  const calls = await emulator.iamRequests();
  assert.deepEqual(
    calls.map((call) => ({ accepted: call.accepted, agencyUrn: call.agencyUrn, credentialIndex: call.credentialIndex })),
    calls.map(() => ({ accepted: true, agencyUrn, credentialIndex: issued.length - 1 })),
    `${where}: every signed request accepted, as the agency, with its newest credentials`,
  );
  assert.equal(calls.at(-1)?.path, '/v3/auth/projects', `${where}: the SDK made its call`);
}
