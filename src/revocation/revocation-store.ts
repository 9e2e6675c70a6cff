/**
 * What a revocation store knows about one session: the answer to "may this session still be
 * used?", before the session's own creation time is compared.
 */
export interface RevocationState {
  /** True when this session id was revoked (logged out) and the revocation has not expired. */
  readonly sessionRevoked: boolean;
  /**
   * Epoch milliseconds: every session of the subject created strictly before this moment is
   * revoked ("log out everywhere", password change). `undefined` when the subject has no
   * live revocation, or when no subject was asked about.
   */
  readonly subjectRevokedBefore: number | undefined;
}

/**
 * A small shared list of revocations. Sessions stay in their cookies; only the fact that one
 * ended early is stored, and only for as long as such a cookie could still be valid: every
 * write carries a TTL, and a store forgets an entry once it expires, so the list never
 * outgrows the revocations of one session lifetime.
 *
 * Every operation is async, so a store can be shared by every process of an app (Redis:
 * `jwe-session/redis`), or live in one process (`memoryRevocationStore`). Session ids and
 * subjects are non-empty strings of at most 256 characters; a store refuses others with a
 * `SessionValueError` rather than storing a key an attacker could make huge.
 *
 * A store may fail (network, timeout): its promises then reject. `RevocationCheck` turns a
 * failed or slow check into an `unavailable` verdict; a failed revoke rejects to its caller.
 */
export interface RevocationStore {
  /**
   * Ends one session: its id is refused from now on, whatever the cookie says. A copied
   * cookie cannot undo it, unlike clearing the cookie.
   *
   * @param sessionId the session's random id (`sid`).
   * @param ttlSeconds how long to remember it, in whole seconds: at least the longest time a
   *   cookie with this id could still be accepted (the store's absolute lifetime). Writing an
   *   id again never shortens how long it is remembered.
   */
  revokeSession(sessionId: string, ttlSeconds: number): Promise<void>;

  /**
   * Ends every session of a subject (a user id) created before `before`: "log out
   * everywhere", or a password change. Sessions created at that millisecond or later stay
   * valid, so the user can sign in again at once.
   *
   * @param subject the subject (`sub`) the sessions carry.
   * @param before epoch milliseconds (whole): sessions whose creation time (`ori` and
   *   `orm`, to the millisecond) is earlier are revoked. A store keeps the later of the `before` it holds and this one, so a delayed
   *   or repeated call never revives sessions a later call ended.
   * @param ttlSeconds how long to remember it, in whole seconds (the longest session
   *   lifetime). Never shortens how long the subject's entry is remembered.
   */
  revokeSubject(subject: string, before: number, ttlSeconds: number): Promise<void>;

  /**
   * What is known about one session, in one round trip to a shared store.
   *
   * @param sessionId the session's id (`sid`).
   * @param subject the session's subject (`sub`), or `undefined` for a session without one
   *   (then `subjectRevokedBefore` is `undefined`).
   */
  check(sessionId: string, subject: string | undefined): Promise<RevocationState>;
}
