/**
 * A session over a framework's cookie jar (h3, Koa, ...): `sessionFromJar(store, jar)`.
 *
 * @module jwe-session/jar
 */
import type { Session } from '../session/session.js';
import type { SessionStore } from '../session/session-store.js';
import type { AnySessionData } from '../types.js';
import { type CookieJar, jarSession } from './cookie-jar.js';

export type { CookieJar, JarCookieOptions } from './cookie-jar.js';

const GENERIC_ADVICE =
  'save the session where the framework lets the request set cookies, before the response ' +
  'has been sent';

/**
 * Loads the session through a framework's cookie jar. There is no response to hook, so the
 * app commits with `await session.save()`, which writes every chunk (and the deletion of
 * every chunk no longer needed) through `jar.set`; then the session is locked.
 *
 * ```ts
 * // Next.js Server Action
 * const session = await sessionFromJar(store, await cookies());
 * session.set('userId', user.id);
 * await session.save();
 * ```
 *
 * A jar that refuses a write (a Next.js Server Component; SvelteKit's `cookies` once the
 * response was generated) makes `save()` throw SessionReadOnlyError, never lose the change
 * silently. A refused write is a failed commit, as a too-large one is: nothing of it is
 * recorded and the session stays open, so the next `save()` seals and writes every cookie
 * again (and throws again while the jar refuses). A jar that refused part-way (the second
 * chunk of a chunked session) may keep the chunks it took: until a `save()` succeeds, the
 * browser sends an incomplete or mixed set of chunks, which the next request rejects (an
 * empty session with the reason) and deletes at its next commit.
 */
export function sessionFromJar<T, F = AnySessionData>(
  store: SessionStore<T, F>,
  jar: CookieJar,
): Promise<Session<T, F>> {
  return jarSession(store, jar, GENERIC_ADVICE);
}
