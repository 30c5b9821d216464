/**
 * The emulated IAM Identity Center portal API, opened by an access token from
 * `POST /v1/tokens` in the `access-token` header: the accounts and agencies assigned to
 * the user (paged with `limit` and `marker`), STS credentials for one agency, and logout.
 * Wire format: https://github.com/huaweicloud/huaweicloud-sdk-go-v3/tree/master/services/identitycenterportalapi/v1
 */
import { randomBytes } from 'node:crypto';
import type { AccessTokenState, OidcApi } from './oidcApi';
import { huawei, json, JSON_TYPE, type ApiRequest, type Reply } from './server';
import { agencyUrn, generatedAccount, generatedAccountIndex, type EmulatorAccount, type EmulatorAgency, type EmulatorContext } from './settings';

/** Agency credentials as the portal issued them, for tests to compare with what a client kept or handed on. */
export interface IssuedCredential {
  accountId: string;
  agencyUrn: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** As sent: epoch seconds or milliseconds, per `credentialExpirationStyle`. */
  expiration: number;
  /** Emulator clock, milliseconds since the epoch. */
  issuedAtMs: number;
  /** Emulator clock, milliseconds since the epoch. */
  expiresAtMs: number;
}

/**
 * The portal's error codes. `IIC.400` and `IIC.1000` come from Identity Center's error-code
 * table (https://support.huaweicloud.com/eu/api-identitycenter/ErrorCode.html). No source
 * says what a refused access token gets: the emulator's choice is 401 with API Gateway's
 * "incorrect authentication information" code.
 */
export const PORTAL_ERROR_CODES = Object.freeze({ badRequest: 'IIC.400', unauthorized: 'APIGW.0301', forbidden: 'IIC.1000' });

/** Paging: `limit` is 1 to 2000 and defaults to 200, on every page. */
const DEFAULT_LIMIT = 200;
const MAX_LIMIT = 2000;
const MAX_ACCESS_TOKEN_LENGTH = 4096;
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const ALNUM = `${UPPER_ALNUM}abcdefghijklmnopqrstuvwxyz`;

const REFUSALS: Record<Exclude<AccessTokenState, 'live'> | 'missing' | 'loggedOut', string> = {
  missing: 'The access-token header is missing.',
  unknown: 'The access token is not valid.',
  expired: 'The access token has expired.',
  revoked: 'The access token has been revoked.',
  loggedOut: 'The portal session has ended.',
};

/** Where a marker points: a list (`accounts`, or one account's agencies) and the index of the next item. */
interface MarkerTarget {
  list: string;
  offset: number;
}

/** The portal API's state and answers: issued markers, ended sessions and issued credentials. */
export class PortalApi {
  private markers = new Map<string, MarkerTarget>();
  private markerAt = new Map<string, string>();
  private loggedOut = new Set<string>();
  private credentials: IssuedCredential[] = [];

  constructor(
    private readonly context: EmulatorContext,
    private readonly oidc: OidcApi,
  ) {}

  /** The handler of a portal route (`METHOD /path`), or undefined when the route is not one of them. */
  handler(key: string): ((request: ApiRequest) => Reply) | undefined {
    switch (key) {
      case 'GET /v1/assigned-accounts':
        return (request) => this.authenticated(request, () => this.listAccounts(request));
      case 'GET /v1/assigned-agencies':
        return (request) => this.authenticated(request, () => this.listAgencies(request));
      case 'GET /v1/credentials':
        return (request) => this.authenticated(request, () => this.agencyCredentials(request));
      case 'POST /v1/logout':
        return (request) => this.authenticated(request, (token) => this.logout(token));
      default:
        return undefined;
    }
  }

  /** Forgets markers, ended sessions and issued credentials. */
  reset(): void {
    this.markers.clear();
    this.markerAt.clear();
    this.loggedOut.clear();
    this.credentials = [];
  }

  /** Access tokens whose portal session `POST /v1/logout` ended, oldest first. */
  loggedOutAccessTokens(): string[] {
    return [...this.loggedOut];
  }

  /** Every agency credential issued since start or `reset`, oldest first. */
  issuedCredentials(): IssuedCredential[] {
    return structuredClone(this.credentials);
  }

  /** The credentials issued with this access key id, and their index in `issuedCredentials()`; undefined when none were. */
  credentialByAccessKey(accessKeyId: string): (IssuedCredential & { index: number }) | undefined {
    const index = this.credentials.findIndex((credential) => credential.accessKeyId === accessKeyId);
    return index < 0 ? undefined : { ...this.credentials[index], index };
  }

  /** Answers with `answer` when the `access-token` header holds a live token with an open portal session. */
  private authenticated(request: ApiRequest, answer: (token: string) => Reply): Reply {
    const token = request.headers['access-token'];
    if (token !== undefined && token.length > MAX_ACCESS_TOKEN_LENGTH) {
      return this.badRequest(`access-token must be at most ${MAX_ACCESS_TOKEN_LENGTH} characters.`, request);
    }
    const state = !token ? 'missing' : this.loggedOut.has(token) ? 'loggedOut' : this.oidc.accessTokenState(token);
    if (state !== 'live') return huawei(401, PORTAL_ERROR_CODES.unauthorized, REFUSALS[state], request.requestId);
    return answer(token as string);
  }

  private listAccounts(request: ApiRequest): Reply {
    const { accounts, accountCount } = this.context.settings();
    const accountAt = accountCount === null ? (i: number) => accounts[i] : generatedAccount;
    return this.page(request, 'accounts', accountCount ?? accounts.length, 'account_list', (i) => accountJson(accountAt(i)));
  }

  private listAgencies(request: ApiRequest): Reply {
    const accountId = request.url.searchParams.get('account_id');
    if (!accountId) return this.badRequest('account_id is required.', request);
    const account = this.findAccount(accountId);
    if (!account) return this.forbidden('ListAccountAgencies', 'the account is not assigned to this user.', request);
    return this.page(request, `agencies of ${accountId}`, account.agencies.length, 'agency_list', (i) => agencyJson(account, account.agencies[i]));
  }

  private agencyCredentials(request: ApiRequest): Reply {
    const accountId = request.url.searchParams.get('target_account_id');
    const urn = request.url.searchParams.get('agency_urn');
    if (!accountId) return this.badRequest('target_account_id is required.', request);
    if (!urn) return this.badRequest('agency_urn is required.', request);
    const account = this.findAccount(accountId);
    if (!account || !account.agencies.some((agency) => agencyUrn(account.accountId, agency) === urn)) {
      return this.forbidden('GetAgencyCredentials', 'the agency is not assigned to this user in that account.', request);
    }
    const { credentialLifetimeSeconds, credentialExpirationStyle } = this.context.settings();
    const issuedAtMs = this.context.now();
    const expiresAtMs = issuedAtMs + credentialLifetimeSeconds * 1000;
    const credential: IssuedCredential = {
      accountId,
      agencyUrn: urn,
      accessKeyId: this.context.issue(randomText(UPPER_ALNUM, 20)),
      secretAccessKey: this.context.issue(randomText(ALNUM, 40)),
      sessionToken: this.context.issue(randomBytes(600).toString('base64')),
      expiration: credentialExpirationStyle === 'seconds' ? Math.floor(expiresAtMs / 1000) : expiresAtMs,
      issuedAtMs,
      expiresAtMs,
    };
    this.credentials.push(credential);
    return json(200, {
      agency_credentials: {
        access_key_id: credential.accessKeyId,
        secret_access_key: credential.secretAccessKey,
        session_token: credential.sessionToken,
        expiration: credential.expiration,
      },
    });
  }

  private logout(token: string): Reply {
    this.loggedOut.add(token);
    return { status: 200, contentType: JSON_TYPE, body: '' };
  }

  /** One page of a list of `total` items: `limit` items from the marker's place, and the marker of the rest. */
  private page(request: ApiRequest, list: string, total: number, field: string, itemAt: (index: number) => unknown): Reply {
    const params = request.url.searchParams;
    const limit = parseLimit(params.get('limit'));
    if (limit === undefined) return this.badRequest(`limit must be an integer from 1 to ${MAX_LIMIT}.`, request);
    const marker = params.get('marker');
    const target = marker === null ? { list, offset: 0 } : this.markers.get(marker);
    if (!target || target.list !== list) return this.badRequest('marker was not issued for this list.', request);
    const fault = request.pageFault;
    const end = Math.min(total, target.offset + (fault?.type === 'pageSize' ? fault.size : limit));
    const items: unknown[] = [];
    for (let i = target.offset; i < end; i++) items.push(itemAt(i));
    let next = end < total ? this.markerFor(list, end) : this.context.settings().lastPageMarker === 'null' ? null : undefined;
    if (fault?.type === 'repeatMarker') next = marker ?? this.markerFor(list, target.offset);
    return json(200, { [field]: items, page_info: { ...(next === undefined ? {} : { next_marker: next }), current_count: items.length } });
  }

  /**
   * The marker of a place in a list, the same each time it is asked for. Each holds `+`,
   * `/` and `=`, so a client that does not URL-encode it sends another and gets a 400.
   */
  private markerFor(list: string, offset: number): string {
    const place = `${list}\n${offset}`;
    let marker = this.markerAt.get(place);
    if (marker === undefined) {
      marker = `${randomBytes(12).toString('base64')}+/=`;
      this.markerAt.set(place, marker);
      this.markers.set(marker, { list, offset });
    }
    return marker;
  }

  /** The assigned account with this id, from the settings in force. */
  findAccount(accountId: string): EmulatorAccount | undefined {
    const { accounts, accountCount } = this.context.settings();
    if (accountCount === null) return accounts.find((account) => account.accountId === accountId);
    const index = generatedAccountIndex(accountId, accountCount);
    return index === undefined ? undefined : generatedAccount(index);
  }

  private badRequest(reason: string, request: ApiRequest): Reply {
    return huawei(400, PORTAL_ERROR_CODES.badRequest, `Bad Request: ${reason}`, request.requestId);
  }

  private forbidden(action: string, reason: string, request: ApiRequest): Reply {
    return huawei(403, PORTAL_ERROR_CODES.forbidden, `No permission for action ${action}: ${reason}`, request.requestId);
  }
}

/** The `limit` query parameter, or undefined when it is out of range or not a whole number. */
function parseLimit(text: string | null): number | undefined {
  if (text === null) return DEFAULT_LIMIT;
  const limit = /^\d{1,7}$/.test(text) ? Number(text) : 0;
  return limit >= 1 && limit <= MAX_LIMIT ? limit : undefined;
}

function accountJson(account: EmulatorAccount): Record<string, unknown> {
  return { account_id: account.accountId, account_name: account.accountName, email_address: account.emailAddress };
}

function agencyJson(account: EmulatorAccount, agency: EmulatorAgency): Record<string, unknown> {
  return {
    account_id: account.accountId,
    agency_name: agency.agencyName,
    permission_set_name: agency.permissionSetName,
    agency_urn: agencyUrn(account.accountId, agency),
    description: agency.description,
  };
}

function randomText(alphabet: string, length: number): string {
  return [...randomBytes(length)].map((b) => alphabet[b % alphabet.length]).join('');
}
