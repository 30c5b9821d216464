/**
 * How far the service's clock is from ours. Expiry times come from the service's
 * clock, so a local clock that is ten minutes behind would otherwise keep using a
 * secret for ten minutes after the service stopped accepting it.
 */

/** Offsets smaller than this are noise (the service's times have one-second resolution). */
export const NEGLIGIBLE_OFFSET_MS = 2_000;

/** Offsets larger than this are not believed: a wrong header must not force endless renewals. */
export const MAX_BELIEVABLE_OFFSET_MS = 24 * 3600 * 1000;

/**
 * The service's clock minus ours, in milliseconds, from a response received at
 * `receivedAtMs` (our clock): from `client_id_issued_at` when the service sent it (the
 * clock that also sets the expiry), else from the `Date` header. Returns 0 when neither
 * is usable, when the offset is negligible, or when it is beyond belief.
 */
export function estimateClockOffsetMs(receivedAtMs: number, issuedAtSeconds: number | undefined, dateHeader: string | undefined): number {
  let serviceNowMs: number | undefined;
  if (issuedAtSeconds !== undefined) serviceNowMs = issuedAtSeconds * 1000 + 500;
  else if (dateHeader !== undefined && !Number.isNaN(Date.parse(dateHeader))) serviceNowMs = Date.parse(dateHeader) + 500;
  if (serviceNowMs === undefined) return 0;
  const offset = Math.round(serviceNowMs - receivedAtMs);
  if (Math.abs(offset) < NEGLIGIBLE_OFFSET_MS || Math.abs(offset) > MAX_BELIEVABLE_OFFSET_MS) return 0;
  return offset;
}
