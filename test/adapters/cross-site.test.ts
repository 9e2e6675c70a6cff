// The cross-site check in every entry point that sees a request, on a real loopback server:
// node, express, fetch (a Node bridge that passes every header and the body), Fastify, Hono
// (@hono/node-server) and jwe-session/next's sessionProxy (a form POST or a Route Handler
// behind proxy.ts), and Astro's middleware (the fetch bridge). Each header combination is sent to each; the check lives once, in the
// store's open step, so deleting it fails every entry here.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { sessionMiddleware } from '../../src/adapters/express.js';
import { fastifySession } from '../../src/adapters/fastify.js';
import { withSessionFetch } from '../../src/adapters/fetch.js';
import { honoSession, type SessionEnv } from '../../src/adapters/hono.js';
import { sessionProxy } from '../../src/adapters/next.js';
import { withSession } from '../../src/adapters/node.js';
import type { Session, SessionEvent, SessionStore, SessionStoreOptions } from '../../src/index.js';
import { makeStore } from '../helpers/store.js';
import { astroFetch } from './astro-support.js';
import { Browser, listenFastify, listenHono, type Served, serve, sessionLines } from './support.js';

type Data = { n?: number };
interface Reply {
  readonly status: number;
  readonly body: string;
}
/** The app: `/token` answers the session's CSRF token, `/read` its count; anything else counts. */
type App = (session: Session<Data>, method: string, path: string) => Promise<Reply>;

interface Entry {
  readonly name: string;
  /** Whether the entry reads a `_csrf` form field (from a clone of a Fetch Request). */
  readonly readsField: boolean;
  serve(store: SessionStore<Data>, app: App): Promise<Served>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A Fetch API handler behind a Node server: every header but Host (the URL carries it), and the body. */
function serveFetch(handler: (request: Request) => Promise<Response>): Promise<Served> {
  return serve(async (req: IncomingMessage, res: ServerResponse) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (name !== 'host' && name !== 'connection' && typeof value === 'string') {
        headers.set(name, value);
      }
    }
    const body =
      req.method === 'GET' || req.method === 'HEAD'
        ? undefined
        : new Uint8Array(await readBody(req));
    const request = new Request(`http://${req.headers.host}${req.url}`, {
      method: req.method as string,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const response = await handler(request);
    const lines = response.headers.getSetCookie();
    if (lines.length > 0) res.setHeader('Set-Cookie', lines);
    const type = response.headers.get('content-type');
    if (type) res.setHeader('Content-Type', type);
    res.writeHead(response.status).end(await response.text());
  });
}

function fetchApp(app: App) {
  return async (request: Request, session: Session<Data>) => {
    // The app reads the body itself after the check: the check's clone left it unread.
    if (request.method === 'POST') await request.text();
    const reply = await app(session, request.method, new URL(request.url).pathname);
    return new Response(reply.body, { status: reply.status });
  };
}

const entries: Entry[] = [
  {
    name: 'node',
    readsField: false,
    serve: (store, app) =>
      serve(
        withSession(store, async (req, res, session) => {
          const reply = await app(session, req.method as string, req.url as string);
          res.writeHead(reply.status).end(reply.body);
        }),
      ),
  },
  {
    name: 'express',
    readsField: false,
    serve: (store, app) => {
      const server = express();
      const sessions = sessionMiddleware(store);
      server.use(sessions);
      server.use(async (req, res) => {
        const reply = await app(sessions.of(req), req.method, req.path);
        res.status(reply.status).send(reply.body);
      });
      return serve(createServer(server));
    },
  },
  {
    name: 'fetch',
    readsField: true,
    serve: (store, app) => serveFetch(withSessionFetch(store, fetchApp(app))),
  },
  {
    name: 'next sessionProxy',
    readsField: true,
    // proxy.ts sees every matched request; on a POST the session is read-only there, so the
    // app under test answers without changing it (the Route Handler behind would).
    serve: (store, app) =>
      serveFetch(
        sessionProxy(store, async (request, session) => {
          if (request.method !== 'GET') {
            await request.text();
            ran.push(new URL(request.url).pathname);
            return new Response('proxied', { status: 200 });
          }
          return fetchApp(app)(request, session);
        }),
      ),
  },
  {
    name: 'fastify',
    readsField: false,
    serve: async (store, app) => {
      const server = Fastify();
      await server.register(fastifySession, { store });
      server.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string' },
        (_request, body, done) => done(null, body),
      );
      server.all('/*', async (request, reply) => {
        const answer = await app(
          request.session as unknown as Session<Data>,
          request.method,
          request.url,
        );
        reply.code(answer.status);
        return answer.body;
      });
      return listenFastify(server);
    },
  },
  {
    name: 'hono',
    readsField: true,
    serve: (store, app) => {
      const server = new Hono<SessionEnv<Data>>();
      server.use(honoSession(store));
      server.all('*', async (c) => {
        if (c.req.method === 'POST') await c.req.text();
        const reply = await app(c.get('session'), c.req.method, c.req.path);
        return c.text(reply.body, reply.status as 200);
      });
      return listenHono(server);
    },
  },
  {
    name: 'astro',
    readsField: true,
    serve: (store, app) => serveFetch(astroFetch(store, fetchApp(app))),
  },
];

/** Every path the app ran for, in order: a refused request must add nothing. */
let ran: string[] = [];
let served: Served | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
  ran = [];
});

const app: App = async (session, method, path) => {
  if (path === '/token') return { status: 200, body: await session.csrfToken() };
  if (path === '/read') return { status: 200, body: String(session.get('n') ?? 0) };
  ran.push(path);
  if (path === '/login') {
    session.regenerate({ keepData: true });
    return { status: 200, body: await session.csrfToken() };
  }
  if (method !== 'GET') session.set('n', (session.get('n') ?? 0) + 1);
  return { status: 200, body: 'changed' };
};

async function start(
  entry: Entry,
  crossSite?: SessionStoreOptions<Data>['crossSite'],
  events: SessionEvent[] = [],
): Promise<Browser> {
  const store = makeStore<Data>({
    hooks: { onEvent: (event) => void events.push(event) },
    ...(crossSite === undefined ? {} : { crossSite }),
  });
  served = await entry.serve(store, app);
  return new Browser(served.url);
}

const OTHER = 'http://localhost:1';

/** Each header combination, as the contract lists them: what a POST with it gets. */
const cases: readonly {
  readonly name: string;
  readonly headers: (own: string) => Record<string, string>;
  readonly allowed: boolean;
}[] = [
  {
    name: 'Sec-Fetch-Site: same-origin',
    headers: () => ({ 'sec-fetch-site': 'same-origin' }),
    allowed: true,
  },
  { name: 'Sec-Fetch-Site: none', headers: () => ({ 'sec-fetch-site': 'none' }), allowed: true },
  {
    name: 'Sec-Fetch-Site: cross-site',
    headers: () => ({ 'sec-fetch-site': 'cross-site', origin: OTHER }),
    allowed: false,
  },
  {
    name: 'Sec-Fetch-Site: same-site',
    headers: () => ({ 'sec-fetch-site': 'same-site', origin: OTHER }),
    allowed: false,
  },
  {
    name: 'Sec-Fetch-Site: cross-site with its own Origin',
    headers: (own) => ({ 'sec-fetch-site': 'cross-site', origin: own }),
    allowed: false,
  },
  {
    name: 'an unknown Sec-Fetch-Site',
    headers: () => ({ 'sec-fetch-site': 'weird' }),
    allowed: false,
  },
  { name: 'no Sec-Fetch-Site, its own Origin', headers: (own) => ({ origin: own }), allowed: true },
  { name: 'no Sec-Fetch-Site, another Origin', headers: () => ({ origin: OTHER }), allowed: false },
  { name: 'no Sec-Fetch-Site, Origin: null', headers: () => ({ origin: 'null' }), allowed: false },
  { name: 'neither header (curl, a server)', headers: () => ({}), allowed: true },
];

describe.each(entries)('$name', (entry) => {
  /** Signs the browser up with n = 1, from the app's own page. */
  async function withSession(browser: Browser): Promise<void> {
    const first = await browser.request('/change', {
      method: 'POST',
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    expect(first.status).toBe(200);
    ran = [];
  }

  for (const { name, headers, allowed } of cases) {
    it(`POST with ${name}: ${allowed ? 'runs' : '403, the route does not run, the session is unchanged'}`, async () => {
      const events: SessionEvent[] = [];
      const browser = await start(entry, undefined, events);
      if (entry.name !== 'next sessionProxy') await withSession(browser);
      const before = browser.jar.get('session');
      const answer = await browser.request('/change', {
        method: 'POST',
        headers: headers(browser.base),
      });
      if (allowed) {
        expect(answer.status).toBe(200);
        expect(ran).toEqual(['/change']);
        expect(events.filter((e) => e.type === 'cross-site-refused')).toEqual([]);
        return;
      }
      expect(answer.status).toBe(403);
      expect(answer.body).toMatch(/^Forbidden: cross-site request refused/);
      expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(ran).toEqual([]);
      expect(sessionLines(answer.setCookies)).toEqual([]);
      expect(browser.jar.get('session')).toBe(before);
      expect(events.filter((e) => e.type === 'cross-site-refused')).toEqual([
        expect.objectContaining({ type: 'cross-site-refused', method: 'POST', path: '/change' }),
      ]);
      if (entry.name !== 'next sessionProxy') {
        expect((await browser.request('/read')).body).toBe('1');
      }
    });
  }

  it('lets GET through whatever the headers say (safe methods do not change state)', async () => {
    const browser = await start(entry);
    const answer = await browser.request('/change', {
      headers: { 'sec-fetch-site': 'cross-site', origin: OTHER },
    });
    expect(answer.status).toBe(200);
  });

  it('lets a trusted origin and an exempt path through; crossSite: false lets everything through', async () => {
    let browser = await start(entry, { trustedOrigins: [OTHER], exempt: ['/hooks/'] });
    const trusted = await browser.request('/change', {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site', origin: OTHER },
    });
    expect(trusted.status).toBe(200);
    const exempt = await browser.request('/hooks/in', {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site', origin: 'https://payments.example' },
    });
    expect(exempt.status).toBe(200);
    const other = await browser.request('/change', {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site', origin: 'https://payments.example' },
    });
    expect(other.status).toBe(403);
    await served?.close();
    browser = await start(entry, false);
    const off = await browser.request('/change', {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site', origin: OTHER },
    });
    expect(off.status).toBe(200);
  });

  describe('with crossSite.token', () => {
    it('refuses a header-less POST without a token, takes the session token in x-csrf-token', async () => {
      const browser = await start(entry, { token: true });
      const token = (await browser.request('/token')).body;
      expect(token).toMatch(/^v1\.k1\.[A-Za-z0-9_-]{22}$/);
      const none = await browser.request('/change', { method: 'POST' });
      expect(none.status).toBe(403);
      expect(none.body).toMatch(/CSRF token/);
      expect(ran).toEqual([]);
      const good = await browser.request('/change', {
        method: 'POST',
        headers: { 'x-csrf-token': token },
      });
      expect(good.status).toBe(200);
      expect(ran).toEqual(['/change']);
      // Metadata headers still decide when present: a token does not lift cross-site.
      const cross = await browser.request('/change', {
        method: 'POST',
        headers: { 'x-csrf-token': token, 'sec-fetch-site': 'cross-site', origin: OTHER },
      });
      expect(cross.status).toBe(403);
    });

    it("refuses another session's token", async () => {
      const browser = await start(entry, { token: true });
      const mine = (await browser.request('/token')).body;
      const stranger = new Browser(browser.base);
      const theirs = (await stranger.request('/token')).body;
      expect(theirs).not.toBe(mine);
      const crossed = await browser.request('/change', {
        method: 'POST',
        headers: { 'x-csrf-token': theirs },
      });
      expect(crossed.status).toBe(403);
    });

    // proxy.ts cannot change the session on a POST: its Route Handler or Server Action does.
    it.skipIf(entry.name === 'next sessionProxy')(
      'refuses the old token after regenerate()',
      async () => {
        const browser = await start(entry, { token: true });
        const mine = (await browser.request('/token')).body;
        // Sign-in is covered: it needs this session's token, and gives a new one.
        const login = await browser.request('/login', {
          method: 'POST',
          headers: { 'x-csrf-token': mine },
        });
        expect(login.status).toBe(200);
        const fresh = login.body;
        expect(fresh).not.toBe(mine);
        const old = await browser.request('/change', {
          method: 'POST',
          headers: { 'x-csrf-token': mine },
        });
        expect(old.status).toBe(403);
        const current = await browser.request('/change', {
          method: 'POST',
          headers: { 'x-csrf-token': fresh },
        });
        expect(current.status).toBe(200);
      },
    );

    it(`${entry.readsField ? 'takes' : 'does not read'} the _csrf field of a urlencoded form`, async () => {
      const browser = await start(entry, { token: true });
      const token = (await browser.request('/token')).body;
      const form = await browser.request('/change', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `note=hi&_csrf=${encodeURIComponent(token)}`,
      });
      expect(form.status).toBe(entry.readsField ? 200 : 403);
      const twice = await browser.request('/change', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `_csrf=${token}&_csrf=${token}`,
      });
      expect(twice.status).toBe(403);
    });
  });
});
