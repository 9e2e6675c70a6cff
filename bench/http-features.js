// What revocation and the cross-site check cost over HTTP (issues 24 and 25):
// `npm run bench:http -- --features [--duration 2] [--rounds 10] [--connections 10] [--save 0]`.
// The defaults against the same app with revocation on (in memory; in a loopback Redis at the
// default 1000 ms re-check interval) and with `crossSite: false`, all in one interleaved run;
// a second, identical defaults server measures the noise (an A/A pair). Writes are POSTs, with
// `Sec-Fetch-Site: same-origin` or with only an `Origin`, so the check has headers to read.
// Prints Markdown and writes it to bench/results/http-features.md.
import './node-binary.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import {
  cannon,
  checkedSession,
  cpuPlan,
  flags,
  markdownTable,
  median,
  pin,
  startServer,
  whole,
} from './http-harness.js';
import { startRedisServer } from './redis-server.js';

// --save 0: print only (the smoke test), leaving bench/results/ alone.
const options = flags(process.argv.slice(2), {
  duration: 2,
  rounds: 10,
  connections: 10,
  save: 1,
});
const log = (text) => process.stderr.write(`${text}\n`);

const NAMES = {
  jwe: 'defaults (cross-site check on, revocation off)',
  'jwe-again': 'defaults, a second server (A/A: the noise)',
  'jwe-revoke': 'revocation: {} (memory store)',
  'jwe-redis': 'revocation on a redisRevocationStore (loopback Redis, re-check 1000 ms)',
  'jwe-nocross': 'crossSite: false',
};
// Each route: its request, and the servers measured on it, interleaved.
const ROUTES = {
  read: {
    path: '/read',
    versions: ['jwe', 'jwe-again', 'jwe-revoke', 'jwe-redis', 'jwe-nocross'],
  },
  'POST same-origin': {
    path: '/write',
    method: 'POST',
    headers: { 'sec-fetch-site': 'same-origin' },
    versions: ['jwe', 'jwe-again', 'jwe-nocross'],
  },
  'POST Origin only': {
    path: '/write',
    method: 'POST',
    // Each server's own origin: filled in per server below.
    origin: true,
    versions: ['jwe', 'jwe-nocross'],
  },
};

const plan = cpuPlan();
if (plan) pin(process.pid, plan.client);
const startLoad = loadavg()[0]?.toFixed(2);

function requestOf(route, server) {
  const { path, method, headers, origin } = ROUTES[route];
  return {
    url: `${server.url}${path}`,
    method,
    headers: origin ? { origin: server.url } : headers,
  };
}

async function measure() {
  const redis = await startRedisServer();
  // Read by the jwe-redis server process (startServer passes the environment on).
  process.env.BENCH_REDIS_URL = redis.url;
  const servers = {};
  try {
    for (const version of Object.keys(NAMES)) {
      const app = version === 'jwe-again' ? 'jwe' : version;
      servers[version] = { ...(await startServer(app, { cpus: plan?.server })), version: app };
    }
    const cookies = {};
    for (const [version, server] of Object.entries(servers)) {
      cookies[version] = [];
      for (let i = 0; i < options.connections; i++) {
        cookies[version].push(await checkedSession(server));
      }
      // Warm-up (JIT, key derivation, the Redis connection): not recorded.
      for (const route of Object.keys(ROUTES)) {
        if (!ROUTES[route].versions.includes(version)) continue;
        const result = await cannon({
          ...requestOf(route, server),
          connections: options.connections,
          duration: 1,
          cookies: cookies[version],
        });
        // A refused POST (403) or a failed read would measure the wrong thing.
        if (result.failed > 0) throw new Error(`${version} ${route}: ${result.failed} failed`);
      }
    }
    const runs = Object.fromEntries(
      Object.entries(ROUTES).map(([route, { versions }]) => [
        route,
        Object.fromEntries(versions.map((v) => [v, []])),
      ]),
    );
    for (let round = 0; round < options.rounds; round++) {
      for (const [route, { versions }] of Object.entries(ROUTES)) {
        // Rotated each round, so no server always runs right after the same one.
        const order = versions.map((_, i) => versions[(i + round) % versions.length]);
        for (const version of order) {
          const server = servers[version];
          const before = await server.memory();
          const result = await cannon({
            ...requestOf(route, server),
            connections: options.connections,
            duration: options.duration,
            cookies: cookies[version],
          });
          const after = await server.memory();
          result.cpu = (after.cpuMicros - before.cpuMicros) / Math.max(1, result.total);
          log(
            `round ${round + 1} ${route.padEnd(16)} ${version.padEnd(11)} ${whole(result.rps).padStart(7)} req/s  p99 ${result.p99} ms  cpu ${Math.round(result.cpu)} µs/req${result.failed ? `  FAILED ${result.failed}` : ''}`,
          );
          runs[route][version].push(result);
        }
      }
    }
    return runs;
  } finally {
    await Promise.all(Object.values(servers).map((server) => server.stop()));
    await redis.stop();
  }
}

const runs = await measure();

const range = (values) => `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;

// Cost as a ratio per round (the variant against the defaults, seconds apart), then the median
// over rounds: a slow round moves both sides. Above 1 the variant is slower. By req/s (the
// defaults' over the variant's) and by server CPU per request (the variant's over the
// defaults'): the second leaves out the client, which shares this busy machine.
const METRICS = {
  rps: (variant, base) => base.rps / variant.rps,
  cpu: (variant, base) => variant.cpu / base.cpu,
};

function costs(route, variant, base, metric) {
  return runs[route][variant].map((mine, i) => METRICS[metric](mine, runs[route][base][i]));
}

// Within noise: inside the range the two identical servers' ratio spans over rounds, either
// way round, on the same route (or, for a route without an A/A pair, the POST one's).
function noiseBand(route, metric) {
  const aa = runs[route]['jwe-again'] ? route : 'POST same-origin';
  const ratios = costs(aa, 'jwe-again', 'jwe', metric);
  return [
    Math.min(...ratios, 1 / Math.max(...ratios)),
    Math.max(...ratios, 1 / Math.min(...ratios)),
  ];
}

function verdict(route, cost, metric, target) {
  if (typeof target === 'number') return cost <= target ? 'met' : '**missed**';
  if (target !== 'noise') return 'reference';
  const [low, high] = noiseBand(route, metric);
  const band = `A/A ${low.toFixed(2)}–${high.toFixed(2)}`;
  return cost >= low && cost <= high ? `met (${band})` : `**outside** ${band}`;
}

function costRow(label, route, variant, base, target) {
  const byRps = costs(route, variant, base, 'rps');
  const byCpu = costs(route, variant, base, 'cpu');
  return [
    label,
    `${median(byRps).toFixed(3)}×`,
    range(byRps),
    `${median(byCpu).toFixed(3)}×`,
    range(byCpu),
    typeof target === 'number' ? `≤ ${target}×` : target === 'noise' ? 'within noise' : '–',
    verdict(route, median(byRps), 'rps', target),
    verdict(route, median(byCpu), 'cpu', target),
  ];
}

const rows = [];
for (const [route, { versions }] of Object.entries(ROUTES)) {
  for (const version of versions) {
    const results = runs[route][version];
    rows.push([
      route,
      NAMES[version],
      whole(median(results.map((r) => r.rps))),
      `${whole(Math.min(...results.map((r) => r.rps)))}–${whole(Math.max(...results.map((r) => r.rps)))}`,
      `${median(results.map((r) => r.p99))} ms`,
      `${Math.round(median(results.map((r) => r.cpu)))} µs`,
      String(results.reduce((sum, r) => sum + r.failed, 0)),
    ]);
  }
}

const command = `node bench/http.js --features --duration ${options.duration} --rounds ${options.rounds} --connections ${options.connections}`;
const report = `${[
  '# HTTP benchmark: revocation and the cross-site check',
  '',
  `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${new Date().toISOString()}, load average at start ${startLoad}.`,
  `\`npm run bench:http -- --features --duration ${options.duration} --rounds ${options.rounds} --connections ${options.connections}\` (\`${command}\`, after \`npm run build\`).`,
  `autocannon on loopback, ${options.connections} connections (one session each), ${options.duration} s per run, ${options.rounds} interleaved rounds (order rotated each round).`,
  plan
    ? `Each server pinned to CPU ${plan.server}, autocannon to CPU ${plan.client}.`
    : 'Nothing pinned (taskset not available).',
  'Reads are GET /read (no Set-Cookie); writes are POST /write, a read-modify-write, with `Sec-Fetch-Site: same-origin`, or with only `Origin: <the server’s own origin>`.',
  'Cost is a ratio per round, the variant against the defaults measured seconds apart, then the median over rounds (above 1: the variant is slower), with the range over rounds:',
  'by req/s (the defaults’ over the variant’s) and by server CPU per request (the variant’s over the defaults’; it leaves out the client, which shares the machine).',
  '“Within noise” means inside the range the A/A pair’s ratio spans over rounds (either way round; the POST pair for both POST routes).',
  '',
  markdownTable(
    ['Route', 'Server', 'req/s (median)', 'req/s range', 'p99', 'server CPU/req', 'failed'],
    rows,
  ),
  '',
  markdownTable(
    [
      'Row',
      'cost by req/s',
      'range over rounds',
      'cost by server CPU/req',
      'range over rounds',
      'target',
      'by req/s',
      'by CPU/req',
    ],
    [
      costRow('A/A: a second defaults server, reads', 'read', 'jwe-again', 'jwe'),
      costRow('A/A: a second defaults server, POST', 'POST same-origin', 'jwe-again', 'jwe'),
      costRow('revocation: {} (memory), reads', 'read', 'jwe-revoke', 'jwe', 1.1),
      costRow('revocation on Redis (loopback, 1000 ms), reads', 'read', 'jwe-redis', 'jwe', 1.2),
      costRow('cross-site check on vs off, reads', 'read', 'jwe', 'jwe-nocross', 'noise'),
      costRow(
        'cross-site check on vs off, POST Sec-Fetch-Site: same-origin',
        'POST same-origin',
        'jwe',
        'jwe-nocross',
        'noise',
      ),
      costRow(
        'cross-site check on vs off, POST with only Origin',
        'POST Origin only',
        'jwe',
        'jwe-nocross',
        'noise',
      ),
    ],
  ),
].join('\n')}\n`;
process.stdout.write(`\n${report}`);
if (options.save) {
  await mkdir(new URL('./results/', import.meta.url), { recursive: true });
  await writeFile(new URL('./results/http-features.md', import.meta.url), report);
}
