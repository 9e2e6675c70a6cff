import type { SerializeOptions } from 'cookie';
import { SessionReadOnlyError } from '../errors.js';
import type { Commit } from '../session/commit.js';
import { portOf } from '../session/port.js';
import type { Session } from '../session/session.js';
import type { SessionStore } from '../session/session-store.js';
import type { AnySessionData } from '../types.js';
import { describeThrown } from '../util/describe-thrown.js';

/**
 * A framework's cookie object, structurally: Next.js `await cookies()`, SvelteKit
 * `event.cookies`, Astro `Astro.cookies`, or two functions over h3/Nuxt's getCookie/setCookie.
 */
export interface CookieJar {
  /** The cookie's value as the browser sent it, or `{ value }` (Next.js, Astro). */
  get(name: string): string | { readonly value: string } | null | undefined;
  /** Sets (or, with `maxAge: 0`, deletes) one cookie on the response. */
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
 * `sessionFromJar`, with the advice a refused write gives: only an entry that knows its
 * framework (jwe-session/next) can say where that framework lets a request write cookies.
 */
export async function jarSession<T, F = AnySessionData>(
  store: SessionStore<T, F>,
  jar: CookieJar,
  readOnlyAdvice: string,
): Promise<Session<T, F>> {
  const port = portOf<T, F>(store);
  const attributes = port.cookieAttributes;
  // Called by the commit before it is recorded: a refusal fails the commit (see OpenOptions).
  const write = (commit: Commit): void => {
    for (const cookie of commit.cookies) {
      try {
        jar.set(cookie.name, cookie.value, jarOptions(attributes, cookie.maxAge));
      } catch (error) {
        throw new SessionReadOnlyError(
          `the cookie jar refused to set the session cookie (${describeThrown(error)}): ${readOnlyAdvice}`,
        );
      }
    }
  };
  const handle = await port.open({ cookie: (name) => jarValue(jar.get(name)) }, { write });
  return handle.session;
}
