/**
 * The portal API's answers (`docs/api.md`): accounts, agencies and credentials checked
 * into domain values before anything is shown or stored, and its errors mapped to one
 * `IdentityCenterError` that says what to do. A 401, or a 403 on a request the same
 * access token was answered a moment ago, means the user must sign in again.
 *
 * A list's rows are read leniently: names and descriptions are cleaned where they
 * arrive, optional text that is blank or of the wrong type counts as absent, and only a
 * row without its id or URN is left out. Credentials are read strictly.
 */
import { IdentityCenterError } from '../common/errors';
import * as l10n from '@vscode/l10n';
import { cleanText } from '../common/displayText';
import { isJsonObject, JsonObject, optionalString, protocolError, requireString, requireWholeNumber } from '../common/validate';
import type { AgencyCredentials } from '../credentials/model';
import type { HttpResponse } from '../transport/port';
import { readFailedAnswer, sharedFailureError } from '../transport/httpFailure';
import { Account, ACCOUNT_ID_PATTERN, Agency, AGENCY_URN_PATTERN } from './model';

/** An `expiration` above this can only be epoch milliseconds (the year 33658 in seconds). */
export const EPOCH_MILLISECONDS_THRESHOLD = 1_000_000_000_000;

/** Credentials lasting longer than this (a year) are not what STS issues: `protocol` error. */
const MAX_CREDENTIAL_LIFETIME_SECONDS = 366 * 24 * 3600;

/** One page of a list: its items (unchecked) and the marker of the next page, if any. */
export interface Page {
  items: unknown[];
  nextMarker?: string;
}

/** Reads `{ <field>: [...], page_info: { next_marker } }`; a `protocol` error when malformed. */
export function parsePage(body: unknown, field: string, what: string): Page {
  if (!isJsonObject(body)) throw protocolError(l10n.t('{0} is not a JSON object', what));
  const items = body[field];
  if (!Array.isArray(items)) throw protocolError(l10n.t('{0} has no `{1}` list', what, field));
  const info = body.page_info;
  if (info !== undefined && info !== null && !isJsonObject(info)) throw protocolError(l10n.t('{0} has a `page_info` that is not an object', what));
  const nextMarker = isJsonObject(info) ? optionalString(info, 'next_marker', what, 4096) : undefined;
  return nextMarker === undefined || nextMarker === '' ? { items } : { items, nextMarker };
}

/**
 * Why a row of a list was left out, in English words for the log. Only a row without
 * the id it is used by (an account's id, an agency's URN) is left out; the row's own
 * text never goes into the reason.
 */
export interface LeftOut {
  leftOut: string;
}

/** True when `row` is a row left out rather than a value. */
export function isLeftOut(row: object): row is LeftOut {
  return 'leftOut' in row;
}

/** Longest name kept, in characters: well within what a stored selection may hold. */
const NAME_LENGTH = 256;

/** Longest description kept, in characters. */
const DESCRIPTION_LENGTH = 1024;

/** One entry of `account_list`: an account, or left out when it has no usable `account_id`. */
export function parseAccount(item: unknown): Account | LeftOut {
  if (!isJsonObject(item)) return { leftOut: 'not an object' };
  const accountId = item.account_id;
  if (typeof accountId !== 'string' || !ACCOUNT_ID_PATTERN.test(accountId)) return { leftOut: 'no usable account_id' };
  return { accountId, accountName: shownText(item, 'account_name', NAME_LENGTH), email: shownText(item, 'email_address', NAME_LENGTH) };
}

/**
 * One entry of `agency_list` of `accountId`: an agency, or left out when its
 * `agency_urn` is missing or malformed, or names another account (in the URN or in
 * `account_id`, which may be absent).
 */
export function parseAgency(item: unknown, accountId: string): Agency | LeftOut {
  if (!isJsonObject(item)) return { leftOut: 'not an object' };
  const agencyUrn = item.agency_urn;
  const urn = typeof agencyUrn === 'string' ? AGENCY_URN_PATTERN.exec(agencyUrn) : null;
  if (!urn) return { leftOut: 'no usable agency_urn' };
  const owner = item.account_id ?? accountId;
  if (owner !== accountId || urn[1] !== accountId) return { leftOut: 'of another account' };
  return {
    accountId,
    agencyName: shownText(item, 'agency_name', NAME_LENGTH) || urn[2],
    agencyUrn: urn[0],
    permissionSetName: shownText(item, 'permission_set_name', NAME_LENGTH),
    description: shownText(item, 'description', DESCRIPTION_LENGTH),
  };
}

/**
 * The `agency_credentials` of a credentials answer received at `receivedAtMs`.
 * `expiration` is epoch seconds, or milliseconds above 10^12; credentials already
 * expired, or lasting over a year, are a `protocol` error. Messages never quote a value.
 */
export function parseCredentials(body: unknown, receivedAtMs: number, clockOffsetMs: number): AgencyCredentials {
  const what = l10n.t('The agency credentials');
  if (!isJsonObject(body)) throw protocolError(l10n.t('{0} are not a JSON object', what));
  const info = body.agency_credentials;
  if (!isJsonObject(info)) throw protocolError(l10n.t('{0} have no `agency_credentials` object', what));
  const accessKeyId = requireString(info, 'access_key_id', what, 128);
  if (!/^[A-Za-z0-9]+$/.test(accessKeyId)) throw protocolError(l10n.t('{0} have an `access_key_id` with characters an access key does not have', what));
  const secretAccessKey = secretAt(info, 'secret_access_key', what, 1024);
  const sessionToken = secretAt(info, 'session_token', what, 16384);
  const expiration = requireWholeNumber(info, 'expiration', what);
  const expiresAt = expiration > EPOCH_MILLISECONDS_THRESHOLD ? Math.floor(expiration / 1000) : expiration;
  const issuedAt = Math.floor((receivedAtMs + clockOffsetMs) / 1000);
  if (expiresAt <= issuedAt) throw new IdentityCenterError('expired', l10n.t('{0} had already expired when they arrived. Check that the computer’s clock is right, then retry.', what));
  if (expiresAt - issuedAt > MAX_CREDENTIAL_LIFETIME_SECONDS) throw protocolError(l10n.t('{0} last longer than a year', what));
  const credentials: AgencyCredentials = { accessKeyId, secretAccessKey, sessionToken, issuedAt, expiresAt };
  if (clockOffsetMs !== 0) credentials.clockOffsetMs = clockOffsetMs;
  return credentials;
}

/** What `portalError` may know besides the response. */
export interface PortalErrorContext {
  /** The request's own secrets (the access token), cut out of the service's text. */
  secrets: readonly string[];
  /** Now on the injected clock, to read a `Retry-After` date against. */
  nowMs: number;
  /** True when the same request with the same access token was answered before. */
  tokenWorkedBefore: boolean;
}

/**
 * Maps a failed portal answer to one error: sign in again (401, or 403 where the token
 * worked before), then what every client maps alike (`sharedFailureError`: a proxy's
 * page, throttling, an outage), then no permission (another 403), a wrong endpoint, or a
 * request the service refused. The message says what to do; the service's text goes to
 * the debug log only.
 */
export function portalError(response: HttpResponse, action: string, context: PortalErrorContext): IdentityCenterError {
  const answer = readFailedAnswer(response, context.secrets, context.nowMs);
  const { status, label, details } = answer;
  if (status === 401 || (status === 403 && context.tokenWorkedBefore)) {
    return new IdentityCenterError('signInRequired', l10n.t('Your IAM Identity Center sign-in has expired or was ended ({0}). Sign in again, then retry.', label), { ...details, remedy: 'signIn' });
  }
  const shared = sharedFailureError(answer, action, 'portalEndpoint');
  if (shared) return shared;
  if (status === 403) {
    return new IdentityCenterError(
      'service',
      l10n.t('IAM Identity Center did not allow you to {0} ({1}). Check with your administrator that the account and agency are assigned to you.', action, label),
      details,
    );
  }
  if (status === 404) {
    return new IdentityCenterError('configuration', l10n.t('Could not {0}: the portal API was not found at this endpoint ({1}). Check the Portal endpoint setting.', action, label), {
      ...details,
      setting: 'portalEndpoint',
    });
  }
  return new IdentityCenterError('service', l10n.t('IAM Identity Center refused to {0} ({1}). Retry; the log (Show Log) has the service\'s explanation.', action, label), details);
}

/**
 * Optional text at `object[field]`, cleaned (`cleanText`); empty when it is absent,
 * blank, or not a string: one odd value never costs the row.
 */
function shownText(object: JsonObject, field: string, maxLength: number): string {
  const value = object[field];
  return typeof value === 'string' ? cleanText(value, maxLength) : '';
}

/** A secret that goes into a terminal's environment: printable, no spaces or control characters. */
function secretAt(object: JsonObject, field: string, what: string, maxLength: number): string {
  const value = requireString(object, field, what, maxLength);
  if (!/^[\x21-\x7e]+$/.test(value)) throw protocolError(l10n.t('{0} have a `{1}` with characters a credential does not have', what, field));
  return value;
}
