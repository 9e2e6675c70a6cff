import type { NodeEngine } from './node-engine.js';
import type { TokenCache } from './token-cache.js';

/**
 * Everything seal and unseal need, fixed when the store is created, except the key ring, which
 * the caller resolves and hands in (it may change once, from the development key). Times are
 * in seconds.
 */
export interface CodecConfig {
  /** Bound into every token (`pur` claim): the cookie name, plus the app's purpose if any. */
  readonly purpose: string;
  readonly compress: boolean;
  /** The node:crypto engine (`engine: 'node'`), or undefined for jose on Web Crypto. */
  readonly engine: NodeEngine | undefined;
  /** Longest token unseal will look at, in characters; longer is rejected unread. */
  readonly maxTokenChars: number;
  readonly idleTimeout: number;
  readonly absoluteTimeout: number;
  readonly clockTolerance: number;
  /** Sessions created before this time are rejected as revoked (mass logout). */
  readonly notBefore: number | undefined;
  readonly cache: TokenCache | undefined;
  /** Current time in milliseconds; a parameter so tests can move the clock. */
  readonly now: () => number;
}

/**
 * Most bytes a compressed token may inflate to (jose stops a zip bomb there). Commit refuses
 * a session whose plaintext is larger, since it could be written but never read back.
 */
export function maxInflatedBytes(config: CodecConfig): number {
  return config.maxTokenChars * 64;
}
