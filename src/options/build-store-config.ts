import { chooseEngine } from '../codec/engine-choice.js';
import { TokenCache } from '../codec/token-cache.js';
import { WINDOW_SECONDS } from '../codec/token-format.js';
import { debug } from '../debug.js';
import type { KeyRing } from '../keys/key-ring.js';
import { keysOnFirstUse } from '../keys/keys-on-first-use.js';
import { Revocations } from '../session/revocations.js';
import type { StoreConfig } from '../session/store-config.js';
import type { Settings } from './settings.js';

/**
 * Builds what a store runs on from its settings: the key resolver, the token cache and the
 * engine. Throws SessionConfigError only for what the runtime lacks (`engine: 'node'`
 * without a usable node:crypto); everything else was checked by `parseOptions`.
 */
export function buildStoreConfig(settings: Settings): StoreConfig {
  const { cookie, lifetime, advanced, testing } = settings;
  const given = settings.keys.ring;
  const ringOf =
    given === undefined ? keysOnFirstUse(settings.keys.variable, testing.env) : () => given;
  // Every window the store accepts stays cached: fitted now for a ring the app gave, and for
  // one from the environment when it is first resolved
  // (idle timeout plus clock tolerance on both sides, and the windows at either end).
  const windowSpan =
    Math.ceil((lifetime.idleTimeout + 2 * lifetime.clockTolerance) / WINDOW_SECONDS) + 2;
  given?.fitWindowCache(windowSpan);
  const chosen = chooseEngine(advanced.engine);
  debug(`engine: ${chosen.name} (${advanced.engine})`);
  const { cacheSize } = advanced;
  let cache = cacheSize > 0 ? new TokenCache(cacheSize) : undefined;
  // The ring changes at most once: from the made-up development key to the configured one,
  // when that arrives after the store was created. Tokens the old ring opened or sealed must
  // not be served from the cache any more, so the cache starts again with the new ring.
  let current: KeyRing | undefined;
  const keys = (): KeyRing => {
    const ring = ringOf();
    if (ring !== current) {
      ring.fitWindowCache(windowSpan);
      if (current !== undefined && cache !== undefined) cache = new TokenCache(cacheSize);
      current = ring;
    }
    return ring;
  };
  const codec = {
    ...codecSettings(settings),
    engine: chosen.engine,
    get cache() {
      return cache;
    },
  };
  const { revocation } = settings;
  return {
    codec,
    cookie: { name: cookie.name, persistent: lifetime.persistent, attributes: cookie.attributes },
    budget: cookie.budget,
    lifetime: {
      persistent: lifetime.persistent,
      idleTimeout: lifetime.idleTimeout,
      absoluteTimeout: lifetime.absoluteTimeout,
    },
    refreshAfter: lifetime.refreshAfter,
    hooks: settings.hooks,
    shape: settings.data,
    revocation: revocation && new Revocations(revocation, codec, settings.hooks, cookie.name),
    keys,
    engine: chosen.name,
    crossSite: settings.crossSite,
  };
}

/**
 * The codec's settings that are plain data, for the CLI's `decode` too: it opens a token as
 * a store with these settings would, with its own keys, without a cache or an engine.
 */
export function codecSettings(settings: Settings) {
  const { lifetime, advanced } = settings;
  return {
    purpose: advanced.tokenPurpose,
    compress: advanced.compress,
    // Joined chunks can be no longer than the total budget; anything longer is not ours.
    maxTokenChars: settings.cookie.budget.totalBytes,
    idleTimeout: lifetime.idleTimeout,
    absoluteTimeout: lifetime.absoluteTimeout,
    clockTolerance: lifetime.clockTolerance,
    notBefore: lifetime.notBefore,
    now: settings.testing.now,
  };
}
