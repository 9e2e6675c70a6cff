import { type SerializeOptions, serialize } from 'cookie';
import { SessionConfigError } from '../errors.js';
import { valueShown } from '../util/printable.js';
import { MAX_CHUNKS } from './limits.js';

export interface CookieOptions {
  /** Send only over HTTPS. Default true; turn off only for plain-http development. */
  readonly secure?: boolean;
  /** Hide from page scripts. Default true. */
  readonly httpOnly?: boolean;
  /** Default 'lax'. 'none' requires secure. */
  readonly sameSite?: 'lax' | 'strict' | 'none';
  /** Default '/'. */
  readonly path?: string;
  /** Default: none (host-only, the safest). */
  readonly domain?: string;
  /** CHIPS partitioned cookie. Default false. */
  readonly partitioned?: boolean;
  readonly priority?: 'low' | 'medium' | 'high';
  /**
   * Give the cookie a Max-Age matching the session's expiry, so it survives a browser restart.
   * Default true; false makes it a browser-session cookie (the server still enforces expiry).
   */
  readonly persistent?: boolean;
}

export interface ResolvedCookie {
  readonly name: string;
  readonly persistent: boolean;
  readonly attributes: SerializeOptions;
}

// RFC 6265 §4.1.1: cookie-name = token (RFC 7230 §3.2.6):
//   tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// RFC 6265 §4.1.1: path-value = <any CHAR except CTLs or ";">; we also require a leading "/",
// and refuse a space (request paths are percent-encoded, so it could never match) and "<"
// (which the cookie package refuses with a bare TypeError).
const PATH = /^\/[\u0021-\u003A\u003D-\u007E]*$/;
// RFC 1034 §3.5 labels, with an optional leading dot as RFC 6265 §5.2.3 tolerates.
const DOMAIN = /^\.?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
// A name ending in ".<digits>" would collide with another cookie's chunk names.
const CHUNK_SUFFIX = /\.\d+$/;

function bad(setting: string, message: string): never {
  throw new SessionConfigError(setting, message);
}

// In plain JavaScript `persistent: 'false'` is truthy and `secure: 0` falsy: taken as they
// come, the one keeps a cookie the app meant to end with the browser, the other drops an
// attribute without a word.
function flag(
  options: CookieOptions,
  name: 'secure' | 'httpOnly' | 'partitioned' | 'persistent',
  fallback: boolean,
): boolean {
  const value = options[name] === undefined ? fallback : options[name];
  if (typeof value !== 'boolean')
    bad(`cookie.${name}`, `${valueShown(value)} must be true or false`);
  return value;
}

function oneOf<T extends string>(
  name: keyof CookieOptions,
  value: unknown,
  allowed: readonly T[],
): T {
  if (!allowed.includes(value as T)) {
    const choices = allowed.map((a) => `"${a}"`);
    bad(
      `cookie.${name}`,
      `${valueShown(value)} must be ${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}`,
    );
  }
  return value as T;
}

/** Validates the cookie name and attributes once, at store creation. */
export function resolveCookie(name: string, options: CookieOptions = {}): ResolvedCookie {
  if (typeof name !== 'string' || !COOKIE_NAME.test(name)) {
    bad(
      'cookieName',
      `${valueShown(name)} is not a valid cookie name (RFC 6265 token characters only)`,
    );
  }
  if (CHUNK_SUFFIX.test(name))
    bad('cookieName', `${valueShown(name)} must not end in .<number>, which chunk names use`);
  if (name.length > 200) bad('cookieName', 'must be at most 200 characters');
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    bad('cookie', `${valueShown(options)} must be an object of cookie options`);
  }
  const secure = flag(options, 'secure', true);
  const httpOnly = flag(options, 'httpOnly', true);
  const partitioned = flag(options, 'partitioned', false);
  const persistent = flag(options, 'persistent', true);
  const path = options.path ?? '/';
  const sameSite =
    options.sameSite === undefined
      ? 'lax'
      : oneOf('sameSite', options.sameSite, ['lax', 'strict', 'none']);
  const priority =
    options.priority === undefined
      ? undefined
      : oneOf('priority', options.priority, ['low', 'medium', 'high']);
  if (typeof path !== 'string' || !PATH.test(path)) {
    bad(
      'cookie.path',
      `${valueShown(path)} must start with "/" and contain no ";", "<", spaces or control characters`,
    );
  }
  if (
    options.domain !== undefined &&
    (typeof options.domain !== 'string' || !DOMAIN.test(options.domain))
  ) {
    bad('cookie.domain', `${valueShown(options.domain)} is not a valid domain name`);
  }
  if (sameSite === 'none' && !secure)
    bad('cookie.sameSite', '"none" requires secure: true (browsers drop it otherwise)');
  if (partitioned && !secure) bad('cookie.partitioned', 'requires secure: true');
  // RFC 6265bis §4.1.3: prefixes that browsers enforce; we refuse to write what they would drop.
  // Browsers match them case-insensitively (§5.7 step 21), so `__host-s` is held to them too.
  const prefix = name.toLowerCase();
  if (prefix.startsWith('__secure-') && !secure)
    bad('cookieName', '__Secure- cookies require secure: true');
  if (prefix.startsWith('__host-')) {
    if (!secure) bad('cookieName', '__Host- cookies require secure: true');
    if (path !== '/') bad('cookieName', '__Host- cookies require path "/"');
    if (options.domain !== undefined) bad('cookieName', '__Host- cookies must not set a domain');
  }
  const attributes: SerializeOptions = {
    httpOnly,
    secure,
    sameSite,
    path,
    ...(options.domain !== undefined && { domain: options.domain }),
    ...(partitioned && { partitioned: true }),
    ...(priority !== undefined && { priority }),
  };
  // Let the cookie package have its say now, not on the first request.
  serialize(name, 'x', attributes);
  return { name, persistent, attributes };
}

/** `session`, `session.1`, `session.2`, …: exact names, never matched by prefix. */
export function chunkName(base: string, index: number): string {
  return index === 0 ? base : `${base}.${index}`;
}

/** Every name a session's chunks can have, in order: built once, looked up on every request. */
export function chunkNames(base: string): readonly string[] {
  return Array.from({ length: MAX_CHUNKS }, (_, i) => chunkName(base, i));
}
