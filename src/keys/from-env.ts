import { SessionConfigError } from '../errors.js';
import { type EphemeralKey, KeyRing, newEphemeralKey } from './key-ring.js';

export type Env = Readonly<Record<string, string | undefined>>;

export function processEnv(): Env {
  return (globalThis as { process?: { env?: Env } }).process?.env ?? {};
}

/**
 * The made-up keys of this process, one per variable, where every copy of this module finds
 * them (`Symbol.for` is one registry per realm). A dev server may load the store's module
 * more than once: Next.js once per bundle, a hot reload again after every edit. Each copy
 * with its own random key would refuse the others' cookies and log the developer out; with
 * one key per process they all open them. The raw key, not a KeyRing, is shared: two copies
 * of the library have two KeyRing classes.
 */
const EPHEMERAL_KEYS = Symbol.for('jwe-session.ephemeral-keys');

function ephemeralKey(variable: string): { key: EphemeralKey; made: boolean } {
  const registry = globalThis as { [EPHEMERAL_KEYS]?: Map<string, EphemeralKey> };
  const keys = registry[EPHEMERAL_KEYS] ?? new Map<string, EphemeralKey>();
  registry[EPHEMERAL_KEYS] = keys;
  const known = keys.get(variable);
  if (known) return { key: known, made: false };
  const key = newEphemeralKey();
  keys.set(variable, key);
  return { key, made: true };
}

/**
 * The key ring from an environment variable (`SESSION_KEYS` by default).
 *
 * Unset or empty: in production that is an error that says how to make a key; elsewhere a
 * random key for this process only (the same for every store reading this variable), with
 * one warning, so `npm start` works with no setup.
 */
export function keyRingFromEnv(variable = 'SESSION_KEYS', env: Env = processEnv()): KeyRing {
  const text = env[variable]?.trim();
  if (text) return KeyRing.from(text, variable);
  if (env.NODE_ENV === 'production') {
    throw new SessionConfigError(
      variable,
      `is not set, and NODE_ENV is production. Generate a key with \`npx jwe-session keygen\` and set ${variable} to the line it prints.`,
    );
  }
  const { key, made } = ephemeralKey(variable);
  if (made) {
    const message = `${variable} is not set: using a random key for this process. Sessions will not survive a restart or be shared between processes. Generate a key with \`npx jwe-session keygen\`.`;
    const proc = (globalThis as { process?: { emitWarning?: (m: string, o: object) => void } })
      .process;
    if (proc?.emitWarning)
      proc.emitWarning(message, { type: 'JweSessionWarning', code: 'JWE_SESSION_EPHEMERAL_KEY' });
    else console.warn(message);
  }
  return KeyRing.ephemeral(key);
}
