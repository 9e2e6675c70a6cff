/**
 * React Router's middleware (`reactRouterSession`) and a `SessionStorage` (`createJweSessionStorage`).
 *
 * @module jwe-session/react-router
 */
import type { MiddlewareFunction, RouterContext } from 'react-router';
import { portOf } from '../session/port.js';
import type { Session } from '../session/session.js';
import type { SessionStore } from '../session/session-store.js';
import type { AnySessionData } from '../types.js';
import { commitOrFail } from './commit-or-fail.js';
import { fetch403 } from './failure-response.js';
import { fetchFacts } from './request-facts.js';
import { withCookies } from './response-cookies.js';
import { checkSessionKeys } from './startup-keys.js';

export {
  createJweSessionStorage,
  type JweRouterSession,
  type JweSessionStorage,
} from './react-router-storage.js';

/**
 * React Router's middleware (always on in React Router 8; behind `future.v8_middleware` in 7),
 * for the root route's `middleware` export: the session as `context.get(sessionContext)` in
 * every loader and action, committed once the route has answered, with every Set-Cookie line
 * (chunks, deletions, re-seals and sliding refreshes) appended to the Response.
 *
 * ```ts
 * // app/session.server.ts
 * export const store = createSessionStore<Data>();
 * export const sessionContext = createContext<Session<Data>>();
 * export const sessionMiddleware = reactRouterSession(store, sessionContext);
 * // app/root.tsx
 * export const middleware = [sessionMiddleware];
 * ```
 *
 * - A cross-site request (see the store's `crossSite`) is answered 403 here: no loader or
 *   action runs, and no cookie is sent.
 * - A response of status 500 or more (a loader or action threw, and an ErrorBoundary
 *   rendered it) commits nothing: the browser keeps the cookie it had.
 * - A failed commit (SessionTooLargeError, SessionValueError) is thrown into React Router's
 *   error handling, with no session cookie. `await session.save()` in the action commits
 *   early, so it can answer such a failure itself (a 413).
 * - Missing keys (`SESSION_KEYS` unset outside development) throw SessionConfigError here,
 *   when the app module is loaded, not at its first request.
 */
export function reactRouterSession<T, F = AnySessionData>(
  store: SessionStore<T, F>,
  sessionContext: RouterContext<Session<T, F>>,
): MiddlewareFunction<Response> {
  const port = portOf<T, F>(store);
  checkSessionKeys(store);
  return async ({ request, context }, next) => {
    const opened = port.open(fetchFacts(request));
    const handle = opened instanceof Promise ? await opened : opened;
    if (handle.refused) return fetch403(handle.refused);
    context.set(sessionContext, handle.session);
    // React Router's `next()` never throws: what a loader or action threw comes back as the
    // response its ErrorBoundary rendered.
    const response = await next();
    if (response.status >= 500) {
      handle.fail();
      return response;
    }
    const commit = await commitOrFail(handle);
    return withCookies(response, commit.lines);
  };
}
