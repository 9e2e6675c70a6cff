// The Cookie header as an attack surface (issue 14, finding 1): what the worst Cookie header
// that fits Node's 16 KiB header limit costs `store.load`, against an uncached read of a
// normal session. Target: at most 2×.
//   npm run bench:cookie-header            writes bench/results/cookie-header.md
//   node bench/cookie-header.js --quick    smoke run, nothing written
// Every header carries the same valid session, is checked to open it before it is timed,
// and to fit the header room below; a store with cacheSize 0 decrypts it
// on every load. Shown: median CPU µs per load over rounds, and that ÷ the normal read.

import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createSessionStore } from '../dist/index.js';
import { load, machine } from './micro/machine.js';
import { median } from './micro/measure.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const quick = values.quick;
const ROUNDS = quick ? 2 : 15;
const OPS = quick ? 50 : 1000;
const BATCH_MS = quick ? 10 : 80;
const TARGET = 2;
// Node's default --max-http-header-size: the whole header block, request line excluded.
// A request needs `Cookie: ` and a Host line too, so a Cookie value of 16,000 bytes is the
// most that reaches a handler.
const HEADER_ROOM = 16_000;

const store = createSessionStore({
  keys: `bench:${randomBytes(32).toString('base64url')}`,
  advanced: { cacheSize: 0 },
  testing: { env: {} },
});
// A session cookie as a commit writes it (store.seal() values are not session cookies).
const fresh = await store.load(undefined);
fresh.set('uid', 'u_8f3a2c');
fresh.set('name', 'Ada Lovelace');
fresh.set('role', 'admin');
const [line] = await store.commit(fresh);
const session = line.slice(0, line.indexOf(';'));

/** Repeats `unit` as often as fits beside the session, session last. */
function fill(unit, head = '', tail = `; ${session}`) {
  const times = Math.floor((HEADER_ROOM - head.length - tail.length) / unit.length);
  return head + unit.repeat(times) + tail;
}

/** 127 `unit`s (the most a header may hold beside the real one), then `a=%;` to the brim. */
function crowd(unit, head = '') {
  const names = head + unit.repeat(127);
  const tail = `; ${session}`;
  return names + 'a=%;'.repeat(Math.floor((HEADER_ROOM - names.length - tail.length) / 4)) + tail;
}

const NAME_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** Distinct short cookie names, shortest first, until the pairs fill the room. */
function distinct(pair) {
  const tail = `; ${session}`;
  let out = '';
  for (let i = 0; ; i++) {
    let name = '';
    for (let n = i; ; n = Math.floor(n / NAME_CHARS.length) - 1) {
      name = NAME_CHARS[n % NAME_CHARS.length] + name;
      if (n < NAME_CHARS.length) break;
    }
    const next = pair(name);
    if (out.length + next.length + tail.length > HEADER_ROOM) return out + tail;
    out += next;
  }
}

// Each row a shape that makes some Cookie scanner work: invalid escapes (what cookie.parse
// decodes), empty pairs, our name everywhere but never as a cookie name, our chunk names
// repeated, names padded with whitespace, and the one most pairs per byte.
const headers = {
  'normal: 4 other cookies + session': `_ga=GA1.2.3456789.1234567890; theme=dark; lang=en-GB; csrf=${'x'.repeat(32)}; ${session}`,
  'a=%;b=%;… distinct names (invalid escapes, the finding)': distinct((n) => `${n}=%;`),
  'a=%41;b=%41;… distinct names (valid escapes)': distinct((n) => `${n}=%41;`),
  'a=;b=;… distinct names': distinct((n) => `${n}=;`),
  ';× n': fill(';'),
  'a=; × n (most pairs)': fill('a=;'),
  'session; × 127 (our name, no =) + fillers': crowd('session;'),
  'x=session session… × 127 (our name in a value)': crowd('session ', 'x='),
  'session.1=; × 127 (duplicate chunk names)': crowd('session.1=;'),
  '"  session  ;" × 127': crowd('  session  ;'),
  'xsession=%; × 127 (near names)': crowd('xsession=%;'),
  'session; × n (refused: over 128 names)': fill('session;'),
};

function check(header, name) {
  if (header.length > HEADER_ROOM) throw new Error(`${name}: ${header.length} bytes`);
}

async function opens(header) {
  const loaded = await store.load(header);
  return loaded.get('uid') === 'u_8f3a2c';
}

// A header that names the cookie more than 128 times is refused (malformed) after 128
// hits, before any decryption; the rows marked "refused" check that instead.
for (const [name, header] of Object.entries(headers)) {
  check(header, name);
  const refused = name.includes('refused');
  if ((await opens(header)) === refused) {
    throw new Error(`${name}: the session ${refused ? 'opened' : 'did not open'}`);
  }
}

async function cpuPerLoad(header, ops) {
  const start = process.cpuUsage();
  for (let i = 0; i < ops; i++) await store.load(header);
  const cpu = process.cpuUsage(start);
  return (cpu.user + cpu.system) / ops;
}

// About BATCH_MS of CPU per sample, so a slow header does not take minutes.
const ops = {};
for (const [name, header] of Object.entries(headers)) {
  const probe = await cpuPerLoad(header, 20);
  ops[name] = Math.max(20, Math.min(OPS, Math.round((BATCH_MS * 1000) / probe)));
}

const host = machine();
const samples = Object.fromEntries(Object.keys(headers).map((n) => [n, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, header] of Object.entries(headers))
    samples[name].push(await cpuPerLoad(header, ops[name]));
}
const normal = median(samples['normal: 4 other cookies + session']);
const rows = Object.entries(headers).map(([name, header]) => {
  const micros = median(samples[name]);
  return { name, bytes: header.length, micros, ratio: micros / normal };
});
const worst = rows.reduce((a, b) => (b.ratio > a.ratio ? b : a));
const table = [
  '| Cookie header (each ends in the same valid session) | bytes | CPU µs per load | ÷ normal |',
  '|---|---:|---:|---:|',
  ...rows.map(
    (r) => `| ${r.name} | ${r.bytes} | ${r.micros.toFixed(1)} | ${r.ratio.toFixed(2)}× |`,
  ),
].join('\n');
const report = [
  '## Cookie header: worst case against a normal read',
  '',
  `Measured ${new Date().toISOString().slice(0, 10)} on Node ${host.node}, ${host.cpus} CPUs (${host.cpu}), load average ${load()}. Reproduce with \`npm run bench:cookie-header\`.`,
  '',
  `- \`store.load(header)\` with \`cacheSize: 0\`, so every load decrypts the session; about ${BATCH_MS} ms of loads per sample (at most ${OPS}), ${ROUNDS} rounds, median shown. Headers are at most ${HEADER_ROOM} bytes, what fits in Node's 16 KiB header limit beside a Host line.`,
  '',
  table,
  '',
  `Worst: ${worst.name}, ${worst.ratio.toFixed(2)}× a normal uncached read (target ≤ ${TARGET}×: ${worst.ratio <= TARGET ? 'met' : 'NOT met'}).`,
].join('\n');
process.stdout.write(`${report}\n`);
if (!quick) {
  writeFileSync(new URL('./results/cookie-header.md', import.meta.url), `${report}\n`);
  process.stdout.write('\nwritten to bench/results/cookie-header.md\n');
}
