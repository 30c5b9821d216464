/**
 * What a process sees of the agency credentials: node writes the SHA-256 of each
 * credential variable (never a value: the run folder is scanned for secrets) to a file
 * the test reads. Run as a terminal's process, typed into a terminal's shell, or as a
 * script file (`hashProbeFile`) for tasks and debug sessions.
 */
import { createHash, randomUUID } from 'node:crypto';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

/** The variables the extension sets. */
export const CREDENTIAL_VARIABLES = ['HUAWEICLOUD_SDK_AK', 'HUAWEICLOUD_SDK_SK', 'HUAWEICLOUD_SDK_SECURITY_TOKEN', 'HW_ACCESS_KEY', 'HW_SECRET_KEY', 'HW_SECURITY_TOKEN'] as const;

/** The hash a probe reports for `value`. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Opens a new terminal and returns, for each credential variable, the hash of its value, or null when unset. */
export async function newTerminalSees(): Promise<Record<string, string | null>> {
  const { file, script } = probeScript();
  const terminal = vscode.window.createTerminal({ name: 'IIC env probe', shellPath: process.execPath, shellArgs: ['-e', script] });
  try {
    return await readReport(file);
  } finally {
    terminal.dispose();
  }
}

/** Runs the probe in the shell of an open `terminal` (typed, as a person would) and returns what it reports. */
export async function terminalSees(terminal: vscode.Terminal): Promise<Record<string, string | null>> {
  const { file, script } = probeScript();
  terminal.sendText(`${JSON.stringify(process.execPath)} -e ${JSON.stringify(script).replace(/\$/g, '\\$')}`);
  return readReport(file);
}

/** A node script that writes each credential variable's hash (never a value) to a new file in the run's shared folder. */
function probeScript(): { file: string; script: string } {
  const file = newReportFile('terminal');
  return { file, script: hashScript(JSON.stringify(file)) };
}

/** The hash probe's source: writes each credential variable's hash (never a value) to the file `target` (a JS expression) names. */
function hashScript(target: string): string {
  return [
    "const { createHash } = require('crypto');",
    `const names = ${JSON.stringify(CREDENTIAL_VARIABLES)};`,
    'const seen = {};',
    "for (const name of names) seen[name] = process.env[name] === undefined ? null : createHash('sha256').update(process.env[name]).digest('hex');",
    `require('fs').writeFileSync(${target}, JSON.stringify(seen));`,
  ].join(' ');
}

/** A new file name in the run's shared folder, for a probe to write its report to. */
export function newReportFile(kind: string): string {
  const dir = process.env.IIC_TEST_SHARED_DIR;
  assert.ok(dir, 'the runner sets IIC_TEST_SHARED_DIR');
  return path.join(dir, `${kind}-${randomUUID()}.json`);
}

/**
 * The hash probe as a script file, for processes that run a program (tasks, debug
 * sessions): `node <file> <reportFile>` writes each credential variable's hash to
 * `reportFile`. Written once a run, in the shared folder; it holds no secret.
 */
export function hashProbeFile(): string {
  const dir = process.env.IIC_TEST_SHARED_DIR;
  assert.ok(dir, 'the runner sets IIC_TEST_SHARED_DIR');
  const file = path.join(dir, 'hashProbe.js');
  if (!fs.existsSync(file)) fs.writeFileSync(file, `${hashScript('process.argv[2]')}\n`);
  return file;
}

/** Waits for a probe's report in `file` (30 s at most), reads it as JSON and deletes it. */
export async function readReport<T = Record<string, string | null>>(file: string): Promise<T> {
  try {
    const deadline = Date.now() + 30_000;
    while (!fs.existsSync(file)) {
      if (Date.now() > deadline) assert.fail('the probe never reported');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** What the terminal should see for credentials `c`: each variable's hash. */
export function expectedFor(c: { accessKeyId: string; secretAccessKey: string; sessionToken: string }): Record<string, string> {
  return {
    HUAWEICLOUD_SDK_AK: sha256(c.accessKeyId),
    HUAWEICLOUD_SDK_SK: sha256(c.secretAccessKey),
    HUAWEICLOUD_SDK_SECURITY_TOKEN: sha256(c.sessionToken),
    HW_ACCESS_KEY: sha256(c.accessKeyId),
    HW_SECRET_KEY: sha256(c.secretAccessKey),
    HW_SECURITY_TOKEN: sha256(c.sessionToken),
  };
}

/** What a terminal without credentials sees. */
export const NOTHING: Record<string, null> = Object.fromEntries(CREDENTIAL_VARIABLES.map((name) => [name, null]));
