import type { LifetimeClaims } from '../codec/optional-claims.js';
import type { Claims } from '../codec/token-format.js';
import { encodeBase64url } from '../util/base64url.js';
import { type DataShape, versionClaim } from './data-shape.js';

/** Who a session is: its id and, once signed in, its subject (none for a sealed value). */
export interface SessionIdentity {
  readonly sid?: string;
  readonly sub?: string;
}

/** A new session id: 128 random bits, 22 base64url characters. */
export function newSessionId(): string {
  return encodeBase64url(crypto.getRandomValues(new Uint8Array(16)));
}

/**
 * The claims of a token sealed now: the one builder, for session cookies and sealed values.
 * `lifetime` is the session's own choice (none for a sealed value).
 */
export function newClaims(
  purpose: string,
  now: number,
  exp: number,
  ori: number,
  lifetime: LifetimeClaims,
  shape: DataShape | undefined,
  who: SessionIdentity = {},
): Claims {
  return { pur: purpose, iat: now, exp, ori, ...lifetime, ...versionClaim(shape), ...who };
}
