/**
 * Assertions shared by the unit tests.
 */
import { strict as assert } from 'node:assert';
import { FailureKind, IdentityCenterError, isIdentityCenterError } from '../../src/core/common/errors';

/** Asserts that `promise` rejects with an `IdentityCenterError` of `kind`, and returns it. */
export async function rejectsWith(promise: Promise<unknown>, kind: FailureKind): Promise<IdentityCenterError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isIdentityCenterError(error), `expected an IdentityCenterError, got ${String(error)}`);
    assert.equal(error.kind, kind, `kind of "${error.message}"`);
    return error;
  }
  assert.fail(`expected a ${kind} error`);
}
