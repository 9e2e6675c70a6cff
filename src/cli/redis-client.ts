import type { RedisRevocationClient } from '../revocation/redis-store.js';
import { CliError, failure } from './io.js';
import type { RedisUrl } from './redis-url.js';

/** How long a connection may take to open. */
const CONNECT_TIMEOUT_MS = 2000;
/**
 * How long connecting and the work together may take: a server that accepts the connection
 * but never answers (frozen, overloaded) must not hang a command, or a script running it.
 */
export const REDIS_DEADLINE_MS = 5000;

type RedisModule = typeof import('redis');

// `redis` is an optional peer: only this command needs it, so it is imported here, at use.
async function importRedis(): Promise<RedisModule> {
  try {
    return await import('redis');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND') {
      throw failure(
        'the redis package is not installed: install redis (npm install redis, version 5 or 6) where jwe-session is installed',
      );
    }
    throw failure(`the redis package could not be loaded: ${describe(error)}`);
  }
}

/** What went wrong, in a few words: a message, else a code or class (AggregateError has none). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const reason = error.message || (typeof code === 'string' ? code : error.constructor.name);
  // Connecting to "localhost" tries ::1 and 127.0.0.1: the reasons are in `errors`.
  const inner = error instanceof AggregateError ? error.errors.map(describe) : [];
  return [reason, ...new Set(inner)].join('; ');
}

/**
 * Opens one connection to the Redis named by `REDIS_URL`, runs `use` on it and closes it.
 * Everything fails fast instead of retrying: no reconnection, no offline queue, a connect
 * timeout, and a deadline for the whole; a failure is a one-line CliError, password redacted.
 */
export async function withRedis<T>(
  redis: RedisUrl,
  use: (client: RedisRevocationClient) => Promise<T>,
): Promise<T> {
  const { createClient } = await importRedis();
  let client: ReturnType<RedisModule['createClient']>;
  try {
    client = createClient({
      url: redis.url,
      disableOfflineQueue: true,
      socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: false },
    });
  } catch (error) {
    throw failure(
      `REDIS_URL (${redis.shown}) is refused by redis: ${redis.redact(describe(error))}`,
    );
  }
  // The rejection of connect() or of the command carries the error; without a listener an
  // 'error' event would crash the process instead.
  client.on('error', () => {});
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          failure(
            `Redis at ${redis.shown} did not answer within ${REDIS_DEADLINE_MS / 1000} s (a write may still land; running the command again is safe)`,
          ),
        ),
      REDIS_DEADLINE_MS,
    );
  });
  try {
    return await Promise.race([client.connect().then(() => use(client)), late]);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw failure(`could not write to Redis at ${redis.shown}: ${redis.redact(describe(error))}`);
  } finally {
    clearTimeout(timer);
    // Closes the socket at once (a pending command is rejected), so the process can exit.
    try {
      client.destroy();
    } catch {
      // Never connected: nothing to close.
    }
  }
}
