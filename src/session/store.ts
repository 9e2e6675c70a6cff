import { parse } from 'cookie';
import { toJson } from '../codec/json-value.js';
import { seal } from '../codec/seal.js';
import { type Claims, plaintextOf, type SessionRecord } from '../codec/token-format.js';
import { maxInflatedBytes, type Unsealed, unseal } from '../codec/unseal.js';
import { chunkNames } from '../cookie/attributes.js';
import { deletions, type ReadChunks, readChunks, writeChunks } from '../cookie/chunking.js';
import { MAX_AGE_LIMIT_SECONDS } from '../cookie/limits.js';
import { debug } from '../debug.js';
import { type KeySize, SessionRejectedError, SessionTooLargeError } from '../errors.js';
import type { KeyRing } from '../keys/key-ring.js';
import type { AnySessionData, CookieInfo, SessionData } from '../types.js';
import { type Commit, commitOf } from './commit.js';
import { type CookieSource, PORT, type SessionPort } from './port.js';
import { Session, stateOf } from './session.js';
import { freezeData, type SessionState } from './state.js';
import { resolveOptions, type SessionStoreOptions, type StoreConfig } from './store-options.js';

export interface SessionStore<T = AnySessionData> {
  /** The cookie name (the first chunk's name). */
  readonly cookieName: string;
  /** The key ring in use; `keyRing.primaryId` is the id of the key that seals. */
  readonly keyRing: KeyRing;
  /**
   * Loads the session from a request's Cookie header. Never throws for what the browser
   * sent: a bad, foreign, expired or tampered cookie gives a new empty session whose
   * `rejection` says why.
   */
  load(cookieHeader: string | null | undefined): Promise<Session<T>>;
  /**
   * The Set-Cookie header values this response needs: none when nothing changed, the sealed
   * chunks (and deletions of chunks no longer used) when something did, deletions only after
   * `destroy()`. The first commit locks the session (a later change throws
   * SessionCommittedError); committing again gives the same values. Throws
   * SessionTooLargeError (and writes nothing) past the size budget, and SessionValueError for
   * data JSON cannot carry; after a failure the session can be changed and committed again.
   */
  commit(session: Session<T>): Promise<string[]>;
  /** Seals data into one token with this store's keys, purpose and lifetimes. */
  seal(data: Partial<T>): Promise<string>;
  /** Opens a token sealed by `seal`; a bad token comes back as a SessionRejectedError, never thrown. */
  unseal(token: string): Promise<Partial<T> | SessionRejectedError>;
}

// UTF-8 bytes of each value's JSON, not UTF-16 length: "é" costs the cookie two bytes.
function largestKeys(data: SessionRecord): KeySize[] {
  const encoder = new TextEncoder();
  return Object.keys(data)
    .map((key) => ({ key, bytes: encoder.encode(JSON.stringify(data[key]) ?? '').length }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 3);
}

function newState(
  present: readonly string[],
  committer: (state: SessionState) => Commit | Promise<Commit>,
): SessionState {
  return {
    data: Object.create(null),
    baseline: undefined,
    claims: undefined,
    keyId: undefined,
    incomingFlash: undefined,
    outgoingFlash: undefined,
    present,
    touched: false,
    destroyed: false,
    regenerated: false,
    locked: undefined,
    commit: undefined,
    cookie: undefined,
    committer,
    sink: undefined,
  };
}

/** A fresh, writable record from JSON the session produced itself. */
function recordFrom(json: string): SessionRecord {
  return Object.setPrototypeOf(JSON.parse(json), null);
}

interface PendingSeal {
  readonly state: SessionState;
  readonly next: Claims;
  readonly dataJson: string;
  readonly flashJson: string | undefined;
  readonly oldKey: boolean;
  readonly now: number;
}

/** The store behind `SessionStore`; adapters reach it only through its port. */
class Store<T> implements SessionStore<T> {
  readonly #config: StoreConfig;
  readonly #chunkNames: readonly string[];
  readonly #committer = (state: SessionState): Commit | Promise<Commit> => this.#commit(state);
  readonly cookieName: string;
  readonly keyRing: KeyRing;
  readonly [PORT]: SessionPort<T>;

  constructor(config: StoreConfig) {
    this.#config = config;
    this.cookieName = config.cookie.name;
    this.#chunkNames = chunkNames(config.cookie.name);
    this.keyRing = config.codec.ring;
    this[PORT] = {
      cookieName: this.cookieName,
      cookieAttributes: config.cookie.attributes,
      load: (source) => this.#load(source),
      commit: (session) => this.#commit(stateOf(session)),
    };
  }

  #now(): number {
    return Math.floor(this.#config.codec.now() / 1000);
  }

  async load(cookieHeader: string | null | undefined): Promise<Session<T>> {
    return this.#load(cookieHeader);
  }

  // The session comes back at once when nothing needs decrypting (no cookie, a token-cache
  // hit, a token refused unread), so the common request does not wait on a promise.
  #load(source: CookieSource): Session<T> | Promise<Session<T>> {
    let cookies: Record<string, string | undefined>;
    if (typeof source === 'function') {
      cookies = Object.create(null);
      for (const name of this.#chunkNames) {
        const value = source(name);
        if (value !== undefined) cookies[name] = value;
        else if (name !== this.cookieName) break;
      }
    } else if (!source?.includes(this.cookieName)) {
      // Most requests of most apps carry other cookies only: skip the parse for those.
      return new Session<T>(newState([], this.#committer), undefined);
    } else cookies = parse(source);
    const chunks = readChunks(cookies, this.#chunkNames);
    if (chunks.token === undefined) return this.#sessionOf(chunks, chunks.rejection);
    const opened = unseal(this.#config.codec, chunks.token);
    return opened instanceof Promise
      ? opened.then((result) => this.#sessionOf(chunks, result))
      : this.#sessionOf(chunks, opened);
  }

  #sessionOf(chunks: ReadChunks, opened: Unsealed | SessionRejectedError | undefined): Session<T> {
    const state = newState(chunks.present, this.#committer);
    if (opened instanceof SessionRejectedError) {
      const sealed = opened.sealed;
      const times = sealed
        ? ` (key "${sealed.keyId}", created ${sealed.createdAt.toISOString()}, expires ${sealed.expiresAt.toISOString()})`
        : '';
      debug(`cookie "${this.cookieName}" rejected: ${opened.reason}: ${opened.detail}${times}`);
      return new Session<T>(state, opened);
    }
    if (opened) {
      state.data = opened.data;
      state.baseline = opened.dataJson;
      state.claims = opened.claims;
      state.keyId = opened.keyId;
      state.incomingFlash = opened.flash;
      state.cookie = this.#info(opened.keyId, opened.claims.exp, chunks.bytes, chunks.count);
    }
    return new Session<T>(state, undefined);
  }

  #info(keyId: string, exp: number, bytes: number, chunks: number): CookieInfo {
    return {
      bytes,
      chunks,
      limit: this.#config.budget.totalBytes,
      keyId,
      expiresAt: new Date(exp * 1000),
    };
  }

  #clearAll(state: SessionState): string[] {
    state.cookie = undefined;
    return deletions(state.present, this.#config.cookie);
  }

  async commit(session: Session<T>): Promise<string[]> {
    const commit = await this.#commit(stateOf(session));
    return [...commit.lines];
  }

  /**
   * The session's one commit. The first call locks the session (before any seal finishes, so
   * a change made meanwhile throws rather than vanishes); every later call answers with the
   * same result or the same seal under way. A failure unlocks it and records nothing.
   */
  #commit(state: SessionState): Commit | Promise<Commit> {
    if (state.commit !== undefined) return state.commit;
    const plan = this.#plan(state);
    if (Array.isArray(plan)) {
      // Without a seal there is nothing to write but deletions (or nothing at all).
      state.commit = commitOf(plan, () => 0);
      freezeData(state);
      return state.commit;
    }
    // Nothing was committed: the session is the app's again, to put right and commit.
    // What was frozen for the seal is replaced by a writable copy of the same values.
    const unlock = (error: unknown): never => {
      state.commit = undefined;
      state.data = recordFrom(plan.dataJson);
      if (plan.flashJson !== undefined) state.outgoingFlash = recordFrom(plan.flashJson);
      throw error;
    };
    const finish = (token: string): Commit => {
      try {
        state.commit = this.#written(plan, token);
      } catch (error) {
        unlock(error);
      }
      return state.commit as Commit;
    };
    const sealed = seal(this.#config.codec, plan.next, plan);
    if (typeof sealed === 'string') {
      // A synchronous engine: the commit is done in this tick, with no promise for the
      // adapters to wait on (the Node adapter then holds no response call).
      freezeData(state);
      return finish(sealed);
    }
    const pending = sealed.then(finish, unlock);
    state.commit = pending;
    freezeData(state);
    return pending;
  }

  /** Everything commit decides before sealing: the final lines, or what to seal. */
  #plan(state: SessionState): string[] | PendingSeal {
    const { codec, cookie } = this.#config;
    if (state.destroyed) return this.#clearAll(state);

    // Data the app never touched (no change, no object handed out) is still what was loaded.
    const dataJson = state.touched ? toJson(state.data, 'session') : (state.baseline ?? '{}');
    const flashJson = state.outgoingFlash ? toJson(state.outgoingFlash, 'flash') : undefined;
    const changed =
      state.regenerated ||
      dataJson !== state.baseline ||
      flashJson !== undefined ||
      state.incomingFlash !== undefined;
    if (dataJson === '{}' && flashJson === undefined && (changed || state.claims === undefined)) {
      // Nothing to keep: no cookie for a visitor who never stored anything, and an emptied
      // session clears what the browser holds instead of sealing an empty dictionary.
      return this.#clearAll(state);
    }
    const now = this.#now();
    const claims = state.claims;
    const refreshDue =
      claims !== undefined && now - claims.iat >= this.#config.refreshAfter * codec.idleTimeout;
    const oldKey = state.keyId !== undefined && state.keyId !== codec.ring.primaryId;
    if (!changed && !refreshDue && !oldKey) return [];

    const ori = claims === undefined || state.regenerated ? now : claims.ori;
    const next: Claims = {
      pur: codec.purpose,
      iat: now,
      exp: Math.min(now + codec.idleTimeout, ori + codec.absoluteTimeout),
      ori,
    };
    if (next.exp <= now) {
      // Accepted within the clock tolerance, but past its absolute lifetime: sealing it again
      // would write a dead token with a negative Max-Age. The session is over; clear it.
      debug(`cookie "${cookie.name}" cleared: absolute lifetime has passed`);
      return this.#clearAll(state);
    }
    if (codec.compress) {
      // Compressed, a repetitive session can fit the cookie yet inflate past what unseal
      // accepts (the zip-bomb limit): it would be written and then rejected on every request.
      const inflated = new TextEncoder().encode(plaintextOf(next, { dataJson, flashJson })).length;
      if (inflated > maxInflatedBytes(codec)) {
        throw new SessionTooLargeError(inflated, maxInflatedBytes(codec), largestKeys(state.data));
      }
    }
    return { state, next, dataJson, flashJson, oldKey, now };
  }

  /** The commit of a sealed token: its chunks, or SessionTooLargeError past the budget. */
  #written({ state, next, dataJson, flashJson, oldKey, now }: PendingSeal, token: string): Commit {
    const { codec, cookie, budget } = this.#config;
    const maxAge = cookie.persistent ? Math.min(next.exp - now, MAX_AGE_LIMIT_SECONDS) : undefined;
    const written = writeChunks(token, cookie, maxAge, budget);
    if (!written.ok) {
      debug(
        `cookie "${cookie.name}" not written: ${written.bytes} bytes needed, limit ${budget.totalBytes}`,
      );
      throw new SessionTooLargeError(written.bytes, budget.totalBytes, largestKeys(state.data));
    }
    if (oldKey) {
      debug(`cookie "${cookie.name}" re-sealed: key "${state.keyId}" -> "${codec.ring.primaryId}"`);
    }
    // The session now matches what this response will write.
    state.baseline = dataJson;
    state.claims = next;
    // This browser's next request (to this process) then reads its cookie without decrypting.
    codec.cache?.set(token, { claims: next, keyId: codec.ring.primaryId, dataJson, flashJson });
    state.keyId = codec.ring.primaryId;
    state.cookie = this.#info(codec.ring.primaryId, next.exp, written.bytes, written.names.length);
    const stale = state.present.filter((name) => !written.names.includes(name));
    const deleted = new Set(stale);
    return commitOf([...written.setCookies, ...deletions(stale, cookie)], (name) =>
      deleted.has(name) ? 0 : maxAge,
    );
  }

  async seal(data: Partial<T>): Promise<string> {
    const { codec } = this.#config;
    const now = this.#now();
    const claims: Claims = { pur: codec.purpose, iat: now, exp: now + codec.idleTimeout, ori: now };
    return seal(codec, claims, { dataJson: toJson(data, 'data'), flashJson: undefined });
  }

  async unseal(token: string): Promise<Partial<T> | SessionRejectedError> {
    const opened = await unseal(this.#config.codec, token);
    return opened instanceof SessionRejectedError ? opened : (opened.data as Partial<T>);
  }
}

/**
 * Creates a session store. Every option is checked here: a bad one throws
 * SessionConfigError naming it, at startup rather than on the first request.
 *
 * ```ts
 * type Data = { userId?: string; cart?: { sku: string; qty: number }[] };
 * const store = createSessionStore<Data>({ cookie: { secure: process.env.NODE_ENV === 'production' } });
 * ```
 */
export function createSessionStore<T extends SessionData<T> = AnySessionData>(
  options: SessionStoreOptions = {},
): SessionStore<T> {
  return new Store<T>(resolveOptions(options));
}
