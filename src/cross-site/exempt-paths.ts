import { bad } from '../options/checks.js';

// A path both an entry and a request path may consist of: unreserved and sub-delimiter
// characters, ':' and '@' (RFC 3986 `pchar`), and '/'. Left out on purpose: '%' (a router may
// decode %2F or %2E into a separator or a dot and route elsewhere), '\' (some treat it as '/'),
// ';' (some cut a segment at it, so '..;' climbs) and '*' in entries (no patterns here).
const PLAIN_REQUEST_PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,=:@/]*$/;
const PLAIN_ENTRY = /^\/[A-Za-z0-9\-._~!$&'()+,=:@/]*$/;

// The path of a request target, origin-form (`/path?query`) or absolute (`https://host/path`).
// The authority ends at the first '/', '?' or '#', so a '/' in a query is never taken for a path.
const TARGET_PATH = /^(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*)?(\/[^?#]*)/;

/**
 * A path every router serves as written. A '.' or '..' segment, or an empty one ('//'), may be
 * resolved or collapsed first, and the path served would not be the path that matched.
 */
function isPlain(path: string): boolean {
  if (!PLAIN_REQUEST_PATH.test(path)) return false;
  const segments = path.split('/');
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i];
    if (segment === '.' || segment === '..') return false;
    // The last segment is empty after a trailing slash, which is a path of its own.
    if (segment === '' && i < segments.length - 1) return false;
  }
  return true;
}

/**
 * A test for exempt paths: an entry ending in `/` covers every path under it, any other entry
 * that one path exactly. Throws SessionConfigError for an entry that is not a plain absolute
 * path. A request path that is not plain is never exempt: it is checked like any other.
 */
export function exemptPaths(
  entries: readonly unknown[],
  setting: string,
): (url: string) => boolean {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  entries.forEach((entry, i) => {
    const origin = { setting, position: i + 1 };
    if (typeof entry !== 'string') bad(origin, 'is not a string path');
    const path = entry as string;
    if (!path.startsWith('/')) bad(origin, `(${JSON.stringify(path)}) must start with "/"`);
    if (path === '/') {
      bad(origin, '("/") would exempt every path: to turn the check off, set crossSite: false');
    }
    if (!PLAIN_ENTRY.test(path)) {
      bad(
        origin,
        `(${JSON.stringify(path)}) may hold only plain path characters (no %, \\, ;, ?, # or *): end it with "/" to cover the paths under it, or give a function`,
      );
    }
    if (!isPlain(path)) bad(origin, `(${JSON.stringify(path)}) has a "." or ".." segment or "//"`);
    if (path.endsWith('/')) prefixes.push(path);
    else exact.add(path);
  });
  return (url) => {
    const path = TARGET_PATH.exec(url)?.[1];
    if (path === undefined) return false;
    const listed = exact.has(path) || prefixes.some((prefix) => path.startsWith(prefix));
    return listed && isPlain(path);
  };
}
