/**
 * The one in-memory secret store of the tests and the bench: a Map behind the core's
 * `SecretStore` port that also has the shape of VS Code's `SecretStorage` (its
 * `onDidChange` event), so the bench's stand-in `ExtensionContext` can hand it to
 * `activate()` too.
 */
import type { SecretStore } from '../../src/core/common/ports';

/** What `onDidChange` reports, as VS Code's `SecretStorageChangeEvent` does. */
export interface SecretChange {
  key: string;
}

/**
 * A SecretStore on a Map. Set `failWrites` to make `store` reject like a locked keyring,
 * `failDeletes` to make `delete` reject like a keyring that refuses them (`refusedDeletes`:
 * only of those keys); `reads` counts
 * `get` calls; `onDidChange` fires after every store and after the delete of a key that
 * was there (VS Code's storage is silent on deleting a missing key).
 */
export class MemorySecretStore implements SecretStore {
  failWrites = false;
  failDeletes = false;
  readonly refusedDeletes = new Set<string>();
  reads = 0;
  private readonly listeners = new Set<(change: SecretChange) => unknown>();

  constructor(readonly values = new Map<string, string>()) {}

  /** Subscribes to changes; dispose the result to unsubscribe. */
  readonly onDidChange = (listener: (change: SecretChange) => unknown): { dispose(): void } => {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  };

  async get(key: string): Promise<string | undefined> {
    this.reads++;
    return this.values.get(key);
  }
  async store(key: string, value: string): Promise<void> {
    if (this.failWrites) throw new Error('keyring locked');
    this.values.set(key, value);
    this.changed(key);
  }
  async delete(key: string): Promise<void> {
    if (this.failDeletes || this.refusedDeletes.has(key)) throw new Error('keyring refuses deletes');
    if (this.values.delete(key)) this.changed(key);
  }

  private changed(key: string): void {
    for (const listener of [...this.listeners]) listener({ key });
  }
}
