/**
 * The versioned JSON records the extension keeps in SecretStorage. One parser checks the
 * envelope, so every record treats unreadable text, a non-object and another version
 * the same way: as a corrupt record, a `protocol` error that names the record and
 * never quotes it.
 */
import { IdentityCenterError } from './errors';
import * as l10n from '@vscode/l10n';
import { isJsonObject, JsonObject } from './validate';


/**
 * The object stored as `text` when it is JSON, an object, and of `version`; else a
 * `protocol` error saying so about `what` (e.g. "The stored registration").
 */
export function parseVersionedRecord(text: string, version: number, what: string): JsonObject {
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    throw new IdentityCenterError('protocol', l10n.t('{0} is not JSON', what));
  }
  if (!isJsonObject(record)) throw new IdentityCenterError('protocol', l10n.t('{0} is not an object', what));
  if (record.version !== version) throw new IdentityCenterError('protocol', l10n.t('{0} has an unknown version', what));
  return record;
}

/** The stored text of a record: its fields, with `version` first. */
export function serializeVersionedRecord(version: number, fields: object): string {
  return JSON.stringify({ version, ...fields });
}
