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
  | { type: 'body'; status?: number; contentType: string; body: string }
  /**
   * On a portal list call, the page asked for but with `next_marker` equal to the marker
   * it was asked with (on the first page, a marker of the first page), so a client that
   * follows it loops. Any other request is handled normally.
   */
  | { type: 'repeatMarker' }
  /**
   * On a portal list call, `size` items from the marker's place (fewer at the end of the
   * list) whatever `limit` asked, as a server that ignores `limit` would; `next_marker`
   * goes on after them, so `size` 0 repeats an empty page. With a large `accountCount`
   * this makes a huge page. Any other request is handled normally.
   */
  | { type: 'pageSize'; size: number }
  /**
   * Handle normally, then change the JSON body: `set` gives fields values and `remove`
   * deletes fields, each named by a dotted path such as `page_info.next_marker` or
   * `agency_list.0.agency_urn`, where `*` stands for every element or key. `set` creates
   * missing object fields on the way; `remove` of an array element takes it out of the
   * array. A body that is not JSON is sent unchanged.
   */
  | { type: 'patch'; set?: Record<string, unknown>; remove?: string[] };

/** The faults that the portal's list calls carry out themselves, since they change which items a page holds. */
export type PageFault = Extract<Fault, { type: 'repeatMarker' | 'pageSize' }>;

/**
 * Which requests a fault hits: those to `path` (exact, any when absent) whose query has
 * each of `query`'s values (e.g. `{ account_id }`: one account's agency list), the next
 * `times` of them (default 1).
 */
export interface FaultOptions {
  path?: string;
  query?: Record<string, string>;
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
    case 'repeatMarker':
      break;
    case 'pageSize':
      if (!Number.isInteger(f.size) || (f.size as number) < 0) throw new TypeError('fault.size must be an integer >= 0');
      break;
    case 'patch':
      checkPatch(f);
      break;
    default:
      throw new TypeError(`Unknown fault type ${String(f?.type)}`);
  }
  return structuredClone(fault);
}

/** The body with a `patch` fault's changes applied; the body unchanged when it is not JSON. */
export function patchBody(body: string, fault: Extract<Fault, { type: 'patch' }>): string {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return body;
  }
  for (const [path, newValue] of Object.entries(fault.set ?? {})) setAt(value, path.split('.'), newValue);
  for (const path of fault.remove ?? []) removeAt(value, path.split('.'));
  return JSON.stringify(value);
}

function setAt(container: unknown, [name, ...rest]: string[], value: unknown): void {
  if (typeof container !== 'object' || container === null) return;
  const fields = container as Record<string, unknown>;
  for (const key of name === '*' ? Object.keys(fields) : [name]) {
    if (rest.length === 0) {
      fields[key] = structuredClone(value);
      continue;
    }
    if (fields[key] === undefined && !Array.isArray(fields)) fields[key] = {};
    setAt(fields[key], rest, value);
  }
}

function removeAt(container: unknown, [name, ...rest]: string[]): void {
  if (typeof container !== 'object' || container === null) return;
  const fields = container as Record<string, unknown>;
  if (rest.length > 0) {
    for (const key of name === '*' ? Object.keys(fields) : [name]) removeAt(fields[key], rest);
  } else if (Array.isArray(container)) {
    if (name === '*') container.length = 0;
    else if (/^\d+$/.test(name)) container.splice(Number(name), 1);
  } else {
    for (const key of name === '*' ? Object.keys(fields) : [name]) delete fields[key];
  }
}

/** Path segments that would reach an object's prototype instead of a field. */
const FORBIDDEN_SEGMENTS = ['__proto__', 'prototype', 'constructor'];

function checkPatch(f: Record<string, unknown>): void {
  const { set, remove } = f;
  if (set !== undefined && (typeof set !== 'object' || set === null || Array.isArray(set))) throw new TypeError('fault.set must map paths to values');
  if (remove !== undefined && (!Array.isArray(remove) || !remove.every((p) => typeof p === 'string'))) throw new TypeError('fault.remove must be an array of paths');
  const paths = [...Object.keys(set ?? {}), ...((remove as string[] | undefined) ?? [])];
  if (paths.length === 0) throw new TypeError('fault.set or fault.remove must name at least one path');
  for (const path of paths) {
    const segments = path.split('.');
    if (segments.some((segment) => segment === '' || FORBIDDEN_SEGMENTS.includes(segment))) throw new TypeError(`fault path ${JSON.stringify(path)} is not a dotted path of field names`);
  }
}
