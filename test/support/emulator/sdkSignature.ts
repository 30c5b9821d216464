/**
 * Checks a request signed with SDK-HMAC-SHA256, Huawei Cloud's AK/SK signature, the way
 * API Gateway does in front of IAM. Written from the published rules (API Request Signing
 * Guide, "Constructing a Standard Request" … "Adding the Signature to the Request Header":
 * https://support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-algorithm-002.html),
 * not from any SDK's signer, so a request the real SDK signs and this accepts proves both
 * read the rules alike:
 *
 *   CanonicalRequest = Method \n CanonicalURI \n CanonicalQueryString \n
 *                      CanonicalHeaders (each `name:value\n`) \n SignedHeaders \n hex(SHA-256(body))
 *   StringToSign     = "SDK-HMAC-SHA256" \n X-Sdk-Date \n hex(SHA-256(CanonicalRequest))
 *   Signature        = hex(HMAC-SHA256(secret key, StringToSign))
 *   Authorization: SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<names>, Signature=<hex>
 *
 * Temporary credentials also need their security token in `X-Security-Token`.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The signing algorithm, first word of the Authorization header and of the string to sign. */
export const SDK_SIGNING_ALGORITHM = 'SDK-HMAC-SHA256';

/** How far `X-Sdk-Date` may be from the server's clock, either way (the guide: 15 minutes). */
export const MAX_SIGNATURE_SKEW_MS = 15 * 60 * 1000;

/** The payload hash a client may send instead of hashing the body. */
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** A request as the server received it. */
export interface SignedRequest {
  method: string;
  /** The path as sent, still percent-encoded. */
  path: string;
  /** The query as sent, with its leading `?`, or empty. */
  search: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
}

/** The credentials a server issued: what it checks a signature against. */
export interface SigningKey {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** When they stop working, milliseconds since the epoch on the server's clock. */
  expiresAtMs: number;
}

/**
 * Why a request was refused: no well-formed signature (`malformed`), an access key the
 * server never issued, a missing or foreign security token, a date too far from the
 * server's clock, a signature that does not match, or credentials past their end.
 */
export type SignatureRefusal = 'malformed' | 'unknownAccessKey' | 'securityToken' | 'staleDate' | 'signature' | 'expired';

/** The outcome of a check; `key` is the credentials the access key named, when it named any. */
export type SignatureVerdict<K extends SigningKey> = { accepted: true; key: K } | { accepted: false; refusal: SignatureRefusal; key?: K };

interface Authorization {
  accessKeyId: string;
  signedHeaders: string[];
  signature: string;
}

/**
 * Checks `request`'s signature against the credentials `findKey` returns for its access
 * key, at `nowMs` on the server's clock. The checks run cheapest first; the first that
 * fails names the refusal.
 */
export function verifySdkSignature<K extends SigningKey>(request: SignedRequest, findKey: (accessKeyId: string) => K | undefined, nowMs: number): SignatureVerdict<K> {
  const authorization = parseAuthorization(request.headers.authorization);
  if (!authorization) return { accepted: false, refusal: 'malformed' };
  const key = findKey(authorization.accessKeyId);
  if (!key) return { accepted: false, refusal: 'unknownAccessKey' };
  const refuse = (refusal: SignatureRefusal): SignatureVerdict<K> => ({ accepted: false, refusal, key });
  const date = request.headers['x-sdk-date'];
  const signedAtMs = parseSdkDate(date);
  const { signedHeaders } = authorization;
  if (signedAtMs === undefined || !signedHeaders.includes('host') || !signedHeaders.includes('x-sdk-date')) return refuse('malformed');
  if (!signedHeaders.every((name) => request.headers[name] !== undefined)) return refuse('malformed');
  if (!sameText(request.headers['x-security-token'] ?? '', key.sessionToken)) return refuse('securityToken');
  if (Math.abs(nowMs - signedAtMs) > MAX_SIGNATURE_SKEW_MS) return refuse('staleDate');
  const canonical = canonicalRequest(request, signedHeaders);
  if (canonical === undefined) return refuse('malformed');
  if (!sameText(authorization.signature, signature(key.secretAccessKey, date as string, canonical))) return refuse('signature');
  if (nowMs >= key.expiresAtMs) return refuse('expired');
  return { accepted: true, key };
}

/** The signature of a canonical request signed at `sdkDate` with `secretKey`, in lower-case hex. */
export function signature(secretKey: string, sdkDate: string, canonical: string): string {
  const stringToSign = [SDK_SIGNING_ALGORITHM, sdkDate, sha256Hex(canonical)].join('\n');
  return createHmac('sha256', secretKey).update(stringToSign, 'utf8').digest('hex');
}

/**
 * The canonical request over the headers in `signedHeaders` (lower case, in the order
 * signed), or undefined when the path or query holds a broken percent-encoding.
 */
export function canonicalRequest(request: SignedRequest, signedHeaders: string[]): string | undefined {
  const uri = canonicalUri(request.path);
  const query = canonicalQuery(request.search);
  if (uri === undefined || query === undefined) return undefined;
  const headers = signedHeaders.map((name) => `${name}:${(request.headers[name] ?? '').trim()}\n`).join('');
  const payloadHash = request.headers['x-sdk-content-sha256'] === UNSIGNED_PAYLOAD ? UNSIGNED_PAYLOAD : sha256Hex(request.body);
  return [request.method.toUpperCase(), uri, query, headers, signedHeaders.join(';'), payloadHash].join('\n');
}

/** Lower-case hex SHA-256 of a UTF-8 text. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** `SDK-HMAC-SHA256 Access=…, SignedHeaders=a;b, Signature=…`, or undefined when it is not that. */
function parseAuthorization(value: string | undefined): Authorization | undefined {
  const match = /^SDK-HMAC-SHA256 Access=([^\s,]+), SignedHeaders=([a-z0-9-]+(?:;[a-z0-9-]+)*), Signature=([0-9a-f]{64})$/.exec(value ?? '');
  if (!match) return undefined;
  return { accessKeyId: match[1], signedHeaders: match[2].split(';'), signature: match[3] };
}

/** `YYYYMMDDTHHMMSSZ` (UTC) as milliseconds since the epoch, or undefined when it is not a real time in that form. */
function parseSdkDate(value: string | undefined): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const back = new Date(ms);
  const real = back.getUTCMonth() === month - 1 && back.getUTCDate() === day && back.getUTCHours() === hour && back.getUTCMinutes() === minute;
  return real && second < 60 ? ms : undefined;
}

/** Each path segment decoded, then URI-encoded (RFC 3986), ending with `/`. */
function canonicalUri(path: string): string | undefined {
  const segments = path.split('/').map(reencode);
  if (segments.some((segment) => segment === undefined)) return undefined;
  const uri = segments.join('/');
  return uri.endsWith('/') ? uri : `${uri}/`;
}

/** Each parameter decoded, then `name=value` URI-encoded, sorted by name and then value, joined with `&`. */
function canonicalQuery(search: string): string | undefined {
  const pairs: string[][] = [];
  for (const part of search.replace(/^\?/, '').split('&')) {
    if (part === '') continue;
    const at = part.indexOf('=');
    const name = reencode(at < 0 ? part : part.slice(0, at));
    const value = reencode(at < 0 ? '' : part.slice(at + 1));
    if (name === undefined || value === undefined) return undefined;
    pairs.push([name, value]);
  }
  pairs.sort(([a, x], [b, y]) => (a === b ? compare(x, y) : compare(a, b)));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

/** A percent-encoded text decoded and encoded again with only RFC 3986's unreserved characters left bare. */
function reencode(text: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    return undefined;
  }
  return encodeURIComponent(decoded).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compares two texts in constant time for their length. */
function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
