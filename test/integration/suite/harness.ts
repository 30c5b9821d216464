/**
 * What every in-VS-Code test needs: the extension's API (with its Test-mode hooks),
 * the emulator's control client, and settings pointed at the emulator.
 */
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import * as vscode from 'vscode';
import { EmulatorControl } from '../../support/emulator/control';
import type { ExtensionApi } from '../../../src/vscode/api';
import type { TestingHooks } from '../../../src/vscode/testSeams';

/** The extension's id: publisher.name. */
export const EXTENSION_ID = 'iam-identity-center.iam-identity-center';

/** The running extension, its hooks and the emulator. */
export interface Harness {
  api: ExtensionApi;
  testing: TestingHooks;
  emulator: EmulatorControl;
  emulatorUrl: string;
  /** Another service, that only a workspace or a settings change tries to point at. */
  secondEmulator: EmulatorControl;
}

/** Activates the extension and points its settings at the emulator the runner started. */
export async function openHarness(): Promise<Harness> {
  const emulatorUrl = process.env.IIC_EMULATOR_URL;
  assert.ok(emulatorUrl, 'the runner sets IIC_EMULATOR_URL');
  const extension = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  const api = await extension.activate();
  assert.ok(api.testing, 'the extension runs in Test mode and exposes its hooks');
  // Waits (retry backoff, poll intervals) pass at once on the extension's clock.
  api.testing.useInstantTime(true);
  const config = vscode.workspace.getConfiguration('iamIdentityCenter');
  if (config.get('endpoint') !== emulatorUrl) await config.update('endpoint', emulatorUrl, vscode.ConfigurationTarget.Global);
  if (config.get('portalEndpoint') !== emulatorUrl) await config.update('portalEndpoint', emulatorUrl, vscode.ConfigurationTarget.Global);
  const secondUrl = process.env.IIC_SECOND_EMULATOR_URL;
  assert.ok(secondUrl, 'the runner sets IIC_SECOND_EMULATOR_URL');
  return { api, testing: api.testing, emulator: new EmulatorControl(emulatorUrl), emulatorUrl, secondEmulator: new EmulatorControl(secondUrl) };
}

/**
 * Reads `read()` every `intervalMs` until `check` passes on what it read, and returns that;
 * fails after 20 s with `failure(last read)`.
 */
export async function waitUntil<T>(read: () => T | Promise<T>, check: (value: T) => boolean, failure: (last: T) => string, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) assert.fail(failure(value));
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The harness, with the user's Start URL set to the emulator's: what a suite that signs in needs first. */
export async function openHarnessAtEmulator(): Promise<Harness> {
  const h = await openHarness();
  await vscode.workspace.getConfiguration('iamIdentityCenter').update('startUrl', `${h.emulatorUrl}/start`, vscode.ConfigurationTarget.Global);
  return h;
}

/** Runs a command with an args object, as automation does. */
export function run<T>(command: string, args?: object): Promise<T> {
  return Promise.resolve(vscode.commands.executeCommand<T>(command, args ?? {}));
}

/** Signs in with args, the emulator approving the user code as soon as it is shown. */
export async function signInApproved(h: Harness, clientName: string): Promise<void> {
  const stop = h.testing.onUserCode((prompt) => void h.emulator.approve(prompt.userCode));
  try {
    await run('iamIdentityCenter.signIn', { clientName });
  } finally {
    stop();
  }
}

/**
 * Each test's start from a known state: the clock reset, no agency, signed out, the
 * emulator reset (not enforcing the poll interval), then signed in as `clientName`, and
 * with `agency` given, that agency selected. The clock is reset again after the sign-in,
 * whose instant polling moves it seconds ahead of the emulator's: what is fetched later
 * (agency credentials) would carry that offset, and times a test computes from the
 * emulator's answers would miss it (a notice's minute did, in one CI run).
 */
export async function signInAfresh(h: Harness, clientName: string, agency?: { accountId: string; agencyUrn: string }): Promise<void> {
  h.testing.resetClock();
  await run('iamIdentityCenter.clearAgency');
  await run('iamIdentityCenter.signOut');
  await h.emulator.reset();
  await h.emulator.configure({ enforceInterval: false });
  await signInApproved(h, clientName);
  h.testing.resetClock();
  if (agency) await run('iamIdentityCenter.selectAgency', agency);
}

/** Asserts that a promise rejects, and returns the error's message. */
export async function rejection(promise: PromiseLike<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof Error, 'rejects with an Error');
    return error.message;
  }
  assert.fail('expected a rejection');
}

/** Asserts that none of the emulator's issued secrets appears in `text`. */
export async function assertNoSecretIn(emulator: EmulatorControl, text: string, where: string): Promise<void> {
  for (const secret of await emulator.issuedSecrets()) {
    assert.ok(!text.includes(secret), `${where} must not contain an issued secret`);
  }
}

/** A loopback port nothing listens on: a request to it is refused at once. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
