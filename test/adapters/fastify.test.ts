// The Fastify plugin on a real Fastify 5 server on loopback: what Fastify's own machinery
// (error handling, request.log, hooks, encapsulation) does with the session. The behaviours
// every entry shares are in matrix.test.ts.
import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { fastifySession, SessionServerError } from '../../src/adapters/fastify.js';
import type { SessionStore } from '../../src/index.js';
import { makeStore } from '../helpers/store.js';
import { Browser, listenFastify, noise, type Served, sessionLines } from './support.js';

let served: Served | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
});

/** A Fastify app whose log lines (JSON) are collected. */
function appWithLog(level = 'debug'): { app: FastifyInstance; log: Record<string, unknown>[] } {
  const log: Record<string, unknown>[] = [];
  const stream = { write: (line: string) => void log.push(JSON.parse(line)) };
  return { app: Fastify({ logger: { level, stream } }), log };
}

async function start(app: FastifyInstance): Promise<Browser> {
  served = await listenFastify(app);
  return new Browser(served.url);
}

const store = (): SessionStore => makeStore();

describe('fastifySession', () => {
  it('answers a too-large session with a generic 500: no key names or sizes to the client, the detail in request.log', async () => {
    const { app, log } = appWithLog();
    await app.register(fastifySession, { store: store() });
    app.post('/small', async (request) => {
      request.session.set('n', 1);
      return 'ok';
    });
    app.post('/huge', async (request, reply) => {
      request.session.set('secretKeyName', noise('fastify-huge', 9000));
      reply.header('x-route', 'yes');
      return reply.redirect('/', 303);
    });
    const browser = await start(app);
    await browser.request('/small', { method: 'POST' });
    const before = [...browser.jar];
    const huge = await browser.request('/huge', { method: 'POST' });
    expect(huge.status).toBe(500);
    expect(sessionLines(huge.setCookies)).toEqual([]);
    expect([...browser.jar]).toEqual(before);
    // The route's own headers went with the failed reply, not with the error answer.
    expect(huge.headers.get('location')).toBeNull();
    expect(huge.headers.get('x-route')).toBeNull();
    expect(JSON.parse(huge.body)).toMatchObject({
      statusCode: 500,
      code: 'ERR_SESSION_SERVER',
      message: 'The session could not be saved.',
    });
    expect(huge.body).not.toMatch(/secretKeyName|bytes|limit/);
    const detail = log.find((line) => /session failed/.test(String(line.msg)));
    expect(detail?.level).toBe(50);
    expect(JSON.stringify(detail)).toMatch(/secretKeyName/);
    expect((detail?.err as { type?: string })?.type).toBe('SessionTooLargeError');
  });

  it("routes a commit failure through the app's error handler, with the real error as cause", async () => {
    const app = Fastify();
    await app.register(fastifySession, { store: store() });
    const seen: unknown[] = [];
    app.setErrorHandler((error, _request, reply) => {
      seen.push(error);
      return reply.code(503).send('try again later');
    });
    app.get('/huge', async (request) => {
      request.session.set('blob', noise('fastify-handler', 9000));
      return 'never sent';
    });
    const answer = await (await start(app)).request('/huge');
    expect(answer.status).toBe(503);
    expect(answer.body).toBe('try again later');
    expect(answer.setCookies).toEqual([]);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeInstanceOf(SessionServerError);
    expect((seen[0] as Error).name).toBe('SessionServerError');
    expect(((seen[0] as Error).cause as { code: string }).code).toBe('ERR_SESSION_TOO_LARGE');
  });

  it('commits nothing for a route that threw, even when the error handler answers 200', async () => {
    const app = Fastify({ logger: false });
    await app.register(fastifySession, { store: store() });
    app.setErrorHandler((_error, _request, reply) => reply.code(200).send('handled'));
    app.get('/throw', async (request) => {
      request.session.set('n', 1);
      throw new Error('route failed');
    });
    const answer = await (await start(app)).request('/throw');
    expect(answer.body).toBe('handled');
    expect(answer.setCookies).toEqual([]);
  });

  it('withdraws the session cookie when an onSend hook after the plugin fails, keeping the app cookie', async () => {
    const app = Fastify({ logger: false });
    await app.register(fastifySession, { store: store() });
    let failures = 0;
    app.addHook('onSend', async (request) => {
      if (request.url === '/ok') return;
      if (request.url === '/always' || failures++ === 0) throw new Error('later hook failed');
    });
    app.setErrorHandler((_error, request, reply) =>
      request.url === '/once' ? reply.code(200).send('handled') : reply.send(_error),
    );
    for (const path of ['/ok', '/always', '/once']) {
      app.get(path, async (request, reply) => {
        request.session.set('n', 1);
        reply.header('set-cookie', 'app=1; Path=/');
        return 'route';
      });
    }
    const browser = await start(app);
    const ok = await browser.request('/ok');
    expect(sessionLines(ok.setCookies)).toHaveLength(1);
    const fresh = new Browser(browser.base);
    const always = await fresh.request('/always');
    expect(always.status).toBe(500);
    expect(always.setCookies).toEqual(['app=1; Path=/']);
    const once = await fresh.request('/once');
    expect([once.status, once.body]).toEqual([200, 'handled']);
    expect(once.setCookies).toEqual(['app=1; Path=/']);
    expect(fresh.jar.has('session')).toBe(false);
  });

  it('logs a rejected cookie through request.log at debug, with the reason and never the token', async () => {
    const { app, log } = appWithLog();
    await app.register(fastifySession, { store: store() });
    app.get('/', async (request) => ({ isNew: request.session.isNew }));
    const token = 'garbage-token-value';
    const answer = await (await start(app)).request('/', {
      headers: { cookie: `session=${token}` },
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ isNew: true });
    const line = log.find((entry) => entry.sessionRejection !== undefined);
    expect(line).toMatchObject({ level: 20, sessionRejection: 'malformed' });
    expect(JSON.stringify(log)).not.toContain(token);
  });

  it('logs nothing about rejections at rejectionLogLevel false', async () => {
    const { app, log } = appWithLog('trace');
    await app.register(fastifySession, { store: store(), rejectionLogLevel: false });
    app.get('/', async () => 'ok');
    await (await start(app)).request('/', { headers: { cookie: 'session=garbage' } });
    expect(log.filter((entry) => entry.sessionRejection !== undefined)).toEqual([]);
  });

  it('decorates the instance it is registered on (skip-override), so sibling routes and the 404 handler see the session', async () => {
    const app = Fastify();
    await app.register(fastifySession, { store: store() });
    await app.register(async (scope) => {
      scope.get('/scoped', async (request) => {
        request.session.set('n', 2);
        return 'ok';
      });
    });
    app.setNotFoundHandler(async (request, reply) =>
      reply.code(404).send({ n: request.session.get('n') ?? null }),
    );
    const browser = await start(app);
    expect(sessionLines((await browser.request('/scoped')).setCookies)).toHaveLength(1);
    const missing = await browser.request('/nowhere');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toEqual({ n: 2 });
    expect(missing.setCookies).toEqual([]);
  });

  it('commits before a streamed reply and keeps Set-Cookie lines the app set itself', async () => {
    const app = Fastify();
    await app.register(fastifySession, { store: store() });
    app.get('/stream', async (request, reply) => {
      request.session.set('n', 3);
      reply.header('set-cookie', 'theme=dark; Path=/');
      return reply.type('text/plain').send(Readable.from(['a', 'b', 'c']));
    });
    const answer = await (await start(app)).request('/stream');
    expect(answer.body).toBe('abc');
    expect(answer.setCookies[0]).toBe('theme=dark; Path=/');
    expect(sessionLines(answer.setCookies)).toHaveLength(1);
  });

  it('answers a load failure with the same generic 500', async () => {
    const app = Fastify();
    const broken = store();
    await app.register(fastifySession, { store: broken });
    // The first load fails as a store whose keys cannot be resolved would.
    const port = Object.getOwnPropertySymbols(broken).map(
      (symbol) => (broken as unknown as Record<symbol, { open: unknown }>)[symbol],
    )[0] as { open: () => never };
    port.open = () => {
      throw new Error('SESSION_KEYS: is not set');
    };
    app.get('/', async () => 'never');
    const answer = await (await start(app)).request('/');
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body).message).toBe('The session could not be loaded.');
    expect(answer.body).not.toContain('SESSION_KEYS');
  });
});
