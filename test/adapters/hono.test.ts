// The Hono middleware on @hono/node-server on loopback: what Hono's own machinery (onError,
// immutable responses, the streaming helper) does with the session. The behaviours every
// entry shares are in matrix.test.ts.
import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { honoSession, type SessionEnv } from '../../src/adapters/hono.js';
import { SessionCommittedError, SessionTooLargeError } from '../../src/errors.js';
import { makeStore } from '../helpers/store.js';
import { Browser, listenHono, noise, type Served, sessionLines } from './support.js';

type Data = { n?: number; blob?: string };

let served: Served | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
  vi.restoreAllMocks();
});

function app(): Hono<SessionEnv<Data>> {
  const hono = new Hono<SessionEnv<Data>>();
  hono.use(honoSession(makeStore<Data>()));
  return hono;
}

async function start(hono: Hono<SessionEnv<Data>>): Promise<Browser> {
  served = await listenHono(hono);
  return new Browser(served.url);
}

describe('honoSession', () => {
  it('throws SessionCommittedError for a change made after the stream started, and keeps what came before', async () => {
    const hono = app();
    const codes: string[] = [];
    let streamed!: () => void;
    const done = new Promise<void>((resolve) => {
      streamed = resolve;
    });
    hono.get('/stream', (c) =>
      stream(c, async (s) => {
        c.get('session').set('n', 1);
        await s.write('first ');
        try {
          c.get('session').set('n', 2);
        } catch (error) {
          codes.push((error as { code: string }).code);
        }
        await s.write('second');
        streamed();
      }),
    );
    hono.get('/read', (c) => c.json({ n: c.get('session').get('n') ?? null }));
    const browser = await start(hono);
    const answer = await browser.request('/stream');
    await done;
    expect(answer.body).toBe('first second');
    expect(sessionLines(answer.setCookies)).toHaveLength(1);
    expect(codes).toEqual(['ERR_SESSION_COMMITTED']);
    expect(JSON.parse((await browser.request('/read')).body)).toEqual({ n: 1 });
  });

  it('adds the cookie to a Response.redirect (its headers are immutable on Fetch runtimes: hono-fetch.test.ts)', async () => {
    const hono = app();
    hono.post('/go', (c) => {
      c.get('session').set('n', 5);
      return Response.redirect(new URL('/', c.req.url), 303);
    });
    const answer = await (await start(hono)).request('/go', { method: 'POST' });
    expect(answer.status).toBe(303);
    expect(sessionLines(answer.setCookies)).toHaveLength(1);
  });

  it('commits nothing when the handler threw and app.onError answered', async () => {
    const hono = app();
    hono.get('/throw', (c) => {
      c.get('session').set('n', 1);
      throw new Error('handler failed');
    });
    hono.onError((_error, c) => c.text('handled', 200));
    const answer = await (await start(hono)).request('/throw');
    expect(answer.body).toBe('handled');
    expect(answer.setCookies).toEqual([]);
  });

  it("hands a too-large session to app.onError, and Hono's default answer is a bare 500", async () => {
    const seen: unknown[] = [];
    const withHandler = app();
    withHandler.get('/huge', (c) => {
      c.get('session').set('blob', noise('hono-huge', 9000));
      return c.redirect('/', 303);
    });
    withHandler.onError((error, c) => {
      seen.push(error);
      // The failed commit locked the session: nothing can be changed (or saved) behind the
      // error answer.
      try {
        c.get('session').set('n', 1);
        seen.push('changed after the failed commit');
      } catch (locked) {
        seen.push(locked);
      }
      return c.text('too big', 413);
    });
    const handled = await (await start(withHandler)).request('/huge');
    expect(handled.status).toBe(413);
    expect(handled.setCookies).toEqual([]);
    expect(seen[0]).toBeInstanceOf(SessionTooLargeError);
    expect(seen[1]).toBeInstanceOf(SessionCommittedError);
    await served?.close();

    vi.spyOn(console, 'error').mockImplementation(() => {});
    const plain = app();
    plain.get('/huge', (c) => {
      c.get('session').set('blob', noise('hono-huge', 9000));
      return c.text('never');
    });
    const answer = await (await start(plain)).request('/huge');
    expect(answer.status).toBe(500);
    expect(answer.body).toBe('Internal Server Error');
    expect(answer.setCookies).toEqual([]);
  });

  it('answers a garbage cookie with an empty session and at most its deletion', async () => {
    const hono = app();
    hono.get('/', (c) => c.json({ isNew: c.get('session').isNew }));
    const browser = await start(hono);
    const answer = await browser.request('/', { headers: { cookie: 'session=garbage' } });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ isNew: true });
    for (const line of answer.setCookies) expect(line).toMatch(/^session=; .*Max-Age=0/);
  });
});
