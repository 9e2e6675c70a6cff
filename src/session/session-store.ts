import type { SessionRejectedError } from '../errors.js';
import type { KeyRing } from '../keys/key-ring.js';
import type { AnySessionData } from '../types.js';
import type { Session } from './session.js';

/**
 * The public face of a store; `createSessionStore` makes one. Its sessions' data has type `T`
 * and their flash values type `F` (both default to a record of JSON values).
 */
export interface SessionStore<T = AnySessionData, F = AnySessionData> {
  /** The cookie name (the first chunk's name). */
  readonly cookieName: string;
  /**
   * What seals and opens this store's tokens: `'node'` (node:crypto) or `'webcrypto'` (jose on
   * Web Crypto), as `advanced.engine` came to on this runtime (`'auto'` picks node:crypto on
   * Node, Bun and Deno). Compressed tokens go through jose on either.
   */
  readonly engine: 'node' | 'webcrypto';
  /** The key ring in use; `keyRing.primaryId` is the id of the key that seals. */
  readonly keyRing: KeyRing;
  /**
   * Loads the session from a request's Cookie header. Never throws for what the browser
   * sent: a bad, foreign, expired or tampered cookie gives a new empty session whose
   * `rejection` says why.
   */
  load(cookieHeader: string | null | undefined): Promise<Session<T, F>>;
  /**
   * The Set-Cookie header values this response needs: none when nothing changed, the sealed
   * chunks (and deletions of chunks no longer used) when something did, deletions only after
   * `destroy()`. The first commit locks the session (a later change throws
   * SessionCommittedError); committing again gives the same values. Throws
   * SessionTooLargeError (and writes nothing) past the size budget, and SessionValueError for
   * data JSON cannot carry; after a failure the session can be changed and committed again.
   */
  commit(session: Session<T, F>): Promise<string[]>;
  /**
   * Seals data into one token with this store's keys and lifetimes, under a purpose of its
   * own (`"<purpose> sealed"`): a sealed value never opens as this store's session cookie,
   * nor a session cookie as a sealed value, so an invite link is not a login.
   */
  seal(data: Partial<T>): Promise<string>;
  /**
   * Opens a token sealed by `seal` (never a session cookie: that is `wrong-purpose`); a bad
   * token comes back as a SessionRejectedError, never thrown.
   */
  unseal(token: string): Promise<Partial<T> | SessionRejectedError>;
  /**
   * Ends one session by its id (`session.id`), in a request or outside one (an admin
   * script): its cookie, and every copy of it, is refused from now on (in other processes
   * sharing the revocation store, within `revocation.recheckInterval`). Rejects with
   * SessionConfigError when the `revocation` option is off, SessionValueError for an id no
   * store takes, and SessionRevocationError when the revocation store failed or did not
   * answer within `revocation.timeout` (the write may still land; calling again is safe).
   */
  revokeSession(sessionId: string): Promise<void>;
  /**
   * Ends every session of a subject (the `subject` given to `regenerate()`) created before
   * the moment of the call, to the millisecond: "log out everywhere", a password change, a
   * disabled account. A sign-in after it, even in the same second, stays valid. Rejects as `revokeSession`.
   */
  revokeSubject(subject: string): Promise<void>;
}
