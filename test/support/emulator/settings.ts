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
  /** The signed-in person. */
  user: EmulatorUser;
}

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
  user: Object.freeze({
    sub: 'user-0001',
    email: 'test.user@example.com',
    name: 'Test User',
    preferredUsername: 'test.user@example.com',
  }),
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
  return { ...settings, user: { ...settings.user } };
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
    user: (key, value) => {
      const user = value as Record<string, unknown> | null;
      if (typeof user !== 'object' || user === null || !['sub', 'email', 'name', 'preferredUsername'].every((k) => typeof user[k] === 'string')) {
        throw new TypeError(`${key} must have string sub, email, name and preferredUsername`);
      }
    },
  };
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(partial)) {
    if (!Object.hasOwn(checks, key)) throw new TypeError(`Unknown setting ${key}`);
    const check = checks[key as keyof EmulatorSettings];
    if (value === undefined) continue;
    check(key, value);
    result[key] = key === 'user' ? { ...(value as EmulatorUser) } : value;
  }
  return result as Partial<EmulatorSettings>;
}
