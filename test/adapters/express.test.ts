// sessionMiddleware in a real Express 5 app: the same hold as the Node wrapper, so res.send,
// res.json, res.redirect and res.cookie all carry the session cookie; failures go to next(err).
import { createServer } from 'node:http';
import express, { type ErrorRequestHandler } from 'express';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sessionMiddleware } from '../../src/adapters/express.js';
import { SessionCommittedError, SessionTooLargeError } from '../../src/errors.js';
import { makeStore } from '../helpers/store.js';
import {
  Browser,
  laterThrown,
  linesFor,
  noise,
  type Served,
  serve,
  sessionLines,
} from './support.js';

type Data = { n?: number; cart?: string[]; blob?: string };

let served: Served | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
  vi.restoreAllMocks();
});

function makeApp(onErr?: ErrorRequestHandler) {
  const store = makeStore<Data>();
  const sessions = sessionMiddleware(store);
  const app = express();
  const errors: unknown[] = [];
  const later: Promise<unknown>[] = [];
  app.use(sessions);
  app.get('/read', (req, res) => {
    res.json(sessions.of(req).toJSON());
  });
  app.get('/set', (req, res) => {
    const session = sessions.of(req);
    session.set('n', Number(req.query.n));
    res.cookie('app', 'mine');
    res.send('set');
  });
  app.post('/go', (req, res) => {
    sessions.of(req).set('n', 9);
    res.redirect(303, '/read');
  });
  app.get('/big', (req, res) => {
    sessions.of(req).set('blob', noise('express', 9000));
    res.cookie('app', 'mine');
    res.send('big');
  });
  app.get('/late', (req, res) => {
    const session = sessions.of(req);
    res.send('sent');
    later.push(laterThrown(() => session.set('n', 1)));
  });
  app.get('/chunked', (req, res) => {
    sessions.of(req).set('blob', noise('express-chunks', 3500));
    res.end();
  });
  app.post('/logout', (req, res) => {
    sessions.of(req).destroy();
    res.redirect(303, '/');
  });
  app.get('/throws', (req) => {
    sessions.of(req).set('n', 13);
    throw new Error('route failed');
  });
  app.get('/same', (req, res) => {
    const same = (req as unknown as { session: unknown }).session === sessions.of(req);
    res.send(String(same));
  });
  if (onErr) {
    app.use(((error, req, res, next) => {
      errors.push(error);
      onErr(error, req, res, next);
    }) satisfies ErrorRequestHandler);
  }
  return { app, errors, later };
}

describe('sessionMiddleware with express 5', () => {
  it('sets the session with res.send, keeps res.cookie, and reads it back', async () => {
    const { app } = makeApp();
    served = await serve(createServer(app));
    const browser = new Browser(served.url);
    const set = await browser.request('/set?n=4');
    expect(set.body).toBe('set');
    expect(linesFor(set.setCookies, 'app')).toEqual(['app=mine; Path=/']);
    expect(sessionLines(set.setCookies)).toHaveLength(1);
    const read = await browser.request('/read');
    expect(JSON.parse(read.body)).toEqual({ n: 4 });
    expect(read.setCookies).toEqual([]);
  });

  it('sets req.session to the same session that of(req) returns', async () => {
    const { app } = makeApp();
    served = await serve(createServer(app));
    expect((await new Browser(served.url).request('/same')).body).toBe('true');
  });

  it('carries the cookie on res.redirect', async () => {
    const { app } = makeApp();
    served = await serve(createServer(app));
    const browser = new Browser(served.url);
    const go = await browser.request('/go', { method: 'POST' });
    expect(go.status).toBe(303);
    expect(go.headers.get('location')).toBe('/read');
    expect(sessionLines(go.setCookies)).toHaveLength(1);
    expect(JSON.parse((await browser.request('/read')).body)).toEqual({ n: 9 });
  });

  it('sends a commit failure to next(err): no session cookie, the app cookie dropped too', async () => {
    const { app, errors } = makeApp((_error, _req, res, _next) => {
      res.status(413).type('text').send('too big');
    });
    served = await serve(createServer(app));
    const browser = new Browser(served.url);
    await browser.request('/set?n=1');
    const before = [...browser.jar];
    const big = await browser.request('/big');
    expect(big.status).toBe(413);
    expect(big.body).toBe('too big');
    expect(big.setCookies).toEqual([]);
    expect([...browser.jar]).toEqual(before);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(SessionTooLargeError);
    expect((errors[0] as SessionTooLargeError).code).toBe('ERR_SESSION_TOO_LARGE');
    expect(JSON.parse((await browser.request('/read')).body)).toEqual({ n: 1 });
  });

  it("reaches Express's own 500 when the app has no error handler", async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { app } = makeApp();
    app.set('env', 'production');
    served = await serve(createServer(app));
    const big = await new Browser(served.url).request('/big');
    expect(big.status).toBe(500);
    expect(big.setCookies).toEqual([]);
    log.mockRestore();
  });

  // Pinned as decided in SECURITY.md ("Decided edge cases"): Express sends a route's error to
  // the error handlers after it, never back to this middleware, so unlike the other adapters
  // the session as the route left it goes out with the error answer.
  it("commits the session of a route that threw with the error handler's answer", async () => {
    const { app, errors } = makeApp((_error, _req, res, _next) => {
      res.status(500).type('text').send('failed');
    });
    served = await serve(createServer(app));
    const browser = new Browser(served.url);
    const failed = await browser.request('/throws');
    expect([failed.status, failed.body]).toEqual([500, 'failed']);
    expect(errors).toHaveLength(1);
    expect(sessionLines(failed.setCookies)).toHaveLength(1);
    expect(JSON.parse((await browser.request('/read')).body)).toEqual({ n: 13 });
  });

  it('throws SessionCommittedError for a change after res.send', async () => {
    const { app, later } = makeApp();
    served = await serve(createServer(app));
    await new Browser(served.url).request('/late');
    expect(later).toHaveLength(1);
    const error = await later[0];
    expect(error).toBeInstanceOf(SessionCommittedError);
    expect((error as SessionCommittedError).code).toBe('ERR_SESSION_COMMITTED');
    expect((error as Error).message).toMatch(/already committed for this response/);
  });

  it('deletes every chunk on destroy()', async () => {
    const { app } = makeApp();
    served = await serve(createServer(app));
    const browser = new Browser(served.url);
    await browser.request('/chunked');
    expect([...browser.jar.keys()]).toEqual(['session', 'session.1']);
    const out = await browser.request('/logout', { method: 'POST' });
    expect(sessionLines(out.setCookies)).toHaveLength(2);
    expect(browser.jar.size).toBe(0);
  });

  it('keeps one session per request when mounted twice', async () => {
    const store = makeStore<Data>();
    const sessions = sessionMiddleware(store);
    const app = express();
    app.use(sessions);
    app.use((req, _res, next) => {
      sessions.of(req).set('n', 1);
      next();
    });
    app.use(sessions);
    app.get('/', (req, res) => {
      sessions.of(req).set('cart', ['x']);
      res.send('ok');
    });
    app.get('/read', (req, res) => {
      res.json(sessions.of(req).toJSON());
    });
    served = await serve(createServer(app));
    const browser = new Browser(served.url);
    const answer = await browser.request('/');
    expect(sessionLines(answer.setCookies)).toHaveLength(1);
    expect(JSON.parse((await browser.request('/read')).body)).toEqual({ n: 1, cart: ['x'] });
  });

  it("two stores' middlewares each attach and commit their own session", async () => {
    const first = sessionMiddleware(makeStore<Data>({ cookie: { name: 'first' } }));
    const second = sessionMiddleware(makeStore<Data>({ cookie: { name: 'second' } }));
    const app = express();
    app.use(first, second);
    app.get('/', (req, res) => {
      first.of(req).set('n', 1);
      second.of(req).set('n', 2);
      res.send('ok');
    });
    app.get('/read', (req, res) => {
      res.json([first.of(req).get('n'), second.of(req).get('n')]);
    });
    served = await serve(createServer(app));
    const browser = new Browser(served.url);
    const answer = await browser.request('/');
    expect(answer.status).toBe(200);
    expect(linesFor(answer.setCookies, 'first')).toHaveLength(1);
    expect(linesFor(answer.setCookies, 'second')).toHaveLength(1);
    expect(JSON.parse((await browser.request('/read')).body)).toEqual([1, 2]);
  });

  it('of(req) throws a clear error when the middleware did not run', () => {
    const sessions = sessionMiddleware(makeStore<Data>());
    expect(() => sessions.of({} as never)).toThrow(/sessionMiddleware\(store\) must run before/);
  });
});
