import { assertJsonValue, keyPath, parseRecord } from '../codec/json-value.js';
import type { LifetimeClaims } from '../codec/optional-claims.js';
import type { Claims, SessionRecord } from '../codec/token-format.js';
import type { CookieInfo } from '../types.js';
import type { Commit } from './commit.js';
import { NO_CHOICE, type SessionLifetime } from './lifetime.js';
import { newSessionId } from './new-claims.js';

/** What the store knows about a session and the app does not touch. Internal. */
export interface SessionState {
  data: SessionRecord;
  /** JSON of the data as loaded; undefined for a session never sealed. */
  baseline: string | undefined;
  claims: Claims | undefined;
  keyId: string | undefined;
  /** The lifetimes this session chose (`session.options()`), as its next token will carry them. */
  lifetime: LifetimeClaims;
  /** The store's lifetimes: the bounds of any choice. */
  readonly limits: SessionLifetime;
  /** Flash values that arrived with this request, and whether any was there. */
  incomingFlash: SessionRecord | undefined;
  /** Flash values set during this request, for the next one. */
  outgoingFlash: SessionRecord | undefined;
  /** The session's exact cookie names the request carried. */
  present: readonly string[];
  /**
   * A refused cookie that is not ours to delete: a commit that would only delete it, because
   * the app changed nothing (not `touched`, which every set, delete, clear and regenerate
   * makes true), leaves it in the browser instead. Set for an authentic cookie of a newer data
   * version (a rolling deploy: theirs to read), and for one the revocation store could not
   * vouch for (`revocation-unavailable`: the session comes back with the store).
   */
  keepsCookie: boolean;
  /**
   * False while the data is certainly as loaded: nothing was set or deleted and no object in
   * it was handed out (so nothing can have been changed in place). Commit then skips
   * serialising the data to compare it, which is most of what an unchanged request costs.
   */
  touched: boolean;
  /**
   * The top-level keys whose values the app may hold a reference to (get() handed out an
   * object). Only these can have changed in place: commit checks just these before it
   * serialises the data, and the lock freezes just these. set() and delete() take their key
   * out: set() stores a copy it checked and nobody else has seen. Undefined: none.
   */
  exposed: Set<string> | undefined;
  /** Set by regenerate(): the next token starts a new session (a new creation time). */
  regenerated: boolean;
  /**
   * The session's id (`sid`): the cookie's, a new one from regenerate(), or, for a session
   * that never had one, made at its first seal (a visitor who stores nothing costs nothing).
   */
  sid: string | undefined;
  /** The subject (`sub`) named at sign-in; dropped by destroy(). */
  subject: string | undefined;
  /**
   * The id was handed out for something bound to it (a CSRF token) before it was sealed: the
   * commit then writes the session even with no data, so the next request carries that id.
   */
  idHandedOut: boolean;
  /** Where the session is in its request: see Phase. */
  phase: Phase;
  /**
   * The session's one commit, while `committed` (or `failed` after it): its result, or the
   * seal under way. Every later commit answers with it. Cleared if it fails, so the app can
   * put things right and commit again.
   */
  commit: Commit | Promise<Commit> | undefined;
  /** Why changes are refused, once `failed`: the request failed, or the session is read-only. */
  lockedBy: string | undefined;
  /** The cookie as the browser holds it: see `cookieOf`. */
  cookie: CookieInfo | undefined;
  /**
   * The chunks of the cookie loaded or last written, and the store's limit, while `cookie`
   * has not been made from them: most requests never read `session.cookie`, and its Date cost
   * a cached read as much as its cookie's lookup in the token cache.
   */
  cookieRead: { readonly bytes: number; readonly count: number } | undefined;
  cookieLimit: number;
}

/**
 * open: the app may change it. destroyed: destroy() was called; only regenerate() or a commit
 * (which deletes the cookies) may follow. committed: the first commit started; the session is
 * locked and every later commit answers with the same result. failed: the request failed (or
 * the session is read-only here): nothing of it will be saved; a commit made before may stand.
 */
export type Phase = 'open' | 'destroyed' | 'committed' | 'failed';

/** A session with nothing loaded yet, in the `open` phase. */
export function newState(present: readonly string[], limits: SessionLifetime): SessionState {
  return {
    data: Object.create(null),
    baseline: undefined,
    claims: undefined,
    keyId: undefined,
    lifetime: NO_CHOICE,
    limits,
    incomingFlash: undefined,
    outgoingFlash: undefined,
    present,
    keepsCookie: false,
    touched: false,
    exposed: undefined,
    regenerated: false,
    sid: undefined,
    subject: undefined,
    idHandedOut: false,
    phase: 'open',
    commit: undefined,
    lockedBy: undefined,
    cookie: undefined,
    cookieRead: undefined,
    cookieLimit: 0,
  };
}

/**
 * `session.cookie`: what the last commit wrote, or else the loaded cookie (its key id and
 * expiry are the loaded token's until a commit writes another), made at the first ask.
 */
export function cookieOf(state: SessionState): CookieInfo | undefined {
  const read = state.cookieRead;
  if (state.cookie !== undefined || read === undefined) return state.cookie;
  state.cookieRead = undefined;
  state.cookie = {
    bytes: read.bytes,
    chunks: read.count,
    limit: state.cookieLimit,
    keyId: state.keyId as string,
    expiresAt: new Date((state.claims?.exp as number) * 1000),
  };
  return state.cookie;
}

/**
 * The session's id for what is bound to it (a CSRF token): the current one, or one made now,
 * which this request's commit then writes (see `idHandedOut`). Internal.
 */
export function sessionIdFor(state: SessionState): string {
  if (state.sid !== undefined && state.sid === state.claims?.sid) return state.sid;
  state.sid ??= newSessionId();
  state.idHandedOut = true;
  return state.sid;
}

/** Why a change is refused now, or undefined if the session may still change. */
export function lockReason(state: SessionState): string | undefined {
  const { phase } = state;
  if (phase === 'open') return undefined;
  if (phase === 'failed') return state.lockedBy;
  if (phase === 'committed') {
    return (
      'the session was already committed for this response (by session.save(), ' +
      'store.commit() or the adapter as the response started): make every change before that'
    );
  }
  return 'session was destroyed in this request; call regenerate() to start a new one';
}

// Once committed, freeze what the app may still hold, so an in-place change to a nested
// object throws in strict-mode code instead of vanishing. Only session-owned objects: set()
// copies what it is given, so nothing of the app's own is ever frozen.
export function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}

/** Freezes what the app holds of a locked session; get() freezes what it hands out later. */
export function freezeData(state: SessionState): void {
  const { exposed, data } = state;
  if (exposed) for (const key of exposed) deepFreeze(data[key]);
  if (state.outgoingFlash) deepFreeze(state.outgoingFlash);
}

/** A value the app was handed: see `exposed`. */
export function expose(state: SessionState, key: string): void {
  if (state.exposed === undefined) state.exposed = new Set([key]);
  else state.exposed.add(key);
}

/** A key whose value is now a copy of the session's own (or gone): see `exposed`. */
export function conceal(state: SessionState, key: string): void {
  state.exposed?.delete(key);
}

/**
 * Refuses every later change: the request failed, so nothing of it will be saved. The first
 * reason stands.
 */
export function lockSession(state: SessionState, reason: string): void {
  if (state.phase === 'failed') return;
  state.phase = 'failed';
  state.lockedBy = reason;
  freezeData(state);
}

/** The first commit locks the session (a failed request's stays failed). */
export function lockCommit(state: SessionState, prior: Phase): void {
  if (prior !== 'failed') state.phase = 'committed';
  freezeData(state);
}

/**
 * A commit failed and recorded nothing: the session is the app's again, in the phase it had,
 * to put right and commit. What was frozen for the seal is replaced by a writable copy of the
 * same values (the JSON the commit would have sealed).
 */
export function unlockCommit(
  state: SessionState,
  prior: Phase,
  dataJson: string,
  flashJson: string | undefined,
): void {
  state.commit = undefined;
  if (state.phase === 'committed') state.phase = prior;
  state.data = parseRecord(dataJson);
  state.exposed = undefined;
  if (flashJson !== undefined) state.outgoingFlash = parseRecord(flashJson);
}

/**
 * The data's JSON for a commit. Only exposed values can hold what JSON would change (a Date
 * pushed into an array get() handed out), so only those are checked, naming the path; the
 * rest (copies set() checked, values parsed from the token) are serialised as they are.
 */
export function serialiseData(state: SessionState): string {
  const { exposed, data } = state;
  if (exposed) for (const key of exposed) assertJsonValue(data[key], keyPath('session', key));
  return JSON.stringify(data);
}
