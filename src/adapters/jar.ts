import type { SerializeOptions } from 'cookie';
import { SessionReadOnlyError } from '../errors.js';
import type { Commit } from '../session/commit.js';
import { portOf } from '../session/port.js';
import { type Session, stateOf } from '../session/session.js';
import type { SessionStore } from '../session/session-store.js';
import type { AnySessionData } from '../types.js';

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

function jarOptions(attributes: SerializeOptions, maxAge: number | undefined): JarCookieOptions {
  const options: JarCookieOptions = {
    path: attributes.path ?? '/',
    secure: attributes.secure === true,
    httpOnly: attributes.httpOnly === true,
    sameSite: (attributes.sameSite as JarCookieOptions['sameSite'] | undefined) ?? 'lax',
  };
  if (attributes.domain !== undefined) options.domain = attributes.domain;
  if (maxAge !== undefined) options.maxAge = maxAge;
  if (attributes.partitioned) options.partitioned = true;
  if (attributes.priority !== undefined) options.priority = attributes.priority;
  return options;
}

function jarValue(entry: ReturnType<CookieJar['get']>): string | undefined {
  if (entry === null || entry === undefined) return undefined;
  return typeof entry === 'string' ? entry : entry.value;
}

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
 * A jar that refuses writes (a Next.js Server Component) makes `save()` throw
 * SessionReadOnlyError, never lose the change silently.
 */
export async function sessionFromJar<T, F = AnySessionData>(
  store: SessionStore<T, F>,
  jar: CookieJar,
): Promise<Session<T, F>> {
  const port = portOf<T, F>(store);
  const attributes = port.cookieAttributes;
  const session = await port.load((name) => jarValue(jar.get(name)));
  let written: Commit | undefined;
  stateOf(session).sink = (commit: Commit) => {
    // save() again answers with the same commit: its cookies are in the jar already.
    if (commit === written) return;
    written = commit;
    for (const cookie of commit.cookies) {
      try {
        jar.set(cookie.name, cookie.value, jarOptions(attributes, cookie.maxAge));
      } catch (error) {
        throw new SessionReadOnlyError(
          'the cookie jar refused to set the session cookie (a Next.js Server Component can ' +
            'read cookies but not write them): change the session in a Server Action or Route ' +
            `Handler, or refresh it from proxy.ts/middleware (${String((error as Error)?.message ?? error)})`,
        );
      }
    }
  };
  return session;
}
