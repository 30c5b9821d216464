/**
 * The misbehaviours the emulator can show on request, and the check each one passes
 * before it is queued, since faults also arrive as JSON over the control API.
 */

/** A misbehaviour the emulator shows instead of (or on the way to) a normal answer. */
export type Fault =
  /** Answer with this status; the body defaults to a Huawei envelope `IIC.<status>`. A non-string body is sent as JSON. */
  | { type: 'status'; status: number; body?: unknown; headers?: Record<string, string>; contentType?: string }
  /** Destroy the socket before any response. */
  | { type: 'reset' }
  /** Handle the request, send the headers and part of the body, then destroy the socket. */
  | { type: 'resetMidBody' }
  /** Never answer; the socket closes when the emulator closes. */
  | { type: 'hang' }
  /** Wait, then handle normally. */
  | { type: 'delay'; ms: number }
  /** Handle normally but send the body `bytesPerTick` bytes every `tickMs`. */
  | { type: 'trickle'; bytesPerTick: number; tickMs: number }
  /** A 200 JSON-shaped body of exactly `bytes` bytes; `chunked` leaves out `Content-Length`. */
  | { type: 'oversized'; bytes: number; chunked?: boolean }
  /** A raw body, e.g. a proxy's HTML error page. Status defaults to 200. */
  | { type: 'body'; status?: number; contentType: string; body: string };

/** Which requests a fault hits: those to `path` (exact, any when absent), the next `times` of them (default 1). */
export interface FaultOptions {
  path?: string;
  times?: number;
}

/** Checks a fault's shape, since faults also arrive as JSON over the control API. */
export function validateFault(fault: Fault): Fault {
  const f = fault as unknown as Record<string, unknown> | null;
  const positive = (key: string): void => {
    if (typeof f?.[key] !== 'number' || !Number.isFinite(f[key]) || (f[key] as number) < 0) throw new TypeError(`fault.${key} must be a number >= 0`);
  };
  const status = (value: unknown): void => {
    if (!Number.isInteger(value) || (value as number) < 100 || (value as number) > 599) throw new TypeError('fault.status must be an HTTP status');
  };
  switch (f?.type) {
    case 'status':
      status(f.status);
      if (f.contentType !== undefined && typeof f.contentType !== 'string') throw new TypeError('fault.contentType must be a string');
      if (f.headers !== undefined && (typeof f.headers !== 'object' || f.headers === null || !Object.values(f.headers).every((v) => typeof v === 'string'))) {
        throw new TypeError('fault.headers must map names to strings');
      }
      break;
    case 'reset':
    case 'resetMidBody':
    case 'hang':
      break;
    case 'delay':
      positive('ms');
      break;
    case 'trickle':
      positive('tickMs');
      if (!Number.isInteger(f.bytesPerTick) || (f.bytesPerTick as number) < 1) throw new TypeError('fault.bytesPerTick must be a positive integer');
      break;
    case 'oversized':
      positive('bytes');
      break;
    case 'body':
      if (f.status !== undefined) status(f.status);
      if (typeof f.contentType !== 'string' || typeof f.body !== 'string') throw new TypeError('fault.contentType and fault.body must be strings');
      break;
    default:
      throw new TypeError(`Unknown fault type ${String(f?.type)}`);
  }
  return structuredClone(fault);
}
