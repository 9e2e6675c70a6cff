import { configuredKeys, developmentKey, type Env, keyRingFromEnv } from './from-env.js';
import { type EphemeralKey, KeyRing } from './key-ring.js';

/**
 * The key ring a store reads from the environment, as a function the store calls whenever it
 * needs keys.
 *
 * Keys that are present are parsed now, so a malformed entry is still an error at startup.
 * Missing keys are looked for again at every call until they appear, in every mode: an app
 * may load `.env` or receive its secrets after creating the store, and must then seal with
 * them. Until they do, outside development every call throws the error that says how to make
 * a key (so a framework that imports route modules while building, `next build`, can still
 * create the store; the adapters check at startup), and in development it gets the process's
 * made-up key, never pinned: the first configured key replaces it.
 */
export function keysOnFirstUse(variable: string, env: Env): () => KeyRing {
  let configured = configuredKeys(variable, env) ? keyRingFromEnv(variable, env) : undefined;
  let development: { readonly key: EphemeralKey; readonly ring: KeyRing } | undefined;
  return () => {
    if (configured) return configured;
    if (configuredKeys(variable, env)) {
      configured = keyRingFromEnv(variable, env);
      development = undefined;
      return configured;
    }
    // NODE_ENV is read again too: set to production since, it makes missing keys an error.
    const key = developmentKey(variable, env);
    if (development?.key !== key) development = { key, ring: KeyRing.ephemeral(key) };
    return development.ring;
  };
}
