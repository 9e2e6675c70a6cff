// A session's own lifetimes travel in its token, so every process enforces them on the next
// request without any server state. Written only when the session chose them, so a token of
// a session that never did is byte for byte what it was before these claims existed.

/** The optional claims of a session that chose its own lifetimes (`session.options()`). */
export interface LifetimeClaims {
  /** Idle timeout in seconds, at most the store's. */
  readonly idl?: number;
  /** Absolute timeout in seconds, at most the store's. */
  readonly abs?: number;
  /** false: a browser-session cookie (no Max-Age). */
  readonly per?: boolean;
}

function isSeconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/**
 * The lifetime claims of a parsed plaintext, `{}` when it has none, or undefined when one is
 * present but not of its type (the payload is then malformed).
 */
export function readLifetimeClaims(body: Record<string, unknown>): LifetimeClaims | undefined {
  const { idl, abs, per } = body;
  if (idl === undefined && abs === undefined && per === undefined) return {};
  if (idl !== undefined && !isSeconds(idl)) return undefined;
  if (abs !== undefined && !isSeconds(abs)) return undefined;
  if (per !== undefined && typeof per !== 'boolean') return undefined;
  return {
    ...(idl === undefined ? {} : { idl }),
    ...(abs === undefined ? {} : { abs }),
    ...(per === undefined ? {} : { per }),
  };
}

/** The claims' JSON members, each with a leading comma, in a fixed order; '' for none. */
export function lifetimeClaimsJson(claims: LifetimeClaims): string {
  return (
    (claims.idl === undefined ? '' : `,"idl":${claims.idl}`) +
    (claims.abs === undefined ? '' : `,"abs":${claims.abs}`) +
    (claims.per === undefined ? '' : `,"per":${claims.per}`)
  );
}
