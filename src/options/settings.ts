import type { EngineChoice } from '../codec/engine-choice.js';
import type { CrossSiteSettings } from '../cross-site/cross-site-guard.js';
import type { Env } from '../keys/from-env.js';
import type { DataShape } from '../session/data-shape.js';
import type { Hooks } from '../session/hooks.js';
import type { CookieSettings } from './parse-cookie.js';
import type { KeysSettings } from './parse-keys.js';
import type { LifetimeSettings } from './parse-lifetime.js';
import type { RevocationSettings } from './parse-revocation.js';

/** Settings most apps never change, as checked. */
export interface AdvancedSettings {
  /** Bound into every token (`pur`): the cookie name, then `/` and the app's purpose if any. */
  readonly tokenPurpose: string;
  readonly compress: boolean;
  readonly engine: EngineChoice;
  readonly cacheSize: number;
}

/**
 * Every option, checked and defaulted, grouped as the options are: what `parseOptions` gives.
 * Plain data: the runtime objects (key resolver, token cache, engine) are built from it by
 * `buildStoreConfig`, so the CLI can check its flags the way a store would without them.
 */
export interface Settings {
  readonly keys: KeysSettings;
  readonly cookie: CookieSettings;
  readonly lifetime: LifetimeSettings;
  readonly data: DataShape | undefined;
  readonly hooks: Hooks;
  readonly advanced: AdvancedSettings;
  /** Undefined: revocation is off. */
  readonly revocation: RevocationSettings | undefined;
  readonly testing: { readonly env: Env; readonly now: () => number };
  /** The cross-site check's settings, or false when it is off. */
  readonly crossSite: CrossSiteSettings | false;
}
