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

/** Every optional claim: the lifetimes, and the data version. */
export interface OptionalClaims extends LifetimeClaims {
  /** The data version the store was configured with (`version`) when it sealed the token. */
  readonly v?: number;
  /**
   * The session id (128 random bits, base64url): what a CSRF token is bound to. Issue 24 gives
   * every session one; here it is carried when the session has one.
   */
  readonly sid?: string;
}

const SESSION_ID = /^[A-Za-z0-9_-]{22}$/;

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
  const { idl, abs, per, v, sid } = body;
  if (
    idl === undefined &&
    abs === undefined &&
    per === undefined &&
    v === undefined &&
    sid === undefined
  )
    return {};
  if (idl !== undefined && !isSeconds(idl)) return undefined;
  if (abs !== undefined && !isSeconds(abs)) return undefined;
  if (per !== undefined && typeof per !== 'boolean') return undefined;
  if (v !== undefined && !isSeconds(v)) return undefined;
  if (sid !== undefined && !(typeof sid === 'string' && SESSION_ID.test(sid))) return undefined;
  return {
    ...(v === undefined ? {} : { v }),
    ...lifetimeClaims(idl, abs, per),
    ...(sid === undefined ? {} : { sid }),
  };
}

/** The claims' JSON members, each with a leading comma, in a fixed order; '' for none. */
export function optionalClaimsJson(claims: OptionalClaims): string {
  return (
    (claims.idl === undefined ? '' : `,"idl":${claims.idl}`) +
    (claims.abs === undefined ? '' : `,"abs":${claims.abs}`) +
    (claims.per === undefined ? '' : `,"per":${claims.per}`) +
    (claims.v === undefined ? '' : `,"v":${claims.v}`) +
    // Checked to be base64url when set, so it needs no escaping.
    (claims.sid === undefined ? '' : `,"sid":"${claims.sid}"`)
  );
}
