// The library's own cost on the write path, in process (no HTTP, no sockets): a read, a
// read-modify-write and a cold open through the store's port, on both engines, optionally
// side by side with the same code at other git revisions. This is how each trim of the write
// path is measured: `--against <parent commit>` runs the commit before it in the same process,
// interleaved, so the ratio is not at the mercy of a noisy machine.
//   npm run bench:write-path                          this checkout only
//   npm run bench:write-path -- --against 16ff914     that revision too (and a,b,c for several)
//   flags: --rounds 11 --batch-ms 40 --node 24 --only rmw; --quick is the smoke run
// A revision is built from `git archive` into .bench-out/builds/<commit>/ with this checkout's
// TypeScript and node_modules (kept, so a second run starts at once).

// First: it may re-run this benchmark on another Node before anything else loads.
import './node-binary.js';
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { cpuCounters, stolenShare } from './http-harness.js';
import { load, machine } from './micro/machine.js';
import { markdownTable } from './micro/markdown.js';
import { median } from './micro/measure.js';
import { nodeOption } from './node-binary.js';
import { buildOf } from './revision-build.js';

const { values } = parseArgs({
  options: {
    against: { type: 'string' },
    // A smoke run (the test's): one short round, nothing written to bench/results.
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    'batch-ms': { type: 'string' },
    only: { type: 'string' },
  },
});
const ROUNDS = Number(values.rounds ?? (values.quick ? 1 : 11));
const BATCH_MS = Number(values['batch-ms'] ?? (values.quick ? 5 : 40));
const WARM_MS = values.quick ? 20 : 500;
const root = new URL('..', import.meta.url).pathname;
const WORKER = new URL('./write-path-worker.js', import.meta.url).pathname;
const CASES = ['read', 'rmw small', 'rmw large', 'open large, cache off'];

const builds = [
  ...(values.against?.split(',') ?? []).map(buildOf),
  { label: 'this checkout', dist: `${root}dist/` },
];

/** The next message of a worker: its "ready" or a batch's result. */
function reply(child) {
  return new Promise((resolve, reject) => {
    const exit = (code) => reject(new Error(`write-path worker exited (${code})`));
    child.once('exit', exit);
    child.once('message', (message) => {
      child.off('exit', exit);
      resolve(message);
    });
  });
}

const host = machine();
const loadStart = load();
const steal = cpuCounters();
// 'default' leaves the engine unset: 'auto' (node:crypto on Node) since issue 28, Web Crypto before.
const engines = ['default', 'node', 'webcrypto'];
const caseNames = CASES.filter((name) => !values.only || name.startsWith(values.only));
const runs = [];
// Each run in its own process, one store in it, as in an app: sixteen stores sharing one
// process would make every inline cache polymorphic and every batch pay for the others'
// garbage. Only one process works at a time; the parent only says which batch is next.
for (const build of builds) {
  for (const engine of engines) {
    for (const caseName of caseNames) {
      const child = fork(WORKER, [build.dist, engine, caseName, String(BATCH_MS), String(WARM_MS)]);
      await reply(child);
      runs.push({ build, engine, caseName, child, samples: [] });
    }
  }
}
for (let round = 0; round < ROUNDS; round++) {
  for (const run of [...runs].sort(() => Math.random() - 0.5)) {
    run.child.send('batch');
    run.samples.push((await reply(run.child)).cpuMicrosPerOp);
  }
}
for (const run of runs) run.child.kill();
const stolen = stolenShare(steal, cpuCounters());

const fmt = (n) => n.toFixed(n < 10 ? 2 : 1);
const rows = [];
const ratioText = (ratios) =>
  `${median(ratios).toFixed(2)}× (${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)})`;
for (const run of runs) {
  const same = runs.filter((r) => r.engine === run.engine && r.caseName === run.caseName);
  const at = same.indexOf(run);
  // Each round's ratio, in the order the rounds ran: the interleaving is what makes it fair.
  const versus = (other) => run.samples.map((s, i) => other.samples[i] / s);
  const sorted = [...run.samples].sort((a, b) => a - b);
  rows.push([
    run.caseName,
    run.engine,
    run.build.label,
    fmt(median(run.samples)),
    `${fmt(sorted[0])}-${fmt(sorted.at(-1))}`,
    at === 0 ? '' : ratioText(versus(same[at - 1])),
    at < 2 ? '' : ratioText(versus(same[0])),
  ]);
}
// Grouped by case and engine; within a group, revisions stay in the order given.
rows.sort((a, b) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]));
const report = [
  '## Write path, in process',
  '',
  `Node ${host.node}, ${host.cpus} CPUs (${host.cpu}), load average ${loadStart} at the start, ` +
    `${stolen === undefined ? 'steal unknown' : `${(stolen * 100).toFixed(1)}% of CPU time stolen`} during the run. ` +
    `${ROUNDS} interleaved rounds of about ${BATCH_MS} ms per batch; CPU µs per op (all threads), median and range; ` +
    "speed-up: the revision above's CPU time ÷ this one's, and the first's ÷ this one's (median and range of the rounds' ratios).",
  `Reproduce: \`npm run bench:write-path${values.against || nodeOption ? ' --' : ''}${values.against ? ` --against ${values.against}` : ''}${nodeOption}\`.`,
  '',
  markdownTable(
    ['case', 'engine', 'revision', 'CPU µs/op', 'range', 'vs the one above', 'vs the first'],
    ['left', 'left', 'left', 'right', 'right', 'right', 'right'],
    rows,
  ),
  '',
].join('\n');
process.stdout.write(report);
if (!values.quick) {
  mkdirSync(`${root}bench/results`, { recursive: true });
  writeFileSync(`${root}bench/results/write-path.md`, report);
}
