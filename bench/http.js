// HTTP benchmark: the same small app as a bare node:http handler, with jwe-session's Node
// wrapper, with iron-session 8 (and 9 on Node ≥ 22.13), and with express-session's
// MemoryStore; each server in its own process, autocannon on loopback.
// `npm run bench:http` (builds first); flags:
//   --duration 3      seconds per timed run
//   --rounds 5        interleaved rounds; medians over rounds, and of each round's ratios
//   --connections 10
//   --sessions 100000 distinct new sessions for the memory comparison (0 skips it)
//   --against <rev>   that revision's defaults too (built as bench:write-path builds it), in
//                     the same interleaved rounds, with its ratios to this checkout
// Prints Markdown and writes it to bench/results/http.md.
// `npm run bench:http -- --features` runs bench/http-features.js instead (revocation and the
// cross-site check against the defaults).

// First: it may re-run this benchmark on another Node before anything else loads.
import './node-binary.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import {
  cannon,
  checkedSession,
  cpuCounters,
  cpuPlan,
  flags,
  markdownTable,
  mb,
  median,
  pin,
  startServer,
  stolenShare,
  whole,
} from './http-harness.js';
import { ironSession9Skip, loadIronSession9 } from './iron-session-9.js';
import { nodeOption } from './node-binary.js';
import { buildOf } from './revision-build.js';

if (process.argv.includes('--features')) {
  process.argv.splice(process.argv.indexOf('--features'), 1);
  await import('./http-features.js');
  process.exit(0);
}

// `--against <revision>`: that revision's defaults too, in the same interleaved rounds.
const againstAt = process.argv.indexOf('--against');
const againstRef = againstAt === -1 ? undefined : process.argv.splice(againstAt, 2)[1];
const against = againstRef === undefined ? undefined : buildOf(againstRef);

const options = flags(process.argv.slice(2), {
  duration: 3,
  rounds: 5,
  connections: 10,
  sessions: 100_000,
});

const NAMES = {
  bare: 'bare node:http (no session)',
  jwe: "jwe-session (Node wrapper), defaults (engine 'auto': node:crypto on Node)",
  'jwe-web': "jwe-session, engine: 'webcrypto' (jose; the default before 'auto')",
  'jwe-nocache': 'jwe-session, token cache off',
  iron: 'iron-session 8',
  iron9: 'iron-session 9',
  express: 'express-session 1.19 + MemoryStore',
  'jose-floor': 'jose alone: a counter token, no claims or checks (a ceiling, not a session)',
  'node-floor':
    'node:crypto alone: the same, sealed synchronously (the ceiling for the node engine)',
  'cookie-floor':
    'bare + cookie.parse + a Map lookup of the cookie (the ceiling for any cookie session read)',
};
// Reads are also measured with the token cache off, to show what the cache is worth; writes
// with jose alone and with node:crypto alone, the ceilings of the two engines (one seal per
// request and nothing else).
const ROUTES = {
  read: ['bare', 'jwe', 'jwe-web', 'jwe-nocache', 'iron', 'iron9', 'express', 'cookie-floor'],
  write: ['bare', 'jwe', 'jwe-web', 'iron', 'iron9', 'express', 'jose-floor', 'node-floor'],
};
// iron-session 9 needs Node ≥ 22.13: elsewhere (or if it fails to load) it is left out, and
// the report says so.
const iron9Skipped = (await loadIronSession9())
  ? undefined
  : `iron-session 9: ${ironSession9Skip()}`;
if (iron9Skipped) {
  delete NAMES.iron9;
  for (const list of Object.values(ROUTES)) list.splice(list.indexOf('iron9'), 1);
}
// The revision's defaults run the same app ('jwe') on its own dist/.
const BEFORE = 'jwe-before';
if (against) {
  NAMES[BEFORE] = `jwe-session defaults at ${against.label}`;
  for (const list of Object.values(ROUTES)) list.splice(list.indexOf('jwe') + 1, 0, BEFORE);
}
const serverOf = (version) =>
  version === BEFORE
    ? startServer('jwe', { cpus: plan?.server, env: { JWE_BENCH_DIST: against.dist } })
    : startServer(version, { cpus: plan?.server });

const log = (text) => process.stderr.write(`${text}\n`);
// Servers on one CPU, autocannon on the rest (see cpuPlan): steadier numbers on a shared machine.
const plan = cpuPlan();
if (plan) pin(process.pid, plan.client);
const where = plan
  ? `Each server process is pinned to CPU ${plan.server} (taskset, its thread pool included) and autocannon, in the parent, to CPU ${plan.client}.`
  : 'Each server is its own process; autocannon runs in the parent, on the same machine (taskset was not available, so nothing is pinned).';
// The machine's 1-minute load average when the run began: other work skews every number.
const startLoad = loadavg()[0]?.toFixed(2);

async function throughput() {
  const versions = Object.keys(NAMES);
  const servers = Object.fromEntries(
    await Promise.all(versions.map(async (v) => [v, await serverOf(v)])),
  );
  try {
    const cookies = {};
    for (const version of versions) {
      // One session per connection, each checked to round-trip before anything is timed.
      cookies[version] = [];
      for (let i = 0; i < options.connections; i++) {
        cookies[version].push(await checkedSession(servers[version]));
      }
      // Warm-up (JIT, key derivation, pools): not recorded.
      for (const route of ['write', 'read']) {
        await cannon({
          url: `${servers[version].url}/${route}`,
          connections: options.connections,
          duration: 1,
          cookies: cookies[version],
        });
      }
    }
    const runs = {
      read: Object.fromEntries(ROUTES.read.map((v) => [v, []])),
      write: Object.fromEntries(ROUTES.write.map((v) => [v, []])),
    };
    for (let round = 0; round < options.rounds; round++) {
      for (const [route, list] of Object.entries(ROUTES)) {
        // Rotate the order each round, so no version always runs right after the same one.
        const order = list.map((_, i) => list[(i + round) % list.length]);
        for (const version of order) {
          const before = await servers[version].memory();
          const counters = cpuCounters();
          const result = await cannon({
            url: `${servers[version].url}/${route}`,
            connections: options.connections,
            duration: options.duration,
            cookies: cookies[version],
          });
          // Server CPU per request: what the version costs, even when the client is the limit.
          const after = await servers[version].memory();
          result.cpu = (after.cpuMicros - before.cpuMicros) / Math.max(1, result.total);
          result.stolen = stolenShare(counters, cpuCounters());
          const stolen =
            result.stolen === undefined ? '' : `  stolen ${(result.stolen * 100).toFixed(1)}%`;
          log(
            `round ${round + 1} ${route.padEnd(5)} ${version.padEnd(12)} ${whole(result.rps).padStart(7)} req/s  p99 ${result.p99} ms  cpu ${Math.round(result.cpu)} µs/req${stolen}${result.failed ? `  FAILED ${result.failed}` : ''}`,
          );
          runs[route][version].push(result);
        }
      }
    }
    return runs;
  } finally {
    await Promise.all(Object.values(servers).map((server) => server.stop()));
  }
}

function summary(results) {
  if (!results) return undefined;
  return {
    rps: median(results.map((r) => r.rps)),
    p99: median(results.map((r) => r.p99)),
    cpu: median(results.map((r) => r.cpu)),
    failed: results.reduce((sum, r) => sum + r.failed, 0),
  };
}

const WARM_UP_REQUESTS = 20_000;

/**
 * Memory of a fresh server while `total` distinct sessions are created, `connections` requests
 * at a time. A warm-up that creates no session (reads without a cookie) comes first, so the
 * 0 sample already includes the JIT and the heap a busy server grows. Samples are taken after
 * a full garbage collection: RSS, and the V8 heap still in use (what the server keeps).
 */
async function memory(version, total) {
  const server = await startServer(version, { gc: true, cpus: plan?.server });
  try {
    await cannon({
      url: `${server.url}/read`,
      connections: options.connections,
      amount: WARM_UP_REQUESTS,
    });
    const marks = [0, total / 4, total / 2, total];
    const samples = [];
    let done = 0;
    for (const mark of marks) {
      if (mark > done) {
        // No cookie: every request starts, and writes, a new session.
        const result = await cannon({
          url: `${server.url}/write`,
          connections: options.connections,
          amount: mark - done,
        });
        if (result.failed > 0) throw new Error(`${version}: ${result.failed} requests failed`);
        done = mark;
      }
      const sample = await server.memory({ gc: true });
      samples.push({ sessions: mark, ...sample });
      log(
        `${version.padEnd(8)} ${whole(mark).padStart(7)} sessions  rss ${mb(sample.rss)}  heap ${mb(sample.heapUsed)}`,
      );
    }
    return samples;
  } finally {
    await server.stop();
  }
}

// A ratio per round, ours and theirs measured seconds apart, then the median over rounds: on
// this shared machine a whole round can run fast or slow (one system's rate moved 4× between
// rounds of one run), and a ratio of two medians taken from different rounds carries that.
// By req/s, the targets' unit, with the range over rounds; by server CPU per request beside it.
function ratioRow(label, route, ours, theirs, target) {
  const pairs = runs[route][ours].map((mine, i) => [mine, runs[route][theirs][i]]);
  const byRps = pairs.map(([mine, other]) => mine.rps / other.rps);
  const byCpu = pairs.map(([mine, other]) => other.cpu / mine.cpu);
  const ratio = median(byRps);
  const range = `${Math.min(...byRps).toFixed(2)}-${Math.max(...byRps).toFixed(2)}`;
  return [
    label,
    `${ratio.toFixed(2)}×`,
    range,
    // With its range over rounds: on a loaded machine, the steadier measure of the two.
    `${median(byCpu).toFixed(2)}× (${Math.min(...byCpu).toFixed(2)}-${Math.max(...byCpu).toFixed(2)})`,
    target === undefined ? '–' : `≥ ${target}×`,
    target === undefined ? 'reference' : ratio >= target ? 'met' : '**missed**',
  ];
}

const runs = await throughput();
const stats = {
  read: Object.fromEntries(ROUTES.read.map((v) => [v, summary(runs.read[v])])),
  write: Object.fromEntries(ROUTES.write.map((v) => [v, summary(runs.write[v])])),
};
const memoryRuns = {};
if (options.sessions > 0) {
  for (const version of ['jwe', 'express']) {
    memoryRuns[version] = await memory(version, options.sessions);
  }
}

// How much CPU time the hypervisor took for other guests during the timed runs (a shared
// machine's noise, which no ratio fully cancels).
function stolenLine() {
  const shares = Object.values(runs)
    .flatMap((byVersion) => Object.values(byVersion).flat())
    .map((r) => r.stolen)
    .filter((share) => share !== undefined);
  if (shares.length === 0)
    return 'CPU time stolen by the hypervisor: not measured (no /proc/stat).';
  const pct = (share) => `${(share * 100).toFixed(1)}%`;
  return `CPU time stolen by the hypervisor during the timed runs: median ${pct(median(shares))}, worst run ${pct(Math.max(...shares))}.`;
}

const cells = (s) =>
  s ? [whole(s.rps), `${s.p99} ms`, `${Math.round(s.cpu)} µs`] : ['–', '–', '–'];
const failures = (v) => (stats.read[v]?.failed ?? 0) + (stats.write[v]?.failed ?? 0);
const throughputTable = markdownTable(
  [
    'System',
    'read req/s',
    'read p99',
    'read server CPU/req',
    'read-modify-write req/s',
    'read-modify-write p99',
    'read-modify-write server CPU/req',
    'failed',
  ],
  Object.keys(NAMES).map((v) => [
    NAMES[v],
    ...cells(stats.read[v]),
    ...cells(stats.write[v]),
    String(failures(v)),
  ]),
);
const ratios = markdownTable(
  ['Target', 'measured (req/s)', 'range over rounds', 'by server CPU/req', 'target', ''],
  [
    // Issue 28's targets, on the defaults.
    ratioRow('defaults, reads vs bare', 'read', 'jwe', 'bare', 0.85),
    ratioRow('defaults, read-modify-write vs express-session', 'write', 'jwe', 'express', 1.2),
    ratioRow('defaults, read-modify-write vs iron-session', 'write', 'jwe', 'iron', 5),
    ...(iron9Skipped
      ? []
      : [ratioRow('defaults, read-modify-write vs iron-session 9', 'write', 'jwe', 'iron9')]),
    ratioRow('defaults, read-modify-write vs node:crypto alone', 'write', 'jwe', 'node-floor'),
    ratioRow('defaults, reads vs bare + cookie.parse (the ceiling)', 'read', 'jwe', 'cookie-floor'),
    ratioRow('bare + cookie.parse (the ceiling), reads vs bare', 'read', 'cookie-floor', 'bare'),
    ratioRow("defaults vs engine: 'webcrypto', reads", 'read', 'jwe', 'jwe-web'),
    ratioRow("defaults vs engine: 'webcrypto', read-modify-write", 'write', 'jwe', 'jwe-web'),
    // The pinned Web Crypto engine (the default before 'auto').
    ratioRow("engine: 'webcrypto', reads vs bare", 'read', 'jwe-web', 'bare'),
    ratioRow(
      "engine: 'webcrypto', read-modify-write vs express-session",
      'write',
      'jwe-web',
      'express',
    ),
    ratioRow(
      "engine: 'webcrypto', read-modify-write vs jose alone",
      'write',
      'jwe-web',
      'jose-floor',
      0.95,
    ),
    ratioRow(
      'node:crypto alone (the ceiling), read-modify-write vs express-session',
      'write',
      'node-floor',
      'express',
    ),
    ratioRow(
      'jose alone (the ceiling), read-modify-write vs iron-session',
      'write',
      'jose-floor',
      'iron',
    ),
    ...(against
      ? [
          ratioRow(`defaults vs ${against.label}, reads`, 'read', 'jwe', BEFORE),
          ratioRow(`defaults vs ${against.label}, read-modify-write`, 'write', 'jwe', BEFORE),
          ratioRow(`${against.label}, reads vs bare`, 'read', BEFORE, 'bare'),
          ratioRow(
            `${against.label}, read-modify-write vs express-session`,
            'write',
            BEFORE,
            'express',
          ),
        ]
      : []),
  ],
);

const sections = [
  '# HTTP benchmark',
  '',
  `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${mb(totalmem())} RAM, ${new Date().toISOString()}, load average at start ${startLoad}.`,
  `\`npm run bench:http\` (\`node bench/http.js --duration ${options.duration} --rounds ${options.rounds} --connections ${options.connections} --sessions ${options.sessions}${against ? ` --against ${againstRef}` : ''}${nodeOption}\`).`,
  `autocannon on loopback, ${options.connections} connections, ${options.duration} s per run, ${options.rounds} interleaved rounds: the table shows medians over rounds, the targets the median of each round's ratio.`,
  where,
  'Every connection carries its own session (checked to round-trip first) and follows Set-Cookie like a browser,',
  'so each read-modify-write request opens the cookie the previous response sealed.',
  "Server CPU/req is the server process's user + system CPU time over the run divided by its requests.",
  stolenLine(),
  ...(iron9Skipped ? [`Not in this run: ${iron9Skipped}.`] : []),
  '',
  throughputTable,
  '',
  ratios,
];
if (options.sessions > 0) {
  const { jwe, express } = memoryRuns;
  const rows = jwe.map((sample, i) => {
    const other = express[i];
    return [
      whole(sample.sessions),
      mb(sample.rss),
      mb(sample.heapUsed),
      other ? mb(other.rss) : '–',
      other ? mb(other.heapUsed) : '–',
    ];
  });
  const peak = (samples) => mb(Math.max(...samples.map((s) => s.peakRss)));
  const growth = (samples, field) =>
    mb((samples.at(-1)?.[field] ?? 0) - (samples[0]?.[field] ?? 0));
  rows.push(['peak RSS (sampled every 100 ms)', peak(jwe), '', peak(express), '']);
  rows.push([
    'growth, 0 → last',
    growth(jwe, 'rss'),
    growth(jwe, 'heapUsed'),
    growth(express, 'rss'),
    growth(express, 'heapUsed'),
  ]);
  sections.push(
    '',
    `## Server memory while ${whole(options.sessions)} distinct sessions are created`,
    '',
    `A fresh server each, warmed up with ${whole(WARM_UP_REQUESTS)} requests that create no session; then requests without`,
    `a cookie that each write a new session, ${options.connections} at a time. Each sample follows a full GC (\`--expose-gc\`).`,
    '',
    markdownTable(
      [
        'distinct sessions',
        'jwe-session RSS',
        'jwe-session V8 heap',
        'express-session RSS',
        'express-session V8 heap',
      ],
      rows,
    ),
  );
}
const report = `${sections.join('\n')}\n`;
process.stdout.write(`\n${report}`);
await mkdir(new URL('./results/', import.meta.url), { recursive: true });
await writeFile(new URL('./results/http.md', import.meta.url), report);
