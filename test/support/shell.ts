/**
 * Text run by a real POSIX shell, to prove that what the extension writes for `sh`
 * gives back every value exactly.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';

/**
 * Runs `script` in `/bin/sh` (read from its standard input) with an empty environment,
 * and returns what a child process of that shell finds in its environment for each of
 * `names` (undefined when unset): exported values only, byte for byte.
 */
export function shSees(script: string, names: readonly string[]): Record<string, string | undefined> {
  const result = spawnSync('/bin/sh', [], { input: `${script}exec /usr/bin/env -0\n`, env: {}, maxBuffer: 64 * 1024 * 1024 });
  assert.equal(result.status, 0, `sh failed: ${result.stderr.toString('utf8')}`);
  const environment = new Map<string, string>();
  for (const entry of result.stdout.toString('utf8').split('\0')) {
    const equals = entry.indexOf('=');
    if (equals > 0) environment.set(entry.slice(0, equals), entry.slice(equals + 1));
  }
  return Object.fromEntries(names.map((name) => [name, environment.get(name)]));
}
