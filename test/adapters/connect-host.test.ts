// sessionMiddleware under a Connect-style host that allows `next` once (as @fastify/middie
// does): a commit failure must be answered, never passed to a second `next` call.
import { createServer } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sessionMiddleware } from '../../src/adapters/express.js';
import { makeStore } from '../helpers/store.js';
import { noise, type Served, serve } from './support.js';

let served: Served | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
  vi.restoreAllMocks();
});

describe('sessionMiddleware outside Express', () => {
  it('answers a too-large session with a bare 500 and calls next exactly once', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const store = makeStore<{ blob?: string }>();
    const sessions = sessionMiddleware(store);
    const nextCalls: unknown[][] = [];
    served = await serve(
      createServer((req, res) => {
        let done = false;
        sessions(req, res, (...args: unknown[]) => {
          nextCalls.push(args);
          // middie's Holder.done: a second call dereferences state that is gone.
          if (done) throw new TypeError("Cannot read properties of null (reading 'originalUrl')");
          done = true;
          sessions.of(req).set('blob', noise('connect', 9000));
          res.end('route');
        });
      }),
    );
    const answer = await fetch(`${served.url}/`);
    expect(answer.status).toBe(500);
    expect(answer.headers.getSetCookie()).toEqual([]);
    expect(nextCalls).toEqual([[]]);
  });
});
