// withSession on a real node:http server: the Set-Cookie headers go out before the response
// starts whichever method starts it, the app's own headers survive, and failures reach the app
// without a session cookie.
import { type IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { withSession } from '../../src/adapters/node.js';
import { SessionCommittedError, SessionTooLargeError } from '../../src/errors.js';
import type { Session, SessionStore } from '../../src/index.js';
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
type Handler = (req: IncomingMessage, res: ServerResponse, session: Session<Data>) => unknown;
type OnError = (error: unknown, req: IncomingMessage, res: ServerResponse) => void;

let served: Served | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
  vi.restoreAllMocks();
});

async function start(
  handler: Handler,
  options: { onError?: OnError; store?: SessionStore<Data> } = {},
): Promise<Browser> {
  const store = options.store ?? makeStore<Data>({ cookie: { name: 'session' } });
  const onError = options.onError;
  served = await serve(withSession(store, handler, onError ? { onError } : {}));
  return new Browser(served.url);
}

/** A handler that sets n from ?n= and answers with the session as JSON, via `respond`. */
function routes(respond: (res: ServerResponse, body: string) => void): Handler {
  return (req, res, session) => {
    const n = new URL(req.url ?? '/', 'http://x').searchParams.get('n');
    if (n !== null) session.set('n', Number(n));
    respond(res, JSON.stringify(session.toJSON()));
  };
}

describe('withSession: set, then read back', () => {
  it('sets the cookie, reads it on the next request, and sends no Set-Cookie when unchanged', async () => {
    const browser = await start(routes((res, body) => res.end(body)));
    const first = await browser.request('/?n=7');
    expect(first.body).toBe('{"n":7}');
    expect(sessionLines(first.setCookies)).toHaveLength(1);
    expect(first.setCookies[0]).toMatch(/^session=[\w-]+\.\.[\w-]+\.[\w-]+\.[\w-]+; /);

    const second = await browser.request('/');
    expect(second.body).toBe('{"n":7}');
    expect(second.setCookies).toEqual([]);
  });

  it('gives the handler req.session, the same object as the third argument', async () => {
    let same = false;
    const browser = await start((req, res, session) => {
      same = (req as IncomingMessage & { session: unknown }).session === session;
      res.end();
    });
    await browser.request('/');
    expect(same).toBe(true);
  });
});

// Each way a response can start: the cookie must be on it, and the body must be intact.
const STARTS: Record<string, (res: ServerResponse, body: string) => void> = {
  'end(body) in the same tick': (res, body) => res.end(body),
  'writeHead(status, headers) then end': (res, body) => {
    res.writeHead(201, { 'Content-Type': 'application/json' }).end(body);
  },
  'writeHead(status, reason, headers) then end': (res, body) => {
    res.writeHead(202, 'Fine', { 'Content-Type': 'application/json' });
    res.end(body);
  },
  'writeHead with a flat header array': (res, body) => {
    res.writeHead(200, ['Content-Type', 'application/json', 'X-Twice', 'a', 'X-Twice', 'b']);
    res.end(body);
  },
  'write, write, end': (res, body) => {
    const half = Math.floor(body.length / 2);
    res.write(body.slice(0, half));
    res.write(body.slice(half, half + 1));
    res.end(body.slice(half + 1));
  },
  'flushHeaders, then a later write and end': (res, body) => {
    res.flushHeaders();
    setTimeout(() => res.end(body), 5);
  },
};

describe.each(Object.entries(STARTS))('withSession: a response started by %s', (_name, send) => {
  it('carries the session cookie and the whole body', async () => {
    const browser = await start(routes(send));
    const first = await browser.request('/?n=3');
    expect(first.body).toBe('{"n":3}');
    expect(sessionLines(first.setCookies)).toHaveLength(1);
    const second = await browser.request('/');
    expect(second.body).toBe('{"n":3}');
    expect(second.setCookies).toEqual([]);
  });
});

describe('withSession inside withSession (two stores, two cookies)', () => {
  // Each hold passes the response's calls on to the one outside it: the patched methods are
  // shared functions that find the innermost hold on the response, so the chain is kept by
  // the holds themselves.
  for (const engine of ['node', 'webcrypto'] as const) {
    it(`commits both sessions and sends the body once (engine: '${engine}')`, async () => {
      const outerStore = makeStore<Data>({ cookie: { name: 'outer' }, advanced: { engine } });
      const innerStore = makeStore<Data>({ cookie: { name: 'inner' }, advanced: { engine } });
      const inner = withSession(innerStore, (req, res, session: Session<Data>) => {
        const n = new URL(req.url ?? '/', 'http://x').searchParams.get('n');
        if (n !== null) session.set('n', Number(n) * 10);
        res.write('inner ');
        res.end(String(session.get('n')));
      });
      served = await serve(
        withSession(outerStore, (req, res, session) => {
          const n = new URL(req.url ?? '/', 'http://x').searchParams.get('n');
          if (n !== null) session.set('n', Number(n));
          res.setHeader('X-Outer', String(session.get('n')));
          return inner(req, res);
        }),
      );
      const browser = new Browser(served.url);
      const first = await browser.request('/?n=4');
      expect(first.status).toBe(200);
      expect(first.body).toBe('inner 40');
      expect(linesFor(first.setCookies, 'outer')).toHaveLength(1);
      expect(linesFor(first.setCookies, 'inner')).toHaveLength(1);
      const second = await browser.request('/');
      expect(second.body).toBe('inner 40');
      expect(second.headers.get('x-outer')).toBe('4');
      expect(second.setCookies).toEqual([]);
    });
  }
});

describe('withSession: headers the app sets itself', () => {
  it('keeps Set-Cookie values set with setHeader', async () => {
    const browser = await start((_req, res, session) => {
      res.setHeader('Set-Cookie', ['a=1; Path=/', 'b=2; Path=/']);
      session.set('n', 1);
      res.end('ok');
    });
    const answer = await browser.request('/');
    expect(linesFor(answer.setCookies, 'a')).toEqual(['a=1; Path=/']);
    expect(linesFor(answer.setCookies, 'b')).toEqual(['b=2; Path=/']);
    expect(sessionLines(answer.setCookies)).toHaveLength(1);
  });

  it('keeps a Set-Cookie passed to writeHead, and the status, reason and other headers', async () => {
    const browser = await start((_req, res, session) => {
      res.setHeader('X-Early', 'yes');
      session.set('n', 1);
      res.writeHead(201, 'Made', { 'Set-Cookie': 'c=3', 'X-Late': 'also' });
      res.end();
    });
    const answer = await browser.request('/');
    expect(answer.status).toBe(201);
    expect(answer.headers.get('x-early')).toBe('yes');
    expect(answer.headers.get('x-late')).toBe('also');
    expect(linesFor(answer.setCookies, 'c')).toEqual(['c=3']);
    expect(sessionLines(answer.setCookies)).toHaveLength(1);
  });

  it('keeps a Set-Cookie set with setHeader when writeHead passes other headers', async () => {
    const browser = await start((_req, res, session) => {
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      session.set('n', 1);
      res.writeHead(200, { 'X-Late': 'also' }).end();
    });
    const answer = await browser.request('/');
    expect(answer.headers.get('x-late')).toBe('also');
    expect(answer.setCookies.filter((line) => /^[ab]=/.test(line))).toEqual(['a=1', 'b=2']);
    expect(sessionLines(answer.setCookies)).toHaveLength(1);
  });

  it('keeps every value of a Set-Cookie list passed to writeHead, in any case', async () => {
    const browser = await start((_req, res, session) => {
      session.set('n', 1);
      res.writeHead(200, { 'SET-COOKIE': ['x=1', 'y=2'], 'Content-Type': 'text/plain' }).end();
    });
    const answer = await browser.request('/');
    expect(answer.headers.get('content-type')).toBe('text/plain');
    expect(answer.setCookies.filter((line) => /^[xy]=/.test(line))).toEqual(['x=1', 'y=2']);
    expect(sessionLines(answer.setCookies)).toHaveLength(1);
  });

  it('keeps repeated names from a flat writeHead array', async () => {
    const browser = await start((_req, res, session) => {
      session.set('n', 1);
      res.writeHead(200, ['Set-Cookie', 'd=4', 'Set-Cookie', 'e=5']).end();
    });
    const answer = await browser.request('/');
    expect(answer.setCookies.filter((line) => /^[de]=/.test(line))).toEqual(['d=4', 'e=5']);
    expect(sessionLines(answer.setCookies)).toHaveLength(1);
  });

  it('sends nothing of its own for a session that was only read', async () => {
    const browser = await start((_req, res, session) => {
      res.setHeader('Set-Cookie', 'a=1');
      res.end(String(session.get('n')));
    });
    const answer = await browser.request('/');
    expect(answer.setCookies).toEqual(['a=1']);
  });
});

// Pinned as decided in SECURITY.md ("Decided edge cases"): `session.1` … `session.15` are the
// store's chunk names, so a cookie of the app's under one of them is the store's to delete.
describe("withSession: the chunk names are the store's", () => {
  it('deletes a cookie named session.1 at the first response, never reading it', async () => {
    const browser = await start(routes((res, body) => res.end(body)));
    browser.jar.set('session.1', 'mine');
    const first = await browser.request('/');
    expect(first.body).toBe('{}');
    expect(linesFor(first.setCookies, 'session.1')).toEqual([
      expect.stringMatching(/^session\.1=; Max-Age=0;/),
    ]);
    expect(browser.jar.has('session.1')).toBe(false);

    await browser.request('/?n=1');
    browser.jar.set('session.1', 'mine');
    // An unchanged session writes nothing, so the stray cookie waits for the next write.
    expect((await browser.request('/')).setCookies).toEqual([]);
    const write = await browser.request('/?n=2');
    expect(write.body).toBe('{"n":2}');
    expect(linesFor(write.setCookies, 'session.1')).toHaveLength(1);
    expect(browser.jar.has('session.1')).toBe(false);
  });
});

describe('withSession: save()', () => {
  it('commits early; a later change throws SessionCommittedError and the saved cookie is sent', async () => {
    const saved: (string | undefined)[] = [];
    let late: unknown;
    const browser = await start(async (req, res, session) => {
      if (req.url === '/read') {
        res.end(JSON.stringify(session.toJSON()));
        return;
      }
      session.set('n', 1);
      await session.save();
      saved.push(session.cookie?.keyId);
      try {
        session.set('n', 2);
      } catch (error) {
        late = error;
      }
      res.end();
    });
    const first = await browser.request('/');
    expect(saved).toEqual(['k1']);
    expect((late as SessionCommittedError).code).toBe('ERR_SESSION_COMMITTED');
    expect(sessionLines(first.setCookies)).toHaveLength(1);
    expect((await browser.request('/read')).body).toBe('{"n":1}');
  });

  it('still sends the saved cookie when nothing changed after save()', async () => {
    const browser = await start(async (_req, res, session) => {
      session.set('n', 5);
      await session.save();
      res.end();
    });
    const first = await browser.request('/');
    expect(sessionLines(first.setCookies)).toHaveLength(1);
  });

  it('refuses clear() and destroy() after save(), and still sends the saved cookie', async () => {
    const refused: string[] = [];
    const browser = await start(async (req, res, session) => {
      session.set('n', req.url === '/clear' ? 1 : 2);
      await session.save();
      try {
        if (req.url === '/clear') session.clear();
        else session.destroy();
      } catch (error) {
        refused.push((error as SessionCommittedError).code);
      }
      res.end();
    });
    expect(sessionLines((await browser.request('/clear')).setCookies)).toHaveLength(1);
    expect(sessionLines((await browser.request('/destroy')).setCookies)).toHaveLength(1);
    expect(refused).toEqual(['ERR_SESSION_COMMITTED', 'ERR_SESSION_COMMITTED']);
  });

  it('rejects at the save() line for a too-large session; the app can undo and answer', async () => {
    let caught: unknown;
    const browser = await start(async (_req, res, session) => {
      session.set('blob', noise('save', 9000));
      try {
        await session.save();
      } catch (error) {
        caught = error;
        session.set('blob', undefined);
        res.statusCode = 413;
      }
      res.end('after');
    });
    const answer = await browser.request('/');
    expect(caught).toBeInstanceOf(SessionTooLargeError);
    expect((caught as SessionTooLargeError).code).toBe('ERR_SESSION_TOO_LARGE');
    expect(answer.status).toBe(413);
    expect(answer.body).toBe('after');
    expect(answer.setCookies).toEqual([]);
  });
});

describe('withSession: changes after the response started', () => {
  it('throws SessionCommittedError for a set after end(), in the same tick and later', async () => {
    let sameTick: unknown;
    let later: Promise<unknown> = Promise.resolve();
    const browser = await start((_req, res, session) => {
      session.set('n', 1);
      res.end('done');
      try {
        session.set('n', 2);
      } catch (error) {
        sameTick = error;
      }
      later = laterThrown(() => session.set('n', 3));
    });
    await browser.request('/');
    for (const error of [sameTick, await later]) {
      expect(error).toBeInstanceOf(SessionCommittedError);
      expect((error as SessionCommittedError).code).toBe('ERR_SESSION_COMMITTED');
      expect((error as Error).message).toMatch(
        /already committed for this response .* make every change before that/,
      );
    }
    const reader = await browser.request('/');
    expect(reader.setCookies).toEqual([]);
  });

  it('freezes nested values, so an in-place change after end() throws too', async () => {
    let later: Promise<unknown> = Promise.resolve();
    const browser = await start((_req, res, session) => {
      session.set('cart', ['a']);
      res.end();
      later = laterThrown(() => session.get('cart')?.push('b'));
    });
    await browser.request('/');
    const error = await later;
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/not extensible/);
  });
});

describe('withSession: a commit that fails', () => {
  it('calls onError with SessionTooLargeError and sends no Set-Cookie; the old cookie stays', async () => {
    const errors: unknown[] = [];
    const ended: unknown[] = [];
    const browser = await start(
      (req, res, session) => {
        if (req.url === '/big') session.set('blob', noise('big', 9000));
        else session.set('n', 1);
        res.setHeader('Set-Cookie', 'app=1');
        res.end(JSON.stringify(session.toJSON()).slice(0, 20), () => ended.push(req.url));
      },
      {
        onError: (error, _req, res) => {
          errors.push(error);
          expect(res.headersSent).toBe(false);
          expect(res.getHeaderNames()).toEqual([]);
          res.writeHead(413, { 'Content-Type': 'text/plain' }).end('too big');
        },
      },
    );
    await browser.request('/');
    const before = [...browser.jar];
    const answer = await browser.request('/big');
    expect(answer.status).toBe(413);
    expect(answer.body).toBe('too big');
    expect(answer.setCookies).toEqual([]);
    expect([...browser.jar]).toEqual(before);
    expect(errors).toHaveLength(1);
    const error = errors[0] as SessionTooLargeError;
    expect(error).toBeInstanceOf(SessionTooLargeError);
    expect(error.code).toBe('ERR_SESSION_TOO_LARGE');
    expect(error.message).toMatch(/^session needs \d+ bytes of cookies but the limit is 6144/);
    expect(error.largestKeys[0]?.key).toBe('blob');
    // The dropped end() still calls back (with the error), so code waiting on it does not hang.
    expect(ended).toEqual(['/', '/big']);
  });

  it('answers a plain 500 by default, without any Set-Cookie, and logs the error', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const browser = await start((_req, res, session) => {
      session.set('blob', noise('big', 9000));
      res.setHeader('Set-Cookie', 'app=1');
      res.setHeader('Content-Length', '2');
      res.end('ok');
    });
    const answer = await browser.request('/');
    expect(answer.status).toBe(500);
    expect(answer.body).toBe('Internal Server Error\n');
    expect(answer.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(answer.setCookies).toEqual([]);
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0]?.[1]).toBeInstanceOf(SessionTooLargeError);
  });

  it('reports headers sent around the held methods as SessionCommittedError', async () => {
    const errors: unknown[] = [];
    const browser = await start(
      (_req, res, session) => {
        session.set('n', 1);
        // Something that bypasses the instance's methods, e.g. a reference taken beforehand.
        ServerResponse.prototype.writeHead.call(res, 200);
        res.end('x');
      },
      {
        onError: (error, _req, res) => {
          errors.push(error);
          res.destroy();
        },
      },
    );
    await browser.request('/').catch(() => undefined);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(SessionCommittedError);
    expect((errors[0] as Error).message).toMatch(/headers were sent before the session was/);
  });
});

describe('withSession: destroy()', () => {
  it('deletes every chunk of a chunked session', async () => {
    const browser = await start((req, res, session) => {
      if (req.url === '/grow') session.set('blob', noise('chunks', 3500));
      if (req.url === '/logout') session.destroy();
      res.end();
    });
    const grown = await browser.request('/grow');
    const names = [...browser.jar.keys()];
    expect(names).toEqual(['session', 'session.1']);
    expect(sessionLines(grown.setCookies)).toHaveLength(2);

    const out = await browser.request('/logout');
    const deleted = sessionLines(out.setCookies);
    expect(deleted.map((line) => line.split('=')[0]).sort()).toEqual(names);
    for (const line of deleted) expect(line).toMatch(/Max-Age=0/);
    expect(browser.jar.size).toBe(0);
  });
});

describe('withSession: a handler that fails', () => {
  it('answers 500 without a session cookie and keeps serving', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    // On Web Crypto the seal is a promise, so res.end() is held until it is done, and a throw
    // right after it still turns the response into a 500. (With node:crypto, the default on
    // Node, res.end() goes out at once, as without a session: see the next test.)
    const store = makeStore<Data>({
      cookie: { name: 'session' },
      advanced: { engine: 'webcrypto' },
    });
    const browser = await start(
      async (req, res, session) => {
        session.set('n', 1);
        if (req.url === '/throw') throw new Error('boom');
        if (req.url === '/reject') return Promise.reject(new Error('later boom'));
        if (req.url === '/end-then-throw') {
          res.end('half');
          throw new Error('after end');
        }
        res.end('fine');
      },
      { store },
    );
    for (const path of ['/throw', '/reject', '/end-then-throw']) {
      const answer = await browser.request(path);
      expect(answer.status).toBe(500);
      expect(answer.body).toBe('Internal Server Error\n');
      expect(answer.setCookies).toEqual([]);
    }
    expect(log.mock.calls.map((call) => (call[1] as Error).message)).toEqual([
      'boom',
      'later boom',
      'after end',
    ]);
    const ok = await browser.request('/');
    expect(ok.body).toBe('fine');
    expect(sessionLines(ok.setCookies)).toHaveLength(1);
  });

  it("sends what res.end() was given when the handler throws after it, on engine: 'node' (the default on Node)", async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const browser = await start(async (req, res, session) => {
      session.set('n', 1);
      if (req.url === '/end-then-throw') {
        res.end('half');
        throw new Error('after end');
      }
      res.end('fine');
    });
    const answer = await browser.request('/end-then-throw');
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('half');
    expect(sessionLines(answer.setCookies)).toHaveLength(1);
    expect(log.mock.calls.map((call) => (call[1] as Error).message)).toEqual(['after end']);
    expect((await browser.request('/')).body).toBe('fine');
  });

  it('routes a handler error to onError, and falls back to 500 if onError throws', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const seen: string[] = [];
    const browser = await start(
      (req) => {
        throw new Error(`fail ${req.url}`);
      },
      {
        onError: (error, req, res) => {
          seen.push((error as Error).message);
          if (req.url === '/bad-handler') {
            res.setHeader('X-Half-Done', '1');
            throw new Error('onError failed');
          }
          res.writeHead(503).end('later');
        },
      },
    );
    expect((await browser.request('/a')).status).toBe(503);
    const fallback = await browser.request('/bad-handler');
    expect(fallback.status).toBe(500);
    expect(fallback.headers.get('x-half-done')).toBeNull();
    expect(seen).toEqual(['fail /a', 'fail /bad-handler']);
    expect(log.mock.calls[0]?.[1]).toMatchObject({ message: 'onError failed' });
  });

  it('resolves the wrapper promise only after the failure was reported', async () => {
    const order: string[] = [];
    const store = makeStore<Data>();
    const wrapped = withSession(
      store,
      (_req, res, session) => {
        session.set('blob', noise('order', 9000));
        res.end();
      },
      {
        onError: async (_error, _req, res) => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          order.push('reported');
          res.writeHead(500).end();
        },
      },
    );
    served = await serve((req, res) => {
      wrapped(req, res).then(() => order.push('resolved'));
    });
    await new Browser(served.url).request('/');
    expect(order).toEqual(['reported', 'resolved']);
  });
});

describe('withSession: a response that needs no sealing', () => {
  it('starts at once, with nothing held (an unchanged session, and a first visit)', async () => {
    const sentAtOnce: boolean[] = [];
    const browser = await start((req, res, session) => {
      if (req.url === '/set') session.set('n', 1);
      res.end('ok');
      // Held responses report headersSent only after the seal; these need none.
      if (req.url !== '/set') sentAtOnce.push(res.headersSent);
    });
    await browser.request('/');
    const set = await browser.request('/set');
    expect(sessionLines(set.setCookies)).toHaveLength(1);
    const read = await browser.request('/');
    expect(read.setCookies).toEqual([]);
    expect(sentAtOnce).toEqual([true, true]);
  });

  it('still sends the deletions of destroy() when it starts at once', async () => {
    const browser = await start((req, res, session) => {
      if (req.url === '/set') session.set('n', 1);
      if (req.url === '/out') session.destroy();
      res.writeHead(200, { 'set-cookie': 'app=1' });
      res.end('ok');
    });
    await browser.request('/set');
    const out = await browser.request('/out');
    expect(out.setCookies).toContain('app=1');
    expect(sessionLines(out.setCookies)).toEqual([expect.stringMatching(/^session=; Max-Age=0;/)]);
  });
});
