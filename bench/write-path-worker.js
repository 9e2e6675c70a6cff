// One run of bench/write-path.js: one store of one build, one engine, one case, in a process
// of its own. `node bench/write-path-worker.js <dist/> <engine> <case> <batch ms> <warm-up ms>`; it says
// "ready" once warmed up, then answers each "batch" with the CPU time per op of one batch.
import { existsSync } from 'node:fs';
import { payloads } from './micro/payloads.js';

const [dist, engine, caseName, batchMs, warmMs] = process.argv.slice(2);
// A throwaway benchmark key (not a counting sequence: the key ring refuses those).
const KEYS = 'bench:oDiLjSqbsjIi38bvTwXcNkET5RwuAeQR9UxZGPlCJhU';

// The port of the build under test: `open` (a request handle) since the handle re-shape, or
// the older `load`/`commit` pair; both seen through one shape, so every revision pays the same.
function apiOf(port) {
  if (typeof port.open === 'function') {
    return {
      load: (header) => port.open({ cookie: header }),
      session: (handle) => handle.session,
      commit: (handle) => handle.commit(),
    };
  }
  return {
    load: (header) => port.load(header),
    session: (session) => session,
    commit: (session) => port.commit(session),
  };
}

// One case: a function run once per op (a promise when the engine made one), set up for a
// build and an engine. Each begins with a session cookie sealed by that same store.
const sessions = { small: { count: 1 }, large: payloads.large };
const cases = {
  // A cookie the token cache holds: the common request that only reads.
  read: async (port) => {
    const header = await cookieOf(port, sessions.small);
    return () =>
      settle(port.load(header), (opened) => {
        port.session(opened).get('count');
        return port.commit(opened);
      });
  },
  // A counter, as bench:http's /write: load, change, seal, Set-Cookie lines.
  'rmw small': async (port) =>
    chain(port, sessions.small, (s) => s.set('count', s.get('count') + 1)),
  // A 3 KB cart, one quantity changed: the serialise, check and seal of a large session.
  'rmw large': async (port) =>
    chain(port, sessions.large, (s) => {
      const items = s.get('items').map((item) => ({ ...item }));
      items[0].qty = (items[0].qty % 9) + 1;
      s.set('items', items);
    }),
  // Token cache off: every load decrypts the 3 KB session (header, canonical checks, AES, JSON).
  'open large, cache off': async (port) => {
    const header = await cookieOf(port, sessions.large);
    return () => settle(port.load(header), (opened) => port.session(opened).get('uid'));
  },
};

function settle(value, then) {
  return value instanceof Promise ? value.then(then) : then(value);
}

async function cookieOf(port, data) {
  const opened = await port.load(undefined);
  const session = port.session(opened);
  for (const [key, value] of Object.entries(data)) session.set(key, value);
  const commit = await port.commit(opened);
  return commit.lines.map((line) => line.slice(0, line.indexOf(';'))).join('; ');
}

// A read-modify-write that carries each response's cookie into the next request, as a browser.
async function chain(port, data, change) {
  let header = await cookieOf(port, data);
  const next = (commit) => {
    header = commit.lines.map((line) => line.slice(0, line.indexOf(';'))).join('; ');
  };
  return () =>
    settle(port.load(header), (opened) => {
      change(port.session(opened));
      return settle(port.commit(opened), next);
    });
}

async function runner() {
  const { createSessionStore } = await import(`${dist}index.js`);
  const { portOf } = await import(`${dist}session/port.js`);
  const advanced = {
    // 'default': no engine given, as an app that never set one.
    ...(engine !== 'default' && { engine }),
    ...(caseName.includes('cache off') && { cacheSize: 0 }),
  };
  // Builds from before issue 22 take the options flat; later ones grouped.
  const grouped = existsSync(`${dist}options/parse-options.js`);
  const store = createSessionStore(
    grouped
      ? { keys: KEYS, cookie: { secure: false }, advanced, testing: { env: {} } }
      : { keys: KEYS, env: {}, cookie: { secure: false }, ...advanced },
  );
  return cases[caseName](apiOf(portOf(store)));
}

async function batch(op, ops) {
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < ops; i++) {
    const result = op();
    if (result instanceof Promise) await result;
  }
  const cpu = process.cpuUsage(cpuStart);
  return (cpu.user + cpu.system) / ops;
}

const op = await runner();
// Warm up for warmMs, half a second in a real run (the JIT needs a few thousand calls of everything on the path),
// then size a batch to about batchMs of this op.
const warmStart = performance.now();
let probe = await batch(op, 200);
while (performance.now() - warmStart < Number(warmMs)) probe = await batch(op, 200);
const ops = Math.max(50, Math.round((Number(batchMs) * 1000) / probe));
process.send({ ready: true });
// No forced collection between batches: a full one flushes compiled code and leaves
// concurrent sweeping to run (and be counted) in the next batch.
process.on('message', async () => {
  process.send({ cpuMicrosPerOp: await batch(op, ops) });
});
process.on('disconnect', () => process.exit(0));
