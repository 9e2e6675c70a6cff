import type {
  CookieSerializeOptions,
  Session as RouterSession,
  SessionStorage,
} from 'react-router';
import type { SessionRecord } from '../codec/token-format.js';
import { SessionConfigError, SessionTooLargeError } from '../errors.js';
import type { Commit } from '../session/commit.js';
import { largestKeys } from '../session/commit-write.js';
import { portOf, type RequestHandle } from '../session/port.js';
import type { Session } from '../session/session.js';
import type { SessionStore } from '../session/session-store.js';
import type { AnySessionData } from '../types.js';
import { checkSessionKeys } from './startup-keys.js';

/** A session of `createJweSessionStorage`: React Router's `Session`, over jwe-session's. */
export interface JweRouterSession<T = AnySessionData, F = AnySessionData>
  extends RouterSession<T, F> {
  /**
   * The jwe-session session underneath: `regenerate({ subject })` at sign-in, `rejection`,
   * `subject`, `options()`, `csrfToken()`. Changes made here are committed by `commitSession`.
   */
  readonly jwe: Session<T, F>;
}

/** React Router's `SessionStorage`, whose sessions are `JweRouterSession`s. */
export interface JweSessionStorage<T = AnySessionData, F = AnySessionData>
  extends SessionStorage<T, F> {
  getSession(cookieHeader?: string | null): Promise<JweRouterSession<T, F>>;
}

// React Router's own spelling of a flash key in the data, so `session.data` reads the same.
const flashKey = (name: string): string => `__flash_${name}__`;

const ADVICE =
  "React Router's commitSession returns one Set-Cookie value, so this storage writes one " +
  'cookie and never chunks: keep less in the session, or use the reactRouterSession ' +
  'middleware from jwe-session/react-router, which splits a large session over several cookies';

// The session data's own keys, typed loosely: React Router's flash keys are not in `T`.
type Loose = Session<Record<string, unknown>, AnySessionData>;

class JweSession<T, F> implements JweRouterSession<T, F> {
  readonly jwe: Session<T, F>;
  /** @internal */
  readonly handle: RequestHandle<T, F>;

  constructor(handle: RequestHandle<T, F>) {
    this.handle = handle;
    this.jwe = handle.session;
  }

  get #loose(): Loose {
    return this.jwe as unknown as Loose;
  }

  // The session's id (what `store.revokeSession` takes); '' until it is first sealed, as
  // React Router's cookie sessions always are.
  get id(): string {
    return this.jwe.id ?? '';
  }

  get data(): RouterSession<T, F>['data'] {
    return this.jwe.toJSON() as RouterSession<T, F>['data'];
  }

  has(name: string): boolean {
    return this.#loose.has(name) || this.#loose.has(flashKey(name));
  }

  // A flashed value is read once: it leaves the data now, and the cookie at the next commit.
  // Unread, it stays, however many commits pass (React Router's semantics, not `jwe.flash`'s).
  get(name: string): never {
    const session = this.#loose;
    if (session.has(name)) return session.get(name) as never;
    const key = flashKey(name);
    if (!session.has(key)) return undefined as never;
    const value = session.get(key);
    session.delete(key);
    return value as never;
  }

  set(name: string, value: unknown): void {
    this.#loose.set(name, value);
  }

  flash(name: string, value: unknown): void {
    this.#loose.set(flashKey(name), value);
  }

  unset(name: string): void {
    this.#loose.delete(name);
  }
}

function ours<T, F>(session: RouterSession<T, F>): JweSession<T, F> {
  if (session instanceof JweSession) return session as JweSession<T, F>;
  throw new TypeError(
    'expected a session from this storage’s getSession() (jwe-session/react-router), not one from createSession() or another storage',
  );
}

/**
 * React Router's `commitSession` options: `maxAge` and `expires` are the session's idle
 * timeout from now (0 or a past date ends it); the cookie's other attributes are the store's.
 */
function applyOptions<T, F>(
  session: JweSession<T, F>,
  options: CookieSerializeOptions | undefined,
  call: string,
): void {
  if (options === undefined) return;
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined || name === 'maxAge' || name === 'expires') continue;
    throw new SessionConfigError(
      `${call}(session, { ${name} })`,
      "the cookie's attributes are the store's: set cookie." +
        `${name} in createSessionStore() instead`,
    );
  }
  if (call !== 'commitSession') return;
  const { maxAge, expires } = options;
  const seconds =
    maxAge != null
      ? maxAge
      : expires != null
        ? Math.floor((expires.getTime() - Date.now()) / 1000)
        : undefined;
  if (seconds === undefined) return;
  if (seconds <= 0) session.jwe.destroy();
  else session.jwe.options({ idleTimeout: seconds });
}

/**
 * The one Set-Cookie value React Router's API can carry: the session's first cookie (its
 * only one: this storage never chunks), or '' when nothing changed. The deletion of chunks
 * the middleware once wrote is left out: without their first chunk they are never read.
 */
function firstLine(commit: Commit, name: string): string {
  const index = commit.cookies.findIndex((cookie) => cookie.name === name);
  return index < 0 ? '' : (commit.lines[index] as string);
}

/**
 * React Router's `SessionStorage` (`getSession`, `commitSession`, `destroySession`) on a
 * jwe-session store: an app on `createCookieSessionStorage` moves by changing that one call.
 *
 * ```ts
 * export const { getSession, commitSession, destroySession } =
 *   createJweSessionStorage(createSessionStore<Data, Flash>());
 * ```
 *
 * Where it differs from `createCookieSessionStorage` (docs/react-router.md):
 * - `commitSession` returns '' when nothing changed (no cookie to set), and commits once:
 *   afterwards the session is locked, and a change throws SessionCommittedError.
 * - One cookie only: past `cookie.maxChunkBytes` (4096) commitSession throws
 *   SessionTooLargeError, as React Router's throws past 4096; the middleware chunks instead.
 * - `maxAge`/`expires` set the session's idle timeout (at most the store's); other cookie
 *   attributes are the store's, and passing one throws SessionConfigError.
 * - `set` takes JSON values only (SessionValueError at once for a Date, a Map, …).
 * - It sees only a Cookie header, so no cross-site check runs: the middleware does that.
 */
export function createJweSessionStorage<T, F = AnySessionData>(
  store: SessionStore<T, F>,
): JweSessionStorage<T, F> {
  const port = portOf<T, F>(store);
  checkSessionKeys(store);
  const commitLine = async (session: JweSession<T, F>): Promise<string> => {
    const pending = session.handle.commit();
    return firstLine(pending instanceof Promise ? await pending : pending, port.cookieName);
  };
  return {
    async getSession(cookieHeader) {
      let session: JweSession<T, F> | undefined;
      // Refuses a commit that would need a second cookie before anything is recorded, so the
      // session stays open and the browser's cookie stays valid (as any too-large commit).
      const write = (commit: Commit): void => {
        const written = commit.cookies.filter((cookie) => cookie.maxAge !== 0);
        if (written.length <= 1) return;
        // The one line it would take: the first chunk's, with the other chunks' values in it.
        const rest = written.slice(1).reduce((sum, cookie) => sum + cookie.value.length, 0);
        const size = (commit.lines[0] as string).length + rest;
        const data = (session as JweSession<T, F>).jwe.toJSON() as SessionRecord;
        throw new SessionTooLargeError(size, port.chunkBytes, largestKeys(data), ADVICE);
      };
      const opened = port.open({ cookie: cookieHeader }, { write });
      session = new JweSession<T, F>(opened instanceof Promise ? await opened : opened);
      return session;
    },
    async commitSession(session, options) {
      const ours_ = ours(session);
      applyOptions(ours_, options, 'commitSession');
      return commitLine(ours_);
    },
    async destroySession(session, options) {
      const ours_ = ours(session);
      applyOptions(ours_, options, 'destroySession');
      ours_.jwe.destroy();
      return commitLine(ours_);
    },
  };
}
