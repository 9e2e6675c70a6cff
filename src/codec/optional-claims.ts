// Claims a token carries only when they are used: a session's own lifetimes (so every process
// enforces them on the next request without server state) and the store's data version (so
// an older shape is migrated on read). A token that uses neither is byte for byte what it was
// before these claims existed.

/** The optional claims of a session that chose its own lifetimes (`session.options()`). */
export interface LifetimeClaims {
  /** Idle timeout in seconds, at most the store's. */
  readonly idl?: number;
  /** Absolute timeout in seconds, at most the store's. */
  readonly abs?: number;
  /** false: a browser-session cookie (no Max-Age). */
  readonly per?: boolean;
}

/** Every optional claim: the lifetimes, the data version, and who the session is. */
export interface OptionalClaims extends LifetimeClaims {
  /** The data version the store was configured with (`version`) when it sealed the token. */
  readonly v?: number;
  /**
   * The session's id: 128 random bits, base64url (22 characters), new with each session and
   * at `regenerate()`. What revocation names; absent only from tokens sealed before it existed.
   */
  readonly sid?: string;
  /** The subject (a user id) the app named at sign-in; kept until `destroy()`. */
  readonly sub?: string;
  /**
   * The millisecond (0-999) within the `ori` second the session began, so a revocation of
   * its subject ("log out everywhere") can tell a sign-in in the same second from one before
   * it. Written only for a session with a subject; a token without it began at its second's
   * start.
   */
  readonly orm?: number;
}

/** The longest `sub` (and `sid`) a token may carry: what a revocation store takes as a key. */
export const MAX_SUBJECT_LENGTH = 256;

/** The lifetime claims with only the members that are set: the one builder of them. */
export function lifetimeClaims(
  idl: number | undefined,
  abs: number | undefined,
  per: boolean | undefined,
): LifetimeClaims {
  return {
    ...(idl === undefined ? {} : { idl }),
    ...(abs === undefined ? {} : { abs }),
    ...(per === undefined ? {} : { per }),
  };
}

/** A positive whole number (seconds, or a version). */
function isSeconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/**
 * The lifetime claims of a parsed plaintext, `{}` when it has none, or undefined when one is
 * present but not of its type (the payload is then malformed).
 */
export function readOptionalClaims(body: Record<string, unknown>): OptionalClaims | undefined {
  const { idl, abs, per, v, sid, sub, orm } = body;
  if (sid !== undefined && !isName(sid)) return undefined;
  if (sub !== undefined && !isName(sub)) return undefined;
  if (orm !== undefined && !isMillisecond(orm)) return undefined;
  const who = {
    ...(sid === undefined ? {} : sub === undefined ? { sid } : { sid, sub }),
    ...(orm === undefined ? {} : { orm }),
  };
  if (idl === undefined && abs === undefined && per === undefined && v === undefined) return who;
  if (idl !== undefined && !isSeconds(idl)) return undefined;
  if (abs !== undefined && !isSeconds(abs)) return undefined;
  if (per !== undefined && typeof per !== 'boolean') return undefined;
  if (v !== undefined && !isSeconds(v)) return undefined;
  return { ...(v === undefined ? {} : { v }), ...lifetimeClaims(idl, abs, per), ...who };
}

function isMillisecond(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 999;
}

// A subject without an id is no session of ours (every seal that names one carries both):
// `sub` alone is read as if absent, so it can never be checked without the id beside it.
function isName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_SUBJECT_LENGTH;
}

/** The claims' JSON members, each with a leading comma, in a fixed order; '' for none. */
export function optionalClaimsJson(claims: OptionalClaims): string {
  return (
    (claims.idl === undefined ? '' : `,"idl":${claims.idl}`) +
    (claims.abs === undefined ? '' : `,"abs":${claims.abs}`) +
    (claims.per === undefined ? '' : `,"per":${claims.per}`) +
    (claims.v === undefined ? '' : `,"v":${claims.v}`) +
    (claims.sid === undefined ? '' : `,"sid":${JSON.stringify(claims.sid)}`) +
    (claims.sub === undefined ? '' : `,"sub":${JSON.stringify(claims.sub)}`) +
    (claims.orm === undefined ? '' : `,"orm":${claims.orm}`)
  );
}
