/**
 * The SvelteKit hook: `export const handle = sveltekitSession(store)`.
 *
 * @module jwe-session/sveltekit
 */
import type { sequence } from '@sveltejs/kit/hooks';
import { portOf } from '../session/port.js';
import type { Session } from '../session/session.js';
import type { SessionStore } from '../session/session-store.js';
import type { AnySessionData } from '../types.js';
import { commitOrFail } from './commit-or-fail.js';
import { fetch403 } from './failure-response.js';
import { fetchFacts } from './request-facts.js';
import { withCookies } from './response-cookies.js';
import { checkSessionKeys } from './startup-keys.js';

/**
 * SvelteKit's `Handle`: SvelteKit 2 exports the type from `@sveltejs/kit`, SvelteKit 3 from
 * `@sveltejs/kit/hooks` only; `sequence()`, which takes Handles, is in `/hooks` in both.
 */
type Handle = Parameters<typeof sequence>[number];

/**
 * What the handle puts on `event.locals`. The app declares it once, in `src/app.d.ts`:
 *
 * ```ts
 * declare global {
 *   namespace App {
 *     interface Locals extends SessionLocals<Data> {}
 *   }
 * }
 * ```
 */
export interface SessionLocals<T = AnySessionData, F = AnySessionData> {
  session: Session<T, F>;
}

// `event.fetch` from a load function to the app's own endpoint runs the hooks again, in the
// same process, on a request SvelteKit made up with the browser's cookies. SvelteKit copies
// that answer's Set-Cookie lines into the outer response, where the outer request's own commit
// would then compete with them: one request, one writer.
const SUB_REQUEST =
  'this is a SvelteKit sub-request (event.fetch to an endpoint of this app), whose session is ' +
  'read-only: change the session in the load function or form action that made the fetch, ' +
  'which writes the cookie';

/**
 * A SvelteKit `handle` hook: the session as `event.locals.session` in every form action,
 * `load` function and `+server` endpoint of the request (one object for all of them), committed
 * when `resolve(event)` has produced the Response, with the Set-Cookie lines appended to it.
 * Because it owns the response, every request can move the idle deadline, re-seal a cookie
 * sealed under an older key, or delete a rejected one, a read-only page view included (a
 * cookie jar, written only by an explicit `save()`, cannot).
 *
 * ```ts
 * // src/hooks.server.ts
 * export const handle = sveltekitSession(store); // or sequence(sveltekitSession(store), …)
 * ```
 *
 * - A request refused as cross-site is answered 403 here; no route runs.
 * - The commit locks the session: a change after the response started (a streamed promise
 *   from `load` resolving later) throws SessionCommittedError rather than being lost.
 * - A 5xx response (a route that threw, which SvelteKit answers with its error page, or a 5xx
 *   the app returned) commits nothing: the browser keeps the cookie it had. Redirects and
 *   `error(4xx)` are answers, and commit as any other.
 * - A failed commit (SessionTooLargeError, SessionValueError) is thrown from the hook:
 *   SvelteKit passes it to `handleError` and answers its own 500 page, which carries no
 *   cookie of ours (nor of `event.cookies`). Call `await event.locals.session.save()` in the
 *   action to answer a too-large session there instead.
 * - In a sub-request (`event.fetch` to the app's own endpoint) the session is read-only and
 *   nothing is committed: the outer request writes the cookie.
 * - Missing keys (`SESSION_KEYS` unset outside development) throw SessionConfigError here,
 *   when `hooks.server` is loaded, not at the first request. `vite build` does not load it.
 */
export function sveltekitSession<T, F = AnySessionData>(store: SessionStore<T, F>): Handle {
  const port = portOf<T, F>(store);
  checkSessionKeys(store);
  return async ({ event, resolve }) => {
    const sub = event.isSubRequest;
    const opened = port.open(fetchFacts(event.request), sub ? { readOnly: SUB_REQUEST } : {});
    const handle = opened instanceof Promise ? await opened : opened;
    if (handle.refused) return fetch403(handle.refused);
    // Through unknown: an app whose App.Locals names its own Data makes the direct cast fail.
    (event.locals as unknown as SessionLocals<T, F>).session = handle.session;
    let response: Response;
    try {
      response = await resolve(event);
    } catch (error) {
      handle.fail();
      throw error;
    }
    if (sub) return response;
    if (response.status >= 500) {
      handle.fail();
      return response;
    }
    const commit = await commitOrFail(handle).catch((error: unknown) => {
      // SvelteKit answers the thrown error with a response of its own; this one is dropped.
      response.body?.cancel().catch(() => {});
      throw error;
    });
    return withCookies(response, commit.lines);
  };
}
