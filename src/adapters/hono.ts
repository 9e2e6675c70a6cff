/**
 * Hono middleware: `app.use(honoSession(store))`.
 *
 * @module jwe-session/hono
 */
import type { MiddlewareHandler } from 'hono';
import { portOf } from '../session/port.js';
import type { Session } from '../session/session.js';
import type { SessionStore } from '../session/session-store.js';
import type { AnySessionData } from '../types.js';
import { commitOrFail } from './commit-or-fail.js';
import { fetch403 } from './failure-response.js';
import { fetchFacts } from './request-facts.js';
import { withCookies } from './response-cookies.js';
import { checkSessionKeys } from './startup-keys.js';

/** The context variables the middleware sets: `c.get('session')`, `c.var.session`. */
export interface SessionVariables<T = AnySessionData, F = AnySessionData> {
  session: Session<T, F>;
}

/**
 * The Hono env the middleware adds, for `new Hono<SessionEnv<Data>>()` (or to intersect with
 * the app's own: `{ Bindings: …; Variables: SessionVariables<Data> & {…} }`).
 */
export interface SessionEnv<T = AnySessionData, F = AnySessionData> {
  Variables: SessionVariables<T, F>;
}

/**
 * Hono middleware: the session as `c.get('session')`, committed when the handler has
 * returned its Response, with the Set-Cookie headers appended to `c.res`. Works wherever
 * Hono runs (`@hono/node-server`, Bun, Deno, workers): it uses only the Fetch API.
 *
 * ```ts
 * const app = new Hono<SessionEnv<Data>>();
 * app.use(honoSession(store));
 * app.post('/login', async (c) => {
 *   c.get('session').regenerate();
 *   c.get('session').set('userId', '42');
 *   return c.redirect('/', 303);
 * });
 * ```
 *
 * - The commit locks the session: a change made later, such as inside a `stream()` or
 *   `streamSSE()` callback after the response has started, throws SessionCommittedError
 *   rather than being lost. Make changes before the first `await` of the callback, or
 *   `await c.get('session').save()` before returning the stream.
 * - A handler that threw (answered by `app.onError`) commits nothing.
 * - A failed commit (SessionTooLargeError, SessionValueError) is thrown into Hono's error
 *   handling: `app.onError` gets it, or Hono's default answers a bare 500. No session cookie
 *   goes with that answer, so the browser keeps the cookie it had.
 * - Missing keys (`SESSION_KEYS` unset outside development) throw SessionConfigError here,
 *   when the app is wired, not at its first request.
 */
export function honoSession<T, F = AnySessionData>(
  store: SessionStore<T, F>,
): MiddlewareHandler<SessionEnv<T, F>> {
  const port = portOf<T, F>(store);
  checkSessionKeys(store);
  return async (c, next) => {
    const opened = port.open(fetchFacts(c.req.raw));
    // A session that needs no decryption (no cookie, a token-cache hit) is attached at once.
    const handle = opened instanceof Promise ? await opened : opened;
    // Refused as cross-site: the Response returned here is the answer; no handler runs.
    if (handle.refused) return fetch403(handle.refused);
    c.set('session', handle.session);
    await next();
    if (c.error) {
      handle.fail();
      return undefined;
    }
    const commit = await commitOrFail(handle);
    // Hono's `c.res` setter carries the old response's headers over (its Set-Cookie lines
    // replacing the new one's), so a copy is made through it, then takes our cookies.
    withCookies(c.res, commit.lines, (response) => {
      c.res = new Response(response.body, response);
      return c.res;
    });
    return undefined;
  };
}
