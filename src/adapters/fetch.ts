/**
 * Fetch API handlers (`Request` → `Response`): `withSessionFetch(store, handler)`.
 *
 * @module jwe-session/fetch
 */
import { portOf, type RequestHandle } from '../session/port.js';
import type { Session } from '../session/session.js';
import type { SessionStore } from '../session/session-store.js';
import type { AnySessionData } from '../types.js';
import { answerFetchFailure, fetch403 } from './failure-response.js';
import { fetchFacts } from './request-facts.js';
import { withCookies } from './response-cookies.js';

/** A Fetch API handler that also gets the session. */
export type FetchSessionHandler<T, F = AnySessionData> = (
  request: Request,
  session: Session<T, F>,
) => Response | Promise<Response>;

/** What `withSessionFetch` takes besides the store and the handler. */
export interface WithSessionFetchOptions {
  /**
   * Answers a failed request: the handler threw, or committing the session failed
   * (SessionTooLargeError, SessionValueError). No session cookie is added to what it returns.
   * Default: log the error to stderr and return a bare 500.
   */
  onError?: (error: unknown, request: Request) => Response | Promise<Response>;
}

/**
 * Wraps a Fetch API handler (Request → Response: Hono, Next.js route handlers, Bun, Deno,
 * workers) with a session, and appends the session's Set-Cookie headers to the Response it
 * returns.
 *
 * ```ts
 * export const POST = withSessionFetch(store, async (request, session) => {
 *   session.set('userId', await login(request));
 *   return Response.redirect(new URL('/', request.url), 303); // immutable headers: handled
 * });
 * ```
 *
 * The session is committed when the handler returns; it is then locked, so a change made
 * later (e.g. while the body streams) throws SessionCommittedError rather than being lost.
 * `await session.save()` is that commit made early, so a too-large session fails at that
 * line; the Response then carries what it produced.
 *
 * Errors do not propagate: a throwing handler or a failed commit is answered by `onError`, by
 * default a 500 (and the error logged). No session cookie goes with that answer, so the
 * browser keeps the cookie it had.
 */
export function withSessionFetch<T, F = AnySessionData>(
  store: SessionStore<T, F>,
  handler: FetchSessionHandler<T, F>,
  options: WithSessionFetchOptions = {},
): (request: Request) => Promise<Response> {
  const { onError } = options;
  const port = portOf<T, F>(store);
  return async (request) => {
    let handle: RequestHandle<T, F> | undefined;
    try {
      handle = await port.open(fetchFacts(request));
      if (handle.refused) return fetch403(handle.refused);
      const response = await handler(request, handle.session);
      // The commit locks the session: a change made later (while the body streams) throws.
      const commit = await handle.commit();
      return withCookies(response, commit.lines);
    } catch (error) {
      handle?.fail();
      return answerFetchFailure(error, request, onError);
    }
  };
}
