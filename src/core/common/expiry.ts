/**
 * When something that expires is renewed: a margin before its expiry, relative to its
 * lifetime, so a 90-day secret is renewed an hour early and a 15-minute credential a
 * minute and a half early. Shared by the client registration and agency credentials.
 */

/** The renewal margin never exceeds this many seconds (one hour). */
export const MAX_RENEWAL_MARGIN_SECONDS = 3600;

/** The renewal margin is this fraction of the secret's lifetime, up to the cap. */
export const RENEWAL_MARGIN_FRACTION = 0.1;

/**
 * Seconds before `expiresAt` at which a registration stops being used: a tenth of its
 * lifetime, capped at one hour. A 90-day secret renews an hour early (long enough for a
 * device-code sign-in started just before to finish); a 60-second secret renews 6 s early.
 */
export function renewalMarginSeconds(registration: { issuedAt: number; expiresAt: number }): number {
  const lifetime = Math.max(0, registration.expiresAt - registration.issuedAt);
  return Math.min(MAX_RENEWAL_MARGIN_SECONDS, Math.floor(lifetime * RENEWAL_MARGIN_FRACTION));
}
