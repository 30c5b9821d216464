/**
 * One run for every concurrent caller, with per-caller cancellation: a caller that gives
 * up stops only its own wait, and nobody inherits another caller's cancellation.
 */
import { strict as assert } from 'node:assert';
import { SingleFlight } from '../../src/core/common/singleFlight';
import { rejectsWith } from '../support/assertions';

/** Work that ends when told, or rejects when its signal aborts; counts its runs. */
function controllableWork() {
  const runs: { resolve: (value: string) => void; signal: AbortSignal }[] = [];
  const work = (signal: AbortSignal) =>
    new Promise<string>((resolve, reject) => {
      runs.push({ resolve, signal });
      signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
    });
  return { work, runs };
}

describe('SingleFlight', () => {
  it('shares one run among concurrent callers', async () => {
    const flight = new SingleFlight<string>();
    const { work, runs } = controllableWork();
    const both = Promise.all([flight.run(work), flight.run(work)]);
    assert.equal(runs.length, 1);
    runs[0].resolve('done');
    assert.deepEqual(await both, ['done', 'done']);
  });

  it('a caller that gives up stops its own wait; the run goes on for the others', async () => {
    const flight = new SingleFlight<string>();
    const { work, runs } = controllableWork();
    const giving = new AbortController();
    const quitter = flight.run(work, giving.signal);
    const stayer = flight.run(work);
    giving.abort();
    await rejectsWith(quitter, 'cancelled');
    assert.equal(runs[0].signal.aborted, false);
    runs[0].resolve('done');
    assert.equal(await stayer, 'done');
  });

  it('a caller arriving after every caller gave up gets a run of its own, not their cancellation', async () => {
    const flight = new SingleFlight<string>();
    const { work, runs } = controllableWork();
    const giving = new AbortController();
    const quitter = flight.run(work, giving.signal);
    giving.abort();
    // The abandoned run has been aborted but has not settled yet when the next caller comes.
    const next = flight.run(work);
    await rejectsWith(quitter, 'cancelled');
    assert.equal(runs.length, 2, 'a fresh run started');
    assert.equal(runs[0].signal.aborted, true);
    runs[1].resolve('fresh');
    assert.equal(await next, 'fresh');
  });
});
