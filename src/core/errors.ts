/**
 * The ways an Identity Center operation can fail. Callers act on the kind, never on
 * message text: only `rejectedClient` drops a stored registration, and only
 * `network`, `timeout` and `service` are worth retrying.
 */
export type FailureKind =
  /** No response arrived: DNS, refused, reset, TLS. */
  | 'network'
  /** The connection, the headers or the body took too long. */
  | 'timeout'
  /** The service answered with something this client cannot use. */
  | 'protocol'
  /** The service answered with an error (4xx other than a rejected client, or 5xx). */
  | 'service'
  /** The service no longer accepts the stored client: register again. */
  | 'rejectedClient'
  /** The user denied the sign-in. */
  | 'denied'
  /** The device code or a credential ran out of time. */
  | 'expired'
  /** The user or the caller cancelled. */
  | 'cancelled'
  /** A setting or argument is missing or wrong. */
  | 'configuration'
  /** SecretStorage failed. */
  | 'storage';

/** What a failure carries besides its kind and its user-facing message. */
export interface FailureDetails {
  /** HTTP status, when a response arrived. */
  status?: number;
  /** The service's error code (`error_code` or `error`), checked to be a short token. */
  code?: string;
  /** Free text from the service, for the debug log only: never shown unchecked. */
  serviceText?: string;
  /** Seconds the service asked us to wait (`Retry-After`). */
  retryAfterSeconds?: number;
  /** The lower-level error, if any. */
  cause?: unknown;
}

/** Marks the errors of every copy of this class (the extension ships two bundles). */
const BRAND = Symbol.for('iam-identity-center.IdentityCenterError');

/**
 * The one error type of the core. `message` is written for a person and says what to
 * do next; it never contains a secret or unchecked server text. `instanceof` holds
 * across the activation bundle and the lazily loaded one, which each have a copy.
 */
export class IdentityCenterError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  readonly kind: FailureKind;
  readonly status?: number;
  readonly code?: string;
  readonly serviceText?: string;
  readonly retryAfterSeconds?: number;

  constructor(kind: FailureKind, message: string, details: FailureDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'IdentityCenterError';
    Object.defineProperty(this, BRAND, { value: true });
    this.kind = kind;
    this.status = details.status;
    this.code = details.code;
    this.serviceText = details.serviceText;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/** True for an `IdentityCenterError`, optionally of one of the given kinds. */
export function isIdentityCenterError(error: unknown, ...kinds: FailureKind[]): error is IdentityCenterError {
  return error instanceof IdentityCenterError && (kinds.length === 0 || kinds.includes(error.kind));
}
