// The Hono middleware on a plain Fetch runtime (app.fetch, as Bun, Deno and workers call it),
// without @hono/node-server, which replaces the global Response with one whose headers are
// always mutable. Kept apart from hono.test.ts so that replacement cannot reach this file.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { honoSession, type SessionEnv } from '../../src/adapters/hono.js';
import { makeStore } from '../helpers/store.js';
import { sessionLines } from './support.js';

type Data = { n?: number };

describe('honoSession on app.fetch', () => {
  it('adds the cookie to a Response.redirect, whose headers are immutable', async () => {
    expect(() => Response.redirect('http://x/', 303).headers.append('x', '1')).toThrow(TypeError);
    const app = new Hono<SessionEnv<Data>>();
    app.use(honoSession(makeStore<Data>()));
    app.post('/go', (c) => {
      c.get('session').set('n', 5);
      return Response.redirect(new URL('/', c.req.url), 303);
    });
    const response = await app.fetch(new Request('http://local/go', { method: 'POST' }));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('http://local/');
    expect(sessionLines(response.headers.getSetCookie())).toHaveLength(1);
  });

  it('reads the cookie it wrote back on the next request', async () => {
    const app = new Hono<SessionEnv<Data>>();
    app.use(honoSession(makeStore<Data>()));
    app.get('/set', (c) => {
      c.get('session').set('n', 9);
      return c.text('ok');
    });
    app.get('/get', (c) => c.json({ n: c.get('session').get('n') }));
    const first = await app.fetch(new Request('http://local/set'));
    const cookie = first.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
    const second = await app.fetch(new Request('http://local/get', { headers: { cookie } }));
    expect(await second.json()).toEqual({ n: 9 });
    expect(second.headers.getSetCookie()).toEqual([]);
  });
});
