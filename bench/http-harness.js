// Shared by bench/http.js and bench/load.js: servers as child processes (bench/http-server.js),
// autocannon with a cookie jar per connection, command-line flags, medians and Markdown.
import { execFileSync, fork, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const SERVER = fileURLToPath(new URL('./http-server.js', import.meta.url));
const STARTUP_MS = 15_000;

/**
 * Where each side runs, when it can be pinned (Linux, taskset, two or more CPUs): every server
 * on the last CPU, this process (autocannon) on the others. Pinned, a server has one CPU to
 * itself whatever the scheduler would do, and the client never competes with it; unpinned,
 * the same build measured 11,600 to 18,800 reads/s in three runs in a row on this 2-CPU machine.
 * Undefined where it can't pin: the benchmark then runs unpinned and says so.
 */
export function cpuPlan() {
  const cpus = availableParallelism();
  if (process.platform !== 'linux' || cpus < 2) return undefined;
  if (spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status !== 0) return undefined;
  return { server: String(cpus - 1), client: cpus === 2 ? '0' : `0-${cpus - 2}` };
}

/**
 * The machine's CPU counters (Linux /proc/stat, all CPUs): `stolenShare(before, after)` is
 * the share of CPU time the hypervisor gave to other guests in between, a measure of how
 * disturbed a run was. Undefined where there is no /proc/stat.
 */
export function cpuCounters() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/);
    const ticks = fields.slice(1).map(Number);
    return { total: ticks.reduce((a, b) => a + b, 0), steal: ticks[7] ?? 0 };
  } catch {
    return undefined;
  }
}

export function stolenShare(before, after) {
  if (!before || !after || after.total === before.total) return undefined;
  return (after.steal - before.steal) / (after.total - before.total);
}

/** Pins every thread of a process (and the threads it starts later) to a CPU list. */
export function pin(pid, cpuList) {
  execFileSync('taskset', ['-a', '-p', '-c', cpuList, String(pid)], { stdio: 'ignore' });
}

/**
 * Starts one version of the app in its own process on a loopback port, pinned to `cpus` (a
 * taskset CPU list) if given. `memory()` asks the process for its RSS now, the highest seen
 * (sampled every 100 ms), its V8 heap and its CPU time; with `{ gc: true }` the process runs
 * with --expose-gc and `memory({ gc: true })` collects garbage first. `nodeFlags`: more
 * Node flags for it; `onStdout`: its standard output, as it comes (else it goes to ours); `env`:
 * more environment for it.
 */
export function startServer(
  version,
  { gc = false, cpus, nodeFlags = [], onStdout, env: more } = {},
) {
  const env = { ...process.env, NODE_ENV: 'production', ...more };
  delete env.NODE_DEBUG;
  delete env.SESSION_NOT_BEFORE;
  const child = fork(SERVER, [version], {
    env,
    execArgv: [...process.execArgv, ...(gc ? ['--expose-gc'] : []), ...nodeFlags],
    stdio: ['ignore', onStdout ? 'pipe' : 'inherit', 'pipe', 'ipc'],
  });
  if (onStdout) child.stdout.setEncoding('utf8').on('data', onStdout);
  // Before it starts its threads (the libuv pool starts on first use), which inherit it.
  if (cpus !== undefined) pin(child.pid, cpus);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text) => {
    stderr += text;
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${version} server did not start: ${stderr}`));
    }, STARTUP_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${version} server exited (${code}): ${stderr}`));
    });
    child.once('message', (message) => {
      clearTimeout(timer);
      resolve({
        version,
        url: `http://127.0.0.1:${message.port}`,
        memory: ({ gc: collect = false } = {}) =>
          new Promise((done) => {
            const listen = (reply) => {
              if (!reply.memory) return;
              child.off('message', listen);
              done(reply.memory);
            };
            child.on('message', listen);
            child.send({ type: 'memory', gc: collect });
          }),
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}

/** The `name=value` pairs a response's Set-Cookie lines leave in a jar. */
export function applySetCookies(jar, lines) {
  for (const line of lines) {
    const pair = line.split(';', 1)[0] ?? '';
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    const deleted =
      /;\s*max-age=(0|-\d+)/i.test(line) || /;\s*expires=Thu, 01 Jan 1970/i.test(line);
    if (deleted) jar.delete(name);
    else jar.set(name, pair.slice(eq + 1));
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

/** One request with fetch: status, body (parsed JSON), Set-Cookie lines. */
export async function request(url, cookie) {
  const response = await fetch(url, { headers: cookie ? { cookie } : {} });
  const text = await response.text();
  return {
    status: response.status,
    body: text === '' ? undefined : JSON.parse(text),
    setCookies: response.headers.getSetCookie(),
  };
}

/**
 * Checks a version before timing it: a write without a cookie starts a session at 1, a write
 * with it gives 2, a read gives 2 back and sets no cookie. Returns the cookie, so a timed run
 * starts from a real session. The bare version has no session: it only has to answer.
 */
export async function checkedSession(server) {
  const jar = new Map();
  const first = await request(`${server.url}/write`);
  if (first.status !== 200) throw new Error(`${server.version}: /write answered ${first.status}`);
  if (server.version === 'bare') return '';
  const cookie = applySetCookies(jar, first.setCookies);
  const second = await request(`${server.url}/write`, cookie);
  const cookie2 = applySetCookies(jar, second.setCookies);
  const read = await request(`${server.url}/read`, cookie2);
  const problems = [
    first.body?.count !== 1 && `first write gave ${first.body?.count}`,
    cookie === '' && 'the first write set no cookie',
    second.body?.count !== 2 && `second write gave ${second.body?.count}`,
    read.body?.count !== 2 && `read gave ${read.body?.count}`,
    read.setCookies.length > 0 && `a read set a cookie: ${read.setCookies.length} Set-Cookie`,
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`${server.version}: ${problems.join('; ')}`);
  return cookie2;
}

/**
 * Runs autocannon against one route. `cookies` (one per connection, or none) seed a jar per
 * connection that follows Set-Cookie as a browser would, so a read-modify-write run chains
 * real sessions: each request carries the cookie the previous response wrote. `method` and
 * `headers` (fixed headers, sent with the cookie) default to a plain GET.
 */
export async function cannon({ url, connections, duration, amount, cookies, method, headers }) {
  let next = 0;
  const options = {
    url,
    connections,
    ...(method && { method }),
    ...(headers && { headers }),
    ...(amount === undefined ? { duration } : { amount }),
    ...(cookies && {
      setupClient(client) {
        const jar = new Map();
        const seed = cookies[next++ % cookies.length] ?? '';
        applySetCookies(jar, seed === '' ? [] : seed.split('; '));
        // setHeaders replaces every header: the fixed ones go along each time.
        if (seed !== '') client.setHeaders({ ...headers, cookie: seed });
        client.on('headers', (info) => {
          const lines = [];
          for (let i = 0; i < info.headers.length; i += 2) {
            if (String(info.headers[i]).toLowerCase() === 'set-cookie') {
              lines.push(info.headers[i + 1]);
            }
          }
          if (lines.length > 0) {
            client.setHeaders({ ...headers, cookie: applySetCookies(jar, lines) });
          }
        });
      },
    }),
  };
  const result = await autocannon(options);
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    total: result.requests.total,
    failed: result.errors + result.timeouts + result.non2xx,
  };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `--name value` flags over defaults; numbers stay numbers. Unknown flags are an error. */
export function flags(argv, defaults) {
  const result = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i]?.replace(/^--/, '');
    if (!name || !Object.hasOwn(defaults, name) || argv[i] === name) {
      throw new Error(`unknown flag ${argv[i]}; flags: ${Object.keys(defaults).join(', ')}`);
    }
    const value = argv[++i];
    const number = Number(value);
    if (value === undefined || !Number.isFinite(number) || number < 0) {
      throw new Error(`--${name} needs a number`);
    }
    result[name] = number;
  }
  return result;
}

export function markdownTable(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
export const whole = (n) => Math.round(n).toLocaleString('en-US');
