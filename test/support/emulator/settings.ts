/**
 * The emulator's settings: their types, the defaults, and the checks a partial settings
 * object passes before it is applied, since settings also arrive as JSON over the
 * control API. Also the small context the API parts share.
 */

/** How `/v1/tokens` words its errors: RFC 6749 names, AWS exception names, or the Huawei envelope. */
export type TokenErrorStyle = 'oauth' | 'aws' | 'huawei';

/** How `expires_in` of a device authorization is sent: a lifetime, or (the public example's quirk) a deadline in epoch seconds. */
export type ExpiresInStyle = 'seconds' | 'epoch';

/** The person who signs in; their claims go into every `id_token`. */
export interface EmulatorUser {
  sub: string;
  email: string;
  name: string;
  preferredUsername: string;
}

/** How `expiration` of agency credentials is sent: epoch seconds (the published example) or epoch milliseconds. */
export type CredentialExpirationStyle = 'seconds' | 'milliseconds';

/** How the last page of a portal list says there is no more: `next_marker` left out, or `null` (what the SDK's `PageInfoDto` describes). */
export type LastPageMarker = 'absent' | 'null';

/** An agency (Huawei's role) the user may take in one account, through a permission set. */
export interface EmulatorAgency {
  agencyName: string;
  permissionSetName: string;
  description: string;
  /** Sent as `agency_urn` instead of `iam::<account id>:agency:<agency name>`, e.g. to try odd characters. */
  agencyUrn?: string;
}

/** An account assigned to the user, with the agencies they may take in it. */
export interface EmulatorAccount {
  accountId: string;
  accountName: string;
  emailAddress: string;
  agencies: EmulatorAgency[];
}

/** Everything about the emulator's behaviour that tests may change at run time (`configure`). */
export interface EmulatorSettings {
  /** Lifetime of a registered client's secret, in seconds. */
  secretLifetimeSeconds: number;
  /** Lifetime of a device code, in seconds. */
  deviceCodeLifetimeSeconds: number;
  /** The `interval` sent with a device authorization; `null` leaves the field out (clients then poll every 5 s). */
  interval: number | null;
  /** How `expires_in` of a device authorization is sent. */
  expiresInStyle: ExpiresInStyle;
  /** `expires_in` of access tokens, in seconds. */
  tokenLifetimeSeconds: number;
  /** When false, `refresh_token` is `null` in device-code token responses. */
  issueRefreshTokens: boolean;
  /** When true, a refresh grant returns a new refresh token and retires the old one. */
  rotateRefreshTokens: boolean;
  /** How `/v1/tokens` words its errors. */
  tokenErrorStyle: TokenErrorStyle;
  /** When true, polling a pending device code sooner than its interval answers `slow_down`. */
  enforceInterval: boolean;
  /**
   * The `verification_uri` a device authorization sends (`verification_uri_complete` adds
   * `?user_code=…`); null: the emulator's own page, `<url>/device`. A page elsewhere (say
   * `https://idcenter.example.com/device`) is never served here: approve with the control API.
   */
  verificationUri: string | null;
  /** The signed-in person. */
  user: EmulatorUser;
  /** The accounts the portal API lists, in order, with their agencies. */
  accounts: EmulatorAccount[];
  /** When a number, the portal lists that many accounts made by `generatedAccount` instead of `accounts`: for paging tests. */
  accountCount: number | null;
  /** Lifetime of agency credentials, in seconds. */
  credentialLifetimeSeconds: number;
  /** How `expiration` of agency credentials is sent. */
  credentialExpirationStyle: CredentialExpirationStyle;
  /** How the last page of a portal list says there is no more. */
  lastPageMarker: LastPageMarker;
}

/** The agencies of a generated account; the names differ from the permission set names so a client that mixes them up shows. */
const GENERATED_AGENCIES: readonly EmulatorAgency[] = [
  { agencyName: 'iic_ReadOnlyAccess_4f2a', permissionSetName: 'ReadOnlyAccess', description: 'Read-only access to every service.' },
  { agencyName: 'iic_Developer_9c1e', permissionSetName: 'Developer', description: 'Deploy and debug applications.' },
];

/**
 * Account number `index` (from 0) of the `accountCount` accounts: a 32-hex-digit id like
 * Huawei's account ids, a name and an address that carry the number, and two agencies.
 */
export function generatedAccount(index: number): EmulatorAccount {
  const number = index + 1;
  return {
    accountId: number.toString(16).padStart(32, '0'),
    accountName: `account-${String(number).padStart(5, '0')}`,
    emailAddress: `account-${String(number).padStart(5, '0')}@example.com`,
    agencies: GENERATED_AGENCIES.map((agency) => ({ ...agency })),
  };
}

/** The index of a generated account from its id, or undefined when the id is not one of the first `count`. */
export function generatedAccountIndex(accountId: string, count: number): number | undefined {
  if (!/^[0-9a-f]{32}$/.test(accountId)) return undefined;
  const index = Number.parseInt(accountId, 16) - 1;
  return index >= 0 && index < count ? index : undefined;
}

/** The largest `accountCount`; its accounts are made only as pages ask for them. */
const MAX_ACCOUNT_COUNT = 10_000_000;

/**
 * Three accounts with two agencies each; one description is empty, as an administrator
 * may leave it. The agency names are made up: no source shows how Identity Center names
 * the agencies it creates for a permission set.
 */
const DEFAULT_ACCOUNTS: EmulatorAccount[] = [
  {
    accountId: '5c3f0e8a9b2d4e71a6f08c1d2e3b4a59',
    accountName: 'production',
    emailAddress: 'cloud-production@example.com',
    agencies: [
      { agencyName: 'iic_ReadOnlyAccess_7d41', permissionSetName: 'ReadOnlyAccess', description: 'Read-only access to every service.' },
      { agencyName: 'iic_AdministratorAccess_2b90', permissionSetName: 'AdministratorAccess', description: 'Full access, for incidents only.' },
    ],
  },
  {
    accountId: '8e1b7a4c2f6d49a0b3c5d7e9f1a2b4c6',
    accountName: 'staging',
    emailAddress: 'cloud-staging@example.com',
    agencies: [
      { agencyName: 'iic_Developer_51ce', permissionSetName: 'Developer', description: 'Deploy and debug applications.' },
      { agencyName: 'iic_ReadOnlyAccess_7d41', permissionSetName: 'ReadOnlyAccess', description: 'Read-only access to every service.' },
    ],
  },
  {
    accountId: 'a0d2c4e6f8b14357968a0b1c2d3e4f57',
    accountName: 'sandbox',
    emailAddress: 'cloud-sandbox@example.com',
    agencies: [
      { agencyName: 'iic_AdministratorAccess_2b90', permissionSetName: 'AdministratorAccess', description: 'Full access to the sandbox.' },
      { agencyName: 'iic_BillingViewer_e3f8', permissionSetName: 'BillingViewer', description: '' },
    ],
  },
];

/** The settings a fresh emulator starts with. */
export const DEFAULT_SETTINGS: Readonly<EmulatorSettings> = Object.freeze({
  secretLifetimeSeconds: 90 * 24 * 3600,
  deviceCodeLifetimeSeconds: 600,
  interval: 5,
  expiresInStyle: 'seconds',
  tokenLifetimeSeconds: 3600,
  issueRefreshTokens: true,
  rotateRefreshTokens: true,
  tokenErrorStyle: 'oauth',
  enforceInterval: true,
  verificationUri: null,
  user: Object.freeze({
    sub: 'user-0001',
    email: 'test.user@example.com',
    name: 'Test User',
    preferredUsername: 'test.user@example.com',
  }),
  accounts: deepFreeze(DEFAULT_ACCOUNTS),
  accountCount: null,
  credentialLifetimeSeconds: 3600,
  credentialExpirationStyle: 'seconds',
  lastPageMarker: 'null',
});

/** What the API parts share: the base URL, the emulator clock, the settings in force, and the record of issued secrets. */
export interface EmulatorContext {
  readonly url: string;
  /** The emulator clock, milliseconds since the epoch. */
  now(): number;
  /** The settings in force (not a copy: read, do not change). */
  settings(): Readonly<EmulatorSettings>;
  /** Records a secret for `issuedSecrets()` and returns it. */
  issue(secret: string): string;
}

/** A deep copy, so callers never share the emulator's objects. */
export function cloneSettings(settings: Readonly<EmulatorSettings>): EmulatorSettings {
  return { ...settings, user: { ...settings.user }, accounts: structuredClone(settings.accounts) };
}

/** Checks a partial settings object key by key, so a bad value from a control request fails loudly. */
export function validateSettings(partial: Partial<EmulatorSettings>): Partial<EmulatorSettings> {
  if (typeof partial !== 'object' || partial === null) throw new TypeError('settings must be an object');
  const nonNegative = (key: string, value: unknown): void => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new TypeError(`${key} must be a number >= 0`);
  };
  const oneOf = (key: string, value: unknown, allowed: string[]): void => {
    if (typeof value !== 'string' || !allowed.includes(value)) throw new TypeError(`${key} must be one of ${allowed.join(', ')}`);
  };
  const boolean = (key: string, value: unknown): void => {
    if (typeof value !== 'boolean') throw new TypeError(`${key} must be a boolean`);
  };
  const checks: Record<keyof EmulatorSettings, (key: string, value: unknown) => void> = {
    secretLifetimeSeconds: nonNegative,
    deviceCodeLifetimeSeconds: nonNegative,
    interval: (key, value) => value === null || nonNegative(key, value),
    expiresInStyle: (key, value) => oneOf(key, value, ['seconds', 'epoch']),
    tokenLifetimeSeconds: nonNegative,
    issueRefreshTokens: boolean,
    rotateRefreshTokens: boolean,
    tokenErrorStyle: (key, value) => oneOf(key, value, ['oauth', 'aws', 'huawei']),
    enforceInterval: boolean,
    verificationUri: (key, value) => {
      if (value !== null && (typeof value !== 'string' || !URL.canParse(value))) throw new TypeError(`${key} must be null or an absolute URL`);
    },
    user: (key, value) => {
      const user = value as Record<string, unknown> | null;
      if (typeof user !== 'object' || user === null || !['sub', 'email', 'name', 'preferredUsername'].every((k) => typeof user[k] === 'string')) {
        throw new TypeError(`${key} must have string sub, email, name and preferredUsername`);
      }
    },
    accounts: (key, value) => checkAccounts(key, value),
    accountCount: (key, value) => {
      if (value !== null && (!Number.isInteger(value) || (value as number) < 0 || (value as number) > MAX_ACCOUNT_COUNT)) {
        throw new TypeError(`${key} must be null or an integer from 0 to ${MAX_ACCOUNT_COUNT}`);
      }
    },
    credentialLifetimeSeconds: nonNegative,
    credentialExpirationStyle: (key, value) => oneOf(key, value, ['seconds', 'milliseconds']),
    lastPageMarker: (key, value) => oneOf(key, value, ['absent', 'null']),
  };
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(partial)) {
    if (!Object.hasOwn(checks, key)) throw new TypeError(`Unknown setting ${key}`);
    const check = checks[key as keyof EmulatorSettings];
    if (value === undefined) continue;
    check(key, value);
    result[key] = key === 'user' || key === 'accounts' ? structuredClone(value) : value;
  }
  return result as Partial<EmulatorSettings>;
}

/** Checks the accounts and their agencies: the fields the portal sends, no account twice, no agency URN twice in an account. */
function checkAccounts(key: string, value: unknown): void {
  if (!Array.isArray(value)) throw new TypeError(`${key} must be an array`);
  const ids = new Set<string>();
  value.forEach((account: unknown, i) => {
    const where = `${key}[${i}]`;
    const a = objectAt(account, where);
    stringAt(a, 'accountId', where, true);
    stringAt(a, 'accountName', where);
    stringAt(a, 'emailAddress', where);
    if (ids.has(a.accountId as string)) throw new TypeError(`${where}.accountId ${String(a.accountId)} is listed twice`);
    ids.add(a.accountId as string);
    if (!Array.isArray(a.agencies)) throw new TypeError(`${where}.agencies must be an array`);
    const urns = new Set<string>();
    a.agencies.forEach((agency: unknown, j) => {
      const at = `${where}.agencies[${j}]`;
      const g = objectAt(agency, at);
      stringAt(g, 'agencyName', at, true);
      stringAt(g, 'permissionSetName', at);
      stringAt(g, 'description', at);
      if (g.agencyUrn !== undefined) stringAt(g, 'agencyUrn', at, true);
      const urn = agencyUrn(a.accountId as string, g as unknown as EmulatorAgency);
      if (urns.has(urn)) throw new TypeError(`${at} has the agency URN ${urn} of an earlier agency`);
      urns.add(urn);
    });
  });
}

/** The `agency_urn` the portal sends for an agency of an account. */
export function agencyUrn(accountId: string, agency: EmulatorAgency): string {
  return agency.agencyUrn ?? `iam::${accountId}:agency:${agency.agencyName}`;
}

function objectAt(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError(`${where} must be an object`);
  return value as Record<string, unknown>;
}

function stringAt(object: Record<string, unknown>, field: string, where: string, nonEmpty = false): void {
  const value = object[field];
  if (typeof value !== 'string' || (nonEmpty && value === '')) throw new TypeError(`${where}.${field} must be a ${nonEmpty ? 'non-empty ' : ''}string`);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
