/**
 * The IAM Identity Center portal API on the wire (`docs/api.md`): the accounts and
 * agencies assigned to the signed-in user, every page followed, temporary credentials
 * for one agency, and logout. The access token goes in the `access-token` header.
 *
 * Lists are asked for with the same `limit` on every page. A page marker seen before
 * ends the listing with an error rather than a loop, and so do more than
 * `MAX_LISTED_ITEMS` items or `MAX_PAGES` pages. GETs are retried like any idempotent
 * request; logout is a best-effort call with a short limit and no retry.
 */
import { createHash } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import { protocolError } from '../common/validate';
import { Account, Agency, AgencyCredentials, AgencySelection } from '../credentials/model';
import { estimateClockOffsetMs } from '../registration/clockSkew';
import type { HttpResponse } from '../transport/port';
import { parseJsonBody } from '../transport/responseBody';
import { sendServiceRequest, ServiceClientDeps } from '../transport/serviceRequest';
import { parseAccount, parseAgency, parseCredentials, parsePage, portalError } from './responses';

/** Items asked for on every page (the service's default; its maximum is 2000). */
export const PAGE_LIMIT = 200;

/** A list longer than this is not one a person picks from: `protocol` error. */
export const MAX_LISTED_ITEMS = 10_000;

/** A listing that takes more pages than this never ends: `protocol` error. */
export const MAX_PAGES = 100;

/** How long logout may take before it is given up: it must not hold up Sign Out. */
export const LOGOUT_TIMEOUT_MS = 5_000;

/** What the portal client is built from: the portal endpoint, the transport, time and the log. */
export type PortalClientDeps = ServiceClientDeps;

/** Talks to one portal endpoint. */
export class PortalClient {
  /**
   * Hashes of (access token, request) pairs the portal answered: a 403 on a request that
   * worked with the same token means its session ended; a 403 on a new one is a
   * permission the user lacks.
   */
  private readonly answered = new Set<string>();

  constructor(private readonly deps: PortalClientDeps) {}

  /** `GET /v1/assigned-accounts`, every page. */
  listAccounts(accessToken: string, signal?: AbortSignal): Promise<Account[]> {
    const what = l10n.t('The account list');
    return this.listAll('/v1/assigned-accounts', {}, 'account_list', accessToken, l10n.t('list your accounts'), signal, (item) => parseAccount(item, what), what);
  }

  /** `GET /v1/assigned-agencies` of one account, every page. */
  listAgencies(accessToken: string, accountId: string, signal?: AbortSignal): Promise<Agency[]> {
    const what = l10n.t('The agency list');
    return this.listAll('/v1/assigned-agencies', { account_id: accountId }, 'agency_list', accessToken, l10n.t('list the agencies of the account'), signal, (item) => parseAgency(item, accountId, what), what);
  }

  /** `GET /v1/credentials`: new temporary credentials of one agency. */
  async getCredentials(accessToken: string, selection: Pick<AgencySelection, 'accountId' | 'agencyUrn'>, signal?: AbortSignal): Promise<AgencyCredentials> {
    const response = await this.get('/v1/credentials', { target_account_id: selection.accountId, agency_urn: selection.agencyUrn }, accessToken, l10n.t('get credentials for the agency'), signal);
    const receivedAtMs = this.deps.clock.now();
    const clockOffsetMs = estimateClockOffsetMs(receivedAtMs, undefined, response.headers.date);
    return parseCredentials(parseJsonBody(response, l10n.t('The agency credentials')), receivedAtMs, clockOffsetMs);
  }

  /** `POST /v1/logout`: ends the portal session of `accessToken`. Rejects on any failure; callers treat it as best effort. */
  async logout(accessToken: string, signal?: AbortSignal): Promise<void> {
    const response = await sendServiceRequest(this.deps, {
      method: 'POST',
      path: '/v1/logout',
      headers: { 'access-token': accessToken },
      retried: false,
      timeoutMs: LOGOUT_TIMEOUT_MS,
      signal,
    });
    if (response.status !== 200) throw this.failure(response, l10n.t('end the portal session'), accessToken);
  }

  private async listAll<T>(
    path: string,
    query: Record<string, string>,
    field: string,
    accessToken: string,
    action: string,
    signal: AbortSignal | undefined,
    parseItem: (item: unknown) => T,
    what: string,
  ): Promise<T[]> {
    const items: T[] = [];
    const markers = new Set<string>();
    let marker: string | undefined;
    for (let pageNumber = 1; ; pageNumber++) {
      const response = await this.get(path, { ...query, limit: String(PAGE_LIMIT), ...(marker === undefined ? {} : { marker }) }, accessToken, action, signal);
      const page = parsePage(parseJsonBody(response, what), field, what);
      if (items.length + page.items.length > MAX_LISTED_ITEMS) throw protocolError(l10n.t('{0} has more than {1} entries', what, MAX_LISTED_ITEMS));
      items.push(...page.items.map(parseItem));
      if (page.nextMarker === undefined) return items;
      if (markers.has(page.nextMarker) || page.nextMarker === marker) throw protocolError(l10n.t('{0} repeats a page marker, so it would never end', what));
      if (pageNumber >= MAX_PAGES) throw protocolError(l10n.t('{0} goes on for more than {1} pages', what, MAX_PAGES));
      markers.add(page.nextMarker);
      marker = page.nextMarker;
    }
  }

  private async get(path: string, query: Record<string, string>, accessToken: string, action: string, signal?: AbortSignal): Promise<HttpResponse> {
    const response = await sendServiceRequest(this.deps, { method: 'GET', path, query, headers: { 'access-token': accessToken }, retried: true, signal });
    const asked = requestHash(accessToken, path, query);
    if (response.status !== 200) throw this.failure(response, action, accessToken, asked);
    this.answered.add(asked);
    return response;
  }

  private failure(response: HttpResponse, action: string, accessToken: string, asked?: string) {
    const tokenWorkedBefore = asked !== undefined && this.answered.has(asked);
    return portalError(response, action, { secrets: [accessToken], nowMs: this.deps.clock.now(), tokenWorkedBefore });
  }
}

/** A hash of the token and what was asked (the page marker aside), kept instead of the token. */
function requestHash(accessToken: string, path: string, query: Record<string, string>): string {
  const asked = Object.entries(query)
    .filter(([name]) => name !== 'marker')
    .sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256').update(JSON.stringify([accessToken, path, asked])).digest('hex');
}
