import type { CodecConfig } from '../codec/codec-config.js';

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
  // Not a spread: `ring` may be a getter that resolves the keys at first use.
  return Object.create(codec, {
    purpose: { value: sealedPurpose(codec.purpose), enumerable: true },
    cache: { value: undefined, enumerable: true },
  });
}
