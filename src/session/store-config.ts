import type { CodecConfig } from '../codec/codec-config.js';
import type { EngineName } from '../codec/engine-choice.js';
import type { ResolvedCookie } from '../cookie/attributes.js';
import type { ChunkBudget } from '../cookie/chunking.js';
import type { CrossSiteSettings } from '../cross-site/cross-site-guard.js';
import type { KeyRing } from '../keys/key-ring.js';
import type { DataShape } from './data-shape.js';
import type { Hooks } from './hooks.js';
import type { SessionLifetime } from './lifetime.js';
import type { Revocations } from './revocations.js';

/**
 * What a store runs on, built once from its options: the seam between the options (which
 * build it) and the request path (which only reads it). Internal.
 */
export interface StoreConfig {
  /** Seal and unseal settings; the key ring is handed to them beside this, never read through it. */
  readonly codec: CodecConfig;
  readonly cookie: ResolvedCookie;
  readonly budget: ChunkBudget;
  /** The store's lifetimes: the bounds of every session's own choice. */
  readonly lifetime: SessionLifetime;
  /** Share of the idle timeout after which an unchanged session is sealed again. */
  readonly refreshAfter: number;
  readonly hooks: Hooks;
  readonly shape: DataShape | undefined;
  /** Undefined when the `revocation` option was left out: no lookups, no writes. */
  readonly revocation: Revocations | undefined;
  /**
   * The key ring, read at every call until configured keys are found; environment keys
   * missing outside development throw here, at first use.
   */
  readonly keys: () => KeyRing;
  /** Which engine `advanced.engine` came to, for `store.engine`. */
  readonly engine: EngineName;
  /** The cross-site check's settings, or false when the app turned it off. */
  readonly crossSite: CrossSiteSettings | false;
}
