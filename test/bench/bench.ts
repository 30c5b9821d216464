/**
 * `npm run bench`: measures what the extension costs and how close it gets to the
 * floor of its job, on the production build, against the loopback emulator.
 * A benchmark, not a test: it prints a table (or, with `--json`, one JSON object) and
 * exits 0 whatever the figures; `--check` makes it exit 1 when a target is missed.
 *
 * Options: see `options.ts`. Nothing leaves the machine: every request goes to the
 * emulator on 127.0.0.1.
 *
 * A new measure goes in its own file (as `measureLease.ts`), exporting one function that
 * returns its figures; here it gets one progress line and one call, spread into the
 * report; `report.ts` gets its fields in `BenchReport`, its row in `tableRows` and, when
 * it has one, its target in `TARGETS` (a row whose verdict is MISSED fails `--check`).
 */
import * as fs from 'node:fs';
import type { UndiciTransport } from '../../src/core/transport/undici';
import { IdentityCenterEmulator } from '../support/emulator/emulator';
import { simulateShortSecretHour } from '../support/shortSecretHour';
import { measureAccountPages, measureCredentialStorm } from './measureAgencies';
import { measureDebugResolve } from './measureDebug';
import { LEASE_CONTENTION_ROUNDS, measureLeaseContention } from './measureLease';
import {
  BUILD,
  buildSharedTransport,
  bundleInputs,
  measureActivation,
  measureClientCpu,
  measureDevicePolls,
  measureRegisterOverhead,
  measureStorm,
  measureStormThroughExtension,
  measureVsix,
  METAFILE,
} from './measure';
import { LATENCY_ITERATIONS, LATENCY_MS, parseOptions, progress } from './options';
import { buildProduction } from './packageVsix';
import { formatTable, missedTargets, type BenchReport } from './report';

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  progress(options, 'production build');
  buildProduction(BUILD, METAFILE);
  // The production transport (as dist/lazy.js carries it), for every measure that sends.
  const shared = await buildSharedTransport();
  const emulator = await IdentityCenterEmulator.start();
  const transport: UndiciTransport = shared.createUndiciTransport();
  try {
    progress(options, `activation, ${options.activationRuns} fresh processes`);
    const activation = await measureActivation(emulator, options);
    progress(options, `registerClient vs raw undici, ${options.registerIterations} each`);
    const overhead = { ...(await measureRegisterOverhead(emulator, shared, options.registerIterations)), registerClientCpuUs: await measureClientCpu() };
    progress(options, `the same with ${LATENCY_MS} ms of latency, ${LATENCY_ITERATIONS} each`);
    const withLatency = await measureRegisterOverhead(emulator, shared, LATENCY_ITERATIONS, LATENCY_MS);
    progress(options, 'renewal storm');
    const stormRequests = await measureStorm(emulator, transport);
    const stormRequestsExtension = await measureStormThroughExtension(emulator);
    progress(options, 'credential storm and account pages');
    const credentialStormRequests = await measureCredentialStorm(emulator, transport);
    const accountPages = await measureAccountPages(emulator, transport);
    progress(options, 'a debug launch resolved through the provider, and with none');
    const debugResolve = await measureDebugResolve(emulator);
    progress(options, `two windows saving at once, ${LEASE_CONTENTION_ROUNDS} rounds on real timers`);
    const leaseContention = await measureLeaseContention();
    progress(options, 'one simulated hour of one-second client secrets');
    const shortSecretRegistrationsPerHour = (await simulateShortSecretHour(emulator, transport)).automaticRegistrations;
    progress(options, 'device polls');
    const devicePolls = [];
    for (const k of [1, 2, 3, 6, 12]) devicePolls.push(await measureDevicePolls(emulator, transport, k));
    progress(options, 'vsce package');
    const vsix = measureVsix();
    const inputs = bundleInputs();
    const report: BenchReport = {
      ...activation,
      ...overhead,
      registerOverheadRatioWithLatency: withLatency.registerOverheadRatio,
      latencyMs: LATENCY_MS,
      stormRequests,
      stormRequestsExtension,
      shortSecretRegistrationsPerHour,
      credentialStormRequests,
      accountPages,
      ...leaseContention,
      ...debugResolve,
      devicePolls,
      ...vsix,
      activationBundleInputs: inputs.activation,
      lazyBytes: inputs.lazyBytes,
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
    };
    if (options.baseline) {
      progress(options, `cached activation side by side with ${options.baseline}, ${options.activationRuns} runs each`);
      const { compareWithBaseline } = await import('./baseline');
      report.baseline = await compareWithBaseline(emulator, BUILD, options.baseline, options.activationRuns);
    }
    if (options.vscode) {
      progress(options, 'activation inside a real VS Code (code-server)');
      const { measureInRealVscode } = await import('./realVscodeActivation');
      report.vscode = await measureInRealVscode(BUILD);
    }
    if (options.jsonOut) fs.writeFileSync(options.jsonOut, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : `${formatTable(report)}\n`);
    if (options.check && missedTargets(report).length > 0) process.exitCode = 1;
  } finally {
    await transport.close();
    await emulator.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
