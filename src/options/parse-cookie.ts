import { type SerializeOptions, serialize } from 'cookie';
import type { ChunkBudget } from '../cookie/chunking.js';
import {
  BROWSER_COOKIE_BYTES,
  DEFAULT_MAX_TOTAL_BYTES,
  MAX_CHUNKS,
  MIN_COOKIE_BYTES,
} from '../cookie/limits.js';
import { valueShown } from '../util/printable.js';
import { bad, flag, integer } from './checks.js';
import type { CookieOptions } from './store-options.js';

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

/** The `cookie` group as checked: the name, the Set-Cookie attributes and the size budget. */
export interface CookieSettings {
  readonly name: string;
  readonly attributes: SerializeOptions;
  readonly budget: ChunkBudget;
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

function cookieName(name: unknown): string {
  if (typeof name !== 'string' || !COOKIE_NAME.test(name)) {
    bad(
      'cookie.name',
      `${valueShown(name)} is not a valid cookie name (RFC 6265 token characters only)`,
    );
  }
  if (CHUNK_SUFFIX.test(name))
    bad('cookie.name', `${valueShown(name)} must not end in .<number>, which chunk names use`);
  if (name.length > 200) bad('cookie.name', 'must be at most 200 characters');
  return name;
}

function budgetOf(options: CookieOptions): ChunkBudget {
  const cookieBytes = integer(
    'cookie.maxChunkBytes',
    options.maxChunkBytes,
    BROWSER_COOKIE_BYTES,
    MIN_COOKIE_BYTES,
    BROWSER_COOKIE_BYTES,
  );
  const totalBytes = integer(
    'cookie.maxTotalBytes',
    options.maxTotalBytes,
    Math.max(DEFAULT_MAX_TOTAL_BYTES, cookieBytes),
    MIN_COOKIE_BYTES,
    MAX_CHUNKS * BROWSER_COOKIE_BYTES,
  );
  return { cookieBytes, totalBytes };
}

/** Checks the cookie's name, attributes and budget once, at store creation. */
export function parseCookie(options: CookieOptions): CookieSettings {
  const name = cookieName(options.name ?? 'session');
  const secure = flag('cookie.secure', options.secure, true);
  const httpOnly = flag('cookie.httpOnly', options.httpOnly, true);
  const partitioned = flag('cookie.partitioned', options.partitioned, false);
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
    bad('cookie.name', '__Secure- cookies require secure: true');
  if (prefix.startsWith('__host-')) {
    if (!secure) bad('cookie.name', '__Host- cookies require secure: true');
    if (path !== '/') bad('cookie.name', '__Host- cookies require path "/"');
    if (options.domain !== undefined) bad('cookie.name', '__Host- cookies must not set a domain');
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
  return { name, attributes, budget: budgetOf(options) };
}
