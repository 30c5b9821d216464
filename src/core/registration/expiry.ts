/**
 * When a stored registration stops being used: `client_secret_expires_at` minus the
 * lifetime-relative margin (`common/expiry.ts`), read on the service's clock.
 */
import { renewalMarginSeconds } from '../common/expiry';
import type { Renewable } from '../common/renewalScheduler';
import type { ClientRegistration } from './model';

/**
 * Epoch milliseconds, on this computer's clock, from which the registration must be
 * renewed before use: `expiresAt − margin` on the service's clock, moved by the clock
 * offset measured when it was registered.
 */
export function renewalDueAtMs(registration: Pick<ClientRegistration, 'issuedAt' | 'expiresAt' | 'clockOffsetMs'>): number {
  return (registration.expiresAt - renewalMarginSeconds(registration)) * 1000 - (registration.clockOffsetMs ?? 0);
}

/** True while `now < client_secret_expires_at − margin`, with `now` on the service's clock. */
export function isUsable(registration: Pick<ClientRegistration, 'issuedAt' | 'expiresAt' | 'clockOffsetMs'>, nowMs: number): boolean {
  return nowMs < renewalDueAtMs(registration);
}

/** The registration's times for the renewal schedule, on this computer's clock. */
export function renewableOf(registration: Pick<ClientRegistration, 'issuedAt' | 'expiresAt' | 'clockOffsetMs'>): Renewable {
  const offsetMs = registration.clockOffsetMs ?? 0;
  return {
    issuedAtMs: registration.issuedAt * 1000 - offsetMs,
    dueAtMs: renewalDueAtMs(registration),
    expiresAtMs: registration.expiresAt * 1000 - offsetMs,
  };
}
