import type { CodecConfig } from '../codec/codec-config.js';
import type { ResolvedCookie } from '../cookie/attributes.js';
import type { ChunkBudget } from '../cookie/chunking.js';
import type { KeyRing } from '../keys/key-ring.js';
import type { DataShape } from './data-shape.js';
import type { Hooks } from './hooks.js';
import type { SessionLifetime } from './lifetime.js';

/** What a store runs on: the options as checked, with the runtime objects built from them. */
export interface StoreConfig {
  readonly codec: CodecConfig;
  readonly cookie: ResolvedCookie;
  readonly budget: ChunkBudget;
  /** The store's persistent / idleTimeout / absoluteTimeout, as `session.options()` names them. */
  readonly lifetime: SessionLifetime;
  readonly refreshAfter: number;
  readonly hooks: Hooks;
  readonly shape: DataShape | undefined;
  /**
   * The key ring, read at every call until configured keys are found; environment keys
   * missing outside development throw here, at first use.
   */
  readonly keys: () => KeyRing;
}
