/**
 * What a few recurring keys compute to, kept for the next call: at most `max` entries, and
 * when full it starts over empty. Made for keys that recur (one header text per key and hour,
 * a cookie's few Max-Ages) but may come from a browser, so a stream of distinct ones costs
 * a recomputation each, never memory.
 */
export class BoundedMemo<K, V> {
  readonly #entries = new Map<K, V>();
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  /** How many entries are kept: never more than `max`. */
  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    return this.#entries.get(key);
  }

  set(key: K, value: V): void {
    if (this.#entries.size >= this.#max) this.#entries.clear();
    this.#entries.set(key, value);
  }
}
