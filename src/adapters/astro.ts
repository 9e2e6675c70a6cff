/**
 * Astro middleware: `export const onRequest = astroSession(store)`.
 *
 * @module jwe-session/astro
 */
import type { APIContext, MiddlewareHandler } from 'astro';
import { SessionConfigError } from '../errors.js';
import type { Commit } from '../session/commit.js';
import { portOf, type RequestHandle } from '../session/port.js';
import type { Session } from '../session/session.js';
import type { SessionStore } from '../session/session-store.js';
import type { AnySessionData } from '../types.js';
import { fetch403 } from './failure-response.js';
import { fetchFacts } from './request-facts.js';
import { withCookies } from './response-cookies.js';
import { checkSessionKeys } from './startup-keys.js';

/**
 * What the middleware adds to `Astro.locals` / `context.locals`. Declare it once, in
 * `src/env.d.ts`: `declare namespace App { interface Locals extends SessionLocals<Data> {} }`.
 */
export interface SessionLocals<T = AnySessionData, F = AnySessionData> {
  session: Session<T, F>;
}

/**
 * The handles of the requests under way, by their `locals`: Astro runs the middleware again for
 * a rewrite (`Astro.rewrite`, `next('/path')`) with the same `locals`, and that inner run must
 * see the same session, and leave the commit to the outer run, which owns the response.
 */
const underWay = new WeakMap<object, RequestHandle<unknown, unknown>>();

const PRERENDERED =
  'is read on a page prerendered at build time, where there is no request and no cookie: ' +
  'add `export const prerender = false` to that page (or endpoint) so it renders per request';

function setSession(locals: object, session: unknown): void {
  // Configurable: Astro renders its error page with the same `locals`, and that run sets it anew.
  Object.defineProperty(locals, 'session', {
    value: session,
    configurable: true,
    enumerable: true,
    writable: true,
  });
}

function refuseOnPrerendered(context: APIContext): void {
  Object.defineProperty(context.locals, 'session', {
    configurable: true,
    enumerable: false,
    get(): never {
      throw new SessionConfigError(
        'export const prerender',
        `locals.session ${PRERENDERED} (route ${context.routePattern})`,
      );
    },
  });
}

/**
 * Astro middleware: the session as `context.locals.session` (`Astro.locals.session` in pages,
 * `locals.session` in endpoints), committed after the route has produced its Response, with
 * the Set-Cookie lines appended to it.
 *
 * ```ts
 * // src/middleware.ts
 * export const onRequest = astroSession(store);
 * // or, with middleware of the app's own after it (they see locals.session):
 * export const onRequest = sequence(astroSession(store), requireUser);
 * ```
 *
 * - Every request commits, reads included, so a reader's cookie slides its idle deadline,
 *   is re-sealed under a new first key, or is deleted when it was rejected.
 * - A cross-site request the check refuses is answered 403 here; the route does not run.
 * - The commit locks the session: a change made after it (in a component rendered while the
 *   page streams) throws SessionCommittedError rather than being lost. Change the session in
 *   the page's frontmatter, an endpoint or middleware, or `await session.save()` first.
 * - A route that threw, or a failed commit (SessionTooLargeError, SessionValueError), sends no
 *   session cookie: the error is rethrown to Astro, which logs it and renders `src/pages/500`
 *   (with `Astro.props.error`, and the session as the browser sent it) or a bare 500.
 * - A prerendered page has no request: no session is opened there, and reading
 *   `locals.session` throws SessionConfigError saying to set `export const prerender = false`.
 * - Missing keys (`SESSION_KEYS` unset outside development) throw SessionConfigError here,
 *   where `src/middleware` is loaded, not at the first request.
 */
export function astroSession<T, F = AnySessionData>(store: SessionStore<T, F>): MiddlewareHandler {
  const port = portOf<T, F>(store);
  checkSessionKeys(store);
  return async (context, next) => {
    if (context.isPrerendered) {
      refuseOnPrerendered(context);
      return next();
    }
    const locals = context.locals as object;
    if (underWay.has(locals)) return next();
    const opened = port.open(fetchFacts(context.request));
    const handle = opened instanceof Promise ? await opened : opened;
    // Refused as cross-site: this 403 is the answer; the route does not run.
    if (handle.refused) return fetch403(handle.refused);
    setSession(locals, handle.session);
    underWay.set(locals, handle as RequestHandle<unknown, unknown>);
    try {
      const response = await next();
      const pending = handle.commit();
      const commit: Commit = pending instanceof Promise ? await pending : pending;
      return withCookies(response, commit.lines);
    } catch (error) {
      handle.fail();
      throw error;
    } finally {
      underWay.delete(locals);
    }
  };
}
