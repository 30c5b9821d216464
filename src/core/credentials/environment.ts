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
