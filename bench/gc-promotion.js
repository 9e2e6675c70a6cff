// How much of each request outlives V8's young generation: bench:http's app under load, its
// server run with --trace-gc, counting the young-generation collections (scavenges), the full
// ones (mark-compact), and how much the old generation grew across each scavenge (what that
// scavenge promoted). A request's objects should die young: a steady promotion under a
// read-only load means something keeps every request's objects alive past a collection.
//   npm run build && node bench/gc-promotion.js [--node 26] [--seconds 3] <version> [/read|/write] ...
// Versions are bench/http-server.js's (bare, jwe, jwe-nocache, express, node-floor, ...); each
// runs in its own server process pinned to CPU 1, driven like bench:http (10 connections, each
// with its own session that follows Set-Cookie), one after the other.
import './node-binary.js';
import { parseArgs } from 'node:util';
import { cannon, checkedSession, median, startServer } from './http-harness.js';

const { values, positionals } = parseArgs({
  options: { seconds: { type: 'string', default: '3' } },
  allowPositionals: true,
});
const runs = [];
for (const arg of positionals) {
  if (arg.startsWith('/')) runs.at(-1).route = arg;
  else runs.push({ version: arg, route: '/read' });
}
if (runs.length === 0) {
  console.error('usage: node bench/gc-promotion.js [--seconds 3] <version> [/read|/write] ...');
  process.exit(2);
}

const SCAVENGE = /Scavenge [\d.]+ \([\d.]+\) -> ([\d.]+) \(/;

async function measure({ version, route }) {
  let output = '';
  let counting = false;
  const server = await startServer(version, {
    cpus: '1',
    nodeFlags: ['--trace-gc'],
    onStdout: (text) => {
      if (counting) output += text;
    },
  });
  try {
    const cookies = [];
    for (let i = 0; i < 10; i++) cookies.push(await checkedSession(server));
    counting = true;
    const run = await cannon({
      url: `${server.url}${route}`,
      connections: 10,
      duration: Number(values.seconds),
      cookies,
    });
    counting = false;
    let scavenges = 0;
    let fullCollections = 0;
    let before;
    const promoted = [];
    for (const line of output.split('\n')) {
      const scavenge = SCAVENGE.exec(line);
      if (scavenge) {
        scavenges += 1;
        const after = Number(scavenge[1]);
        if (before !== undefined) promoted.push(Math.max(0, after - before));
        before = after;
      } else if (line.includes('Mark-Compact')) {
        fullCollections += 1;
        before = undefined;
      }
    }
    return {
      version,
      route,
      rps: Math.round(run.rps),
      scavenges,
      fullCollections,
      promotedMb: promoted.length > 0 ? median(promoted) : 0,
      failed: run.failed,
    };
  } finally {
    await server.stop();
  }
}

console.log(`${process.version}, ${values.seconds} s per run`);
console.log(
  '| version | route | req/s | scavenges | mark-compacts | MB promoted per scavenge (median) |',
);
console.log('| --- | --- | --- | --- | --- | --- |');
for (const run of runs) {
  const r = await measure(run);
  if (r.failed > 0) throw new Error(`${r.version} ${r.route}: ${r.failed} requests failed`);
  console.log(
    `| ${r.version} | ${r.route} | ${r.rps.toLocaleString('en-US')} | ${r.scavenges} | ${r.fullCollections} | ${r.promotedMb.toFixed(1)} |`,
  );
}
