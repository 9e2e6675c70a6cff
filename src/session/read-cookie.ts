import { type ReadChunks, readChunks } from '../cookie/chunking.js';
import { MAX_NAME_HITS, scanChunks } from '../cookie/cookie-scan.js';
import { SessionRejectedError } from '../errors.js';

/** A Cookie header, or a lookup of one cookie by exact name (a framework's cookie jar). */
export type CookieSource = string | null | undefined | ((name: string) => string | undefined);

/** A request that carried none of this session's cookies: one shared answer, nothing allocated. */
export const NO_COOKIE: ReadChunks = Object.freeze({
  token: undefined,
  rejection: undefined,
  present: Object.freeze([]) as readonly string[],
  bytes: 0,
  count: 0,
});

/**
 * Reads the session's chunks from a Cookie header or a jar and joins them into a token.
 * `names` is `chunkNames(base)`. Never throws for what the browser sent: a header naming the
 * cookie too often, or a chunk set that does not add up, is a rejection.
 */
export function readCookie(source: CookieSource, names: readonly string[]): ReadChunks {
  const base = names[0] as string;
  let values: (string | undefined)[];
  if (typeof source === 'function') {
    values = [];
    for (const name of names) {
      const value = source(name);
      if (value === undefined && name !== base) break;
      values.push(value);
    }
  } else if (!source?.includes(base)) {
    // Most requests of most apps carry other cookies only: skip the parse for those.
    return NO_COOKIE;
  } else {
    const scanned = scanChunks(source, names);
    if (scanned === undefined) {
      const crowded = new SessionRejectedError(
        'malformed',
        `Cookie header names "${base}" more than ${MAX_NAME_HITS} times`,
      );
      return { ...readChunks([], names), rejection: crowded };
    }
    values = scanned;
  }
  return readChunks(values, names);
}
