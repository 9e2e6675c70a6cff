import { oneLine } from './util/printable.js';

/**
 * Every error this library throws is a `SessionError` with a stable `code`.
 * Branch on `code` (or `instanceof`), never on message text: messages may be reworded.
 */
export type SessionErrorCode =
  | 'ERR_SESSION_CONFIG'
  | 'ERR_SESSION_VALUE'
  | 'ERR_SESSION_TOO_LARGE'
  | 'ERR_SESSION_COMMITTED'
  | 'ERR_SESSION_READ_ONLY'
  | 'ERR_SESSION_SERVER'
  | 'ERR_SESSION_REJECTED'
  | 'ERR_SESSION_REVOCATION'
  | 'ERR_SESSION_CROSS_SITE';

// Sets a class's own `name` as a function's is set (read-only, not enumerable), where a
// static field would leave it writable and enumerable (util.inspect would list it).
export function named(errorClass: object, name: string): void {
  Object.defineProperty(errorClass, 'name', { value: name });
}

/**
 * Each class states its name as a string, twice: the instance's `name` (the first word of its
 * stack) and the class's own `name`, which Node's util.inspect (and so console.error) prints
 * before it. Taken from the class binding, they would read `cE` or `rI` once a bundler has
 * minified the class names (`cE [SessionConfigError]` in a Next.js log).
 *
 * Messages go to logs and may quote what a browser or an app sent: whatever an interpolation
 * lets through, a message stays one line, its control and bidi characters escaped.
 */
export abstract class SessionError extends Error {
  static {
    named(SessionError, 'SessionError');
  }
  abstract readonly code: SessionErrorCode;
  override get name(): string {
    return 'SessionError';
  }
  constructor(message?: string, options?: ErrorOptions) {
    super(message === undefined ? undefined : oneLine(message), options);
  }
}
