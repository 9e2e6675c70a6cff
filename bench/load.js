// Bounded load run against jwe-session's Node wrapper (bench/http-server.js, its own process),
// on loopback. `npm run bench:load` (builds first); flags:
//   --clients 50          concurrent clients, each on its own session
//   --requests 200        read-modify-writes per client, one at a time per client
//   --sessions 250000     distinct new sessions in the memory phase (0 skips it)
//   --sample-every 25000  distinct sessions between RSS samples
//   --connections 20      concurrency of the memory phase
// Phase 1 checks that nothing is lost: every answer is the client's own next count, and each
// counter ends at exactly its request count. Phase 2 shows nothing is kept on the server: RSS
// while hundreds of thousands of distinct sessions are created. Prints Markdown, writes it to
// bench/results/load.md, and exits 1 on any error or lost write.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import {
  applySetCookies,
  cannon,
  flags,
  markdownTable,
  mb,
  median,
  request,
  startServer,
  whole,
} from './http-harness.js';

const options = flags(process.argv.slice(2), {
  clients: 50,
  requests: 200,
  sessions: 250_000,
  'sample-every': 25_000,
  connections: 20,
});
const log = (text) => process.stderr.write(`${text}\n`);
// The machine's 1-minute load average when the run began: other work skews every number.
const startLoad = loadavg()[0]?.toFixed(2);

/** One client: `requests` read-modify-writes in a row, each carrying the last cookie it got. */
async function client(url, requests, latencies) {
  const jar = new Map();
  let cookie = '';
  let errors = 0;
  let confirmed = 0;
  for (let i = 0; i < requests; i++) {
    const start = performance.now();
    try {
      const answer = await request(`${url}/write`, cookie);
      latencies.push(performance.now() - start);
      if (answer.status !== 200 || answer.setCookies.length === 0) errors++;
      // The count must be this client's own next one: anything else is a lost (or foreign) write.
      else if (answer.body?.count !== confirmed + 1) errors++;
      else confirmed++;
      cookie = applySetCookies(jar, answer.setCookies);
    } catch {
      errors++;
    }
  }
  // Read back what the last response left in the browser.
  const final = await request(`${url}/read`, cookie).catch(() => undefined);
  return { errors, confirmed, final: final?.body?.count };
}

async function correctness(server) {
  const latencies = [];
  const start = performance.now();
  const results = await Promise.all(
    Array.from({ length: options.clients }, () => client(server.url, options.requests, latencies)),
  );
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const total = options.clients * options.requests;
  return {
    total,
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    lost: results.filter((r) => r.final !== options.requests).length,
    rps: total / seconds,
    p50: median(latencies),
    p99: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] ?? 0,
  };
}

async function memory(server) {
  const samples = [{ sessions: 0, ...(await server.memory({ gc: true })) }];
  let done = 0;
  let failed = 0;
  while (done < options.sessions) {
    const amount = Math.min(options['sample-every'], options.sessions - done);
    // No cookie: every request starts, and writes, a new session.
    const result = await cannon({
      url: `${server.url}/write`,
      connections: Math.min(options.connections, amount),
      amount,
    });
    failed += result.failed;
    done += amount;
    const sample = { sessions: done, ...(await server.memory({ gc: true })) };
    samples.push(sample);
    log(
      `${whole(done).padStart(8)} sessions  rss ${mb(sample.rss)}  heap ${mb(sample.heapUsed)}  ${whole(result.rps)} new sessions/s`,
    );
  }
  return { samples, failed };
}

const server = await startServer('jwe', { gc: true });
let checks;
let memoryRun;
try {
  log(`phase 1: ${options.clients} clients × ${options.requests} read-modify-writes`);
  checks = await correctness(server);
  if (options.sessions > 0) {
    log(`phase 2: ${whole(options.sessions)} distinct sessions`);
    memoryRun = await memory(server);
  }
} finally {
  await server.stop();
}

const sections = [
  '# Bounded load: jwe-session Node wrapper',
  '',
  `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${new Date().toISOString()}, load average at start ${startLoad}.`,
  `\`npm run bench:load\` (\`node bench/load.js --clients ${options.clients} --requests ${options.requests} --sessions ${options.sessions} --sample-every ${options['sample-every']} --connections ${options.connections}\`); loopback, server in its own process.`,
  '',
  '## Read-modify-write, one session per client',
  '',
  markdownTable(
    ['', ''],
    [
      ['clients × requests', `${options.clients} × ${options.requests} = ${whole(checks.total)}`],
      ['errors (failed request, wrong status, no cookie, wrong count)', String(checks.errors)],
      ['lost writes (clients whose counter did not end at its request count)', String(checks.lost)],
      ['throughput', `${whole(checks.rps)} req/s`],
      ['latency p50 / p99', `${checks.p50.toFixed(1)} ms / ${checks.p99.toFixed(1)} ms`],
    ],
  ),
];
if (memoryRun) {
  const { samples } = memoryRun;
  const zero = samples[0];
  // RSS jumps once when the load starts (young generation, allocator arenas), whatever the
  // sessions: growth is also given from the first batch on, which is what "flat" is about.
  const batch = samples[1] ?? zero;
  const last = samples.at(-1);
  const growth = (from, field) => {
    const span = last.sessions - from.sessions;
    const bytes = last[field] - from[field];
    return `${mb(bytes)} (${span > 0 ? (bytes / span).toFixed(1) : '–'} bytes per session)`;
  };
  sections.push(
    '',
    `## Server memory while ${whole(options.sessions)} distinct sessions are created`,
    '',
    `Requests without a cookie that each write a new session, ${options.connections} at a time; ${memoryRun.failed} failed.`,
    'The same server as above (so already warm); each sample follows a full GC (`--expose-gc`).',
    '',
    markdownTable(
      ['distinct new sessions', 'RSS', 'peak RSS so far', 'V8 heap used'],
      samples.map((s) => [whole(s.sessions), mb(s.rss), mb(s.peakRss), mb(s.heapUsed)]),
    ),
    '',
    markdownTable(
      ['growth', 'RSS', 'V8 heap used'],
      [
        [`0 → ${whole(last.sessions)}`, growth(zero, 'rss'), growth(zero, 'heapUsed')],
        [
          `${whole(batch.sessions)} → ${whole(last.sessions)}`,
          growth(batch, 'rss'),
          growth(batch, 'heapUsed'),
        ],
      ],
    ),
    '',
    "For comparison, a server-side store keeps a few hundred bytes per session: express-session's MemoryStore in bench/results/http.md.",
  );
}
const report = `${sections.join('\n')}\n`;
process.stdout.write(`\n${report}`);
await mkdir(new URL('./results/', import.meta.url), { recursive: true });
await writeFile(new URL('./results/load.md', import.meta.url), report);
if (checks.errors > 0 || checks.lost > 0 || (memoryRun?.failed ?? 0) > 0) process.exitCode = 1;
