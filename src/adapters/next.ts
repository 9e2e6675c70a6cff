/**
 * Next.js: `getSession(store, await cookies())` and the `sessionProxy` for page requests.
 *
 * @module jwe-session/next
 */
import { bad } from '../options/checks.js';
import { portOf } from '../session/port.js';
import type { Session } from '../session/session.js';
import type { SessionStore } from '../session/session-store.js';
import type { AnySessionData } from '../types.js';
import { jarSession } from './cookie-jar.js';
import { answerFetchFailure, fetch403 } from './failure-response.js';
import {
  type FetchSessionHandler,
  type WithSessionFetchOptions,
  withSessionFetch,
} from './fetch.js';
import type { CookieJar } from './jar.js';
import { fetchFacts } from './request-facts.js';
import { checkSessionKeys } from './startup-keys.js';

// `next` is an optional peer: it is imported only when a function below is called, so neither
// the core nor an app that never uses this entry needs it, and its version is the app's own.
// The `.js` paths resolve the same files as `next/headers` under Node's ESM rules too.
let nextHeaders: Promise<{ cookies: () => Promise<CookieJar> }> | undefined;
let nextServer: Promise<{ NextResponse: { next(): Response } }> | undefined;

function needsNext(what: string, error: unknown): never {
  return bad(
    'next',
    `jwe-session/next could not import ${what} (${String((error as Error)?.message ?? error)}): ` +
      'install next in the app, or pass what it provides yourself (see the README, "Next.js")',
  );
}

async function requestCookies(): Promise<CookieJar> {
  nextHeaders ??= import('next/headers.js').catch((error: unknown) => {
    nextHeaders = undefined;
    return needsNext('next/headers', error);
  });
  const { cookies } = await nextHeaders;
  return cookies();
}

async function passThrough(): Promise<Response> {
  nextServer ??= import('next/server.js').catch((error: unknown) => {
    nextServer = undefined;
    return needsNext('next/server', error);
  });
  const { NextResponse } = await nextServer;
  return NextResponse.next();
}

const READ_ONLY_COMPONENT =
  'a Next.js Server Component can read cookies but not write them: change the session in a ' +
  'Server Action or Route Handler, or refresh it from proxy.ts/middleware';

/**
 * The request's session in a Server Component, a Server Action or a Route Handler, read
 * through `await cookies()` from `next/headers`.
 *
 * Nothing is written until `await session.save()`, which sets every chunk (and deletes every
 * chunk no longer needed) through the same `cookies()`, then locks the session. In a Server
 * Component, where Next.js refuses cookie writes, `save()` throws SessionReadOnlyError
 * rather than losing the change; a page's sliding refresh comes from `sessionProxy`.
 *
 * ```ts
 * 'use server';
 * export async function login(form: FormData) {
 *   const session = await getSession(store);
 *   session.regenerate();
 *   session.set('user', String(form.get('name')));
 *   await session.save();
 * }
 * ```
 *
 * `jar` replaces the `cookies()` lookup (a test, or an app that has the jar already).
 *
 * A cookie jar carries no request, so the cross-site check does not run here: it runs in
 * `sessionProxy` (proxy.ts) for every request its matcher covers, and in `withSessionFetch`.
 * Next.js checks a Server Action's Origin itself; a Route Handler it does not check.
 */
export async function getSession<T, F = AnySessionData>(
  store: SessionStore<T, F>,
  jar?: CookieJar,
): Promise<Session<T, F>> {
  // A wrong store is a programming error: say so before touching Next.js.
  portOf<T, F>(store);
  return jarSession(store, jar ?? (await requestCookies()), READ_ONLY_COMPONENT);
}

/**
 * Refuses to start a Next.js server whose store has no keys (`SESSION_KEYS` unset outside
 * development): call it from the `register()` of `instrumentation.ts`, which Next.js runs once
 * when the server starts and never during `next build`.
 *
 * ```ts
 * // instrumentation.ts (next to app/)
 * import { requireSessionKeys } from 'jwe-session/next';
 * import { store } from './lib/session';
 *
 * export const register = () => requireSessionKeys(store);
 * ```
 *
 * Next.js only logs an error thrown by `register()`, then answers 500 to every request. So
 * where the process can be ended (the Node.js runtime), the SessionConfigError's message goes
 * to stderr and the process exits with code 1, before it has answered anything; elsewhere (the
 * Edge runtime) the error is thrown. Nothing here runs when route modules are imported, which
 * is why `getSession`, `sessionProxy` and `withSessionFetch` check no keys themselves.
 */
export function requireSessionKeys<T, F>(store: SessionStore<T, F>): void {
  try {
    checkSessionKeys(store);
  } catch (error) {
    const proc = (globalThis as { process?: { exit?: (code: number) => never } }).process;
    // By code, not class: the store may come from another copy of the library in the bundle.
    const misconfigured = (error as { code?: unknown } | null)?.code === 'ERR_SESSION_CONFIG';
    if (!misconfigured || typeof proc?.exit !== 'function') throw error;
    console.error(`jwe-session: ${(error as Error).message}`);
    proc.exit(1);
  }
}

/** What `sessionProxy` answers with: by default `NextResponse.next()`. */
export type ProxySessionHandler<T, F = AnySessionData> = FetchSessionHandler<T, F>;

/** What `sessionProxy` takes besides the store and the handler: the Fetch wrapper's options. */
export type SessionProxyOptions = WithSessionFetchOptions;

const READ_ONLY =
  'proxy.ts writes the session only on GET and HEAD page requests (not on a Server Action, a ' +
  'form POST or a prefetch, whose own route may write it): change it in the Server Action or ' +
  'Route Handler';

/**
 * Whether proxy.ts may write the session for this request. A Server Action or a Route
 * Handler on POST writes its own cookies in the same response, and two writers of one cookie
 * would race; a prefetch would slide or spend a flash for a page nobody has seen yet.
 */
function mayWrite(request: Request): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const { headers } = request;
  return !(
    headers.has('next-action') ||
    headers.has('next-router-prefetch') ||
    headers.get('purpose') === 'prefetch' ||
    headers.get('sec-purpose')?.includes('prefetch') === true
  );
}

/**
 * The `proxy` of a Next.js `proxy.ts` (Next.js 16; `middleware.ts` before it): on each page
 * request it loads the session and writes it back only when it must, which Server Components
 * cannot do themselves:
 * - the idle deadline slides (the cookie is re-sealed once `refreshAfter` has passed),
 * - a flash read by the page goes (the page reads the request's cookie, which still has it),
 * - a cookie sealed under an old key is re-sealed under the first one,
 * - a rejected cookie (expired, tampered, an old format) is deleted, every chunk (not one of
 *   a newer data version, which is left for the deploy that wrote it).
 * A request that needs none of these gets no Set-Cookie.
 *
 * ```ts
 * // proxy.ts
 * import { sessionProxy } from 'jwe-session/next';
 * import { store } from './lib/session';
 *
 * export const proxy = sessionProxy(store);
 * export const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'] };
 * ```
 *
 * `handler` answers the request (default `NextResponse.next()`); it gets the session, so it
 * can redirect a visitor without a login, and a change it makes on a GET is written too. On
 * other requests (a Server Action, a form POST, a prefetch) the session is read-only here and
 * nothing is written: the route that handles the request owns its cookie. A GET Route
 * Handler that changes the session should be left out of the matcher, for the same reason.
 *
 * A failure (the handler threw, the commit failed) is answered by `onError`, by default a
 * 500 with the error logged, and carries no session cookie.
 *
 * The cross-site check (docs/cross-site.md) runs here for every request the matcher covers,
 * before any route code: a form POST to a Route Handler (which Next.js does not check) or a
 * Server Action (which Next.js checks too, by Origin against Host) that the browser marks as
 * cross-site is answered 403. Keep state-changing Route Handlers under the matcher.
 */
export function sessionProxy<T, F = AnySessionData>(
  store: SessionStore<T, F>,
  handler: ProxySessionHandler<T, F> = passThrough,
  options: SessionProxyOptions = {},
): (request: Request) => Promise<Response> {
  const port = portOf<T, F>(store);
  const writing = withSessionFetch(store, handler, options);
  const { onError } = options;
  return async (request) => {
    if (mayWrite(request)) return writing(request);
    try {
      const handle = await port.open(fetchFacts(request), { readOnly: READ_ONLY });
      if (handle.refused) return fetch403(handle.refused);
      return await handler(request, handle.session);
    } catch (error) {
      return answerFetchFailure(error, request, onError);
    }
  };
}
