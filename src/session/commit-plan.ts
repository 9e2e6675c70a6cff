import { maxInflatedBytes } from '../codec/codec-config.js';
import { toJson } from '../codec/json-value.js';
import type { Claims } from '../codec/token-format.js';
import { plaintextOf } from '../codec/token-format.js';
import type { KeyRing } from '../keys/key-ring.js';
import { lifetimeOf, sameLifetime } from './lifetime.js';
import { newClaims, newSessionId } from './new-claims.js';
import { type SessionState, serialiseData } from './state.js';
import type { StoreConfig } from './store-config.js';

/** What a commit will do, decided before anything is sealed or written. */
export type CommitPlan =
  | { readonly kind: 'none' }
  /** Delete every cookie the request carried; `ended`: because the absolute lifetime passed. */
  | { readonly kind: 'delete'; readonly ended: boolean }
  /** Compressed, the plaintext would inflate past what unseal accepts (the zip-bomb limit). */
  | { readonly kind: 'too-large'; readonly size: number; readonly limit: number }
  | SealPlan;

export interface SealPlan {
  readonly kind: 'seal';
  readonly next: Claims;
  readonly dataJson: string;
  readonly flashJson: string | undefined;
  /** The token being replaced was sealed by a key other than the sealing one. */
  readonly oldKey: boolean;
  readonly now: number;
  readonly persistent: boolean;
}

const NONE: CommitPlan = Object.freeze({ kind: 'none' });
const DELETE: CommitPlan = Object.freeze({ kind: 'delete', ended: false });
const ENDED: CommitPlan = Object.freeze({ kind: 'delete', ended: true });

/**
 * The millisecond within `ori` a signed-in session began (`orm`): the clock's now for a new
 * session, clamped into the second `now` names (the clock may have ticked past it since);
 * carried over otherwise, so a log-out-everywhere later in the origin second still ends it.
 */
function originMs(
  fresh: boolean,
  carried: number | undefined,
  now: number,
  nowMs: number,
): { orm?: number } {
  if (!fresh) return carried === undefined ? {} : { orm: carried };
  return { orm: Math.min(999, Math.max(0, Math.floor(nowMs) - now * 1000)) };
}

/**
 * What a session's commit must do: nothing, delete its cookies, or seal what. Pure but for
 * the data check (a value the app was handed that JSON cannot carry throws SessionValueError)
 * and the session id a first seal makes.
 * `now` is in seconds.
 */
export function planCommit(
  state: SessionState,
  config: StoreConfig,
  ring: KeyRing,
  now: number,
): CommitPlan {
  if (state.phase === 'destroyed') return DELETE;
  // Data the app never touched (no change, no object handed out) is still what was loaded.
  const dataJson = state.touched ? serialiseData(state) : (state.baseline ?? '{}');
  const flashJson = state.outgoingFlash ? toJson(state.outgoingFlash, 'flash') : undefined;
  const changed =
    state.regenerated ||
    (state.idHandedOut && state.sid !== state.claims?.sid) ||
    !sameLifetime(state.lifetime, state.claims) ||
    dataJson !== state.baseline ||
    flashJson !== undefined ||
    state.incomingFlash !== undefined;
  // A signed-in session is kept even with no data (its subject is what it carries), and so
  // is one whose id was handed out for a token bound to it.
  const empty =
    dataJson === '{}' &&
    flashJson === undefined &&
    state.subject === undefined &&
    !state.idHandedOut;
  if (empty && (changed || state.claims === undefined)) {
    // A cookie kept for a newer deploy or a revocation store that is away, not written over.
    if (state.keepsCookie && !state.touched) return NONE;
    // Nothing to keep: no cookie for a visitor who never stored anything, and an emptied
    // session clears what the browser holds instead of sealing an empty dictionary.
    return DELETE;
  }
  const { codec } = config;
  const claims = state.claims;
  const life = lifetimeOf(config.lifetime, state.lifetime);
  const refreshDue =
    claims !== undefined && now - claims.iat >= config.refreshAfter * life.idleTimeout;
  const oldKey = state.keyId !== undefined && state.keyId !== ring.primaryId;
  if (!changed && !refreshDue && !oldKey) return NONE;

  const fresh = claims === undefined || state.regenerated;
  const ori = fresh ? now : claims.ori;
  const exp = Math.min(now + life.idleTimeout, ori + life.absoluteTimeout);
  // The session's id is made when it is first sealed (kept if this seal then fails), and a
  // cookie sealed before ids existed gets one now.
  state.sid ??= newSessionId();
  const who =
    state.subject === undefined
      ? { sid: state.sid }
      : { sid: state.sid, sub: state.subject, ...originMs(fresh, claims?.orm, now, codec.now()) };
  const next = newClaims(codec.purpose, now, exp, ori, state.lifetime, config.shape, who);
  // Accepted within the clock tolerance, but past its absolute lifetime: sealing it again
  // would write a dead token with a negative Max-Age. The session is over; clear it.
  if (next.exp <= now) return ENDED;
  if (codec.compress) {
    // Compressed, a repetitive session can fit the cookie yet inflate past what unseal
    // accepts: it would be written and then rejected on every request.
    const size = new TextEncoder().encode(plaintextOf(next, { dataJson, flashJson })).length;
    const limit = maxInflatedBytes(codec);
    if (size > limit) return { kind: 'too-large', size, limit };
  }
  return { kind: 'seal', next, dataJson, flashJson, oldKey, now, persistent: life.persistent };
}
