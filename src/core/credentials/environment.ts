/**
 * The environment variables that carry an agency's temporary credentials to a process,
 * for the Huawei Cloud SDKs (`HUAWEICLOUD_SDK_*`) and Terraform (`HW_*`): see
 * `docs/api.md`, "How Huawei Cloud tools read temporary credentials". No region: the
 * Identity Center's region is not the user's working region.
 */
import type { AgencyCredentials } from './model';

/** The variables set, and which credential each holds. */
export const CREDENTIAL_VARIABLES: Readonly<Record<string, keyof Pick<AgencyCredentials, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'>>> = {
  HUAWEICLOUD_SDK_AK: 'accessKeyId',
  HUAWEICLOUD_SDK_SK: 'secretAccessKey',
  HUAWEICLOUD_SDK_SECURITY_TOKEN: 'sessionToken',
  HW_ACCESS_KEY: 'accessKeyId',
  HW_SECRET_KEY: 'secretAccessKey',
  HW_SECURITY_TOKEN: 'sessionToken',
};

/** The six variables of `credentials`, as a process environment. */
export function credentialEnvironment(credentials: AgencyCredentials): Record<string, string> {
  return Object.fromEntries(Object.entries(CREDENTIAL_VARIABLES).map(([name, field]) => [name, credentials[field]]));
}

/** Debuggers that take their environment as a list of `{ name, value }` in `environment` (the C/C++ extension's). */
const LIST_ENVIRONMENT_TYPES: ReadonlySet<unknown> = new Set(['cppdbg', 'cppvsdbg']);

/** The parts of a debug configuration that say which debugger it is and what environment it sets. */
export interface DebugEnvironmentConfig {
  type?: unknown;
  env?: unknown;
  environment?: unknown;
}

/**
 * `config` with `variables` added to the environment its debugger reads: `env` (an object)
 * for most, `environment` (a list of `{ name, value }`) for `cppdbg` and `cppvsdbg`.
 * Entries the configuration sets itself win, whatever their value (`null` unsets a
 * variable in some debuggers). An environment of the wrong shape is the debugger's to
 * report: `config` comes back as it is, losing nothing.
 */
export function withDebugEnvironment<T extends DebugEnvironmentConfig>(config: T, variables: Readonly<Record<string, string>>): T {
  if (LIST_ENVIRONMENT_TYPES.has(config.type)) {
    if (config.environment !== undefined && !Array.isArray(config.environment)) return config;
    const own: unknown[] = config.environment ?? [];
    const named = new Set(own.map((entry) => (entry !== null && typeof entry === 'object' ? (entry as { name?: unknown }).name : undefined)));
    const added = Object.entries(variables).filter(([name]) => !named.has(name));
    return { ...config, environment: [...own, ...added.map(([name, value]) => ({ name, value }))] };
  }
  if (config.env !== undefined && !isPlainObject(config.env)) return config;
  return { ...config, env: { ...variables, ...(config.env as Record<string, unknown> | undefined) } };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
