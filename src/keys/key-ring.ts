import { type CsrfKey, deriveCsrfKey } from '../cross-site/csrf-token.js';
import { SessionConfigError } from '../errors.js';
import {
  type EphemeralKey,
  hkdfParams,
  importBase,
  newEphemeralKey,
  type WindowKeyInput,
} from './key-derivation.js';
import { type KeySpec, type ParsedKey, parseKeyEntry, parseKeySpec } from './key-entry.js';

export { type EphemeralKey, newEphemeralKey, type WindowKeyInput } from './key-derivation.js';

/** Keys as an app may give them: the env-style text, a list of text entries, or specs. */
export type KeysInput = KeyRing | string | readonly (string | KeySpec)[];

// Derived keys are cached per (key id, window). Unseal only asks for windows inside the
// session lifetime (checked before derivation). This floor holds every window of 170 days
// for one key; a store with a longer idle lifetime raises it (fitWindowCache) so that every
// window it accepts stays cached, and tokens cycling windows cannot force an HKDF call each.
const MIN_CACHED_WINDOW_KEYS = 4096;

const PASSPHRASE_ENTRY = /^[^:]*:passphrase:/;

interface RingKey {
  readonly id: string;
  readonly kind: ParsedKey['kind'];
  // The secret's bytes, for an engine that derives its window keys synchronously (the
  // node:crypto one): never logged, never returned but to the derive function.
  readonly material: Uint8Array<ArrayBuffer>;
  readonly base: Promise<CryptoKey>;
}

/**
 * An ordered set of keys: the first seals, every one unseals. Each token names its key by id,
 * so unsealing looks one key up instead of trying them all.
 *
 * Secrets are imported as non-extractable HKDF keys when the ring is built, and their bytes are
 * kept for the node:crypto engine, which derives its window keys synchronously from them (a
 * KeyObject made of a non-extractable CryptoKey is deprecated, DEP0204). Per-window AES keys are
 * derived on first use and cached.
 */
export class KeyRing {
  readonly #keys: ReadonlyMap<string, RingKey>;
  readonly #windowKeys = new Map<string, Promise<CryptoKey>>();
  // The same keys once derived, so the hot path can take one without waiting on a promise.
  readonly #readyWindowKeys = new Map<string, CryptoKey>();
  // The same keys as another engine holds them (node:crypto KeyObjects), made synchronously.
  readonly #engineWindowKeys = new Map<string, unknown>();
  #windowCapacity = MIN_CACHED_WINDOW_KEYS;
  #csrfKeys: Promise<readonly CsrfKey[]> | undefined;
  /** The id of the key that seals. */
  readonly primaryId: string;
  /** Every id, sealing key first. */
  readonly ids: readonly string[];
  /** True for a ring made up on the spot because no keys were configured. */
  readonly ephemeral: boolean;

  private constructor(parsed: readonly ParsedKey[], setting: string, ephemeral: boolean) {
    if (parsed.length === 0) {
      throw new SessionConfigError(
        setting,
        'holds no keys. Generate one with: npx jwe-session keygen',
      );
    }
    const keys = new Map<string, RingKey>();
    parsed.forEach((key, i) => {
      if (keys.has(key.id)) {
        throw new SessionConfigError(
          setting,
          `entry ${i + 1} repeats key id "${key.id}"; every key needs its own id`,
        );
      }
      keys.set(key.id, {
        id: key.id,
        kind: key.kind,
        material: key.material,
        base: importBase(key.material),
      });
    });
    this.#keys = keys;
    this.ids = parsed.map((k) => k.id);
    this.primaryId = this.ids[0] as string;
    this.ephemeral = ephemeral;
  }

  /**
   * Builds a ring from keys given in code or as `SESSION_KEYS`-style text. Validation is
   * synchronous, so a bad key is an error where the store is created; `setting` names the
   * source in error messages.
   */
  static from(input: KeysInput, setting = 'keys'): KeyRing {
    if (input instanceof KeyRing) return input;
    if (typeof input === 'string') return KeyRing.#fromText(input, setting);
    if (!Array.isArray(input)) {
      throw new SessionConfigError(
        setting,
        'must be a key list string, an array of entries, or a KeyRing',
      );
    }
    const parsed = input.map((entry, i) => {
      const origin = { setting, position: i + 1 };
      return typeof entry === 'string'
        ? parseKeyEntry(entry.trim(), origin)
        : parseKeySpec(entry, origin);
    });
    return new KeyRing(parsed, setting, false);
  }

  static #fromText(text: string, setting: string): KeyRing {
    const entries = text.split(',').map((e) => e.trim());
    const parsed = entries.map((entry, i) => {
      try {
        return parseKeyEntry(entry, { setting, position: i + 1 });
      } catch (error) {
        // A comma inside a passphrase splits it, and the rest would be read as an entry whose
        // "id" is a piece of the passphrase: never echo that, say what probably happened.
        if (i > 0 && PASSPHRASE_ENTRY.test(entries[i - 1] as string)) {
          throw new SessionConfigError(
            setting,
            `entry ${i + 1} is not a valid key entry. It follows a passphrase (entry ${i}): a passphrase in ${setting} cannot contain a comma`,
          );
        }
        throw error;
      }
    });
    return new KeyRing(parsed, setting, false);
  }

  /** A ring of one random key (or of `key`, made by `newEphemeralKey`): for development only. */
  static ephemeral(key: EphemeralKey = newEphemeralKey()): KeyRing {
    return new KeyRing(
      [{ id: key.id, kind: 'key', material: key.material }],
      'ephemeral key',
      true,
    );
  }

  has(id: string): boolean {
    return this.#keys.has(id);
  }

  /**
   * The AES-256-GCM key for one key id and window: HKDF-SHA-256 over the ring key, with the
   * window number in `info`. Every process derives the same key, so nothing is coordinated.
   */
  windowKey(id: string, window: number): Promise<CryptoKey> {
    const cacheKey = `${id}.${window}`;
    const cached = this.#windowKeys.get(cacheKey);
    if (cached) return cached;
    const key = this.#keys.get(id);
    if (!key) return Promise.reject(new RangeError(`no key with id ${id}`));
    const derived = key.base.then((base) =>
      crypto.subtle.deriveKey(
        { name: 'HKDF', hash: 'SHA-256', ...hkdfParams(key.kind, window) },
        base,
        { name: 'AES-GCM', length: 256 },
        false,
        ['encrypt', 'decrypt'],
      ),
    );
    if (this.#windowKeys.size >= this.#windowCapacity) {
      // Maps iterate in insertion order: drop the oldest.
      const oldest = this.#windowKeys.keys().next().value as string;
      this.#windowKeys.delete(oldest);
      this.#readyWindowKeys.delete(oldest);
    }
    this.#windowKeys.set(cacheKey, derived);
    derived.then(
      (ready) => {
        if (this.#windowKeys.get(cacheKey) === derived) this.#readyWindowKeys.set(cacheKey, ready);
      },
      // A failed derivation is reported to whoever awaits windowKey(); nothing to keep here.
      () => {},
    );
    return derived;
  }

  /**
   * @internal The CSRF token key of every ring key, the sealing key's first: derived once
   * from each key's HKDF base (with a salt and info of their own, see csrf-token.ts), so a
   * token made before a rotation verifies while its key is still in the ring.
   */
  csrfKeys(): Promise<readonly CsrfKey[]> {
    if (this.#csrfKeys === undefined) {
      const derived = Promise.all(
        this.ids.map((id) => {
          const key = this.#keys.get(id) as RingKey;
          return key.base.then((base) => deriveCsrfKey(base, id));
        }),
      );
      this.#csrfKeys = derived;
      // A failure is the caller's; the next call tries again.
      derived.catch(() => {
        if (this.#csrfKeys === derived) this.#csrfKeys = undefined;
      });
    }
    return this.#csrfKeys;
  }

  /**
   * @internal Makes room for `windows` derived keys per key of the ring: every window a token
   * may name under the store's lifetime (the caller counts them from the token format). About 2 KB
   * per derived key: 20 MB per ring key at the longest idle timeout, 400 days. Only grows, so
   * a ring shared by several stores fits the longest of them.
   */
  fitWindowCache(windows: number): void {
    this.#windowCapacity = Math.max(this.#windowCapacity, windows * this.#keys.size);
  }

  /**
   * @internal The key of `windowKey`, made synchronously by `derive` from the HKDF inputs (the
   * secret, and the same salt and info) and cached like the others: for the node:crypto engine,
   * which needs neither a promise nor a CryptoKey. The secret's bytes go to `derive` only. One
   * kind of `derive` per process: a key one made is handed to whoever asks next.
   */
  engineWindowKey<K>(id: string, window: number, derive: (input: WindowKeyInput) => K): K {
    const cacheKey = `${id}.${window}`;
    let made = this.#engineWindowKeys.get(cacheKey);
    if (made === undefined) {
      const key = this.#keys.get(id);
      if (!key) throw new RangeError(`no key with id ${id}`);
      made = derive({ secret: key.material, ...hkdfParams(key.kind, window) });
      dropOldest(this.#engineWindowKeys, this.#windowCapacity);
      this.#engineWindowKeys.set(cacheKey, made);
    }
    return made as K;
  }

  /**
   * @internal `windowKey`, if that key was derived already: the seal and unseal hot paths
   * take it without a promise, and fall back to `windowKey` the first time.
   */
  derivedWindowKey(id: string, window: number): CryptoKey | undefined {
    return this.#readyWindowKeys.get(`${id}.${window}`);
  }
}

// Maps iterate in insertion order: the first is the oldest.
function dropOldest(map: Map<string, unknown>, capacity: number): void {
  if (map.size >= capacity) map.delete(map.keys().next().value as string);
}
