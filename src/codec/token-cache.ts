import type { Claims } from './token-format.js';

/** What a token opened to, kept as text: each hit parses the data afresh for its request. */
export interface Opened {
  readonly claims: Claims;
  /** The key id that sealed the token (without the window). */
  readonly keyId: string;
  /** The data's JSON, as `JSON.stringify` gives it. */
  readonly dataJson: string;
  readonly flashJson: string | undefined;
}

/**
 * A bounded map from an exact token string to what it decrypted to.
 *
 * Decryption is deterministic, so the same token always gives the same plaintext, and the
 * header checks gave their answer the first time: a hit skips both. The caller still parses
 * the data afresh (the app may mutate what it gets) and checks every claim, expiry included,
 * on every hit. Tokens the store sealed itself go in too: the next request of that browser
 * (to this process) reads its cookie without decrypting it.
 *
 * Recency is kept in two generations rather than a strict LRU order: a hit on a recent entry
 * (the common case: a browser making several requests) costs one lookup and no reordering.
 * When the young map is full it becomes the old one and the old one is dropped; a hit in the
 * old map moves the entry back to the young one. At most `maxEntries` entries are held (two
 * when it is 1).
 */
export class TokenCache {
  #young = new Map<string, Opened>();
  #old = new Map<string, Opened>();
  // Each generation holds half; with an odd maximum the extra entry goes unused.
  readonly #half: number;

  constructor(maxEntries: number) {
    this.#half = Math.max(1, Math.floor(maxEntries / 2));
  }

  get(token: string): Opened | undefined {
    const recent = this.#young.get(token);
    if (recent !== undefined) return recent;
    const older = this.#old.get(token);
    if (older !== undefined) {
      this.#old.delete(token);
      this.#add(token, older);
    }
    return older;
  }

  set(token: string, opened: Opened): void {
    this.#old.delete(token);
    this.#add(token, opened);
  }

  #add(token: string, opened: Opened): void {
    if (this.#young.size >= this.#half && !this.#young.has(token)) {
      this.#old = this.#young;
      this.#young = new Map();
    }
    this.#young.set(token, opened);
  }

  get size(): number {
    return this.#young.size + this.#old.size;
  }
}
