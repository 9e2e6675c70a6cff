import type { Context, MiddlewareHandler } from 'hono';
import type { Commit } from '../session/commit.js';
import { portOf } from '../session/port.js';
import { type Session, stateOf } from '../session/session.js';
import type { SessionStore } from '../session/session-store.js';
import { lockSession } from '../session/state.js';
import type { AnySessionData } from '../types.js';
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

const FAILED = 'the request failed, so the session was not saved and cannot be changed';

// A Response from fetch() or Response.redirect() has immutable headers: the first append
// throws (adding nothing), and a copy with the same body, status and headers takes them.
function appendCookies(c: Context, lines: readonly string[]): void {
  try {
    for (const line of lines) c.res.headers.append('set-cookie', line);
  } catch {
    c.res = new Response(c.res.body, c.res);
    for (const line of lines) c.res.headers.append('set-cookie', line);
  }
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
    const loaded = port.load(c.req.header('cookie'));
    // A session that needs no decryption (no cookie, a token-cache hit) is attached at once.
    const session = loaded instanceof Promise ? await loaded : loaded;
    c.set('session', session);
    await next();
    const state = stateOf(session);
    if (c.error) {
      if (!state.locked) lockSession(state, FAILED);
      return;
    }
    let commit: Commit;
    try {
      const pending = port.commit(session);
      commit = pending instanceof Promise ? await pending : pending;
    } catch (error) {
      if (!state.locked) lockSession(state, FAILED);
      throw error;
    }
    if (commit.lines.length > 0) appendCookies(c, commit.lines);
  };
}
