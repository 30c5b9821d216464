/**
 * One error type for everything the extension does, with a kind callers act on, a
 * message a person can act on, and the rules built on the kind: what is cancelled,
 * which network failures are certificate problems, and how a service's echo of a
 * secret is cut out. What is transient is decided with the HTTP statuses, in
 * `transport/httpFailure.ts`.
 */
import * as l10n from '@vscode/l10n';

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
  | 'storage'
  /** The access token expired or was refused: the user must sign in again. */
  | 'signInRequired';

/**
 * What the user can do about a failure, which the VS Code side offers as a button in
 * its own words: the core's messages say what to do, never which command to run.
 */
export type Remedy =
  /** Sign in again (IAM Identity Center: Sign In). */
  | 'signIn'
  /** Register the client (IAM Identity Center: Register Client). */
  | 'registerClient'
  /** Pick the region from the list (IAM Identity Center: Choose Region). */
  | 'chooseRegion'
  /** Fix the failure's `setting`, opened alone in the Settings editor. */
  | 'openSettings';

/**
 * A setting a failure is fixed in, by a stable key the core can name without knowing
 * VS Code: the extension's own (`iamIdentityCenter.<key>`), or VS Code's `http.proxy`.
 * Messages call it by the label the Settings editor shows ("the Region setting"); the
 * VS Code side opens that one setting (Choose Region, for `region`).
 */
export type SettingKey =
  | 'region'
  | 'endpoint'
  | 'startUrl'
  | 'scopes'
  | 'portalEndpoint'
  | 'terminalCredentials'
  | 'debugCredentials'
  | 'caCertificates'
  | 'profiles'
  | 'profile'
  | 'http.proxy';

/** What a failure carries besides its kind and its user-facing message. */
export interface FailureDetails {
  /** What the user can do about it, offered as a button; absent with a `setting`: open it. */
  remedy?: Remedy;
  /** The setting to fix, when a setting is the cause or the likely cure. */
  setting?: SettingKey;
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
  readonly remedy?: Remedy;
  readonly setting?: SettingKey;

  constructor(kind: FailureKind, message: string, details: FailureDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'IdentityCenterError';
    Object.defineProperty(this, BRAND, { value: true });
    this.kind = kind;
    this.status = details.status;
    this.code = details.code;
    this.serviceText = details.serviceText;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.remedy = details.remedy;
    this.setting = details.setting;
  }
}

/** True for an `IdentityCenterError`, optionally of one of the given kinds. */
export function isIdentityCenterError(error: unknown, ...kinds: FailureKind[]): error is IdentityCenterError {
  return error instanceof IdentityCenterError && (kinds.length === 0 || kinds.includes(error.kind));
}

/** The error of an operation the user or the caller cancelled. */
export function cancelledError(cause?: unknown): IdentityCenterError {
  return new IdentityCenterError('cancelled', l10n.t('The operation was cancelled.'), cause === undefined ? {} : { cause });
}

/** Node's and undici's codes for a certificate that could not be verified: retrying will not help. */
export const CERTIFICATE_ERROR_CODES: ReadonlySet<string> = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** True for a code in `CERTIFICATE_ERROR_CODES`. */
export function isCertificateErrorCode(code: string | undefined): boolean {
  return code !== undefined && CERTIFICATE_ERROR_CODES.has(code);
}

/**
 * `text` with every occurrence of each of `secrets` replaced by `[secret]`, for text
 * from the service that may echo what it was sent. Secrets shorter than 4 characters
 * are left alone: they cannot be told from ordinary words.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= 4) result = result.split(secret).join('[secret]');
  }
  return result;
}
