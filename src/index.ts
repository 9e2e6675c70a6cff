/**
 * The store (`createSessionStore`), the session, its options and the error classes.
 *
 * @module jwe-session
 */
/** The error classes, as jose has them: `error instanceof errors.SessionTooLargeError`. */
export * as errors from './errors.js';
export { type RejectionReason, SessionError, type SessionErrorCode } from './errors.js';
export type { SessionStoreOptions } from './options/store-options.js';
// What an app implements to keep revocations in its own database (docs/ending-sessions.md).
export type { RevocationStore } from './revocation/revocation-store.js';
export { createSessionStore } from './session/create-session-store.js';
export type { SessionEvent } from './session/hooks.js';
export type { SessionLifetime } from './session/lifetime.js';
export type { Session } from './session/session.js';
export type { SessionStore } from './session/session-store.js';
export type { StandardSchemaV1 } from './standard-schema.js';
export type { AnySessionData, CookieInfo, JsonSafe, JsonValue, SessionData } from './types.js';
