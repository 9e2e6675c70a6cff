import type { Session } from '../session/session.js';
import type { SessionStore } from '../session/session-store.js';
import type { AnySessionData } from '../types.js';
import { jarSession } from './cookie-jar.js';

/**
 * A framework's cookie object, structurally: Next.js `await cookies()`, SvelteKit
 * `event.cookies`, Astro `Astro.cookies`, or two functions over h3/Nuxt's getCookie/setCookie.
 */
export interface CookieJar {
  /** The cookie's value as the browser sent it, or `{ value }` (Next.js, Astro). */
  get(name: string): string | { readonly value: string } | null | undefined;
  set(name: string, value: string, options: JarCookieOptions): void;
}

/** The attributes of one cookie, in the shape every such jar takes. */
export interface JarCookieOptions {
  path: string;
  domain?: string;
  secure: boolean;
  httpOnly: boolean;
  sameSite: 'lax' | 'strict' | 'none';
  /** Seconds; 0 deletes the cookie. Absent for a browser-session cookie. */
  maxAge?: number;
  partitioned?: boolean;
  priority?: 'low' | 'medium' | 'high';
}

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
