import type { CrossSiteRefusal, CrossSiteRequest } from './cross-site-guard.js';
import { type CsrfKey, verifyCsrfToken } from './csrf-token.js';

/** The header a script sends the token in. */
export const CSRF_HEADER = 'x-csrf-token';
/** The form field an HTML form sends the token in. */
export const CSRF_FIELD = '_csrf';

/** What a `token-required` refusal is settled with, once the session is open. */
export interface TokenProof {
  /** Every token key of the store's ring, the sealing key's first. */
  readonly keys: readonly CsrfKey[];
  /** The session's id; undefined when the request brought no session to bind a token to. */
  readonly sessionId: string | undefined;
  /**
   * The `_csrf` field of a form body, when the adapter read one (reading a body is its
   * business). The `x-csrf-token` header, if present, is taken instead.
   */
  readonly field?: unknown;
}

/**
 * The final verdict on a request once its session is open. Only a `token-required` refusal
 * (neither Sec-Fetch-Site nor Origin, with `token` on) is lifted by a valid token. A request
 * the headers show as cross-site stays refused whatever token it carries, as in Go: the token
 * is for browsers that say nothing, not a way around what a browser said.
 */
export async function settleWithToken(
  verdict: CrossSiteRefusal | undefined,
  request: Pick<CrossSiteRequest, 'header'>,
  proof: TokenProof,
): Promise<CrossSiteRefusal | undefined> {
  if (verdict === undefined || verdict.reason !== 'token-required') return verdict;
  const candidate = request.header(CSRF_HEADER) ?? proof.field;
  if (candidate === undefined || candidate === null || candidate === '') return verdict;
  if (proof.sessionId === undefined) {
    return {
      reason: 'token-invalid',
      detail: 'a token came, but the request has no session it could belong to',
    };
  }
  if (await verifyCsrfToken(proof.keys, proof.sessionId, candidate)) return undefined;
  return {
    reason: 'token-invalid',
    detail:
      "the token is not this session's: forged, from another session, from before regenerate(), or under a key no longer in the ring",
  };
}
