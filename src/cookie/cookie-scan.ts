import { MAX_CHUNKS } from './limits.js';

/**
 * Finds one session's cookies in a Cookie header: the base name and its chunk names
 * (`session`, `session.1` … `session.<MAX_CHUNKS - 1>`, which `names` lists, as
 * `chunkNames(base)` builds them), nothing else.
 *
 * Why not `cookie.parse`: it builds an object of every cookie and percent-decodes every value,
 * and `decodeURIComponent` throws on each bad escape; a 16 KB header of `a=%;b=%;…` cost about
 * 160 uncached session reads (bench/cookie-header.js). This is one pass of native `indexOf`
 * over the header for the base name; other cookies' values are never sliced or decoded.
 *
 * Pairs are read as `cookie.parse` reads them (RFC 6265 §5.4 as browsers send it): split on
 * `;`, the name is what precedes the pair's first `=`, with spaces and tabs around it ignored,
 * and the first of duplicate names wins. Undefined when the header holds the base name more
 * than MAX_NAME_HITS times: the caller rejects it as malformed. Values are the exact bytes between that `=` and the
 * next `;`: no trimming and no percent-decoding. A sealed token is base64url, `.` and `~`,
 * so it never needs either, and only the exact string that was sealed may open.
 */
export function scanCookies(
  header: string,
  names: readonly string[],
): Record<string, string> | undefined {
  const values = scanChunks(header, names);
  if (values === undefined) return undefined;
  const found: Record<string, string> = Object.create(null);
  values.forEach((value, index) => {
    found[names[index] as string] = value;
  });
  return found;
}

/**
 * `scanCookies` by chunk index: `values[i]` is the value of `names[i]`, or a hole. What a
 * request reads: no dictionary of names is built and looked up again for every chunk name.
 */
export function scanChunks(header: string, names: readonly string[]): string[] | undefined {
  const found: string[] = [];
  const base = names[0] as string;
  const length = header.length;
  // One bit per chunk index already taken: a repeated name costs no slice or lookup.
  let seen = 0;
  let hits = 0;
  let from = 0;
  while (from < length) {
    const at = header.indexOf(base, from);
    if (at < 0) break;
    if (++hits > MAX_NAME_HITS) return undefined;
    from = at + 1;
    if (!startsPair(header, at)) continue;
    let end = at + base.length;
    const index = chunkIndex(header, end);
    if (index !== 0) end += index < 10 ? 2 : 3;
    while (end < length && isBlank(header.charCodeAt(end))) end++;
    if (header.charCodeAt(end) !== 0x3d /* = */) continue;
    const valueEnd = header.indexOf(';', end + 1);
    const stop = valueEnd < 0 ? length : valueEnd;
    const bit = 1 << index;
    if ((seen & bit) === 0) {
      seen |= bit;
      found[index] = header.slice(end + 1, stop);
    }
    // Whatever follows in this value is no cookie name.
    from = stop;
  }
  return found;
}

/**
 * Most occurrences of the base name a header may hold, anywhere (as a cookie name, inside
 * another name or value). Each costs a native search and a few character checks, about as
 * much as 1/1000 of an uncached read; past this the header is no browser's but a crafted
 * one, and reading on would let it cost more than the decryption it guards. A real header
 * holds the name once per chunk (at most 16) plus a few near names (`sessionid`).
 */
export const MAX_NAME_HITS = 128;

function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/** True when only spaces or tabs stand between `at` and the previous `;` (or the start). */
function startsPair(header: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && isBlank(header.charCodeAt(i))) i--;
  return i < 0 || header.charCodeAt(i) === 0x3b; /* ; */
}

/** The digit at `at` as a number, or -1 (also past the end). */
function digitAt(header: string, at: number): number {
  const code = header.charCodeAt(at);
  return code >= 0x30 && code <= 0x39 ? code - 0x30 : -1;
}

/**
 * `.<n>` right after the base name, for n from 1 to MAX_CHUNKS - 1 spelled without leading
 * zeros, as chunkName writes it; 0 when there is none (the base name itself, or another name).
 */
function chunkIndex(header: string, at: number): number {
  if (header.charCodeAt(at) !== 0x2e /* . */) return 0;
  const first = digitAt(header, at + 1);
  if (first < 1) return 0;
  const second = digitAt(header, at + 2);
  if (second < 0) return first < MAX_CHUNKS ? first : 0;
  const index = first * 10 + second;
  return index < MAX_CHUNKS && digitAt(header, at + 3) < 0 ? index : 0;
}
