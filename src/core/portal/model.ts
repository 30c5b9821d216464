/**
 * What the portal API (`docs/api.md`) lists for a signed-in user: the accounts assigned
 * to them and the agencies (Huawei's roles) they may take in each, with the patterns
 * their ids must match before anything uses them. Types and patterns only, so the
 * activation bundle may check a stored selection's ids without loading the client
 * (`eslint.config.mjs` lists the portal's other files as lazy).
 */

/** An account assigned to the user. */
export interface Account {
  accountId: string;
  accountName: string;
  /** The account's email address; empty when the service gave none. */
  email: string;
}

/** An agency the user may take in an account, through a permission set. */
export interface Agency {
  accountId: string;
  agencyName: string;
  /** `iam::<account id>:agency:<agency name>`, passed back to the service as given. */
  agencyUrn: string;
  permissionSetName: string;
  /** Empty when the administrator gave none. */
  description: string;
}

/** Huawei account ids: letters and digits (32 hex digits in practice). */
export const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9]{1,64}$/;

/**
 * An agency URN: `iam::<account id>:agency:<name>`, the name in letters, digits and
 * `_ . @ + = , -`. It goes into a query string and a stored key, so nothing else passes.
 */
export const AGENCY_URN_PATTERN = /^iam::([A-Za-z0-9]{1,64}):agency:([\p{L}\p{N}_.@+=,-]{1,128})$/u;
