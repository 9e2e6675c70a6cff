import { named, SessionError } from './session-error.js';
import { oneLine, quote } from './util/printable.js';

export {
  type RejectionReason,
  type SealedTimes,
  SessionRejectedError,
} from './rejected-error.js';
export { SessionError, type SessionErrorCode } from './session-error.js';

/**
 * A bad option or environment variable, thrown when the store is created (or a bad
 * `session.options()` value, thrown by that call).
 * `setting` names the option or variable; the message says how to fix it and never holds a secret.
 */
export class SessionConfigError extends SessionError {
  static {
    named(SessionConfigError, 'SessionConfigError');
  }
  override get name(): string {
    return 'SessionConfigError';
  }
  readonly code = 'ERR_SESSION_CONFIG' as const;
  constructor(
    readonly setting: string,
    /** What is wrong and how to fix it, without the setting's name (the CLI puts its flag there). */
    readonly problem: string,
  ) {
    super(`${setting}: ${problem}`);
  }
}

/** A value JSON cannot carry faithfully (a Date, a BigInt, a cycle, …); `path` names where it is. */
export class SessionValueError extends SessionError {
  static {
    named(SessionValueError, 'SessionValueError');
  }
  override get name(): string {
    return 'SessionValueError';
  }
  readonly code = 'ERR_SESSION_VALUE' as const;
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`session value at ${path} ${problem}`);
  }
}

/** One top-level key of a too-large session and the bytes its JSON takes. */
export interface KeySize {
  readonly key: string;
  readonly bytes: number;
}

/**
 * The sealed session does not fit in the configured cookie budget. Nothing was written,
 * so the cookie the browser already holds stays valid.
 */
export class SessionTooLargeError extends SessionError {
  static {
    named(SessionTooLargeError, 'SessionTooLargeError');
  }
  override get name(): string {
    return 'SessionTooLargeError';
  }
  readonly code = 'ERR_SESSION_TOO_LARGE' as const;
  constructor(
    readonly size: number,
    readonly limit: number,
    readonly largestKeys: readonly KeySize[],
    /** Where a limit of an entry's own (one cookie, not chunks) is lifted; appended to the message. */
    advice?: string,
  ) {
    const keys = largestKeys.map((k) => `${quote(k.key)} (${k.bytes} B)`).join(', ');
    super(
      `session needs ${size} bytes of cookies but the limit is ${limit}` +
        (keys ? `; largest keys: ${keys}` : '') +
        (advice ? `: ${advice}` : ''),
    );
  }
}

/** The session was changed after its cookies were committed (headers sent, or destroyed). */
export class SessionCommittedError extends SessionError {
  static {
    named(SessionCommittedError, 'SessionCommittedError');
  }
  override get name(): string {
    return 'SessionCommittedError';
  }
  readonly code = 'ERR_SESSION_COMMITTED' as const;
}

/**
 * The framework's cookie jar refused to set a cookie: a Next.js Server Component (or any
 * read-only jar) cannot write. Nothing of this commit reached the browser.
 */
export class SessionReadOnlyError extends SessionError {
  static {
    named(SessionReadOnlyError, 'SessionReadOnlyError');
  }
  override get name(): string {
    return 'SessionReadOnlyError';
  }
  readonly code = 'ERR_SESSION_READ_ONLY' as const;
}

/**
 * What a framework's error handling gets in place of a session failure whose message is for
 * the server's log only (a SessionTooLargeError names the session's largest keys and sizes):
 * a generic message and status 500, the real error as `cause`. The Fastify plugin sends it,
 * because Fastify's default error handler answers with the error's message.
 */
export class SessionServerError extends SessionError {
  static {
    named(SessionServerError, 'SessionServerError');
  }
  override get name(): string {
    return 'SessionServerError';
  }
  readonly code = 'ERR_SESSION_SERVER' as const;
  /** Read by Fastify (and other frameworks) as the response status. */
  readonly statusCode = 500;
  constructor(message: string, cause: unknown) {
    super(message, { cause });
  }
}

/**
 * `store.revokeSession()` or `store.revokeSubject()` could not write the revocation: the
 * revocation store failed or did not answer within `revocation.timeout`. The write may still
 * land; calling again is safe. `cause` is the store's error (or a `TimeoutError`), whose
 * message the app's log may hold but a response must not.
 */
export class SessionRevocationError extends SessionError {
  static {
    named(SessionRevocationError, 'SessionRevocationError');
  }
  override get name(): string {
    return 'SessionRevocationError';
  }
  readonly code = 'ERR_SESSION_REVOCATION' as const;
  constructor(
    /** What was being revoked. */
    readonly operation: 'revokeSession' | 'revokeSubject',
    cause: unknown,
  ) {
    super(`${operation} failed: the revocation store did not confirm the write`, { cause });
  }
}

/** Why a request was refused as a possible cross-site request forgery (see cross-site-guard.ts). */
export type CrossSiteReason =
  | 'cross-site'
  | 'same-site'
  | 'origin-mismatch'
  | 'origin-null'
  | 'token-required'
  | 'token-invalid';

/**
 * A request that changes state was refused as a possible cross-site request forgery: the
 * adapter answered 403, the handler did not run, and the session was neither loaded for
 * writing nor changed. Carried by the refusal (and the `cross-site-refused` event), never
 * thrown at the app. `detail` is for logs: it may quote the Origin header, nothing else.
 */
export class SessionCrossSiteError extends SessionError {
  static {
    named(SessionCrossSiteError, 'SessionCrossSiteError');
  }
  override get name(): string {
    return 'SessionCrossSiteError';
  }
  readonly code = 'ERR_SESSION_CROSS_SITE' as const;
  /** Read by Fastify (and other frameworks) as the response status. */
  readonly statusCode = 403;
  readonly detail: string;
  constructor(
    readonly reason: CrossSiteReason,
    detail: string,
    readonly method: string,
    readonly path: string,
  ) {
    super(`cross-site request refused (${reason}): ${method} ${path}: ${detail}`);
    this.detail = oneLine(detail);
  }
}
