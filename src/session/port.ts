import type { SerializeOptions } from 'cookie';
import type { AnySessionData } from '../types.js';
import type { OpenOptions, RequestFacts, RequestHandle } from './request-handle.js';

export type { CookieSource } from './read-cookie.js';
export type { OpenOptions, RequestFacts, RequestHandle } from './request-handle.js';

/**
 * The one interface every adapter uses: `open` a request's handle, answering with a value
 * when nothing needs waiting for (no cookie, a token-cache hit) and a promise otherwise.
 * Internal: apps use the public `SessionStore`.
 */
export interface SessionPort<T, F = AnySessionData> {
  readonly cookieName: string;
  /** The cookie's attributes (path, domain, secure, …), for jars that take them one by one. */
  readonly cookieAttributes: Readonly<SerializeOptions>;
  /** The longest Set-Cookie line of one chunk: the most an entry limited to one cookie can write. */
  readonly chunkBytes: number;
  /** Opens a request's session. Never throws for what the browser sent. */
  open(
    facts: RequestFacts,
    options?: OpenOptions,
  ): RequestHandle<T, F> | Promise<RequestHandle<T, F>>;
}

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
