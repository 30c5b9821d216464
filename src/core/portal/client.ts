/**
 * The IAM Identity Center portal API on the wire (`docs/api.md`): the accounts and
 * agencies assigned to the signed-in user, every page followed, temporary credentials
 * for one agency, and logout. The access token goes in the `access-token` header.
 *
 * Lists are asked for with the same `limit` on every page. A page marker seen before
 * ends the listing with an error rather than a loop, and so do more than
 * `MAX_LISTED_ITEMS` items or `MAX_PAGES` pages. A row without its id, or listed
 * twice, is left out (and counted in the log); the rest of the list stands. GETs are retried like any idempotent
 * request; logout is a best-effort call with a short limit and no retry.
 */
import { createHash } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import { protocolError } from '../common/validate';
import type { AgencyCredentials, AgencySelection } from '../credentials/model';
import { estimateClockOffsetMs } from '../registration/clockSkew';
import type { HttpResponse } from '../transport/port';
import { parseJsonBody } from '../transport/responseBody';
import { sendServiceRequest, ServiceClientDeps } from '../transport/serviceRequest';
import type { Account, Agency } from './model';
import { isLeftOut, LeftOut, parseAccount, parseAgency, parseCredentials, parsePage, portalError } from './responses';

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

/** How one list is asked for and read. */
interface ListSpec<T extends object> {
  path: string;
  query: Record<string, string>;
  /** The answer's field that holds the rows. */
  field: string;
  /** What the user was doing, for error messages (localized). */
  action: string;
  /** The list, for error messages (localized). */
  what: string;
  /** The list, for the log (English). */
  logName: string;
  parse(item: unknown): T | LeftOut;
  /** What identifies a row: a second row with the same key is left out. */
  key(row: T): string;
}

/** Talks to one portal endpoint. */
export class PortalClient {
  /**
   * Hashes of (access token, request) pairs the portal answered: a 403 on a request that
   * worked with the same token means its session ended; a 403 on a new one is a
   * permission the user lacks.
   */
  private readonly answered = new Set<string>();

  private readonly deps: PortalClientDeps;

  constructor(deps: PortalClientDeps) {
    this.deps = { setting: 'portalEndpoint', ...deps };
  }

  /** `GET /v1/assigned-accounts`, every page. */
  listAccounts(accessToken: string, signal?: AbortSignal): Promise<Account[]> {
    return this.listAll(
      {
        path: '/v1/assigned-accounts',
        query: {},
        field: 'account_list',
        action: l10n.t('list your accounts'),
        what: l10n.t('The account list'),
        logName: 'The account list',
        parse: parseAccount,
        key: (account) => account.accountId,
      },
      accessToken,
      signal,
    );
  }

  /** `GET /v1/assigned-agencies` of one account, every page. */
  listAgencies(accessToken: string, accountId: string, signal?: AbortSignal): Promise<Agency[]> {
    return this.listAll(
      {
        path: '/v1/assigned-agencies',
        query: { account_id: accountId },
        field: 'agency_list',
        action: l10n.t('list the agencies of the account'),
        what: l10n.t('The agency list'),
        logName: `The agency list of account ${accountId}`,
        parse: (item) => parseAgency(item, accountId),
        key: (agency) => agency.agencyUrn,
      },
      accessToken,
      signal,
    );
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

  /** Every page of a list, its rows parsed (`ListRows`); a row left out costs only itself. */
  private async listAll<T extends object>(list: ListSpec<T>, accessToken: string, signal: AbortSignal | undefined): Promise<T[]> {
    const rows = new ListRows(list);
    const markers = new Set<string>();
    let marker: string | undefined;
    for (let pageNumber = 1; ; pageNumber++) {
      const response = await this.get(list.path, { ...list.query, limit: String(PAGE_LIMIT), ...(marker === undefined ? {} : { marker }) }, accessToken, list.action, signal);
      const page = parsePage(parseJsonBody(response, list.what), list.field, list.what);
      if (rows.seen + page.items.length > MAX_LISTED_ITEMS) throw protocolError(l10n.t('{0} has more than {1} entries', list.what, MAX_LISTED_ITEMS));
      rows.add(page.items);
      if (page.nextMarker === undefined) {
        const leftOut = rows.leftOutSummary();
        if (leftOut) this.deps.logger.warn(`${list.logName} ${leftOut}; the other rows are kept.`);
        return [...rows.kept.values()];
      }
      if (markers.has(page.nextMarker) || page.nextMarker === marker) throw protocolError(l10n.t('{0} repeats a page marker, so it would never end', list.what));
      if (pageNumber >= MAX_PAGES) throw protocolError(l10n.t('{0} goes on for more than {1} pages', list.what, MAX_PAGES));
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

/** The rows of one list as its pages arrive: each kept by its key, or counted as left out, by reason. */
class ListRows<T extends object> {
  readonly kept = new Map<string, T>();
  private readonly leftOut = new Map<string, number>();
  /** Rows read so far, those left out included. */
  seen = 0;

  constructor(private readonly list: ListSpec<T>) {}

  add(items: readonly unknown[]): void {
    this.seen += items.length;
    for (const item of items) {
      const row = this.list.parse(item);
      if (isLeftOut(row)) this.count(row.leftOut);
      else if (this.kept.has(this.list.key(row))) this.count('listed before');
      else this.kept.set(this.list.key(row), row);
    }
  }

  /** How many rows were left out and why, for the log (never their text); undefined when none. */
  leftOutSummary(): string | undefined {
    if (this.leftOut.size === 0) return undefined;
    const total = [...this.leftOut.values()].reduce((sum, n) => sum + n, 0);
    return `left out ${total} of ${this.seen} rows (${[...this.leftOut].map(([reason, n]) => `${n} ${reason}`).join(', ')})`;
  }

  private count(reason: string): void {
    this.leftOut.set(reason, (this.leftOut.get(reason) ?? 0) + 1);
  }
}

/** A hash of the token and what was asked (the page marker aside), kept instead of the token. */
function requestHash(accessToken: string, path: string, query: Record<string, string>): string {
  const asked = Object.entries(query)
    .filter(([name]) => name !== 'marker')
    .sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256').update(JSON.stringify([accessToken, path, asked])).digest('hex');
}
