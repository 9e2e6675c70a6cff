// The read path of bench:http's server (GET /read with a cookie the token cache holds), driven
// in process through the real Node adapter with real node:http request and response objects,
// no sockets: for instruction counts, which a loaded machine does not disturb.
//   node bench/read-path.js <bare|jwe|port|cookie-parse|rmw|rmw-bare|rmw-floor> <requests> [dist/]
//   node bench/read-path.js instructions <version> [dist/]
// runs it under callgrind (valgrind) at 5,000 and 25,000 requests, with V8 single-threaded so
// the count repeats: the difference of the two totals ÷ 20,000 is the instructions one request
// costs (start-up, warm-up and the JIT's first compiles cancel out); two runs agree within
// about 2%. Versions: `bare` is bench/http-server.js's bare handler;
// `jwe` the same app wrapped with the defaults; `port` the same session work without the
// adapter (open, get, commit through the store's port); `cookie-parse` the bare handler plus the
// `cookie` package's parse of the header and a Map lookup of the token: a ceiling for any
// cookie session that reads a cached token. `rmw` is bench:http's read-modify-write (GET /write:
// the counter read, set one higher, the session sealed and its Set-Cookie sent), each request
// with the cookie the one before set, as a browser would; `rmw-bare` the bare handler on /write;
// `rmw-floor` bench:http's node-floor on /write (one AES-256-GCM seal of the counter with
// node:crypto, its Set-Cookie, a Map of tokens it made): the floor under any sealed cookie.
import { spawnSync } from 'node:child_process';
import { createCipheriv, randomFillSync } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { parse } from 'cookie';

if (process.argv[2] === 'instructions') {
  const [version, dist = '../dist/'] = process.argv.slice(3);
  const count = (requests) => {
    const args = ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath];
    // The young generation at one fixed size and no memory reducer: V8 otherwise resizes it by
    // allocation rate and time, which under valgrind are not a real run's, and a
    // read-modify-write's count then grew with the length of the run (5k-15k and 15k-25k
    // requests disagreed by half); with them, the two agree within 1%.
    const heap = ['--no-memory-reducer', '--min-semi-space-size=16', '--max-semi-space-size=16'];
    args.push('--single-threaded', ...heap, process.argv[1], version, String(requests), dist);
    const out = spawnSync('valgrind', args, { encoding: 'utf8' }).stderr;
    return Number(/Collected : (\d+)/.exec(out)[1]);
  };
  const perRequest = Math.round((count(25_000) - count(5_000)) / 20_000);
  console.log(`${version}: ${perRequest} instructions per request`);
  process.exit(0);
}

const [version = 'jwe', countText = '1000', dist = '../dist/'] = process.argv.slice(2);
const requests = Number(countText);
// A throwaway benchmark key (not a counting sequence: the key ring refuses those).
const KEYS = 'bench:oDiLjSqbsjIi38bvTwXcNkET5RwuAeQR9UxZGPlCJhU';

function send(res, count) {
  const body = `{"count":${count}}`;
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
}

// The cookie a response sets, as the browser sends it back.
function cookieOf(res) {
  const lines = [res.getHeader('set-cookie')].flat();
  return lines.map((line) => line.slice(0, line.indexOf(';'))).join('; ');
}

// bench/http-server.js's node-floor, its write path (each token it reads is one it made).
function floor() {
  const key = Buffer.from('oDiLjSqbsjIi38bvTwXcNkET5RwuAeQR9UxZGPlCJhU', 'base64url');
  const made = new Map();
  const iv = new Uint8Array(12);
  return (req, res) => {
    const token = /(?:^|;\s*)floor=([^;]*)/.exec(req.headers.cookie ?? '')?.[1];
    const count = (token ? made.get(token) : 0) + 1;
    randomFillSync(iv);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const ct =
      cipher.update(JSON.stringify({ count }), 'utf8', 'base64url') + cipher.final('base64url');
    const sealed = `${Buffer.from(iv).toString('base64url')}.${ct}.${cipher.getAuthTag().toString('base64url')}`;
    if (made.size >= 1000) made.clear();
    made.set(sealed, count);
    res.setHeader('Set-Cookie', `floor=${sealed}; Path=/; HttpOnly; SameSite=Lax`);
    send(res, count);
  };
}

async function appOf(name) {
  if (name === 'rmw-floor') return { cookie: undefined, handler: floor() };
  if (name === 'bare' || name === 'rmw-bare')
    return { cookie: 'other=1', handler: (_req, res) => send(res, 0) };
  const { createSessionStore } = await import(`${dist}index.js`);
  const { withSession } = await import(`${dist}adapters/node.js`);
  const store = createSessionStore({ keys: KEYS, cookie: { secure: false } });
  if (name === 'rmw') {
    const handler = withSession(store, (_req, res, session) => {
      const count = (session.get('count') ?? 0) + 1;
      session.set('count', count);
      send(res, count);
    });
    return { cookie: cookieOf(await request(handler, undefined, '/write')), handler };
  }
  const handler = withSession(store, (_req, res, session) => send(res, session.get('count') ?? 0));
  // The cookie a write would have set, so the read below hits the token cache.
  const first = await request(
    withSession(store, (_req, res, session) => {
      session.set('count', 1);
      send(res, 1);
    }),
    undefined,
    '/write',
  );
  const cookie = cookieOf(first);
  if (name === 'jwe') return { cookie, handler };
  if (name === 'port') {
    const { portOf } = await import(`${dist}session/port.js`);
    const { nodeFacts } = await import(`${dist}adapters/request-facts.js`);
    const port = portOf(store);
    return {
      cookie,
      handler: (req, res) => {
        const handle = port.open(nodeFacts(req));
        const count = handle.session.get('count') ?? 0;
        handle.commit();
        send(res, count);
      },
    };
  }
  if (name !== 'cookie-parse') throw new Error(`unknown version ${name}`);
  const cached = new Map([[parse(cookie).session, { count: 1 }]]);
  return {
    cookie,
    handler: (req, res) => send(res, cached.get(parse(req.headers.cookie).session)?.count ?? 0),
  };
}

// One request as node:http's server makes it (headers as its parser leaves them), no socket:
// the response's bytes stay in its outputData.
async function request(handler, cookie, url = '/read') {
  const req = new IncomingMessage(null);
  req.method = 'GET';
  req.url = url;
  req.headers = { host: '127.0.0.1:3000', connection: 'keep-alive', ...(cookie && { cookie }) };
  const res = new ServerResponse(req);
  await handler(req, res);
  if (!res.finished) throw new Error('no response');
  return res;
}

const { cookie, handler } = await appOf(version);
if (version === 'rmw' || version === 'rmw-floor') {
  let next = cookie;
  for (let i = 0; i < requests; i++) next = cookieOf(await request(handler, next, '/write'));
  const res = await request(handler, next, '/write');
  const body = res.outputData.map((chunk) => String(chunk.data)).join('');
  if (!body.endsWith(`{"count":${requests + (version === 'rmw' ? 2 : 1)}}`))
    throw new Error(`the counter lost a write`);
} else if (version === 'rmw-bare') {
  for (let i = 0; i < requests; i++) await request(handler, cookie, '/write');
} else {
  const res = await request(handler, cookie);
  if (version !== 'bare' && res.getHeader('set-cookie') !== undefined)
    throw new Error('a read set a cookie');
  for (let i = 0; i < requests; i++) await request(handler, cookie);
}
