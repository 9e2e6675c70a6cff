/**
 * A small LRU map from an exact token string to the plaintext it decrypted to.
 *
 * Decryption is deterministic, so the same token always gives the same plaintext: a hit
 * skips only the AES call. The caller still parses the plaintext afresh (the app may mutate
 * what it gets) and checks every claim, expiry included, on every hit.
 */
export class TokenCache {
  readonly #entries = new Map<string, string>();
  readonly #max: number;

  constructor(maxEntries: number) {
    this.#max = maxEntries;
  }

  get(token: string): string | undefined {
    const plaintext = this.#entries.get(token);
    if (plaintext !== undefined) {
      // Re-insert so the Map's insertion order doubles as recency order.
      this.#entries.delete(token);
      this.#entries.set(token, plaintext);
    }
    return plaintext;
  }

  set(token: string, plaintext: string): void {
    if (this.#entries.size >= this.#max) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
    this.#entries.set(token, plaintext);
  }

  get size(): number {
    return this.#entries.size;
  }
}
