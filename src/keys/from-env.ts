import { SessionConfigError } from '../errors.js';
import { KeyRing } from './key-ring.js';

export type Env = Readonly<Record<string, string | undefined>>;

export function processEnv(): Env {
  return (globalThis as { process?: { env?: Env } }).process?.env ?? {};
}

let warned = false;

/**
 * The key ring from an environment variable (`SESSION_KEYS` by default).
 *
 * Unset or empty: in production that is an error that says how to make a key; elsewhere a
 * random key for this process only, with one warning, so `npm start` works with no setup.
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
  if (!warned) {
    warned = true;
    const message = `${variable} is not set: using a random key for this process. Sessions will not survive a restart or be shared between processes. Generate a key with \`npx jwe-session keygen\`.`;
    const proc = (globalThis as { process?: { emitWarning?: (m: string, o: object) => void } })
      .process;
    if (proc?.emitWarning)
      proc.emitWarning(message, { type: 'JweSessionWarning', code: 'JWE_SESSION_EPHEMERAL_KEY' });
    else console.warn(message);
  }
  return KeyRing.ephemeral();
}
