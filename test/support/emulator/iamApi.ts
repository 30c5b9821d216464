/**
 * The few IAM (Keystone v3) calls the Huawei Cloud SDK makes with an agency's temporary
 * credentials and nothing else: the project lookup (`GET /v3/projects?name=<region>`,
 * for regional credentials), the account lookup (`GET /v3/auth/domains`, for global
 * ones), and one cheap read, `GET /v3/auth/projects`, whose answer also names the
 * account and agency that signed (`emulator_caller`, the emulator's own field), so a
 * test can tell which credentials a process used.
 *
 * Every request must carry an SDK-HMAC-SHA256 signature and the security token of
 * credentials the portal issued (`sdkSignature.ts`); refusals answer 401 in API
 * Gateway's envelope, as Huawei Cloud does. Each request is recorded without secrets.
 */
import { createHash } from 'node:crypto';
import type { PortalApi } from './portalApi';
import { huawei, json, type ApiRequest, type Reply } from './server';
import type { EmulatorContext } from './settings';
import { verifySdkSignature, type SignatureRefusal } from './sdkSignature';

/** API Gateway's code for "Incorrect IAM authentication information", the one Huawei Cloud sends for a bad AK/SK signature. */
export const IAM_AUTH_ERROR_CODE = 'APIGW.0301';

/** The regions whose projects every account has; the lookup of any other finds none. */
export const IAM_PROJECT_REGIONS: readonly string[] = Object.freeze(['cn-north-4', 'cn-east-3', 'cn-south-1', 'ap-southeast-1', 'ap-southeast-3']);

/** One IAM request as the emulator judged it: never a key, token or signature. */
export interface IamRequestRecord {
  method: string;
  path: string;
  /** Emulator clock, milliseconds since the epoch. */
  receivedAt: number;
  /** Index in `issuedCredentials()` of the credentials its access key names; null when it names none the portal issued. */
  credentialIndex: number | null;
  accountId: string | null;
  agencyUrn: string | null;
  accepted: boolean;
  /** Why it was refused; absent when accepted. */
  refusal?: SignatureRefusal;
}

const REFUSALS: Record<SignatureRefusal, string> = {
  malformed: 'the request carries no well-formed SDK-HMAC-SHA256 signature (Authorization, X-Sdk-Date, signed host and x-sdk-date).',
  unknownAccessKey: 'ak not exist.',
  securityToken: 'the security token is missing or does not belong to this access key.',
  staleDate: 'X-Sdk-Date is more than 15 minutes away from the server time.',
  signature: 'verify aksk signature fail.',
  expired: 'the temporary access key has expired.',
};

/** The emulated IAM calls, and the record of every request they received. */
export class IamApi {
  private records: IamRequestRecord[] = [];

  constructor(
    private readonly context: EmulatorContext,
    private readonly portal: PortalApi,
  ) {}

  /** The handler of an IAM route (`METHOD /path`), or undefined when the route is not one of them. */
  handler(key: string): ((request: ApiRequest) => Reply) | undefined {
    switch (key) {
      case 'GET /v3/projects':
        return (request) => this.signed(request, (caller) => this.lookUpProjects(caller, request));
      case 'GET /v3/auth/domains':
        return (request) => this.signed(request, (caller) => this.domains(caller));
      case 'GET /v3/auth/projects':
        return (request) => this.signed(request, (caller) => this.callerProjects(caller));
      default:
        return undefined;
    }
  }

  /** Every IAM request since start or `reset`, oldest first. */
  requests(): IamRequestRecord[] {
    return structuredClone(this.records);
  }

  /** Forgets the record. */
  reset(): void {
    this.records = [];
  }

  /** Answers with `answer` when the request is signed with live credentials the portal issued; records it either way. */
  private signed(request: ApiRequest, answer: (caller: Caller) => Reply): Reply {
    const now = this.context.now();
    const signed = { method: request.method, path: request.url.pathname, search: request.url.search, headers: request.headers, body: request.raw };
    const verdict = verifySdkSignature(signed, (accessKeyId) => this.portal.credentialByAccessKey(accessKeyId), now);
    const found = verdict.key;
    this.records.push({
      method: request.method,
      path: request.url.pathname,
      receivedAt: now,
      credentialIndex: found?.index ?? null,
      accountId: found?.accountId ?? null,
      agencyUrn: found?.agencyUrn ?? null,
      accepted: verdict.accepted,
      ...(verdict.accepted ? {} : { refusal: verdict.refusal }),
    });
    if (!verdict.accepted) return huawei(401, IAM_AUTH_ERROR_CODE, `Incorrect IAM authentication information: ${REFUSALS[verdict.refusal]}`, request.requestId);
    return answer({ accountId: verdict.key.accountId, agencyUrn: verdict.key.agencyUrn });
  }

  /** `GET /v3/projects?name=<region>`: the caller's project in that region (none for a region not in `IAM_PROJECT_REGIONS`). */
  private lookUpProjects(caller: Caller, request: ApiRequest): Reply {
    const name = request.url.searchParams.get('name');
    if (!name) return keystoneError(400, 'Bad Request', 'The emulator lists projects by name only: name is required.');
    const projects = IAM_PROJECT_REGIONS.includes(name) ? [this.project(caller.accountId, name)] : [];
    return json(200, { projects, links: this.links(`/v3/projects?name=${encodeURIComponent(name)}`) });
  }

  /** `GET /v3/auth/domains`: the caller's account. */
  private domains(caller: Caller): Reply {
    const name = this.portal.findAccount(caller.accountId)?.accountName ?? caller.accountId;
    const domain = { id: caller.accountId, name, enabled: true, description: '', links: { self: `${this.context.url}/v3/domains/${caller.accountId}` } };
    return json(200, { domains: [domain], links: this.links('/v3/auth/domains') });
  }

  /** `GET /v3/auth/projects`: the caller's projects, and who the caller is. */
  private callerProjects(caller: Caller): Reply {
    const projects = IAM_PROJECT_REGIONS.map((region) => this.project(caller.accountId, region));
    return json(200, {
      projects,
      links: this.links('/v3/auth/projects'),
      emulator_caller: { account_id: caller.accountId, agency_urn: caller.agencyUrn },
    });
  }

  private project(accountId: string, region: string): Record<string, unknown> {
    const id = createHash('sha256').update(`${accountId}/${region}`).digest('hex').slice(0, 32);
    return { id, name: region, domain_id: accountId, parent_id: accountId, is_domain: false, enabled: true, description: '', links: { self: `${this.context.url}/v3/projects/${id}` } };
  }

  private links(path: string): Record<string, string | null> {
    return { self: `${this.context.url}${path}`, previous: null, next: null };
  }
}

/** Whose credentials signed a request. */
interface Caller {
  accountId: string;
  agencyUrn: string;
}

/** An error in Keystone's envelope, as IAM's own v3 API words it. */
function keystoneError(code: number, title: string, message: string): Reply {
  return json(code, { error: { code, title, message } });
}
