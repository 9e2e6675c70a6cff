/**
 * Revocations kept in Redis, for a fleet: `redisRevocationStore(client)`.
 *
 * @module jwe-session/redis
 */
import { SessionConfigError } from '../errors.js';
import { encodeId, epochMilliseconds, ttlSeconds } from './revocation-input.js';
import type { RevocationState, RevocationStore } from './revocation-store.js';

export type { RevocationState, RevocationStore } from './revocation-store.js';

/**
 * The one method this store uses of a Redis client: a node-redis client (`createClient()`
 * from `redis` 5 or 6) has it as is. Any other client fits with a wrapper, e.g. ioredis:
 * `{ sendCommand: ([name, ...args]) => redis.call(name, ...args) }`.
 *
 * The client is the app's: it connects it, listens to its `error` event and closes it. So
 * that commands fail fast while Redis is away, create it with
 *
 * - `disableOfflineQueue: true`: while the client reconnects, a command is refused at once
 *   (`ClientOfflineError`) instead of queued in memory until Redis is back (node-redis
 *   queues by default, without a bound unless `commandsQueueMaxLength` is set);
 * - `socket.reconnectStrategy` left to retry (the default waits `Math.min(retries * 50, 500)`
 *   ms; a number works too): returning `false` or an Error closes the client for good, and
 *   every later command fails until the app connects it again;
 * - with `redis` 6, `commandOptions: { timeout: 100, rejectInFlight: true }` (below
 *   `RevocationCheck`'s `timeout`; `rejectInFlight` is experimental there): a command to a
 *   server that stopped answering but keeps the connection open is rejected
 *   (`TimeoutReadError`) instead of waiting for ever.
 *
 * `RevocationCheck` bounds every check by its own `timeout` whatever the client does, so no
 * setting is needed for requests to keep being answered; these keep commands from piling up
 * in the client while Redis is away.
 */
export interface RedisRevocationClient {
  /** Sends one Redis command (`[name, ...args]`) and resolves with its reply. */
  sendCommand(args: readonly string[]): Promise<unknown>;
}

/** What `redisRevocationStore` takes besides the client. */
export interface RedisRevocationStoreOptions {
  /**
   * Put before every key (default `'jwe-session:'`): keys are `<prefix>sid:<id>` and
   * `<prefix>sub:<subject>`, the id and subject percent-encoded. Give apps that share a
   * Redis database their own prefix.
   */
  readonly prefix?: string;
}

// Writes the revocation unless it is already remembered for longer. TTL gives -2 for a missing
// key and -1 for one without expiry: both are (re)written with the TTL, so no key of this
// store ever lives for ever.
const REVOKE_SESSION = `
if redis.call('TTL', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], '1', 'EX', ARGV[1])
end
return 1`;

// Keeps the later `before` and the longer TTL in one atomic step: two processes revoking at
// once cannot lose the later cut-off, and a late, older call cannot shorten the entry's life.
// An old value that is not whole milliseconds (written by something else) is replaced; 15
// digits hold epoch milliseconds (13 digits) for ever after.
const REVOKE_SUBJECT = `
local before = ARGV[1]
local old = redis.call('GET', KEYS[1])
if old and #old <= 15 and string.match(old, '^%d+$') and tonumber(old) > tonumber(before) then
  before = old
end
local ttl = tonumber(ARGV[2])
local left = redis.call('TTL', KEYS[1])
if left > ttl then ttl = left end
redis.call('SET', KEYS[1], before, 'EX', ttl)
return 1`;

/**
 * Revocations in Redis, shared by every process that uses the same Redis and prefix.
 *
 * Each revocation is one string key with a TTL (`SET … EX`), so Redis forgets it once no
 * cookie it could refuse is valid any more; a check is one `MGET` of the session's key and
 * its subject's. Needs Redis 2.6.12 or later, or a server with `EVAL` (Valkey, KeyDB, …). The
 * two keys of a check would live in different slots of a Redis Cluster: give revocations a
 * single Redis (replicas and Sentinel are fine), not a cluster client.
 *
 * @param client a connected node-redis client (see `RedisRevocationClient` for the settings
 *   that make it fail fast).
 */
export function redisRevocationStore(
  client: RedisRevocationClient,
  options: RedisRevocationStoreOptions = {},
): RevocationStore {
  if (typeof (client as Partial<RedisRevocationClient> | null)?.sendCommand !== 'function') {
    throw new SessionConfigError(
      'client',
      'must be a Redis client with sendCommand(args): a node-redis createClient() (connected by the app)',
    );
  }
  const { prefix = 'jwe-session:' } = options;
  if (typeof prefix !== 'string') throw new SessionConfigError('prefix', 'must be a string');
  const sidKey = (sessionId: string) => `${prefix}sid:${encodeId('sessionId', sessionId)}`;
  const subKey = (subject: string) => `${prefix}sub:${encodeId('subject', subject)}`;

  return {
    async revokeSession(sessionId, ttl) {
      const args = ['EVAL', REVOKE_SESSION, '1', sidKey(sessionId), String(ttlSeconds(ttl))];
      await client.sendCommand(args);
    },
    async revokeSubject(subject, before, ttl) {
      const key = subKey(subject);
      const args = [String(epochMilliseconds(before)), String(ttlSeconds(ttl))];
      await client.sendCommand(['EVAL', REVOKE_SUBJECT, '1', key, ...args]);
    },
    async check(sessionId, subject): Promise<RevocationState> {
      const keys =
        subject === undefined ? [sidKey(sessionId)] : [sidKey(sessionId), subKey(subject)];
      const reply = await client.sendCommand(['MGET', ...keys]);
      if (!Array.isArray(reply) || reply.length !== keys.length) {
        throw new TypeError(`Redis answered MGET of ${keys.length} keys with something else`);
      }
      return {
        sessionRevoked: reply[0] != null,
        subjectRevokedBefore: subject === undefined ? undefined : millisecondsOf(reply[1]),
      };
    },
  };
}

/** A subject entry's `before`. Not a number means the key was written by something else. */
function millisecondsOf(value: unknown): number | undefined {
  if (value == null) return undefined;
  // A client mapping replies to Buffers gives a Buffer here: its String() is the text.
  const text = String(value);
  if (!/^\d{1,15}$/.test(text)) {
    throw new TypeError(
      'a revoked subject entry in Redis holds something other than epoch milliseconds',
    );
  }
  return Number(text);
}
