/**
 * A `Logger` that keeps every line, so tests can assert what was logged and scan
 * the log for secrets; and a `SecretStore` on a Map that can be told to fail.
 */
import type { Logger, SecretStore } from '../../src/core/ports';

/** Records log lines as `level: message`. */
export class MemoryLogger implements Logger {
  readonly lines: string[] = [];
  trace(message: string): void {
    this.lines.push(`trace: ${message}`);
  }
  debug(message: string): void {
    this.lines.push(`debug: ${message}`);
  }
  info(message: string): void {
    this.lines.push(`info: ${message}`);
  }
  warn(message: string): void {
    this.lines.push(`warn: ${message}`);
  }
  error(message: string): void {
    this.lines.push(`error: ${message}`);
  }
  /** All lines joined, for substring checks. */
  text(): string {
    return this.lines.join('\n');
  }
}

/** A SecretStore on a Map; set `failWrites` to make `store` reject like a locked keyring. */
export class MemorySecretStore implements SecretStore {
  readonly values = new Map<string, string>();
  failWrites = false;
  reads = 0;
  async get(key: string): Promise<string | undefined> {
    this.reads++;
    return this.values.get(key);
  }
  async store(key: string, value: string): Promise<void> {
    if (this.failWrites) throw new Error('keyring locked');
    this.values.set(key, value);
  }
  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
}
