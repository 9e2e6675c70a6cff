import { named, SessionError } from './session-error.js';
import { oneLine } from './util/printable.js';

/**
 * Why a cookie was not accepted. Every one of these can be caused by whoever controls the
 * browser, so none is ever thrown at the app: the app gets an empty session carrying it.
 */
export type RejectionReason =
  | 'malformed'
  | 'too-large'
  | 'unknown-key'
  | 'tampered'
  | 'wrong-purpose'
  | 'expired'
  | 'not-yet-valid'
  | 'revoked'
  | 'revocation-unavailable'
  | 'invalid-data';

/**
 * What an authentic token said about itself. Only a token that decrypted under a key of the
 * ring has one: it answers "when did this session expire, and why was I logged out?".
 */
export interface SealedTimes {
  readonly keyId: string;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
  readonly createdAt: Date;
}

/**
 * A rejected token. Returned (never thrown) by `unseal` and carried by `session.rejection`.
 * `reason` is for branching, `detail` is for logs; neither contains the token or its contents.
 * `sealed` is set when the token was authentic but not acceptable now (expired, revoked,
 * issued in the future, or for another purpose).
 */
export class SessionRejectedError extends SessionError {
  static {
    named(SessionRejectedError, 'SessionRejectedError');
  }
  override get name(): string {
    return 'SessionRejectedError';
  }
  readonly code = 'ERR_SESSION_REJECTED' as const;
  /** One line for a log, as the message: a detail can quote what the browser sent. */
  readonly detail: string;
  constructor(
    readonly reason: RejectionReason,
    detail: string,
    readonly sealed?: SealedTimes,
  ) {
    super(`session cookie rejected (${reason}): ${detail}`);
    this.detail = oneLine(detail);
  }
}
