import type { SessionRecord } from '../codec/token-format.js';
import { deletions, writeChunks } from '../cookie/chunking.js';
import { MAX_AGE_LIMIT_SECONDS } from '../cookie/limits.js';
import { debug } from '../debug.js';
import { type KeySize, SessionTooLargeError } from '../errors.js';
import type { KeyRing } from '../keys/key-ring.js';
import { type Commit, commitOf, NO_COOKIES } from './commit.js';
import type { CommitPlan, SealPlan } from './commit-plan.js';
import { notifyEvent } from './hooks.js';
import { type Phase, type SessionState, unlockCommit } from './state.js';
import type { StoreConfig } from './store-config.js';

const NO_NAMES: readonly string[] = Object.freeze([]);

/** Where a commit's cookies go before it is recorded (a cookie jar); throwing fails the commit. */
export type CookieWriter = (commit: Commit) => void;

// UTF-8 bytes of each value's JSON, not UTF-16 length: "é" costs the cookie two bytes.
export function largestKeys(data: SessionRecord): KeySize[] {
  const encoder = new TextEncoder();
  return Object.keys(data)
    .map((key) => ({ key, bytes: encoder.encode(JSON.stringify(data[key]) ?? '').length }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 3);
}

/** The error (and `too-large` event) of a session past a limit; nothing is written. */
export function tooLarge(
  config: StoreConfig,
  state: SessionState,
  size: number,
  limit: number,
): SessionTooLargeError {
  const largest = largestKeys(state.data);
  const cookieName = config.cookie.name;
  notifyEvent(config.hooks, { type: 'too-large', cookieName, size, limit, largestKeys: largest });
  return new SessionTooLargeError(size, limit, largest);
}

/**
 * The commit of a plan without a seal: nothing, or the deletion of every cookie of the
 * session the request carried.
 */
export function writeUnsealed(
  config: StoreConfig,
  state: SessionState,
  plan: Exclude<CommitPlan, SealPlan>,
  write: CookieWriter | undefined,
): Commit {
  if (plan.kind === 'delete' && plan.ended) {
    debug(`cookie "${config.cookie.name}" cleared: absolute lifetime has passed`);
  }
  const names = plan.kind === 'delete' ? state.present : NO_NAMES;
  const commit = names.length === 0 ? NO_COOKIES : commitOf(deletions(names), config.cookie);
  write?.(commit);
  // Deletions: once they are written, the browser holds no cookie of this session.
  if (commit.cookies.length > 0) {
    state.cookie = undefined;
    state.cookieRead = undefined;
  }
  return commit;
}

/**
 * The commit of a sealed token: its chunks (and the deletion of chunks no longer used), or
 * SessionTooLargeError past the budget. Once the cookies are taken, the state records what
 * the browser will hold, a re-seal is reported, and the token is cached for the next read.
 */
export function writeSealed(
  config: StoreConfig,
  ring: KeyRing,
  state: SessionState,
  plan: SealPlan,
  token: string,
  write: CookieWriter | undefined,
): Commit {
  const { next, dataJson, flashJson, oldKey, now, persistent } = plan;
  const { codec, cookie, budget } = config;
  const maxAge = persistent ? Math.min(next.exp - now, MAX_AGE_LIMIT_SECONDS) : undefined;
  const written = writeChunks(token, cookie, maxAge, budget);
  if (!written.ok) {
    debug(
      `cookie "${cookie.name}" not written: ${written.bytes} bytes needed, limit ${budget.totalBytes}`,
    );
    throw tooLarge(config, state, written.bytes, budget.totalBytes);
  }
  const stale = state.present.filter((name) => !written.names.includes(name));
  // The usual commit: the same chunks as before (or none), so nothing to delete.
  const cookies = stale.length === 0 ? written.cookies : [...written.cookies, ...deletions(stale)];
  const commit = commitOf(cookies, cookie);
  // A cookie jar takes the cookies now. If it refuses, the commit fails here, before
  // anything below: no re-seal is reported that was never written, nothing is cached.
  write?.(commit);
  const keyId = ring.primaryId;
  if (oldKey) {
    debug(`cookie "${cookie.name}" re-sealed: key "${state.keyId}" -> "${keyId}"`);
    notifyEvent(config.hooks, {
      type: 'reseal',
      cookieName: cookie.name,
      fromKeyId: state.keyId as string,
      toKeyId: keyId,
    });
  }
  // The session now matches what this response will write.
  state.baseline = dataJson;
  state.claims = next;
  // This browser's next request (to this process) then reads its cookie without decrypting.
  codec.cache?.setSealed(token, { claims: next, keyId, dataJson, flashJson });
  state.keyId = keyId;
  // session.cookie, made from these when it is read (cookieOf): no Date per seal.
  state.cookie = undefined;
  state.cookieRead = { bytes: written.bytes, count: written.names.length };
  state.cookieLimit = config.budget.totalBytes;
  return commit;
}

/**
 * A sealed commit written and recorded on the state (every later commit answers with it); if
 * writing throws, the commit is undone and the error goes on.
 */
export function recordSealed(
  config: StoreConfig,
  ring: KeyRing,
  state: SessionState,
  plan: SealPlan,
  token: string,
  write: CookieWriter | undefined,
  prior: Phase,
): Commit {
  try {
    state.commit = writeSealed(config, ring, state, plan, token, write);
    return state.commit;
  } catch (error) {
    return undoCommit(state, prior, plan, error);
  }
}

/** A failed commit records nothing: the session is unlocked and the error goes on. */
export function undoCommit(
  state: SessionState,
  prior: Phase,
  plan: SealPlan,
  error: unknown,
): never {
  unlockCommit(state, prior, plan.dataJson, plan.flashJson);
  throw error;
}
