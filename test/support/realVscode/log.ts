/** A line logger to stderr that stamps each line with its tag and the seconds since it was created. */
export type Log = (message: string) => void;

/** Returns a logger writing `[tag +1.2s] message` lines to stderr, timed from now. */
export function createLog(tag: string): Log {
  const start = Date.now();
  return (message) => {
    const seconds = ((Date.now() - start) / 1000).toFixed(1);
    process.stderr.write(`[${tag} +${seconds}s] ${message}\n`);
  };
}
