import type { ResolvedCookie } from '../cookie/attributes.js';
import { type CookieWrite, renderCookies } from '../cookie/chunking.js';

export type { CookieWrite } from '../cookie/chunking.js';

/**
 * What one commit of a session produced: the cookies as data (for frameworks that take them
 * one by one: a cookie jar), and the same cookies rendered once as Set-Cookie header values.
 * Deletions have the value '' and `maxAge` 0. Internal.
 */
export interface Commit {
  readonly lines: readonly string[];
  readonly cookies: readonly CookieWrite[];
}

export const NO_COOKIES: Commit = Object.freeze({ lines: [], cookies: [] });

/** The commit of these cookie writes, each rendered to its Set-Cookie line here, once. */
export function commitOf(cookies: readonly CookieWrite[], cookie: ResolvedCookie): Commit {
  if (cookies.length === 0) return NO_COOKIES;
  return { cookies, lines: renderCookies(cookies, cookie) };
}
