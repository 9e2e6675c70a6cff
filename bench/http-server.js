// The small app of the HTTP benchmarks, in one of four versions, as its own process (so its RSS
// is its own): `node bench/http-server.js <bare|jwe|jwe-node|jwe-web|…|node-floor|cookie-floor>`. Started by bench/http.js and
// bench/load.js with fork(); it reports its port, and its memory on request, over IPC.
//
//   GET /read    the session is loaded and read, not changed: no Set-Cookie
//   GET /write   read-modify-write: the counter goes up by one on every request
//                (any method: bench/http.js --features POSTs it, so the cross-site check works)
//
// Both answer {"count":n}. The bare version has no session and always answers 0.

import { createCipheriv, createDecipheriv, randomBytes, randomFillSync } from 'node:crypto';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { parse as parseCookies } from 'cookie';
import expressSession from 'express-session';
import Fastify from 'fastify';
import { getIronSession } from 'iron-session';
import { CompactEncrypt, compactDecrypt } from 'jose';
import { createClient } from 'redis';
import { ironSession9Skip, loadIronSession9 } from './iron-session-9.js';

// The library under test: this checkout's dist/, or a revision's (bench:http --against).
const dist = process.env.JWE_BENCH_DIST
  ? pathToFileURL(process.env.JWE_BENCH_DIST).href
  : new URL('../dist/', import.meta.url).href;
const { withSession } = await import(`${dist}adapters/node.js`);
const { sessionMiddleware } = await import(`${dist}adapters/express.js`);
const { fastifySession } = await import(`${dist}adapters/fastify.js`);
const { createSessionStore } = await import(`${dist}index.js`);
const { redisRevocationStore } = await import(`${dist}revocation/redis-store.js`);

// Fixed benchmark secrets: throwaway values, never used outside this loopback run.
// (Not a counting sequence: the key ring refuses those as not random.)
const JWE_KEYS = 'bench:oDiLjSqbsjIi38bvTwXcNkET5RwuAeQR9UxZGPlCJhU';
const IRON_PASSWORD = 'bench-only-password-at-least-32-characters-long';
const EXPRESS_SECRET = 'bench-only-express-session-secret';

function send(res, count) {
  const body = `{"count":${count}}`;
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
}

function notFound(res) {
  res.writeHead(404, { 'content-length': 0 });
  res.end();
}

const apps = {
  bare() {
    return (req, res) => {
      if (req.url === '/read' || req.url === '/write') send(res, 0);
      else notFound(res);
    };
  },

  jwe(cacheSize, engine, more = {}) {
    // Defaults throughout (token cache included), except Secure: the client speaks plain HTTP.
    const store = createSessionStore({
      keys: JWE_KEYS,
      cookie: { secure: false },
      ...more,
      advanced: {
        ...(cacheSize !== undefined && { cacheSize }),
        ...(engine !== undefined && { engine }),
      },
    });
    return withSession(store, (req, res, session) => {
      if (req.url === '/read') send(res, session.get('count') ?? 0);
      else if (req.url === '/write') {
        const count = (session.get('count') ?? 0) + 1;
        session.set('count', count);
        send(res, count);
      } else notFound(res);
    });
  },

  // The same on engine: 'node' (synchronous node:crypto; the commit needs no response hold):
  // what the default, 'auto', picks on Node.
  'jwe-node'() {
    return apps.jwe(undefined, 'node');
  },

  // The same on engine: 'webcrypto' (jose; the default before 'auto').
  'jwe-web'() {
    return apps.jwe(undefined, 'webcrypto');
  },

  // Revocation on, in this process's memory (bench/http.js --features).
  'jwe-revoke'() {
    return apps.jwe(undefined, undefined, { revocation: {} });
  },

  // Revocation on, kept in the Redis at BENCH_REDIS_URL (a loopback redis-server the benchmark
  // starts), default re-check interval; the client fails fast rather than queue while offline.
  async 'jwe-redis'() {
    const client = createClient({ url: process.env.BENCH_REDIS_URL, disableOfflineQueue: true });
    await client.connect();
    return apps.jwe(undefined, undefined, { revocation: { store: redisRevocationStore(client) } });
  },

  // The cross-site check off: what its header reads cost on unsafe requests.
  'jwe-nocross'() {
    return apps.jwe(undefined, undefined, { crossSite: false });
  },

  // The same with the token cache off: every read pays a full decryption.
  'jwe-nocache'() {
    return apps.jwe(0);
  },

  // The least a jose-based cookie session can do: the counter as the whole payload, one dir +
  // A256GCM token per write under a key imported once, a plain Map of tokens it made, and none
  // of the claims, key ids, checks, chunking or size accounting. Not a usable session: a
  // ceiling for anything that seals through jose, as the micro benchmark's "plain jose" is.
  'jose-floor'() {
    const key = crypto.subtle.importKey('raw', new Uint8Array(32).fill(7), 'AES-GCM', false, [
      'encrypt',
      'decrypt',
    ]);
    const made = new Map();
    const encoder = new TextEncoder();
    const decoder = new TextDecoder();
    return async (req, res) => {
      if (req.url !== '/read' && req.url !== '/write') return notFound(res);
      const token = /(?:^|;\s*)jose=([^;]*)/.exec(req.headers.cookie ?? '')?.[1];
      let count = 0;
      if (token) {
        count =
          made.get(token) ??
          JSON.parse(decoder.decode((await compactDecrypt(token, await key)).plaintext)).count;
      }
      if (req.url === '/write') {
        count += 1;
        const sealed = await new CompactEncrypt(encoder.encode(JSON.stringify({ count })))
          .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
          .encrypt(await key);
        if (made.size >= 1000) made.clear();
        made.set(sealed, count);
        res.setHeader('Set-Cookie', `jose=${sealed}; Path=/; HttpOnly; SameSite=Lax`);
      }
      send(res, count);
    };
  },

  // The same least-possible session on synchronous node:crypto: one AES-256-GCM seal of the
  // counter per write (iv.ciphertext.tag), the Set-Cookie line, a Map of tokens it made. The
  // floor under anything that seals a cookie per request with node:crypto, as engine: 'node'
  // does; the gap to it is what jwe-session's claims, checks and chunking cost.
  'node-floor'() {
    const key = Buffer.from('oDiLjSqbsjIi38bvTwXcNkET5RwuAeQR9UxZGPlCJhU', 'base64url');
    const made = new Map();
    const iv = new Uint8Array(12);
    const open = (token) => {
      const [ivText, ct, tag] = token.split('.');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivText, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return JSON.parse(decipher.update(ct, 'base64url', 'utf8') + decipher.final('utf8')).count;
    };
    return (req, res) => {
      if (req.url !== '/read' && req.url !== '/write') return notFound(res);
      const token = /(?:^|;\s*)floor=([^;]*)/.exec(req.headers.cookie ?? '')?.[1];
      let count = token ? (made.get(token) ?? open(token)) : 0;
      if (req.url === '/write') {
        count += 1;
        randomFillSync(iv);
        const cipher = createCipheriv('aes-256-gcm', key, iv);
        const ct =
          cipher.update(JSON.stringify({ count }), 'utf8', 'base64url') + cipher.final('base64url');
        const sealed = `${Buffer.from(iv).toString('base64url')}.${ct}.${cipher.getAuthTag().toString('base64url')}`;
        if (made.size >= 1000) made.clear();
        made.set(sealed, count);
        res.setHeader('Set-Cookie', `floor=${sealed}; Path=/; HttpOnly; SameSite=Lax`);
      }
      send(res, count);
    };
  },

  // The least any cookie session does on a read of a session it holds in memory: the Cookie
  // header parsed by the cookie package, one Map lookup by the cookie's value (a random
  // token as long as ours), nothing decrypted, checked or copied. A ceiling for reads.
  'cookie-floor'() {
    const counts = new Map();
    return (req, res) => {
      if (req.url !== '/read' && req.url !== '/write') return notFound(res);
      const token = parseCookies(req.headers.cookie ?? '').session;
      let count = (token !== undefined && counts.get(token)) || 0;
      if (req.url === '/write') {
        count += 1;
        const next = randomBytes(200).toString('base64url');
        if (counts.size >= 1000) counts.clear();
        counts.set(next, count);
        res.setHeader('Set-Cookie', `session=${next}; Path=/; HttpOnly; SameSite=Lax`);
      }
      send(res, count);
    };
  },

  iron(get = getIronSession) {
    const options = {
      password: IRON_PASSWORD,
      cookieName: 'iron',
      cookieOptions: { secure: false },
    };
    return async (req, res) => {
      if (req.url !== '/read' && req.url !== '/write') return notFound(res);
      const session = await get(req, res, options);
      if (req.url === '/read') return send(res, session.count ?? 0);
      session.count = (session.count ?? 0) + 1;
      await session.save();
      send(res, session.count);
    };
  },

  // The same app on iron-session 9 (Node ≥ 22.13; bench/http.js leaves it out elsewhere).
  iron9() {
    if (!iron9) throw new Error(`iron-session 9: ${ironSession9Skip()}`);
    return apps.iron(iron9.getIronSession);
  },

  // Our Express/Connect middleware on plain node:http, as express-session runs below.
  'jwe-connect'() {
    const store = createSessionStore({ keys: JWE_KEYS, cookie: { secure: false } });
    const middleware = sessionMiddleware(store);
    return (req, res) => {
      if (req.url !== '/read' && req.url !== '/write') return notFound(res);
      middleware(req, res, () => {
        if (req.url === '/read') return send(res, req.session.get('count') ?? 0);
        const count = (req.session.get('count') ?? 0) + 1;
        req.session.set('count', count);
        send(res, count);
      });
    };
  },

  // Our Fastify plugin, on Fastify's own routing (its handler served by this node:http server).
  async 'jwe-fastify'() {
    let handler;
    const app = Fastify({
      serverFactory: (fastifyHandler) => {
        handler = fastifyHandler;
        return createServer();
      },
    });
    await app.register(fastifySession, {
      store: createSessionStore({ keys: JWE_KEYS, cookie: { secure: false } }),
    });
    app.get('/read', async (request) => ({ count: request.session.get('count') ?? 0 }));
    app.get('/write', async (request) => {
      const count = (request.session.get('count') ?? 0) + 1;
      request.session.set('count', count);
      return { count };
    });
    await app.ready();
    return handler;
  },

  express() {
    // express-session on plain node:http (it is connect-style middleware), so the comparison
    // measures the session layer, not Express's router.
    const middleware = expressSession({
      secret: EXPRESS_SECRET,
      resave: false,
      saveUninitialized: false,
      store: new expressSession.MemoryStore(),
    });
    return (req, res) => {
      if (req.url !== '/read' && req.url !== '/write') return notFound(res);
      middleware(req, res, () => {
        if (req.url === '/read') return send(res, req.session.count ?? 0);
        req.session.count = (req.session.count ?? 0) + 1;
        send(res, req.session.count);
      });
    };
  },
};

const version = process.argv[2] ?? '';
if (!Object.hasOwn(apps, version)) {
  console.error(`usage: node bench/http-server.js <${Object.keys(apps).join('|')}>`);
  process.exit(2);
}
const iron9 = version === 'iron9' ? await loadIronSession9() : undefined;

// Peak RSS between samples: a request burst can grow and shrink the heap between two asks.
let peakRss = process.memoryUsage.rss();
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 100).unref();

process.on('message', (message) => {
  if (message?.type !== 'memory') return;
  // With --expose-gc, a full collection first: what is left is what the server keeps.
  if (message.gc && typeof globalThis.gc === 'function') globalThis.gc();
  const rss = process.memoryUsage.rss();
  peakRss = Math.max(peakRss, rss);
  const { user, system } = process.cpuUsage();
  process.send?.({
    memory: { rss, peakRss, heapUsed: process.memoryUsage().heapUsed, cpuMicros: user + system },
  });
});
// The benchmark went away, or stops this server: exit normally (a --cpu-prof profile is
// written on a normal exit only).
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));

const server = createServer(await apps[version]());
server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: server.address().port });
});
