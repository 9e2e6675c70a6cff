/** What a token opened to the first time: its plaintext and the key id that sealed it. */
export interface Opened {
  readonly plaintext: string;
  readonly keyId: string;
}

/**
 * A small LRU map from an exact token string to what it decrypted to.
 *
 * Decryption is deterministic, so the same token always gives the same plaintext, and the
 * header checks gave their answer the first time: a hit skips both. The caller still parses
 * the plaintext afresh (the app may mutate what it gets) and checks every claim, expiry
 * included, on every hit.
 */
export class TokenCache {
  readonly #entries = new Map<string, Opened>();
  readonly #max: number;

  constructor(maxEntries: number) {
    this.#max = maxEntries;
  }

  get(token: string): Opened | undefined {
    const opened = this.#entries.get(token);
    if (opened !== undefined) {
      // Re-insert so the Map's insertion order doubles as recency order.
      this.#entries.delete(token);
      this.#entries.set(token, opened);
    }
    return opened;
  }

  set(token: string, opened: Opened): void {
    if (this.#entries.size >= this.#max) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
    this.#entries.set(token, opened);
  }

  get size(): number {
    return this.#entries.size;
  }
}
