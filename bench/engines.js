// One seal and one open of a small session token, `engine: 'node'` against jose on Web Crypto,
// on whichever runtime runs this file: the numbers behind what `engine: 'auto'` picks
// (src/codec/engine-choice.ts). Plain JavaScript with no Node-only imports, so that Node, Bun
// and Deno run the same file:
//   npm run build && node bench/engines.js [rounds] [ms per batch]
//   .runtimes/bun/node_modules/bun/bin/bun.exe bench/engines.js
//   .runtimes/deno/node_modules/deno/deno run --allow-env --allow-read bench/engines.js
// Two levels, each interleaved (every round runs every variant once, in a rotating order):
//   raw    NodeEngine.seal + open against jose CompactEncrypt + compactDecrypt, same key
//   store  store.seal + store.unseal (claims, JSON, the header check; cache off)
// Each batch awaits every call before the next (one request at a time). Reported: µs per
// seal+open, wall clock and process CPU time, the median of the rounds and their range.
// The last run: bench/results/engines.md.
import { CompactEncrypt, compactDecrypt } from 'jose';
import { NodeEngine, reachNodeCrypto } from '../dist/codec/node-engine.js';
import { createSessionStore } from '../dist/index.js';

const args = (globalThis.process?.argv ?? []).slice(2);
const ROUNDS = Number(args[0] ?? 15);
const BATCH_MS = Number(args[1] ?? 150);

const runtime = globalThis.Bun
  ? `Bun ${globalThis.Bun.version}`
  : globalThis.Deno
    ? `Deno ${globalThis.Deno.version.deno}`
    : `Node ${globalThis.process.versions.node}`;

const nodeCrypto = reachNodeCrypto();
if (nodeCrypto === undefined) {
  console.log(`${runtime}: no node:crypto through process.getBuiltinModule; nothing to compare`);
  globalThis.process?.exit?.(0);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
// A small session, the common case: a user id, a name, a role, the claims around them.
const data = { uid: 'u_8f3a2c', name: 'Ada Lovelace', role: 'admin' };
const plaintext = JSON.stringify({
  pur: 'session',
  iat: 1775000000,
  exp: 1775604800,
  ori: 1775000000,
  d: data,
});
const header = { alg: 'dir', enc: 'A256GCM', kid: 'k1.493055' };

const raw = crypto.getRandomValues(new Uint8Array(32));
const key = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
const engine = new NodeEngine(nodeCrypto);

const secret = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))
  .replaceAll('+', '-')
  .replaceAll('/', '_')
  .replace(/=+$/, '');
const storeOn = (which) =>
  createSessionStore({
    keys: `k1:${secret}`,
    advanced: { engine: which, cacheSize: 0 },
    testing: { env: {} },
  });
const stores = { node: storeOn('node'), webcrypto: storeOn('webcrypto') };

const variants = {
  'raw node': () => {
    const token = engine.seal(key, header, plaintext);
    if (engine.open(key, token.split('.')) !== plaintext) throw new Error('raw node: round trip');
  },
  'raw webcrypto': async () => {
    const token = await new CompactEncrypt(encoder.encode(plaintext))
      .setProtectedHeader(header)
      .encrypt(key);
    const opened = await compactDecrypt(token, key);
    if (decoder.decode(opened.plaintext) !== plaintext) throw new Error('raw jose: round trip');
  },
  'store node': async () => {
    const opened = await stores.node.unseal(await stores.node.seal(data));
    if (opened.uid !== data.uid) throw new Error('store node: round trip');
  },
  'store webcrypto': async () => {
    const opened = await stores.webcrypto.unseal(await stores.webcrypto.seal(data));
    if (opened.uid !== data.uid) throw new Error('store webcrypto: round trip');
  },
};
const names = Object.keys(variants);

// CPU time of the whole process (every thread: Web Crypto runs off the main one on Node), which
// other load on a shared machine disturbs far less than the wall clock. Where a runtime has
// no process.cpuUsage, only the wall clock is reported.
const cpuUsage = globalThis.process?.cpuUsage?.bind(globalThis.process);
const cpuMicros = () => {
  const { user, system } = cpuUsage();
  return user + system;
};

/** Runs fn for about `ms`, one call at a time; wall and CPU µs per call. */
async function batch(fn, ms) {
  let calls = 0;
  const cpuStart = cpuUsage ? cpuMicros() : 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 50; i++) await fn();
    calls += 50;
    now = performance.now();
  }
  return {
    wall: ((now - start) * 1000) / calls,
    cpu: cpuUsage ? (cpuMicros() - cpuStart) / calls : Number.NaN,
  };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

// Warm-up: JIT, the window key derivations, jose's first-call checks.
for (const name of names) await batch(variants[name], 200);

const samples = Object.fromEntries(names.map((name) => [name, { wall: [], cpu: [] }]));
for (let round = 0; round < ROUNDS; round++) {
  for (let i = 0; i < names.length; i++) {
    const name = names[(round + i) % names.length];
    const { wall, cpu } = await batch(variants[name], BATCH_MS);
    samples[name].wall.push(wall);
    samples[name].cpu.push(cpu);
  }
}

const fmt = (n) => n.toFixed(1);
const cell = (values) =>
  `${fmt(median(values))} (${fmt(Math.min(...values))}-${fmt(Math.max(...values))})`.padStart(20);
console.log(`${runtime}: µs per seal+open, median (min-max) of ${ROUNDS} rounds`);
console.log(`  ${''.padEnd(16)} ${'wall'.padStart(20)} ${'cpu'.padStart(20)}`);
for (const name of names) {
  console.log(`  ${name.padEnd(16)} ${cell(samples[name].wall)} ${cell(samples[name].cpu)}`);
}
for (const level of ['raw', 'store']) {
  const ratio = (of) =>
    (median(samples[`${level} webcrypto`][of]) / median(samples[`${level} node`][of])).toFixed(1);
  console.log(
    `  ${level}: node is ${ratio('wall')}x as fast as webcrypto (${ratio('cpu')}x in CPU)`,
  );
}
