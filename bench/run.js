// Micro benchmark of issue 6: seal and unseal, ours and the peers, interleaved in one run.
//   npm run bench                      full run, writes bench/results/micro.md
//   npm run bench -- --quick           smoke run: checks every system, times a few calls
//   node bench/run.js [--rounds 21] [--batch-ms 60] [--in-flight 1,16] [--only jose,Web]
// Every system is checked before it is timed: unseal(seal(x)) is x, and a token with one
// character changed is refused. Unseal is timed cold: a pool of distinct tokens, caches off.

// First: it may re-run this benchmark on another Node before anything else loads.
import './node-binary.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { check } from './micro/checks.js';
import { garbageCollector, load, machine } from './micro/machine.js';
import { measureBatch, median } from './micro/measure.js';
import { payloadBytes, payloads } from './micro/payloads.js';
import { speedTable, targetRows, targetTable } from './micro/report.js';
import { factories } from './micro/systems/index.js';
import { NODE_ENGINE_NAME } from './micro/systems/jwe-session-node.js';
import { defaultEngineTargets, nodeEngineTargets } from './micro/targets.js';
import { nodeOption } from './node-binary.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    'batch-ms': { type: 'string' },
    'in-flight': { type: 'string' },
    // Comma-separated name prefixes, for investigating one comparison; jwe-session always runs.
    only: { type: 'string' },
  },
});
const quick = values.quick;
const ROUNDS = Number(values.rounds ?? (quick ? 1 : 21));
const BATCH_MS = Number(values['batch-ms'] ?? (quick ? 5 : 60));
const IN_FLIGHT = (values['in-flight'] ?? (quick ? '1,16' : '1,16')).split(',').map(Number);
const MIN_OPS = quick ? 5 : 20;
const MAX_OPS = 4000;

const host = machine();
const log = (line = '') => process.stdout.write(`${line}\n`);
log(`${host.runtime}, ${host.cpus} CPUs (${host.cpu}), load average ${load()}`);

const only = values.only?.split(',');
const systems = [];
const skipped = [];
for (const make of factories) {
  const system = await make();
  if (system.skipped) {
    skipped.push(system.skipped);
    log(system.skipped);
    continue;
  }
  if (!only || system.ours || only.some((prefix) => system.name.startsWith(prefix))) {
    systems.push(system);
  }
}
const ours = systems.find((s) => s.ours);

// 1. Checks, before anything is timed.
const bytes = {};
for (const [payloadName, payload] of Object.entries(payloads)) {
  bytes[payloadName] = {};
  for (const system of systems) {
    const result = await check(system, payload);
    bytes[payloadName][system.name] = result.bytes;
    log(
      `check ok: ${system.name} · ${payloadName} (${payloadBytes(payload)} B) · round-trip · ${result.modifiedRejected} modified tokens rejected · ${result.bytes} B token`,
    );
  }
}

// 2. Batch sizes: about BATCH_MS of work per batch, so fast and slow systems weigh alike.
async function batchOps(system, payload) {
  const probe = await measureBatch(() => system.seal(payload), MIN_OPS, 1);
  const ops = Math.round((probe.opsPerSecond * BATCH_MS) / 1000);
  return Math.max(MIN_OPS, Math.min(MAX_OPS, ops));
}

// With --expose-gc (npm run bench), each batch starts with an empty young generation instead
// of paying for the garbage of the batch before it (a minor GC: a full one per batch would
// take longer than the batches); Bun has its own (machine.js).
const gcBeforeBatch = garbageCollector();
const collectGarbage = gcBeforeBatch ?? (() => {});

function shuffled(items) {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

// 3. Interleaved rounds: within a round every payload and system takes its turn.
async function measure(inFlight) {
  const plan = [];
  for (const [payloadName, payload] of Object.entries(payloads)) {
    for (const system of systems) {
      const ops = await batchOps(system, payload);
      // Distinct tokens, one per unseal call of a batch; nothing caches a decryption.
      const pool = [];
      while (pool.length < ops) {
        const n = Math.min(64, ops - pool.length);
        pool.push(...(await Promise.all(Array.from({ length: n }, () => system.seal(payload)))));
      }
      if (new Set(pool).size !== pool.length) throw new Error(`${system.name}: repeated tokens`);
      plan.push({ payloadName, payload, system, ops, pool, seal: [], unseal: [] });
    }
  }
  for (let round = 0; round < ROUNDS; round++) {
    // A fresh order each round: no system always runs right after the same neighbour.
    for (const p of shuffled(plan)) {
      collectGarbage();
      p.seal.push(await measureBatch(() => p.system.seal(p.payload), p.ops, inFlight));
      collectGarbage();
      p.unseal.push(await measureBatch((i) => p.system.unseal(p.pool[i]), p.ops, inFlight));
    }
  }
  const results = {};
  for (const p of plan) {
    results[p.payloadName] ??= {};
    results[p.payloadName][p.system.name] = {
      seal: median(p.seal.map((b) => b.opsPerSecond)),
      unseal: median(p.unseal.map((b) => b.opsPerSecond)),
      sealCpu: median(p.seal.map((b) => b.cpuMicrosPerOp)),
      unsealCpu: median(p.unseal.map((b) => b.cpuMicrosPerOp)),
      // Per round, in the order the rounds ran, for the range of each round's ratio.
      sealRounds: p.seal.map((b) => b.opsPerSecond),
      unsealRounds: p.unseal.map((b) => b.opsPerSecond),
      bytes: bytes[p.payloadName][p.system.name],
    };
  }
  return results;
}

const runStartLoad = load();
// The command that gives this table again, on this runtime.
const reproduce = host.runtime.startsWith('Bun')
  ? '`npm run build && $(bash .ci/runtimes.sh bin bun) bench/run.js`'
  : host.runtime.startsWith('Deno')
    ? '`npm run build && $(bash .ci/runtimes.sh bin deno) run -A --v8-flags=--expose-gc bench/run.js`'
    : `\`npm run bench${nodeOption ? ` --${nodeOption}` : ''}\``;
const sections = [
  [
    '## Micro benchmark: seal and unseal',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${host.runtime}, ${host.cpus} CPUs (${host.cpu}), load average ${runStartLoad} at the start. Reproduce with ${reproduce} (under two minutes; add \`--quick\` for the smoke run).`,
    '',
    `- jwe-session's default engine (\`'auto'\`) picked \`${ours.engine}\` here.`,
    gcBeforeBatch
      ? '- A garbage collection runs before each timed batch, outside its time.'
      : '- No garbage collection between batches (this runtime exposes none to the benchmark): each batch may pay for the garbage of the one before.',
    '',
    `- Payloads: small ${payloadBytes(payloads.small)} B of JSON (user id, name, role), medium ${payloadBytes(payloads.medium)} B (a cart of ${payloads.medium.items.length} items), large ${payloadBytes(payloads.large)} B.`,
    '- jwe-session runs with its defaults through the public store (`seal`/`unseal`: claims, `kid` and purpose included, values checked), with `cacheSize: 0`; every unseal call of a batch opens a different token, so nothing is served from a cache. Peers run with their defaults.',
    '- Before timing, every system must give back what it sealed and refuse the same token with one character changed (5 places).',
    `- ${ROUNDS} rounds; in each, every system × payload runs one batch of about ${BATCH_MS} ms, in a shuffled order. Shown: the median over rounds of ops/s, and of CPU time per call (all threads of the process, Web Crypto's thread pool included).`,
    '- "ours ÷ it": jwe-session\'s ops/s divided by that system\'s; above 1 means jwe-session is faster. Token bytes: the cookie value.',
    ...skipped.map((note) => `- Not in this run: ${note}.`),
  ].join('\n'),
];
let allMet = true;
for (const inFlight of IN_FLIGHT) {
  const started = performance.now();
  const results = await measure(inFlight);
  const rows = targetRows(results, ours.name);
  allMet &&= rows.every((r) => r.met);
  const title =
    inFlight === 1
      ? '### One call at a time (each awaited before the next)'
      : `### ${inFlight} calls in flight (as a busy server runs them)`;
  // Issue 16: the node:crypto engine against next-auth 4 and the floor; issue 28: the
  // default against the node:crypto floor, where the default is that engine.
  const engineRows = [
    ...(results.small?.[NODE_ENGINE_NAME]
      ? targetRows(results, NODE_ENGINE_NAME, nodeEngineTargets, false)
      : []),
    ...targetRows(results, ours.name, defaultEngineTargets, false),
  ];
  const section = `${title}\n\n${speedTable(results, ours.name)}\n\nTargets (issue 6):\n\n${targetTable(rows)}\n\nTargets (issues 16 and 28):\n\n${targetTable(engineRows)}\n\nLoad average at the end: ${load()} on ${host.cpus} CPUs.`;
  sections.push(section);
  log(`\n${section}\n\n(${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

if (quick) {
  log(`\nquick run ok: ${systems.length} systems checked and timed`);
} else if (only) {
  log('\n--only: a partial run, bench/results/micro.md left as it was');
} else {
  // One file per runtime: a Bun or Deno run does not overwrite Node's table.
  const file = `micro${host.runtime.startsWith('Node') ? '' : `-${host.runtime.split(' ')[0].toLowerCase()}`}.md`;
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL(`./results/${file}`, import.meta.url), `${sections.join('\n\n')}\n`);
  log(`\nwritten to bench/results/${file}; every target met: ${allMet ? 'yes' : 'no'}`);
}
