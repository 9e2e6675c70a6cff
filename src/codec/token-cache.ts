import { detached } from './detached.js';
import type { Claims, SessionRecord } from './token-format.js';

/** What a token opened to, kept as text: each hit parses the data afresh for its request. */
export interface CachedToken {
  readonly claims: Claims;
  /** The key id that sealed the token (without the window). */
  readonly keyId: string;
  /** The data's JSON, as `JSON.stringify` gives it. */
  readonly dataJson: string;
  readonly flashJson: string | undefined;
  /**
   * The data, parsed at the entry's second hit and never handed out: each hit from then on
   * gets its own copy of it (copyRecord), cheaper than parsing the text again. Null after the
   * first hit, which parses for itself: a token read once (the next request after a write)
   * pays no copy.
   */
  data?: SessionRecord | null;
}

/**
 * A bounded map from an exact token string to what it decrypted to.
 *
 * Decryption is deterministic, so the same token always gives the same plaintext, and the
 * header checks gave their answer the first time: a hit skips both. The caller still gives
 * each hit its own copy of the data (the app may mutate what it gets) and checks every claim,
 * expiry included, on every hit. Tokens the store sealed itself go in too: the next request of that browser
 * (to this process) reads its cookie without decrypting it.
 *
 * Recency is kept in two generations rather than a strict LRU order: a hit on a recent entry
 * (the common case: a browser making several requests) costs one lookup and no reordering.
 * When the young map is full it becomes the old one and the old one is dropped; a hit in the
 * old map moves the entry back to the young one. At most `maxEntries` entries are held (two
 * when it is 1).
 */
export class TokenCache {
  // Keyed by the token's last segment, its GCM tag (16 random-looking bytes for any token we
  // sealed), with the whole token kept to compare: a Map hashes a key string in full, and a
  // 4 KB cookie, a new string on every request, cost more to hash than the rest of a hit
  // (bench:write-path). A hit still needs the exact token, so a string that only shares a
  // tag with a cached token is a miss, decrypted and refused as usual.
  // Every string kept (token and tag) is the entry's own copy, never the caller's: a token
  // read from a request is a slice of its Cookie header, and would keep the header alive.
  #young = new Map<string, CacheEntry>();
  #old = new Map<string, CacheEntry>();
  // Each generation holds half; with an odd maximum the extra entry goes unused.
  readonly #half: number;

  constructor(maxEntries: number) {
    this.#half = Math.max(1, Math.floor(maxEntries / 2));
  }

  get(token: string): CachedToken | undefined {
    const tag = tagOf(token);
    const recent = this.#young.get(tag);
    if (recent !== undefined) return recent.token === token ? recent.opened : undefined;
    const older = this.#old.get(tag);
    if (older === undefined || older.token !== token) return undefined;
    this.#old.delete(tag);
    // Keyed again by its own tag: `tag` is cut from this request's token.
    this.#add(tagOf(older.token), older);
    return older.opened;
  }

  /** A token read from a request: kept as a copy of its own (see above). */
  set(token: string, opened: CachedToken): void {
    this.#put(detached(token), opened);
  }

  /**
   * A token this process has just sealed: already a string of its own, not cut from a
   * header, so kept as it is (a copy of a 4 KB token would cost more than the rest of this).
   */
  setSealed(token: string, opened: CachedToken): void {
    this.#put(token, opened);
  }

  #put(own: string, opened: CachedToken): void {
    const tag = tagOf(own);
    this.#old.delete(tag);
    this.#add(tag, { token: own, opened });
  }

  #add(tag: string, entry: CacheEntry): void {
    if (this.#young.size >= this.#half && !this.#young.has(tag)) {
      this.#old = this.#young;
      this.#young = new Map();
    }
    this.#young.set(tag, entry);
  }

  get size(): number {
    return this.#young.size + this.#old.size;
  }
}

interface CacheEntry {
  readonly token: string;
  readonly opened: CachedToken;
}

/** The text after the last dot: a compact JWE's authentication tag. */
function tagOf(token: string): string {
  return token.slice(token.lastIndexOf('.') + 1);
}
