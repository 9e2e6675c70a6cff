import { copyJsonValue } from '../codec/json-value.js';
import type { SessionRecord } from '../codec/token-format.js';
import { SessionCommittedError, type SessionRejectedError } from '../errors.js';
import type { AnySessionData, CookieInfo } from '../types.js';
import type { Commit } from './commit.js';
import {
  chooseLifetime,
  lifetimeOf,
  type SessionLifetime,
  type SessionLifetimeOptions,
} from './lifetime.js';
import {
  checkSubject,
  destroyState,
  type RegenerateOptions,
  regenerateState,
  type SessionHandle,
} from './session-lifecycle.js';
import { conceal, cookieOf, deepFreeze, expose, lockReason, type SessionState } from './state.js';

/** The commit of a session's handle, for `store.commit(session)`; not exported from the package. */
// biome-ignore lint/suspicious/noExplicitAny: any session type
export let commitOf: (session: Session<any, any>) => Commit | Promise<Commit>;

/**
 * One request's session. Reads are typed by the store's data type; every field may be
 * missing, since a first visit has none. Changes are found by comparing the data's JSON at
 * commit time with what was loaded, so an in-place change (`session.get('cart')!.push(item)`)
 * is saved too.
 */
export class Session<T = AnySessionData, F = AnySessionData> {
  /** Why the request's cookie was not accepted, if it carried one that was not. */
  readonly rejection: SessionRejectedError | undefined;

  readonly #s: SessionState;
  readonly #handle: SessionHandle;

  static {
    commitOf = (session) => session.#handle.commit();
  }

  /** @internal Sessions come from `store.load()`. */
  constructor(
    state: SessionState,
    rejection: SessionRejectedError | undefined,
    handle: SessionHandle,
  ) {
    this.#s = state;
    this.rejection = rejection;
    this.#handle = handle;
  }

  #writable(): SessionState {
    const state = this.#s;
    const reason = lockReason(state);
    if (reason) throw new SessionCommittedError(reason);
    return state;
  }

  // destroy() and regenerate() are allowed after destroy(), but not once committed.
  #open(): SessionState {
    const state = this.#s;
    if (state.phase === 'failed' || state.phase === 'committed') {
      throw new SessionCommittedError(lockReason(state) as string);
    }
    return state;
  }

  /** True when the request carried no valid session cookie. */
  get isNew(): boolean {
    return this.#s.claims === undefined;
  }

  /** When this session began (absolute lifetime counts from here); undefined until first sealed. */
  get createdAt(): Date | undefined {
    const claims = this.#s.claims;
    return claims && new Date(claims.ori * 1000);
  }

  /**
   * The session's id (`sid`, 22 base64url characters): what `store.revokeSession()` takes.
   * Undefined for a new session until it is first sealed (a visitor who stores nothing gets
   * none); a new one after `regenerate()`. Not a secret that opens the session, but keep it
   * out of URLs and pages all the same.
   */
  get id(): string | undefined {
    return this.#s.sid;
  }

  /** Who the session is signed in as: the `subject` given to `regenerate()`, until `destroy()`. */
  get subject(): string | undefined {
    return this.#s.subject;
  }

  /** The cookie as the browser holds it (after a commit: as it will hold it). */
  get cookie(): CookieInfo | undefined {
    return cookieOf(this.#s);
  }

  /** The value under `key`, or undefined: every field may be missing (a first visit has none). */
  get<K extends keyof T & string>(key: K): T[K] | undefined {
    const state = this.#s;
    if (!Object.hasOwn(state.data, key)) return undefined;
    const value = state.data[key];
    if (typeof value === 'object' && value !== null) {
      // The app may change this object in place: commit must compare, and once the response
      // has started, a change must throw rather than vanish.
      state.touched = true;
      expose(state, key);
      if (state.phase === 'committed' || state.phase === 'failed') deepFreeze(value);
    }
    return value as T[K];
  }

  /** Whether the session holds a value under `key`. */
  has(key: keyof T & string): boolean {
    return Object.hasOwn(this.#s.data, key);
  }

  /**
   * Sets a value. Throws SessionValueError at once for a value JSON would not give back as it
   * is (a Date, a Map, a BigInt, NaN, a cycle), naming where it is. `undefined` deletes.
   */
  set<K extends keyof T & string>(key: K, value: T[K]): this {
    const state = this.#writable();
    state.touched = true;
    conceal(state, key);
    if (value === undefined) {
      delete state.data[key];
      return this;
    }
    // A copy of its own: the app's object (a module-level default, say) is never aliased,
    // and never frozen when the session locks.
    state.data[key] = copyJsonValue(value, key);
    return this;
  }

  /** Removes `key`; true if it was there. Throws `SessionCommittedError` once committed. */
  delete(key: keyof T & string): boolean {
    const state = this.#writable();
    state.touched = true;
    conceal(state, key);
    const had = Object.hasOwn(state.data, key);
    delete state.data[key];
    return had;
  }

  /** Removes every value. An empty session sends no cookie and clears the one the browser had. */
  clear(): void {
    const state = this.#writable();
    state.touched = true;
    state.data = Object.create(null);
    state.exposed = undefined;
  }

  /** The keys the session holds. */
  keys(): (keyof T & string)[] {
    return Object.keys(this.#s.data) as (keyof T & string)[];
  }

  /** A deep copy of the data, safe to serialise or keep. */
  toJSON(): Partial<T> {
    return JSON.parse(JSON.stringify(this.#s.data));
  }

  /**
   * Sets a value readable on the next request only, typed by the store's flash type (its
   * second type parameter) as `set` is by its data type.
   */
  flash<K extends keyof F & string>(key: K, value: Exclude<F[K], undefined>): void {
    const state = this.#writable();
    const copy = copyJsonValue(value, `flash.${key}`);
    state.outgoingFlash ??= Object.create(null) as SessionRecord;
    state.outgoingFlash[key] = copy;
  }

  /**
   * Reads a flash value set by the previous request. Flash values last one request: whether
   * read or not, they are gone from the cookie this response writes.
   */
  getFlash<K extends keyof F & string>(key: K): F[K] | undefined {
    const incoming = this.#s.incomingFlash;
    return incoming && Object.hasOwn(incoming, key) ? (incoming[key] as F[K]) : undefined;
  }

  /**
   * This session's lifetimes, and with an argument, shortens them for this session alone
   * ("remember me" unchecked: `{ persistent: false, idleTimeout: 3600 }`). The choice is
   * carried in the token, so every later request enforces it; it holds until changed, across
   * `regenerate()` too. Each value may be at most the store's: a longer one (or
   * `persistent: true` under a store with `cookie.persistent: false`) throws
   * SessionConfigError naming it.
   */
  options(options?: SessionLifetimeOptions): SessionLifetime {
    if (options !== undefined) {
      const state = this.#writable();
      state.lifetime = chooseLifetime(state.limits, state.lifetime, options);
    }
    return lifetimeOf(this.#s.limits, this.#s.lifetime);
  }

  /**
   * Ends the session: this response clears its cookie and every chunk, and forgets the
   * subject. With `revocation` on, the commit also revokes its id, so a copy of the cookie is
   * refused too (if the revocation store fails, the cookie is still cleared and an event
   * says so). Further changes throw, unless `regenerate()` starts a new session.
   */
  destroy(): void {
    destroyState(this.#open());
  }

  /**
   * Starts a new session in place: a new id, a new creation time (so a new absolute
   * lifetime), and no data unless `keepData` is set. Sign-in is this one call,
   * `session.regenerate({ subject: user.id, keepData: true })`, so a cookie captured before
   * sign-in is not the one that carries it. `subject` (1 to 256 characters, else
   * SessionValueError) names who is signed in, for `session.subject` and
   * `store.revokeSubject()`; left out, the subject stays as it was. With the store's
   * `revocation` on, the commit revokes the previous id.
   */
  regenerate(options: RegenerateOptions = {}): void {
    checkSubject(options.subject);
    regenerateState(this.#open(), options);
  }

  /**
   * This session's CSRF token, for a `_csrf` form field or an `x-csrf-token` header: what the
   * cross-site check (`crossSite: { token: true }`) accepts from a request that carries
   * neither Sec-Fetch-Site nor Origin. It is bound to this session's id, derived from the
   * store's keys (nothing is stored on a server), the same for every call until
   * `regenerate()` or `destroy()`, after which the old one is refused.
   *
   * A session without an id gets one here and is then saved by this response, even if empty:
   * serve the form from a response that commits (not a cached page). Call it before the
   * response starts; a committed session that has no id yet throws SessionCommittedError.
   */
  csrfToken(): Promise<string> {
    return this.#handle.csrfToken();
  }

  /**
   * Commits now rather than when the response starts, so a failure (too large, a value JSON
   * cannot carry) is reported at this line; the adapter then sends what this commit produced.
   * After it the session is locked: a later change throws SessionCommittedError. A failed
   * save changes nothing, so the app may put the data back (or trim it) and go on.
   */
  async save(): Promise<void> {
    await this.#handle.commit();
  }
}
