// What the README's Koa and h3 glue does when a commit fails or the handler throws, on real
// loopback servers (the recipes themselves run in recipes.test.ts).
import { createServer } from 'node:http';
import { getCookie, H3, setCookie, toNodeHandler } from 'h3';
import Koa from 'koa';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sessionFromJar } from '../../src/adapters/jar.js';
import { type SessionRequest, withSession } from '../../src/adapters/node.js';
import type { Session } from '../../src/index.js';
import { Browser, noise, type Served, serve, sessionLines } from '../adapters/support.js';
import { makeStore } from '../helpers/store.js';

type Data = { n?: number; blob?: string };

let served: Served | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
  vi.restoreAllMocks();
});

function koa(route: (session: Session<Data>, path: string) => unknown): Promise<Served> {
  const app = new Koa();
  app.silent = true;
  app.use((ctx, next) => {
    ctx.state.session = (ctx.req as SessionRequest<Data>).session;
    return next();
  });
  app.use(async (ctx) => {
    ctx.body = String((await route(ctx.state.session, ctx.path)) ?? 'ok');
  });
  return serve(createServer(withSession(makeStore<Data>(), app.callback())));
}

function h3(route: (session: Session<Data>, path: string) => unknown): Promise<Served> {
  const store = makeStore<Data>();
  const app = new H3();
  app.use(async (event, next) => {
    const session = await sessionFromJar(store, {
      get: (name) => getCookie(event, name),
      set: (name, value, options) => setCookie(event, name, value, options),
    });
    event.context.session = session;
    const response = await next();
    await session.save();
    return response;
  });
  app.all('/**', async (event) => {
    const session = event.context.session as Session<Data>;
    return String((await route(session, event.url.pathname)) ?? 'ok');
  });
  return serve(createServer(toNodeHandler(app)));
}

describe.each([
  ['koa', koa],
  ['h3', h3],
])('%s glue', (_name, start) => {
  it('answers a too-large session with a 500 that names no key, and sends no cookie', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    served = await start((session, path) => {
      if (path === '/small') session.set('n', 1);
      if (path === '/huge') session.set('blob', noise('glue', 9000));
    });
    const user = new Browser(served.url);
    await user.request('/small');
    const before = [...user.jar];
    const huge = await user.request('/huge');
    expect(huge.status).toBe(500);
    expect(sessionLines(huge.setCookies)).toEqual([]);
    expect(huge.body).not.toMatch(/blob|bytes/);
    expect([...user.jar]).toEqual(before);
  });

  it('locks the session once committed: a change after save() throws SessionCommittedError', async () => {
    const codes: string[] = [];
    served = await start(async (session) => {
      session.set('n', 2);
      await session.save();
      try {
        session.set('n', 3);
      } catch (error) {
        codes.push((error as { code: string }).code);
      }
    });
    const answer = await new Browser(served.url).request('/');
    expect(sessionLines(answer.setCookies)).toHaveLength(1);
    expect(codes).toEqual(['ERR_SESSION_COMMITTED']);
  });
});

describe('h3 glue', () => {
  it('saves nothing when the handler throws', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    served = await h3((session) => {
      session.set('n', 1);
      throw new Error('handler failed');
    });
    const answer = await new Browser(served.url).request('/');
    expect(answer.status).toBe(500);
    expect(answer.setCookies).toEqual([]);
  });
});

describe('koa glue', () => {
  it("commits the session with Koa's own error answer when a middleware throws (as under Express)", async () => {
    served = await koa((session) => {
      session.set('n', 1);
      throw new Error('handler failed');
    });
    const answer = await new Browser(served.url).request('/');
    expect(answer.status).toBe(500);
    expect(answer.body).toBe('Internal Server Error');
    expect(sessionLines(answer.setCookies)).toHaveLength(1);
  });
});
