/**
 * Runs the emulator as its own process, for the demo and for integration tests that
 * drive VS Code from outside:
 *
 *   node out/test/support/emulator/main.js [--port N] [--secret-lifetime SECONDS]
 *
 * Prints one JSON line `{"url": "http://127.0.0.1:PORT"}` once it listens, and runs
 * until SIGINT or SIGTERM.
 */
import { parseArgs } from 'node:util';
import { IdentityCenterEmulator, type EmulatorOptions } from './emulator';

/** The command line as emulator options; throws with a usage message when it is wrong. */
export function parseCommandLine(args: string[]): EmulatorOptions {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string' }, 'secret-lifetime': { type: 'string' } },
    strict: true,
  });
  const options: EmulatorOptions = {};
  if (values.port !== undefined) options.port = integer('--port', values.port, 0, 65535);
  if (values['secret-lifetime'] !== undefined) options.secretLifetimeSeconds = integer('--secret-lifetime', values['secret-lifetime'], 0, Number.MAX_SAFE_INTEGER);
  return options;
}

function integer(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) throw new Error(`${flag} must be an integer from ${min} to ${max}, got "${text}"`);
  return value;
}

async function main(): Promise<void> {
  let options: EmulatorOptions;
  try {
    options = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.stderr.write('usage: main.js [--port N] [--secret-lifetime SECONDS]\n');
    process.exit(2);
  }
  const emulator = await IdentityCenterEmulator.start(options);
  console.log(JSON.stringify({ url: emulator.url }));
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`emulator failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
