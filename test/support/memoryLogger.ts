/**
 * A `Logger` that keeps every line, so tests can assert what was logged and scan
 * the log for secrets.
 */
import type { Logger } from '../../src/core/common/ports';

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
