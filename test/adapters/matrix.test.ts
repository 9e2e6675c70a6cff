// The behaviours every entry point shares, written once and run against each of them on a
// real loopback server: node, express, fetch (through a Node bridge), the cookie jar (over
// a jar made of the request's Cookie header and the response's Set-Cookie, as h3's is),
// Fastify's plugin, Hono's middleware (on @hono/node-server), and jwe-session/next's
// getSession (over the same jar) and sessionProxy (through the fetch bridge), SvelteKit's hook
// (through the fetch bridge, with a resolve that answers as SvelteKit's does), and Astro's
// middleware (through the fetch bridge), and React Router's middleware (its own request
// handler, through the fetch bridge). Every entry reaches the session through the store's
// request handle, and nothing else.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { RequestEvent } from '@sveltejs/kit';
import { serialize } from 'cookie';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import {
  createContext,
  createRequestHandler,
  type MiddlewareFunction,
  type RouterContextProvider,
} from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sessionMiddleware } from '../../src/adapters/express.js';
import { fastifySession } from '../../src/adapters/fastify.js';
import { withSessionFetch } from '../../src/adapters/fetch.js';
import { honoSession, type SessionEnv } from '../../src/adapters/hono.js';
import { type CookieJar, sessionFromJar } from '../../src/adapters/jar.js';
import { getSession, sessionProxy } from '../../src/adapters/next.js';
import { withSession } from '../../src/adapters/node.js';
import { reactRouterSession } from '../../src/adapters/react-router.js';
import { type SessionLocals, sveltekitSession } from '../../src/adapters/sveltekit.js';
import type { Session, SessionStore } from '../../src/index.js';
import { makeStore } from '../helpers/store.js';
import { astroFetch } from './astro-support.js';
import { buildOf } from './react-router-support.js';
import {
  Browser,
  listenFastify,
  listenHono,
  noise,
  type Served,
  serve,
  sessionLines,
} from './support.js';

type Data = { role?: string; n?: number; blob?: string };
/** What a route does with the session; it may return a status. Runs before the response starts. */
type Act = (session: Session<Data>, path: string) => unknown;

interface Entry {
  readonly name: string;
  /** Whether the entry commits by itself when the response starts (the jar needs save()). */
  readonly autoCommit: boolean;
  /**
   * Whether a route that throws fails the request's handle (its session then refuses every
   * change). Not Express (its error handler answers and the session is committed, see
   * SECURITY.md) nor a jar (there is no response to fail: the app never calls save()).
   */
  readonly locksOnFailure: boolean;
  serve(store: SessionStore<Data>, act: Act): Promise<Served>;
}

async function run(act: Act, session: Session<Data>, path: string): Promise<number> {
  const status = await act(session, path);
  return typeof status === 'number' ? status : 200;
}

function failed(res: ServerResponse): void {
  if (res.headersSent) return void res.destroy();
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  res.writeHead(500).end('failed');
}

function fetchRoute(act: Act) {
  return async (request: Request, session: Session<Data>) =>
    new Response('ok', { status: await run(act, session, new URL(request.url).pathname) });
}

/** A Fetch API handler behind a Node server (the bridge a Node host would be). */
function serveFetch(handler: (request: Request) => Promise<Response>): Promise<Served> {
  return serve(async (req: IncomingMessage, res: ServerResponse) => {
    const headers = new Headers();
    if (req.headers.cookie) headers.set('cookie', req.headers.cookie);
    const response = await handler(new Request(`http://local${req.url}`, { headers }));
    const lines = response.headers.getSetCookie();
    if (lines.length > 0) res.setHeader('Set-Cookie', lines);
    res.writeHead(response.status).end(await response.text());
  });
}

/** A cookie jar over the request's Cookie header and the response's Set-Cookie; the route saves. */
function serveJar(act: Act, open: (jar: CookieJar) => Promise<Session<Data>>): Promise<Served> {
  return serve(async (req: IncomingMessage, res: ServerResponse) => {
    const sent = new Map<string, string>();
    for (const part of (req.headers.cookie ?? '').split('; ')) {
      const eq = part.indexOf('=');
      if (eq > 0 && !sent.has(part.slice(0, eq))) sent.set(part.slice(0, eq), part.slice(eq + 1));
    }
    const jar: CookieJar = {
      get: (name) => sent.get(name),
      set: (name, value, options) => {
        res.appendHeader('Set-Cookie', serialize(name, value, options));
      },
    };
    try {
      const session = await open(jar);
      const status = await run(act, session, req.url ?? '/');
      await session.save();
      res.statusCode = status;
      res.end('ok');
    } catch {
      failed(res);
    }
  });
}

const routerSession = createContext<Session<Data>>();

/**
 * React Router's server runtime (framework mode's request handler) over resource routes whose
 * loader and action run the route; the session middleware is on the root.
 */
function reactRouterHandler(store: SessionStore<Data>, act: Act) {
  type Args = { context: Readonly<RouterContextProvider>; request: Request };
  const respond = async ({ context, request }: Args) =>
    new Response('ok', {
      status: await run(act, context.get(routerSession), new URL(request.url).pathname),
    });
  const middleware: MiddlewareFunction<Response>[] = [reactRouterSession(store, routerSession)];
  const route = { loader: respond, action: respond };
  // '/' is the index route, every other path the splat.
  const build = buildOf({ '*': route }, { middleware }, route);
  return createRequestHandler(build);
}

const entries: Entry[] = [
  {
    name: 'node',
    autoCommit: true,
    locksOnFailure: true,
    serve: (store, act) =>
      serve(
        withSession(
          store,
          async (req, res, session) => {
            res.statusCode = await run(act, session, req.url ?? '/');
            res.end('ok');
          },
          { onError: (_error, _req, res) => failed(res) },
        ),
      ),
  },
  {
    name: 'express',
    autoCommit: true,
    locksOnFailure: false,
    serve: (store, act) => {
      const app = express();
      const sessions = sessionMiddleware(store);
      app.use(sessions);
      app.use(async (req, res) => {
        res.status(await run(act, sessions.of(req), req.url)).send('ok');
      });
      app.use(((_error, _req, res, _next) => failed(res)) as express.ErrorRequestHandler);
      return serve(createServer(app));
    },
  },
  {
    name: 'fetch',
    autoCommit: true,
    locksOnFailure: true,
    serve: (store, act) =>
      serveFetch(
        withSessionFetch(store, fetchRoute(act), {
          onError: () => new Response('failed', { status: 500 }),
        }),
      ),
  },
  {
    name: 'jar',
    autoCommit: false,
    locksOnFailure: false,
    serve: (store, act) => serveJar(act, (jar) => sessionFromJar(store, jar)),
  },
  {
    name: 'next getSession',
    autoCommit: false,
    locksOnFailure: false,
    serve: (store, act) => serveJar(act, (jar) => getSession(store, jar)),
  },
  {
    name: 'next sessionProxy',
    autoCommit: true,
    locksOnFailure: true,
    // Page requests (GET): the proxy writes the session for these.
    serve: (store, act) =>
      serveFetch(
        sessionProxy(store, fetchRoute(act), {
          onError: () => new Response('failed', { status: 500 }),
        }),
      ),
  },
  {
    name: 'fastify',
    autoCommit: true,
    locksOnFailure: true,
    serve: async (store, act) => {
      const app = Fastify();
      await app.register(fastifySession, { store });
      app.all('/*', async (request, reply) => {
        const session = request.session as unknown as Session<Data>;
        reply.code(await run(act, session, request.url));
        return 'ok';
      });
      return listenFastify(app);
    },
  },
  {
    name: 'hono',
    autoCommit: true,
    locksOnFailure: true,
    serve: (store, act) => {
      const app = new Hono<SessionEnv<Data>>();
      app.use(honoSession(store));
      app.all('*', async (c) => {
        const status = await run(act, c.get('session'), c.req.path);
        return c.text('ok', status as 200);
      });
      app.onError((_error, c) => c.text('failed', 500));
      return listenHono(app);
    },
  },
  {
    name: 'astro',
    autoCommit: true,
    locksOnFailure: true,
    serve: (store, act) => serveFetch(astroFetch(store, fetchRoute(act))),
  },
  {
    name: 'react-router',
    autoCommit: true,
    locksOnFailure: true,
    serve: (store, act) => serveFetch(reactRouterHandler(store, act)),
  },
  {
    name: 'sveltekit',
    autoCommit: true,
    locksOnFailure: true,
    serve: (store, act) => {
      const handle = sveltekitSession(store);
      return serveFetch(async (request) => {
        const url = new URL(request.url);
        const event = { request, url, locals: {}, isSubRequest: false } as unknown as RequestEvent;
        // SvelteKit answers a throwing route with its 500 error page, and a throwing hook (a
        // failed commit) with its own 500 after handleError.
        const failure = () => new Response('failed', { status: 500 });
        const resolve = async (resolved: RequestEvent) => {
          const { session } = resolved.locals as unknown as SessionLocals<Data>;
          return run(act, session, url.pathname).then(
            (status) => new Response('ok', { status }),
            failure,
          );
        };
        return Promise.resolve()
          .then(() => handle({ event, resolve }))
          .catch(failure);
      });
    },
  },
];

let served: Served | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
  vi.restoreAllMocks();
});

async function start(entry: Entry, act: Act): Promise<Browser> {
  served = await entry.serve(makeStore<Data>(), act);
  return new Browser(served.url);
}

/** Logs in as admin on /admin, reads on /read; anything else runs `act`. */
function routes(act: Act): Act {
  return async (session, path) => {
    if (path === '/admin') return void session.set('role', 'admin');
    if (path === '/read') return;
    return act(session, path);
  };
}

describe.each(entries)('$name', (entry) => {
  it('commits a change, reads it back, and sends no Set-Cookie on an unchanged read', async () => {
    const seen: (string | undefined)[] = [];
    const browser = await start(entry, async (session, path) => {
      if (path === '/set') session.set('role', 'user');
      seen.push(session.get('role'));
    });
    expect(sessionLines((await browser.request('/set')).setCookies)).toHaveLength(1);
    expect((await browser.request('/get')).setCookies).toEqual([]);
    expect(seen).toEqual(['user', 'user']);
  });

  for (const saves of [0, 1, 2]) {
    it(`regenerate({ keepData }) + set, then save() ×${saves}: one new cookie replaces the admin one`, async () => {
      const roles: (string | undefined)[] = [];
      const browser = await start(
        entry,
        routes(async (session, path) => {
          if (path === '/check') return void roles.push(session.get('role'));
          session.regenerate({ keepData: true });
          session.set('role', 'user');
          for (let i = 0; i < saves; i++) await session.save();
        }),
      );
      await browser.request('/admin');
      const before = browser.jar.get('session');
      const drop = await browser.request('/drop');
      expect(drop.status).toBe(200);
      expect(sessionLines(drop.setCookies)).toHaveLength(1);
      expect(browser.jar.get('session')).not.toBe(before);
      await browser.request('/check');
      expect(roles).toEqual(['user']);
    });
  }

  it('regenerate() then save() twice: exactly one Set-Cookie line set for the new session', async () => {
    const created: (number | undefined)[] = [];
    const browser = await start(
      entry,
      routes(async (session, path) => {
        if (path === '/check') return void created.push(session.get('n'));
        session.regenerate();
        session.set('n', 7);
        await session.save();
        await session.save();
      }),
    );
    await browser.request('/admin');
    const answer = await browser.request('/login');
    expect(sessionLines(answer.setCookies)).toHaveLength(1);
    await browser.request('/check');
    expect(created).toEqual([7]);
  });

  it('locks the session after a commit: a later set() throws SessionCommittedError', async () => {
    const codes: string[] = [];
    const browser = await start(entry, async (session) => {
      session.set('n', 1);
      await session.save();
      try {
        session.set('n', 2);
      } catch (error) {
        codes.push((error as { code: string }).code);
      }
    });
    expect(sessionLines((await browser.request('/')).setCookies)).toHaveLength(1);
    expect(codes).toEqual(['ERR_SESSION_COMMITTED']);
  });

  it('destroy() expires every chunk the browser holds', async () => {
    const browser = await start(entry, async (session, path) => {
      if (path === '/big') session.set('blob', noise(`matrix-${entry.name}`, 3500));
      if (path === '/out') session.destroy();
    });
    await browser.request('/big');
    expect(browser.jar.size).toBeGreaterThan(1);
    const out = await browser.request('/out');
    expect(sessionLines(out.setCookies).every((line) => /Max-Age=0/.test(line))).toBe(true);
    expect(browser.jar.size).toBe(0);
  });

  it("with revocation on, a copy of a destroyed session's cookie is refused as revoked and deleted", async () => {
    const seen: unknown[] = [];
    served = await entry.serve(makeStore<Data>({ revocation: {} }), async (session, path) => {
      if (path === '/in') session.set('n', 1);
      if (path === '/out') session.destroy();
      if (path === '/read') seen.push([session.get('n'), session.rejection?.reason]);
    });
    const browser = new Browser(served.url);
    await browser.request('/in');
    const copy = new Browser(served.url);
    for (const [name, value] of browser.jar) copy.jar.set(name, value);
    await copy.request('/read');
    await browser.request('/out');
    expect(browser.jar.size).toBe(0);
    const refused = await copy.request('/read');
    expect(seen).toEqual([
      [1, undefined],
      [undefined, 'revoked'],
    ]);
    expect(sessionLines(refused.setCookies).every((line) => /Max-Age=0/.test(line))).toBe(true);
    expect(copy.jar.size).toBe(0);
  });

  it('a too-large session writes nothing and the old cookie stays valid', async () => {
    const browser = await start(entry, async (session, path) => {
      if (path === '/small') session.set('n', 1);
      if (path === '/huge') session.set('blob', noise(`huge-${entry.name}`, 9000));
    });
    await browser.request('/small');
    const before = [...browser.jar];
    const huge = await browser.request('/huge');
    expect(huge.status).toBe(500);
    expect(sessionLines(huge.setCookies)).toEqual([]);
    expect([...browser.jar]).toEqual(before);
  });

  it(entry.autoCommit ? 'commits without save()' : 'writes nothing without save()', async () => {
    served = await entry.serve(makeStore<Data>(), (session) => void session.set('n', 3));
    const answer = await new Browser(served.url).request('/');
    // The jar entry's route above always saves; this is about the entry, not the route.
    expect(sessionLines(answer.setCookies)).toHaveLength(1);
  });

  it(
    entry.locksOnFailure
      ? 'a route that throws fails the handle: no cookie, and the session refuses changes'
      : 'a route that throws leaves the session to the framework',
    async () => {
      let kept: Session<Data> | undefined;
      const browser = await start(entry, async (session) => {
        session.set('n', 5);
        kept = session;
        throw new Error('route failed');
      });
      const answer = await browser.request('/');
      expect(answer.status).toBe(500);
      if (!entry.locksOnFailure) return;
      expect(sessionLines(answer.setCookies)).toEqual([]);
      await vi.waitFor(() => {
        expect(() => kept?.set('n', 6)).toThrow(
          /^the request failed, so the session was not saved/,
        );
      });
    },
  );
});
