import { portOf } from '../session/port.js';
import { type Session, stateOf } from '../session/session.js';
import type { SessionStore } from '../session/session-store.js';
import { lockSession, type SessionState } from '../session/state.js';
import type { AnySessionData } from '../types.js';
import { fetch500 } from './fetch-500.js';

/** A Fetch API handler that also gets the session. */
export type FetchSessionHandler<T, F = AnySessionData> = (
  request: Request,
  session: Session<T, F>,
) => Response | Promise<Response>;

export interface WithSessionFetchOptions {
  /**
   * Answers a failed request: the handler threw, or committing the session failed
   * (SessionTooLargeError, SessionValueError). No session cookie is added to what it returns.
   * Default: log the error to stderr and return a bare 500.
   */
  onError?: (error: unknown, request: Request) => Response | Promise<Response>;
}

const FAILED = 'the request failed, so the session was not saved and cannot be changed';

/**
 * Adds Set-Cookie values to a response. Responses from `Response.redirect()` or `fetch()` have
 * immutable headers; for those a new Response is built with the same body,
 * status, status text and headers, plus ours.
 */
function withCookies(response: Response, cookies: readonly string[]): Response {
  // A network error (Response.error()) has no headers to carry cookies; it stays an error.
  if (cookies.length === 0 || response.type === 'error') return response;
  try {
    for (const cookie of cookies) response.headers.append('Set-Cookie', cookie);
    return response;
  } catch {
    // Immutable headers throw on the first append, so nothing was added to the original.
    const copy = new Response(response.body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
    for (const cookie of cookies) copy.headers.append('Set-Cookie', cookie);
    return copy;
  }
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
    let state: SessionState | undefined;
    try {
      const session = await port.load(request.headers.get('cookie'));
      state = stateOf(session);
      const response = await handler(request, session);
      // The commit locks the session: a change made later (while the body streams) throws.
      const commit = await port.commit(session);
      return withCookies(response, commit.lines);
    } catch (error) {
      if (state && !state.locked) lockSession(state, FAILED);
      if (!onError) return fetch500(error);
      try {
        return await onError(error, request);
      } catch (failure) {
        return fetch500(failure);
      }
    }
  };
}
