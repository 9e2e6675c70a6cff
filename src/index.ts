export type { CookieOptions } from './cookie/attributes.js';
export {
  type KeySize,
  type RejectionReason,
  type SealedTimes,
  SessionCommittedError,
  SessionConfigError,
  SessionError,
  type SessionErrorCode,
  SessionReadOnlyError,
  SessionRejectedError,
  SessionTooLargeError,
  SessionValueError,
} from './errors.js';
export { keyRingFromEnv } from './keys/from-env.js';
export type { KeySpec } from './keys/key-entry.js';
export { KeyRing, type KeysInput } from './keys/key-ring.js';
export { createSessionStore } from './session/create-session-store.js';
export type { DataShapeOptions } from './session/data-shape.js';
export type { RejectionContext, SessionEvent } from './session/hooks.js';
export type { SessionLifetime, SessionLifetimeOptions } from './session/lifetime.js';
export { Session } from './session/session.js';
export type { SessionStore } from './session/session-store.js';
export type { SessionStoreOptions } from './session/store-options.js';
export type { StandardSchemaV1 } from './standard-schema.js';
export type { AnySessionData, CookieInfo, JsonSafe, JsonValue, SessionData } from './types.js';
