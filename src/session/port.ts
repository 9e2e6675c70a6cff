import type { SerializeOptions } from 'cookie';
import type { AnySessionData } from '../types.js';
import type { Commit } from './commit.js';
import type { Session } from './session.js';

/**
 * The one interface every adapter uses: the store's load and commit, answering with a value
 * when nothing needs waiting for (no cookie, a token-cache hit, a commit that seals nothing)
 * and a promise otherwise. Internal: apps use the public `SessionStore`.
 */
export interface SessionPort<T, F = AnySessionData> {
  readonly cookieName: string;
  /** The cookie's attributes (path, domain, secure, …), for jars that take them one by one. */
  readonly cookieAttributes: Readonly<SerializeOptions>;
  /**
   * Loads from a Cookie header, or from a cookie jar's lookup by exact name. Never throws for
   * what the browser sent.
   */
  load(source: CookieSource): Session<T, F> | Promise<Session<T, F>>;
  /**
   * The session's commit: the first call locks the session and seals (if anything changed);
   * every later call answers with the same result. A failed commit can be retried.
   */
  commit(session: Session<T, F>): Commit | Promise<Commit>;
}

/** A Cookie header, or a lookup of one cookie by exact name (a framework's cookie jar). */
export type CookieSource = string | null | undefined | ((name: string) => string | undefined);

/** The property under which a store carries its port; a symbol, so it is no part of the API. */
export const PORT: unique symbol = Symbol('jwe-session port');

/** The port of a store made by `createSessionStore`. */
export function portOf<T, F = AnySessionData>(store: object): SessionPort<T, F> {
  const port = (store as { [PORT]?: SessionPort<T, F> })[PORT];
  if (port === undefined) {
    throw new TypeError('expected a session store made by createSessionStore() from jwe-session');
  }
  return port;
}
