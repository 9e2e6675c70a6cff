// Where the example apps keep their revocations (logouts that stick, "sign out everywhere"):
// in this process's memory by default, or, with REDIS_URL set, in that Redis, so every process
// of the app behind a load balancer refuses a revoked cookie. Shared by every example app on
// the demo contract, as calculator.js is.
//
//   REDIS_URL  redis://[user:password@]host:port[/db] or rediss://… (TLS). Unset: memory.

import { errors } from 'jwe-session';

/**
 * Milliseconds a process trusts an answer before asking the store again: a session revoked on
 * another process is refused here at most this long after (the contract asks for ≤ 1 s).
 */
const RECHECK_INTERVAL_MS = 1000;

/**
 * How long a request waits for Redis before the fail mode applies. Above the library's default
 * (150 ms), because these apps also run beside builds and test runs on busy 2-core machines,
 * where a healthy Redis's answer can take that long; far below the contract's 2 s bound for a
 * Redis that stopped answering. A real app picks its own from its Redis's latency.
 */
const CHECK_TIMEOUT_MS = 500;

/** How long an app waits at start for a first connection to Redis before it starts anyway. */
const CONNECT_WAIT_MS = 2000;

/** Below CHECK_TIMEOUT_MS, so the client gives up on a command before the check does. */
const COMMAND_TIMEOUT_MS = 400;

/**
 * The `revocation` option group for `createSessionStore`, from REDIS_URL, and `close()` for
 * shutdown. A REDIS_URL that is not a redis:// or rediss:// URL is a SessionConfigError naming
 * it (never printing it: it may hold a password), which the app answers as it does bad keys.
 * An unreachable Redis is not: the app starts, the client keeps reconnecting, and until it is
 * back the library's fail mode applies (`onUnavailable: 'refuse'`, the default: a signed-in
 * cookie reads as signed out, and is kept).
 */
export async function revocationFromEnv(app, { connectWait = CONNECT_WAIT_MS } = {}) {
  const url = process.env.REDIS_URL?.trim();
  if (!url) {
    return { revocation: { recheckInterval: RECHECK_INTERVAL_MS }, close: async () => {} };
  }
  const where = URL.canParse(url) ? new URL(url) : undefined;
  if (where?.protocol !== 'redis:' && where?.protocol !== 'rediss:') {
    throw new errors.SessionConfigError(
      'REDIS_URL',
      'must be a redis:// or rediss:// URL (redis://host:6379); unset it to keep revocations in memory',
    );
  }
  // Imported only here: `redis` is an optional peer of jwe-session, needed only with REDIS_URL.
  const [{ createClient }, { redisRevocationStore }] = await Promise.all([
    import('redis'),
    import('jwe-session/redis'),
  ]);
  const client = createClient({
    url,
    // While Redis is away a command fails at once instead of waiting in a queue for its return,
    // and one sent to a server that stopped answering gives up after COMMAND_TIMEOUT_MS. The
    // default reconnect strategy keeps retrying (at most every 500 ms) for as long as it takes.
    disableOfflineQueue: true,
    commandOptions: { timeout: COMMAND_TIMEOUT_MS, rejectInFlight: true },
  });
  // One line when Redis goes away and one when it is back, not one per reconnect attempt; the
  // error's code only (its message could name a host or carry more than a log should).
  let down = false;
  client.on('error', (error) => {
    if (down) return;
    down = true;
    console.warn(
      `${app}: Redis at ${where.host} is unavailable (${error.code ?? error.name}); signed-in sessions read as signed out until it is back`,
    );
  });
  client.on('ready', () => {
    if (down) console.warn(`${app}: Redis at ${where.host} is back`);
    down = false;
  });
  // connect() settles once connected (retrying meanwhile), or rejects once the client is
  // closed. An app that calls this before it listens waits for it a moment (`connectWait` ms),
  // so a reachable Redis is connected before the first request (a command sent while offline
  // fails at once, and would read a signed-in browser as signed out); an unreachable one delays
  // the start by that much, then the app starts anyway and the client keeps trying.
  const connected = client.connect().then(
    () => true,
    () => false,
  );
  await Promise.race([connected, new Promise((resolve) => setTimeout(resolve, connectWait))]);
  return {
    revocation: {
      store: redisRevocationStore(client),
      recheckInterval: RECHECK_INTERVAL_MS,
      timeout: CHECK_TIMEOUT_MS,
    },
    close: async () => {
      client.destroy();
    },
  };
}
