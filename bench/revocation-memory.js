// What revocations cost to keep (issue 24): the heap of memoryRevocationStore at its default
// cap (100,000 entries) and at 10,000, and what Redis holds after 100,000 revocations through
// redisRevocationStore (50,000 session ids, 50,000 subjects): keys, used_memory, TTLs.
//   npm run bench:revocation                 full run, writes bench/results/revocation-memory.md
//   npm run bench:revocation -- --quick      smoke run: small counts, nothing written
// Redis: REDIS_URL if set (loopback only; its keys get a prefix of their own and are deleted
// afterwards), else a redis-server of our own on a free 127.0.0.1 port, without persistence,
// stopped at the end. Without either, the Redis part is skipped. The run stops by itself
// within DEADLINE_MS. Ids as an app has them: 22-character base64url session ids (16 random
// bytes) and subjects like `user-123456`.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_REVOKE_TTL } from '../dist/cli/revoke.js';
import { memoryRevocationStore } from '../dist/revocation/memory-store.js';
import { redisRevocationStore } from '../dist/revocation/redis-store.js';
import { load, machine } from './micro/machine.js';
import { markdownTable } from './micro/markdown.js';
import { median } from './micro/measure.js';
import { startRedisServer } from './redis-server.js';

if (typeof globalThis.gc !== 'function') {
  // Heap numbers need a full collection before each reading.
  const run = spawnSync(process.execPath, ['--expose-gc', ...process.argv.slice(1)], {
    stdio: 'inherit',
  });
  process.exit(run.status ?? 1);
}

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const quick = values.quick;
const SIZES = quick ? [1000] : [10_000, 100_000];
const REDIS_REVOCATIONS = quick ? 2000 : 100_000;
const IN_FLIGHT = 500;
const TTL_SAMPLE = 1000;
const DEADLINE_MS = quick ? 60_000 : 300_000;
const TTL = DEFAULT_REVOKE_TTL;
const root = new URL('..', import.meta.url).pathname;

const log = (line = '') => process.stdout.write(`${line}\n`);
const cleanups = [];
async function cleanUp() {
  while (cleanups.length) await cleanups.pop()();
}
const deadline = setTimeout(async () => {
  process.stderr.write(`revocation-memory: not done within ${DEADLINE_MS / 1000} s; stopping\n`);
  await cleanUp();
  process.exit(1);
}, DEADLINE_MS);
deadline.unref();

const sessionId = () => randomBytes(16).toString('base64url');
const subject = (i) => `user-${100000 + i}`;

function heapUsed() {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}

const mb = (bytes) => (bytes / 1e6).toFixed(1);
const int = (n) => Math.round(n).toLocaleString('en-US');

/** The heap a store of `count` live entries holds; `kind` picks sessions, subjects or both. */
async function memoryCase(count, kind) {
  const before = heapUsed();
  let store = memoryRevocationStore({ maxEntries: count });
  const now = Math.floor(Date.now() / 1000);
  for (let i = 0; i < count; i++) {
    const asSubject = kind === 'subjects' || (kind === 'half each' && i % 2 === 1);
    if (asSubject) await store.revokeSubject(subject(i), now, TTL);
    else await store.revokeSession(sessionId(), TTL);
  }
  const bytes = heapUsed() - before;
  // Full of live entries, each new write makes a pass to evict the one that expires soonest.
  const times = [];
  for (let i = 0; i < 21; i++) {
    const start = process.hrtime.bigint();
    await store.revokeSession(sessionId(), TTL);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const stillFull = (await store.check('x'.repeat(22), subject(count - 1))).subjectRevokedBefore;
  store = undefined;
  return { count, kind, bytes, perEntry: bytes / count, atCapMs: median(times), stillFull };
}

function findRedisServer() {
  const named = process.env.REDIS_SERVER;
  if (named) return existsSync(named) ? named : undefined;
  if (existsSync('/usr/bin/redis-server')) return '/usr/bin/redis-server';
  const which = spawnSync('which', ['redis-server'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() || undefined : undefined;
}

/** Its own redis-server, stopped with the other cleanups. */
async function ownRedis(binary) {
  const redis = await startRedisServer(binary);
  cleanups.push(redis.stop);
  return redis.url;
}

const LOOPBACK = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/;

/** The Redis to measure, or why there is none. */
async function redisTarget() {
  const given = process.env.REDIS_URL;
  if (given) {
    const url = new URL(given);
    if (!LOOPBACK.test(url.hostname)) {
      throw new Error('REDIS_URL must name a loopback host (127.0.0.1, localhost, [::1])');
    }
    url.password = url.password && '***';
    return { url: given, shown: `REDIS_URL (${url.href})`, shared: true };
  }
  const binary = findRedisServer();
  if (!binary) return { skipped: 'no REDIS_URL and no redis-server: Redis part skipped' };
  const url = await ownRedis(binary);
  return { url, shown: `its own redis-server on ${url}, no persistence`, shared: false };
}

const info = async (client, field) => {
  const text = await client.sendCommand(['INFO', 'memory']);
  return Number(new RegExp(`^${field}:(\\d+)`, 'm').exec(text)?.[1]);
};

/** Every key under `match`, SCANned (never KEYS, which blocks a shared server). */
async function scanKeys(client, match, limit = Number.POSITIVE_INFINITY) {
  const keys = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.sendCommand([
      'SCAN',
      cursor,
      'MATCH',
      match,
      'COUNT',
      '1000',
    ]);
    cursor = String(next);
    keys.push(...batch.map(String));
  } while (cursor !== '0' && keys.length < limit);
  return keys.slice(0, limit);
}

async function redisCase(target) {
  const { createClient } = await import('redis');
  const client = createClient({
    url: target.url,
    disableOfflineQueue: true,
    socket: { connectTimeout: 2000, reconnectStrategy: false },
  });
  client.on('error', () => {});
  await client.connect();
  cleanups.push(() => client.destroy());
  // A prefix of this run's own: on a shared Redis, its keys are told apart and deleted after.
  const prefix = target.shared
    ? `jwe-session-bench-${randomBytes(4).toString('hex')}:`
    : 'jwe-session:';
  const store = redisRevocationStore(client, { prefix });
  const server = String(await client.sendCommand(['INFO', 'server']));
  const version = /^redis_version:(\S+)/m.exec(server)?.[1] ?? 'unknown';
  if (target.shared) {
    cleanups.push(async () => {
      for (const keys of chunks(await scanKeys(client, `${prefix}*`), 1000)) {
        await client.sendCommand(['UNLINK', ...keys]);
      }
    });
  }

  const keysBefore = Number(await client.sendCommand(['DBSIZE']));
  const memoryBefore = await info(client, 'used_memory');
  const now = Math.floor(Date.now() / 1000);
  const started = process.hrtime.bigint();
  // Bounded concurrency: IN_FLIGHT writes at a time, which node-redis pipelines on one socket.
  for (let from = 0; from < REDIS_REVOCATIONS; from += IN_FLIGHT) {
    const writes = [];
    for (let i = from; i < Math.min(from + IN_FLIGHT, REDIS_REVOCATIONS); i++) {
      writes.push(
        i % 2 === 0
          ? store.revokeSession(sessionId(), TTL)
          : store.revokeSubject(subject(i), now, TTL),
      );
    }
    await Promise.all(writes);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const keysAfter = Number(await client.sendCommand(['DBSIZE']));
  const memoryAfter = await info(client, 'used_memory');

  const sample = await scanKeys(client, `${prefix}*`, TTL_SAMPLE);
  const ttls = (await Promise.all(sample.map((key) => client.sendCommand(['TTL', key])))).map(
    Number,
  );
  ttls.sort((a, b) => a - b);
  const sid = sample.find((key) => key.startsWith(`${prefix}sid:`));
  const sub = sample.find((key) => key.startsWith(`${prefix}sub:`));
  const usage = async (key) =>
    key ? Number(await client.sendCommand(['MEMORY', 'USAGE', key])) : NaN;
  const sidCount = (await scanKeys(client, `${prefix}sid:*`)).length;
  const subCount = (await scanKeys(client, `${prefix}sub:*`)).length;
  return {
    version,
    prefix,
    keys: keysAfter - keysBefore,
    sidCount,
    subCount,
    memory: memoryAfter - memoryBefore,
    seconds,
    ttls,
    sidUsage: await usage(sid),
    subUsage: await usage(sub),
    sidExample: sid,
    subExample: sub,
  };
}

function chunks(list, size) {
  const out = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

const host = machine();
const header = `Node ${host.node}, ${host.cpus} CPUs (${host.cpu}), load average ${load()} at the start.`;
log(header);

// 1. The in-memory store. A first, discarded round compiles and warms the code paths, so their
// heap is not counted in the first case.
await memoryCase(SIZES[0], 'half each');
const memoryRows = [];
for (const count of SIZES) {
  for (const kind of ['sessions', 'subjects', 'half each']) {
    const result = await memoryCase(count, kind);
    if (result.stillFull === undefined && kind !== 'sessions') {
      throw new Error(`the store lost subject ${subject(count - 1)}: not a live store`);
    }
    memoryRows.push([
      int(count),
      kind,
      mb(result.bytes),
      int(result.perEntry),
      result.atCapMs.toFixed(2),
    ]);
    log(`memory store, ${int(count)} ${kind}: ${mb(result.bytes)} MB`);
  }
}
const memoryTable = markdownTable(
  ['entries', 'revoked', 'heap MB', 'bytes/entry', 'write at the cap, ms'],
  ['right', 'left', 'right', 'right', 'right'],
  memoryRows,
);

// 2. Redis.
let redisSection;
const target = await redisTarget().catch((error) => {
  process.stderr.write(`revocation-memory: ${error.message}\n`);
  process.exit(2);
});
if (target.skipped) {
  redisSection = target.skipped;
  log(target.skipped);
} else {
  const r = await redisCase(target).catch(async (error) => {
    await cleanUp();
    throw error;
  });
  const days = (s) => `${int(s)} s (${Math.floor(s / 86400)} days + ${int(s % 86400)} s)`;
  const rows = [
    [
      'revocations written',
      `${int(REDIS_REVOCATIONS)} (${int(REDIS_REVOCATIONS / 2)} sessions, ${int(REDIS_REVOCATIONS / 2)} subjects)`,
    ],
    [
      'time, rate',
      `${r.seconds.toFixed(2)} s, ${int(REDIS_REVOCATIONS / r.seconds)} revocations/s (${IN_FLIGHT} in flight, one connection)`,
    ],
    [
      'keys added (DBSIZE after - before)',
      `${int(r.keys)} (${int(r.sidCount)} \`sid:\`, ${int(r.subCount)} \`sub:\`)`,
    ],
    ['used_memory added (INFO memory)', `${mb(r.memory)} MB, ${int(r.memory / r.keys)} bytes/key`],
    [
      'MEMORY USAGE of one key',
      `${int(r.sidUsage)} bytes (session), ${int(r.subUsage)} bytes (subject)`,
    ],
    ['TTL written', days(TTL)],
    [`TTL of ${int(r.ttls.length)} keys (SCAN sample): min`, days(r.ttls[0])],
    ['median', days(median(r.ttls))],
    ['max', days(r.ttls[r.ttls.length - 1])],
    ['keys without a TTL', int(r.ttls.filter((t) => t < 0).length)],
  ];
  redisSection = [
    `Redis ${r.version}, ${target.shown}; keys \`${r.prefix}sid:<22-char id>\` and \`${r.prefix}sub:user-NNNNNN\`, e.g. \`${r.sidExample}\`, \`${r.subExample}\`.`,
    '',
    markdownTable([`after ${int(REDIS_REVOCATIONS)} revocations`, 'value'], ['left', 'left'], rows),
  ].join('\n');
  log(redisSection);
}
await cleanUp();
clearTimeout(deadline);

const markdown = `## Revocation: memory and Redis

${header}
Reproduce: \`npm run bench:revocation\` (\`npm run build\`, then \`node --expose-gc bench/revocation-memory.js\`; with REDIS_URL set to a loopback Redis it measures that one, under a prefix of its own, and deletes its keys afterwards).

### memoryRevocationStore

Heap after a full collection, before and after filling a store with live revocations (TTL ${int(TTL)} s): 22-character base64url session ids, subjects \`user-NNNNNN\`. "Write at the cap": one more revocation into the full store, which makes one pass over it to evict the entry that expires soonest (median of 21).

${memoryTable}

### redisRevocationStore

${redisSection}
`;

log();
log(memoryTable);
if (!quick) {
  mkdirSync(`${root}bench/results`, { recursive: true });
  writeFileSync(`${root}bench/results/revocation-memory.md`, markdown);
  log('\nwritten to bench/results/revocation-memory.md');
}
