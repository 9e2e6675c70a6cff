import { encodeBase64url } from '../util/base64url.js';

/**
 * A new session id (claim `sid`): 128 random bits, 22 base64url characters. Unguessable, so a
 * CSRF token bound to it cannot be made for a session an attacker does not hold.
 */
export function newSessionId(): string {
  return encodeBase64url(crypto.getRandomValues(new Uint8Array(16)));
}
