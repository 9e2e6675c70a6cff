import { SessionConfigError } from '../errors.js';
import { type EphemeralKey, KeyRing, newEphemeralKey } from './key-ring.js';

export type Env = Readonly<Record<string, string | undefined>>;

export function processEnv(): Env {
  return (globalThis as { process?: { env?: Env } }).process?.env ?? {};
}

/**
 * The NODE_ENV values under which missing keys give a made-up key, exactly as written. Any
 * other value (`staging`, `prod`, `Production`, `production\n`) may be a server that real
 * users reach, and a made-up key there would log everyone out at each restart and differ
 * between instances, behind a warning nobody reads: so it is an error.
 */
const DEVELOPMENT_NODE_ENV: ReadonlySet<string | undefined> = new Set([
  undefined,
  '',
  'development',
  'test',
]);

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
 * The process's made-up key for `variable`, which must be unset: made (with one warning) the
 * first time it is asked for. Throws SessionConfigError unless NODE_ENV is unset, empty,
 * `development` or `test`.
 */
export function developmentKey(variable: string, env: Env): EphemeralKey {
  const nodeEnv = env.NODE_ENV;
  if (!DEVELOPMENT_NODE_ENV.has(nodeEnv)) {
    throw new SessionConfigError(
      variable,
      `is not set, and NODE_ENV is ${JSON.stringify(nodeEnv)}: a random development key is used only when NODE_ENV is unset, empty, development or test. Generate a key with \`npx jwe-session keygen\` and set ${variable} to the line it prints.`,
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
  return key;
}

/** The text of `variable` without surrounding whitespace, or undefined when unset or blank. */
export function configuredKeys(variable: string, env: Env): string | undefined {
  return env[variable]?.trim() || undefined;
}

/**
 * The key ring from an environment variable (`SESSION_KEYS` by default).
 *
 * Unset or empty: with NODE_ENV unset, empty, `development` or `test`, a random key for this
 * process only (the same for every store reading this variable), with one warning, so
 * `npm start` works with no setup; under any other NODE_ENV an error that says how to make a
 * key.
 */
export function keyRingFromEnv(variable = 'SESSION_KEYS', env: Env = processEnv()): KeyRing {
  const text = configuredKeys(variable, env);
  if (text) return KeyRing.from(text, variable);
  return KeyRing.ephemeral(developmentKey(variable, env));
}
