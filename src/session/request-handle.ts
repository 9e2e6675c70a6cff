import type { SessionCrossSiteError, SessionRejectedError } from '../errors.js';
import type { Commit } from './commit.js';
import type { CookieWriter } from './commit-write.js';
import type { CookieSource } from './read-cookie.js';
import { Session } from './session.js';
import { lockSession, type SessionState } from './state.js';

/**
 * What `open()` reads of a request: the cookie, and what the cross-site check (src/cross-site,
 * `CrossSiteRequest`) reads. Adapters fill it with getters over their request: nothing is
 * computed that no step reads (a fetch Request's `url` is serialised on every read).
 */
export interface RequestFacts {
  /** The Cookie header, or a jar's lookup by exact name. */
  readonly cookie: CookieSource;
  /** As received: upper case. Absent where the framework gives no request (a cookie jar). */
  readonly method?: string;
  /** A header's value by lower-case name; null or undefined when absent. */
  header?(name: string): string | null | undefined;
  /** Node's `req.url` (`/path?query`) or a fetch Request's absolute `url`. */
  readonly url?: string;
  /** Whether this server received the request over TLS, when the framework says. */
  readonly secure?: boolean;
  /**
   * The `_csrf` field of a urlencoded form body, where the adapter can read it without taking
   * the body from the app (a fetch Request's clone). Asked only of a request that needs a
   * token and sent none in the `x-csrf-token` header.
   */
  csrfField?(): Promise<unknown>;
}

export interface OpenOptions {
  /**
   * Where each commit's cookies go, before the commit is recorded (a cookie jar). If it
   * throws, the commit fails as a too-large one does: nothing is recorded and the session
   * stays open, so a later commit seals and writes every cookie again.
   */
  readonly write?: CookieWriter;
  /** Open the session read-only: every change throws SessionCommittedError with this reason. */
  readonly readOnly?: string;
}

/** The one thing an adapter holds per request: the app's session, and its commit and failure. */
export interface RequestHandle<T, F> {
  readonly session: Session<T, F>;
  /**
   * Set when the cross-site check refused the request: the adapter answers 403
   * (failure-response.ts) and runs nothing else. The session is then empty and locked: nothing
   * was loaded for writing, and nothing is written.
   */
  readonly refused: SessionCrossSiteError | undefined;
  /**
   * The session's one commit: the first call locks the session and seals (if anything
   * changed); every later call answers with the same result or the same seal under way. At
   * once when nothing needs waiting for. A failed commit records nothing and can be retried.
   */
  commit(): Commit | Promise<Commit>;
  /** The request failed: nothing of the session will be saved, and every change throws. Idempotent. */
  fail(): void;
}

/** How a handle reaches its store's commit: handed down at open, never stored on the state. */
export interface Committer {
  commit(state: SessionState, write: CookieWriter | undefined): Commit | Promise<Commit>;
  csrfToken(state: SessionState): Promise<string>;
}

/** The one failure marker: why a failed request's session refuses changes. */
const FAILED = 'the request failed, so the session was not saved and cannot be changed';

/** Why a refused request's session refuses changes (its handler should not have run). */
export const REFUSED =
  'the request was refused as cross-site (403), so its session was not loaded and cannot be changed';

export class Handle<T, F> implements RequestHandle<T, F> {
  readonly session: Session<T, F>;
  readonly refused: SessionCrossSiteError | undefined;
  readonly #state: SessionState;
  readonly #committer: Committer;
  #write: CookieWriter | undefined;

  constructor(
    committer: Committer,
    state: SessionState,
    rejection: SessionRejectedError | undefined,
    options: OpenOptions | undefined,
    refused?: SessionCrossSiteError,
  ) {
    this.#committer = committer;
    this.#state = state;
    this.#write = undefined;
    this.refused = refused;
    if (refused !== undefined) lockSession(state, REFUSED);
    if (options !== undefined) {
      this.#write = options.write;
      if (options.readOnly !== undefined) lockSession(state, options.readOnly);
    }
    this.session = new Session<T, F>(state, rejection, this);
  }

  commit(): Commit | Promise<Commit> {
    const state = this.#state;
    return state.commit ?? this.#committer.commit(state, this.#write);
  }

  fail(): void {
    lockSession(this.#state, FAILED);
  }

  csrfToken(): Promise<string> {
    return this.#committer.csrfToken(this.#state);
  }

  /** @internal The session's id as loaded, for the cross-site check's token. */
  get loadedSessionId(): string | undefined {
    return this.#state.sid;
  }
}
