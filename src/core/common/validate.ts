/**
 * Checks for values that came from outside (the service, SecretStorage, command
 * arguments). Each returns the value narrowed, or throws a `protocol` error naming
 * the field, never the value (it might be a secret).
 */
import { IdentityCenterError } from './errors';
import * as l10n from '@vscode/l10n';
import { parseServiceUrl } from './url';

/**
 * A region id such as `cn-north-4`: what `iamIdentityCenter.region` and Choose Region's
 * argument must be. The setting's `pattern` in package.json agrees (a unit test holds it to this).
 */
export const REGION_PATTERN = /^[a-z]{2}(-[a-z0-9]+){1,3}$/;

/** A plain JSON object (not null, not an array). */
export type JsonObject = Record<string, unknown>;

/** True for a plain JSON object. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses JSON text, or throws a `protocol` error saying what was expected. */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw protocolError(l10n.t('{0} was not valid JSON', what));
  }
}

/** The object at `object[field]`, or a `protocol` error. */
export function requireObject(object: JsonObject, field: string, what: string): JsonObject {
  const value = object[field];
  if (!isJsonObject(value)) throw protocolError(l10n.t('{0} has no `{1}` object', what, field));
  return value;
}

/** A non-empty string at `object[field]`, or a `protocol` error. */
export function requireString(object: JsonObject, field: string, what: string, maxLength = 8192): string {
  const value = object[field];
  if (typeof value !== 'string' || value.length === 0) throw protocolError(l10n.t('{0} has no `{1}` string', what, field));
  if (value.length > maxLength) throw protocolError(l10n.t('{0} has a `{1}` longer than {2} characters', what, field, maxLength));
  return value;
}

/** A string at `object[field]` when present (undefined or null mean absent), or a `protocol` error. */
export function optionalString(object: JsonObject, field: string, what: string, maxLength = 8192): string | undefined {
  if (object[field] === undefined || object[field] === null) return undefined;
  return requireString(object, field, what, maxLength);
}

/** A whole, non-negative, safe number at `object[field]`, or a `protocol` error. */
export function requireWholeNumber(object: JsonObject, field: string, what: string): number {
  const value = object[field];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw protocolError(l10n.t('{0} has no whole-number `{1}`', what, field));
  }
  return value;
}

/** 9999-12-31T23:59:59Z in epoch seconds: a later time cannot be a date. */
export const MAX_EPOCH_SECONDS = 253_402_300_799;

/** Epoch seconds at `object[field]`: a whole number no later than the year 9999, or a `protocol` error. */
export function requireEpochSeconds(object: JsonObject, field: string, what: string): number {
  const value = requireWholeNumber(object, field, what);
  if (value > MAX_EPOCH_SECONDS) throw protocolError(l10n.t('{0} has a `{1}` after the year 9999', what, field));
  return value;
}

/** A whole number at `object[field]` when present, or a `protocol` error. */
export function optionalWholeNumber(object: JsonObject, field: string, what: string): number | undefined {
  if (object[field] === undefined || object[field] === null) return undefined;
  return requireWholeNumber(object, field, what);
}

/** An array of strings at `object[field]` when present, or a `protocol` error. */
export function optionalStringArray(object: JsonObject, field: string, what: string): string[] | undefined {
  const value = object[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length > 256 || !value.every((item) => typeof item === 'string' && item.length <= 1024)) {
    throw protocolError(l10n.t('{0} has a `{1}` that is not a list of strings', what, field));
  }
  return [...value] as string[];
}

/**
 * What a client id may hold: RFC 6749 allows any printable ASCII, but services issue
 * ids of these characters, and a client id is shown in messages and the log.
 */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9._~+/=:@-]{1,256}$/;

/** A client id at `object[field]`, or a `protocol` error. */
export function requireClientId(object: JsonObject, field: string, what: string): string {
  const value = requireString(object, field, what, 256);
  if (!CLIENT_ID_PATTERN.test(value)) throw protocolError(l10n.t('{0} has a `{1}` with characters a client id does not have', what, field));
  return value;
}

/** An endpoint URL at `object[field]` when present: https, or http on loopback. */
export function optionalServiceUrl(object: JsonObject, field: string, what: string): string | undefined {
  const value = optionalString(object, field, what, 2048);
  if (value === undefined) return undefined;
  if (!parseServiceUrl(value)) throw protocolError(l10n.t('{0} has a `{1}` that is not an https URL', what, field));
  return value;
}

/** A `protocol` error with a message that tells the user what to do. */
export function protocolError(problem: string): IdentityCenterError {
  return new IdentityCenterError(
    'protocol',
    l10n.t(
      'IAM Identity Center sent an unexpected response: {0}. Check the Region, Endpoint and Portal endpoint settings and any proxy, then retry.',
      problem,
    ),
  );
}

/** Longest client name the service accepts, in characters (code points). */
export const MAX_CLIENT_NAME_LENGTH = 1024;

/** Returns a message saying what is wrong with a client name, or undefined when it is valid. */
export function validateClientName(name: unknown): string | undefined {
  if (typeof name !== 'string') return l10n.t('The client name must be text.');
  const length = [...name].length;
  if (length === 0 || name.trim().length === 0) return l10n.t('Enter a client name (1 to 1024 characters).');
  if (length > MAX_CLIENT_NAME_LENGTH) return l10n.t('The client name is {0} characters long; the limit is {1}.', length, MAX_CLIENT_NAME_LENGTH);
  return undefined;
}
