import { type Env, keyRingFromEnv } from './from-env.js';
import type { KeyRing } from './key-ring.js';

/**
 * The key ring a store reads from the environment, as a function the store calls whenever it
 * needs keys.
 *
 * Keys that are present are parsed now, so a malformed entry is still an error at startup.
 * Keys that are missing in production are an error only when first needed: a framework that
 * imports route modules while building (`next build` runs with NODE_ENV=production and no
 * secrets) can then create the store, and a server without keys still fails, at its first
 * request, with the message that says how to make one. Outside production the missing keys
 * give an ephemeral ring (and its warning) at once, as before.
 */
export function keysOnFirstUse(variable: string, env: Env): () => KeyRing {
  if (env[variable]?.trim() || env.NODE_ENV !== 'production') {
    const ring = keyRingFromEnv(variable, env);
    return () => ring;
  }
  let ring: KeyRing | undefined;
  // Read again at first use (the variable may have been set since), and until it succeeds.
  return () => {
    ring ??= keyRingFromEnv(variable, env);
    return ring;
  };
}
