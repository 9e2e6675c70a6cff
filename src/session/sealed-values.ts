import type { CodecConfig } from '../codec/codec-config.js';
import { toJson } from '../codec/json-value.js';
import { seal } from '../codec/seal.js';
import { SessionRejectedError } from '../errors.js';
import { NO_CHOICE } from './lifetime.js';
import { newClaims } from './new-claims.js';
import { openToken, type TokenConfig } from './open-token.js';
import type { StoreConfig } from './store-config.js';

/**
 * What `store.seal()` binds into its tokens instead of the session's purpose. Same keys,
 * lifetimes and checks, but a `pur` claim no session cookie carries (a space cannot occur in
 * a cookie name or a purpose option), so a value an app seals for a link or a form can never
 * be replayed as a session cookie, and a session cookie never opens as a sealed value.
 */
export function sealedPurpose(purpose: string): string {
  return `${purpose} sealed`;
}

/**
 * The store's codec with the sealed-value purpose. Without the token cache: a sealed value
 * is opened once, where a link is followed, not on every request; and the session cookies
 * it would evict are what the cache is for.
 */
export function sealedCodec(codec: CodecConfig): CodecConfig {
  return { ...codec, purpose: sealedPurpose(codec.purpose), cache: undefined };
}

/** `store.seal` and `store.unseal`: values sealed with the store's keys for a link or a form. */
export class SealedValues<T> {
  readonly #config: StoreConfig;
  readonly #sealed: TokenConfig;

  constructor(config: StoreConfig) {
    this.#config = config;
    this.#sealed = { codec: sealedCodec(config.codec), shape: config.shape };
  }

  async seal(data: Partial<T>): Promise<string> {
    const ring = this.#config.keys();
    const codec = this.#sealed.codec;
    const now = Math.floor(codec.now() / 1000);
    const claims = newClaims(
      codec.purpose,
      now,
      now + codec.idleTimeout,
      now,
      NO_CHOICE,
      this.#config.shape,
    );
    return seal(codec, ring, claims, { dataJson: toJson(data, 'data'), flashJson: undefined });
  }

  async unseal(token: string): Promise<Partial<T> | SessionRejectedError> {
    const opened = await openToken(this.#sealed, this.#config.keys(), token);
    return opened instanceof SessionRejectedError ? opened : (opened.data as Partial<T>);
  }
}
