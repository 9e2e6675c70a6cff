import type { CodecConfig } from '../codec/codec-config.js';
import { parseRecord, toJson } from '../codec/json-value.js';
import { seal } from '../codec/seal.js';
import { type Claims, plaintextOf, type SessionRecord } from '../codec/token-format.js';
import { maxInflatedBytes, type Unsealed, unseal } from '../codec/unseal.js';
import { chunkNames } from '../cookie/attributes.js';
import { deletions, type ReadChunks, readChunks, writeChunks } from '../cookie/chunking.js';
import { MAX_NAME_HITS, scanCookies } from '../cookie/cookie-scan.js';
import { MAX_AGE_LIMIT_SECONDS } from '../cookie/limits.js';
import { debug } from '../debug.js';
import { type KeySize, SessionRejectedError, SessionTooLargeError } from '../errors.js';
import type { KeyRing } from '../keys/key-ring.js';
import type { CookieInfo } from '../types.js';
import { type Commit, commitOf } from './commit.js';
import {
  type DataShape,
  isOfNewerDeploy,
  type Shaped,
  shapeData,
  versionClaim,
} from './data-shape.js';
import { notifyEvent, notifyRejection } from './hooks.js';
import {
  chosenLifetime,
  lifetimeOf,
  NO_CHOICE,
  type SessionLifetime,
  sameLifetime,
} from './lifetime.js';
import { type CookieSource, PORT, type SessionPort } from './port.js';
import { sealedCodec } from './sealed-purpose.js';
import { Session, stateOf } from './session.js';
import type { SessionStore } from './session-store.js';
import { freezeData, type SessionState, serialiseData } from './state.js';
import type { StoreConfig } from './store-config.js';

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
  limits: SessionLifetime,
): SessionState {
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
    keepsNewer: false,
    touched: false,
    exposed: undefined,
    destroyed: false,
    regenerated: false,
    locked: undefined,
    commit: undefined,
    cookie: undefined,
    committer,
    sink: undefined,
  };
}

type Opening = Unsealed | Shaped | SessionRejectedError;

interface PendingSeal {
  readonly state: SessionState;
  readonly next: Claims;
  readonly dataJson: string;
  readonly flashJson: string | undefined;
  readonly oldKey: boolean;
  readonly now: number;
  readonly persistent: boolean;
}

/** The store behind `SessionStore`; adapters reach it only through its port. */
export class Store<T, F> implements SessionStore<T, F> {
  readonly #config: StoreConfig;
  readonly #sealedCodec: CodecConfig;
  readonly #chunkNames: readonly string[];
  readonly #lifetime: SessionLifetime;
  readonly #shape: DataShape | undefined;
  readonly #committer = (state: SessionState): Commit | Promise<Commit> => this.#commit(state);
  readonly cookieName: string;
  readonly [PORT]: SessionPort<T, F>;

  constructor(config: StoreConfig, shape: DataShape | undefined) {
    this.#config = config;
    this.#shape = shape;
    this.#sealedCodec = sealedCodec(config.codec);
    this.cookieName = config.cookie.name;
    this.#chunkNames = chunkNames(config.cookie.name);
    this.#lifetime = {
      persistent: config.cookie.persistent,
      idleTimeout: config.codec.idleTimeout,
      absoluteTimeout: config.codec.absoluteTimeout,
    };
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

  get keyRing(): KeyRing {
    return this.#config.keys();
  }

  async load(cookieHeader: string | null | undefined): Promise<Session<T, F>> {
    return this.#load(cookieHeader);
  }

  // The session comes back at once when nothing needs decrypting (no cookie, a token-cache
  // hit, a token refused unread), so the common request does not wait on a promise.
  #load(source: CookieSource): Session<T, F> | Promise<Session<T, F>> {
    // Missing keys are an error at the first request, even one that carries no cookie.
    this.#config.keys();
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
      return new Session<T, F>(newState([], this.#committer, this.#lifetime), undefined);
    } else {
      const scanned = scanCookies(source, this.#chunkNames);
      if (scanned === undefined) {
        const crowded = new SessionRejectedError(
          'malformed',
          `Cookie header names "${this.cookieName}" more than ${MAX_NAME_HITS} times`,
        );
        return this.#sessionOf(readChunks(Object.create(null), this.#chunkNames), crowded);
      }
      cookies = scanned;
    }
    const chunks = readChunks(cookies, this.#chunkNames);
    if (chunks.token === undefined) return this.#sessionOf(chunks, chunks.rejection);
    const opened = this.#open(chunks.token);
    return opened instanceof Promise
      ? opened.then((result) => this.#sessionOf(chunks, result))
      : this.#sessionOf(chunks, opened);
  }

  /** Unseals a token (a session cookie's, or with the sealed codec a `seal()` value's) and, if the store has a data shape, brings its data to that shape. */
  #open(token: string, codec = this.#config.codec): Opening | Promise<Opening> {
    const opened = unseal(codec, token);
    const shape = this.#shape;
    if (!shape) return opened;
    if (opened instanceof Promise) {
      return opened.then((result) =>
        result instanceof SessionRejectedError ? result : shapeData(shape, result),
      );
    }
    return opened instanceof SessionRejectedError ? opened : shapeData(shape, opened);
  }

  #sessionOf(chunks: ReadChunks, opened: Opening | undefined): Session<T, F> {
    const state = newState(chunks.present, this.#committer, this.#lifetime);
    if (opened instanceof SessionRejectedError) {
      const sealed = opened.sealed;
      const times = sealed
        ? ` (key "${sealed.keyId}", created ${sealed.createdAt.toISOString()}, expires ${sealed.expiresAt.toISOString()})`
        : '';
      debug(`cookie "${this.cookieName}" rejected: ${opened.reason}: ${opened.detail}${times}`);
      notifyRejection(this.#config.hooks, opened, { cookieName: this.cookieName });
      state.keepsNewer = isOfNewerDeploy(opened);
      return new Session<T, F>(state, opened);
    }
    if (opened) {
      state.data = opened.data;
      state.baseline = opened.dataJson;
      state.claims = opened.claims;
      state.keyId = opened.keyId;
      state.lifetime = chosenLifetime(opened.claims);
      state.incomingFlash = opened.flash;
      state.cookie = this.#info(opened.keyId, opened.claims.exp, chunks.bytes, chunks.count);
      if ('reshaped' in opened) this.#reshaped(state, opened);
    }
    return new Session<T, F>(state, undefined);
  }

  /** Data migrated or reshaped on read is written back, in its new shape, by this response. */
  #reshaped(state: SessionState, shaped: Shaped): void {
    if (shaped.reshaped) {
      state.baseline = undefined;
      // A fresh copy of what migrate or the schema made (see data-shape.ts), checked there:
      // not exposed, like a value set() stored.
      state.touched = true;
    }
    const from = shaped.migratedFrom;
    const to = this.#shape?.version ?? 0;
    if (from !== undefined) {
      debug(`cookie "${this.cookieName}" data migrated: version ${from} -> ${to}`);
      notifyEvent(this.#config.hooks, {
        type: 'migrated',
        cookieName: this.cookieName,
        fromVersion: from,
        toVersion: to,
      });
    }
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
    return deletions(state.present, this.#config.cookie);
  }

  async commit(session: Session<T, F>): Promise<string[]> {
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
      const commit = commitOf(plan, () => 0);
      state.sink?.(commit);
      // Deletions: once they are written, the browser holds no cookie of this session.
      if (plan.length > 0) state.cookie = undefined;
      state.commit = commit;
      freezeData(state);
      return commit;
    }
    // Nothing was committed: the session is the app's again, to put right and commit.
    // What was frozen for the seal is replaced by a writable copy of the same values.
    const unlock = (error: unknown): never => {
      state.commit = undefined;
      state.data = parseRecord(plan.dataJson);
      state.exposed = undefined;
      if (plan.flashJson !== undefined) state.outgoingFlash = parseRecord(plan.flashJson);
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
    const dataJson = state.touched ? serialiseData(state) : (state.baseline ?? '{}');
    const flashJson = state.outgoingFlash ? toJson(state.outgoingFlash, 'flash') : undefined;
    const changed =
      state.regenerated ||
      !sameLifetime(state.lifetime, state.claims) ||
      dataJson !== state.baseline ||
      flashJson !== undefined ||
      state.incomingFlash !== undefined;
    if (dataJson === '{}' && flashJson === undefined && (changed || state.claims === undefined)) {
      // A newer deploy's cookie the app did not write over: theirs to read, not ours to delete.
      if (state.keepsNewer && !state.touched) return [];
      // Nothing to keep: no cookie for a visitor who never stored anything, and an emptied
      // session clears what the browser holds instead of sealing an empty dictionary.
      return this.#clearAll(state);
    }
    const now = this.#now();
    const claims = state.claims;
    const life = lifetimeOf(this.#lifetime, state.lifetime);
    const refreshDue =
      claims !== undefined && now - claims.iat >= this.#config.refreshAfter * life.idleTimeout;
    const oldKey = state.keyId !== undefined && state.keyId !== codec.ring.primaryId;
    if (!changed && !refreshDue && !oldKey) return [];

    const ori = claims === undefined || state.regenerated ? now : claims.ori;
    const next: Claims = {
      pur: codec.purpose,
      iat: now,
      exp: Math.min(now + life.idleTimeout, ori + life.absoluteTimeout),
      ori,
      ...state.lifetime,
      ...versionClaim(this.#shape),
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
        throw this.#tooLarge(inflated, maxInflatedBytes(codec), state);
      }
    }
    return { state, next, dataJson, flashJson, oldKey, now, persistent: life.persistent };
  }

  /** The commit of a sealed token: its chunks, or SessionTooLargeError past the budget. */
  #written(pending: PendingSeal, token: string): Commit {
    const { state, next, dataJson, flashJson, oldKey, now, persistent } = pending;
    const { codec, cookie, budget } = this.#config;
    const maxAge = persistent ? Math.min(next.exp - now, MAX_AGE_LIMIT_SECONDS) : undefined;
    const written = writeChunks(token, cookie, maxAge, budget);
    if (!written.ok) {
      debug(
        `cookie "${cookie.name}" not written: ${written.bytes} bytes needed, limit ${budget.totalBytes}`,
      );
      throw this.#tooLarge(written.bytes, budget.totalBytes, state);
    }
    const stale = state.present.filter((name) => !written.names.includes(name));
    // The usual commit: the same chunks as before (or none), so nothing to delete.
    const commit =
      stale.length === 0
        ? commitOf(written.setCookies, () => maxAge)
        : commitOf([...written.setCookies, ...deletions(stale, cookie)], (name) =>
            stale.includes(name) ? 0 : maxAge,
          );
    // A cookie jar takes the cookies now. If it refuses, the commit fails here, before
    // anything below: no re-seal is reported that was never written, nothing is cached.
    state.sink?.(commit);
    if (oldKey) {
      debug(`cookie "${cookie.name}" re-sealed: key "${state.keyId}" -> "${codec.ring.primaryId}"`);
      notifyEvent(this.#config.hooks, {
        type: 'reseal',
        cookieName: cookie.name,
        fromKeyId: state.keyId as string,
        toKeyId: codec.ring.primaryId,
      });
    }
    // The session now matches what this response will write.
    state.baseline = dataJson;
    state.claims = next;
    // This browser's next request (to this process) then reads its cookie without decrypting.
    codec.cache?.set(token, { claims: next, keyId: codec.ring.primaryId, dataJson, flashJson });
    state.keyId = codec.ring.primaryId;
    state.cookie = this.#info(codec.ring.primaryId, next.exp, written.bytes, written.names.length);
    return commit;
  }

  #tooLarge(size: number, limit: number, state: SessionState): SessionTooLargeError {
    const largest = largestKeys(state.data);
    notifyEvent(this.#config.hooks, {
      type: 'too-large',
      cookieName: this.cookieName,
      size,
      limit,
      largestKeys: largest,
    });
    return new SessionTooLargeError(size, limit, largest);
  }

  async seal(data: Partial<T>): Promise<string> {
    this.#config.keys();
    const codec = this.#sealedCodec;
    const now = this.#now();
    const claims: Claims = {
      pur: codec.purpose,
      iat: now,
      exp: now + codec.idleTimeout,
      ori: now,
      ...versionClaim(this.#shape),
    };
    return seal(codec, claims, { dataJson: toJson(data, 'data'), flashJson: undefined });
  }

  async unseal(token: string): Promise<Partial<T> | SessionRejectedError> {
    this.#config.keys();
    const opened = await this.#open(token, this.#sealedCodec);
    return opened instanceof SessionRejectedError ? opened : (opened.data as Partial<T>);
  }
}
