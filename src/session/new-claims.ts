import type { LifetimeClaims } from '../codec/optional-claims.js';
import type { Claims } from '../codec/token-format.js';
import { type DataShape, versionClaim } from './data-shape.js';

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
  sessionId?: string,
): Claims {
  const claims = { pur: purpose, iat: now, exp, ori, ...lifetime, ...versionClaim(shape) };
  return sessionId === undefined ? claims : { ...claims, sid: sessionId };
}
