/**
 * What one commit of a session produced: the Set-Cookie header values for a response, and
 * the same cookies by name and value for frameworks that take them one by one (a cookie jar).
 * Deletions have the value '' and `maxAge` 0. Internal.
 */
export interface Commit {
  readonly lines: readonly string[];
  readonly cookies: readonly CookieWrite[];
}

export interface CookieWrite {
  readonly name: string;
  readonly value: string;
  /** Seconds, 0 for a deletion; undefined for a browser-session cookie. */
  readonly maxAge: number | undefined;
}

export const NO_COOKIES: Commit = Object.freeze({ lines: [], cookies: [] });

/**
 * Our own Set-Cookie lines start `name=value;` with neither part encoded (chunk names and
 * token text need no encoding), so the name and value are the text around the first `=`.
 */
export function commitOf(
  lines: readonly string[],
  maxAges: (name: string) => number | undefined,
): Commit {
  if (lines.length === 0) return NO_COOKIES;
  const cookies = lines.map((line) => {
    const eq = line.indexOf('=');
    const end = line.indexOf(';', eq);
    const name = line.slice(0, eq);
    return { name, value: line.slice(eq + 1, end === -1 ? undefined : end), maxAge: maxAges(name) };
  });
  return { lines, cookies };
}
