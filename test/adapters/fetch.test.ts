// withSessionFetch, called with real Request objects: cookies are appended to the returned
// Response, including responses whose headers are immutable (Response.redirect(), fetch()).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { withSessionFetch } from '../../src/adapters/fetch.js';
import { SessionCommittedError, SessionTooLargeError } from '../../src/errors.js';
import type { Session, SessionStore } from '../../src/index.js';
import { cookieHeaderFrom, headerOf, type Jar } from '../helpers/browser-jar.js';
import { makeStore } from '../helpers/store.js';
import { laterThrown, noise, type Served, serve, sessionLines } from './support.js';

type Data = { n?: number; cart?: string[]; blob?: string };
type Handler = (request: Request, session: Session<Data>) => Response | Promise<Response>;

let served: Served | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
  vi.restoreAllMocks();
});

/** Calls the wrapped handler as a browser would: the jar's cookies in, Set-Cookie applied. */
function client(
  handler: Handler,
  options: Parameters<typeof withSessionFetch<Data>>[2] = {},
  store: SessionStore<Data> = makeStore<Data>(),
) {
  const wrapped = withSessionFetch(store, handler, options);
  const jar: Jar = new Map();
  return {
    jar,
    async call(path: string, init: RequestInit = {}) {
      const headers = new Headers(init.headers);
      if (jar.size > 0) headers.set('cookie', headerOf(jar));
      const response = await wrapped(new Request(`http://app.test${path}`, { ...init, headers }));
      const setCookies = response.headers.getSetCookie();
      cookieHeaderFrom(setCookies, jar);
      return { response, setCookies, body: await response.text() };
    },
  };
}

const readOrSet: Handler = (request, session) => {
  const n = new URL(request.url).searchParams.get('n');
  if (n !== null) session.set('n', Number(n));
  return Response.json(session.toJSON());
};

describe('withSessionFetch', () => {
  it('sets the cookie, reads it back, and sends no Set-Cookie when unchanged', async () => {
    const c = client(readOrSet);
    const first = await c.call('/?n=5');
    expect(first.body).toBe('{"n":5}');
    expect(sessionLines(first.setCookies)).toHaveLength(1);
    const second = await c.call('/');
    expect(second.body).toBe('{"n":5}');
    expect(second.setCookies).toEqual([]);
  });

  it("keeps the handler's own Set-Cookie headers", async () => {
    const c = client((_request, session) => {
      session.set('n', 1);
      const headers = new Headers();
      headers.append('Set-Cookie', 'a=1');
      headers.append('Set-Cookie', 'b=2');
      return new Response('ok', { headers });
    });
    const { setCookies } = await c.call('/');
    expect(setCookies.slice(0, 2)).toEqual(['a=1', 'b=2']);
    expect(sessionLines(setCookies)).toHaveLength(1);
  });

  it('adds cookies to Response.redirect(), whose headers are immutable', async () => {
    const c = client((_request, session) => {
      session.set('n', 2);
      return Response.redirect('http://app.test/next', 303);
    });
    const { response, setCookies } = await c.call('/', { method: 'POST' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('http://app.test/next');
    expect(sessionLines(setCookies)).toHaveLength(1);
    expect((await c.call('/')).setCookies).toEqual([]);
  });

  it('adds cookies to a fetch() response, keeping its body, status and headers', async () => {
    served = await serve((_req, res) => {
      res.writeHead(207, 'Multi', { 'X-Upstream': 'yes', 'Set-Cookie': 'up=1' });
      res.end('from upstream');
    });
    const upstream = served.url;
    const c = client(async (_request, session) => {
      session.set('n', 3);
      return fetch(upstream);
    });
    const { response, setCookies, body } = await c.call('/');
    expect(response.status).toBe(207);
    expect(response.statusText).toBe('Multi');
    expect(response.headers.get('x-upstream')).toBe('yes');
    expect(body).toBe('from upstream');
    expect(setCookies[0]).toBe('up=1');
    expect(sessionLines(setCookies)).toHaveLength(1);
  });

  it('commits early on save(); a later change throws and the saved cookie is sent', async () => {
    let late: unknown;
    const c = client(async (request, session) => {
      if (new URL(request.url).pathname === '/read') return Response.json(session.toJSON());
      session.set('n', 1);
      await session.save();
      try {
        session.set('n', 2);
      } catch (error) {
        late = error;
      }
      return new Response('ok');
    });
    const first = await c.call('/');
    expect((late as Error & { code: string }).code).toBe('ERR_SESSION_COMMITTED');
    expect(sessionLines(first.setCookies)).toHaveLength(1);
    expect((await c.call('/read')).body).toBe('{"n":1}');
  });

  it('still sends the saved cookie when nothing changed after save()', async () => {
    const c = client(async (_request, session) => {
      session.set('n', 1);
      await session.save();
      return new Response('ok');
    });
    expect(sessionLines((await c.call('/')).setCookies)).toHaveLength(1);
  });

  it('refuses destroy() after save(), and still sends the saved cookie', async () => {
    let late: unknown;
    const c = client(async (_request, session) => {
      session.set('n', 1);
      await session.save();
      try {
        session.destroy();
      } catch (error) {
        late = error;
      }
      return new Response('ok');
    });
    expect(sessionLines((await c.call('/')).setCookies)).toHaveLength(1);
    expect((late as Error & { code: string }).code).toBe('ERR_SESSION_COMMITTED');
  });

  it('throws SessionCommittedError for a change after the Response was returned', async () => {
    let later: Promise<unknown> = Promise.resolve();
    const c = client((_request, session) => {
      session.set('cart', ['a']);
      later = laterThrown(() => session.set('n', 1));
      return new Response('ok');
    });
    await c.call('/');
    const error = await later;
    expect(error).toBeInstanceOf(SessionCommittedError);
    expect((error as SessionCommittedError).code).toBe('ERR_SESSION_COMMITTED');
    expect((error as Error).message).toMatch(/already committed for this response/);
  });

  it('answers a too-large session with onError and no Set-Cookie; the old cookie stays', async () => {
    const errors: unknown[] = [];
    const c = client(
      (request, session) => {
        if (new URL(request.url).pathname === '/big') session.set('blob', noise('fetch', 9000));
        else session.set('n', 1);
        return new Response('ok', { headers: { 'Set-Cookie': 'app=1' } });
      },
      {
        onError: (error) => {
          errors.push(error);
          return new Response('too big', { status: 413 });
        },
      },
    );
    await c.call('/');
    const before = [...c.jar];
    const big = await c.call('/big');
    expect(big.response.status).toBe(413);
    expect(big.setCookies).toEqual([]);
    expect([...c.jar]).toEqual(before);
    expect(errors[0]).toBeInstanceOf(SessionTooLargeError);
    expect((errors[0] as SessionTooLargeError).code).toBe('ERR_SESSION_TOO_LARGE');
  });

  it('answers a throwing handler with a 500 by default, and logs the error', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const c = client((_request, session) => {
      session.set('n', 1);
      throw new Error('boom');
    });
    const answer = await c.call('/');
    expect(answer.response.status).toBe(500);
    expect(answer.body).toBe('Internal Server Error\n');
    expect(answer.setCookies).toEqual([]);
    expect(log.mock.calls[0]?.[1]).toMatchObject({ message: 'boom' });
  });

  it('falls back to the 500 when onError itself throws', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const c = client(
      () => {
        throw new Error('boom');
      },
      {
        onError: () => {
          throw new Error('onError failed');
        },
      },
    );
    expect((await c.call('/')).response.status).toBe(500);
    expect(log.mock.calls[0]?.[1]).toMatchObject({ message: 'onError failed' });
  });

  it('deletes every chunk on destroy()', async () => {
    const c = client((request, session) => {
      if (new URL(request.url).pathname === '/grow') session.set('blob', noise('fetch-c', 3500));
      else session.destroy();
      return new Response(null, { status: 204 });
    });
    await c.call('/grow');
    expect([...c.jar.keys()]).toEqual(['session', 'session.1']);
    const out = await c.call('/logout');
    expect(sessionLines(out.setCookies)).toHaveLength(2);
    expect(c.jar.size).toBe(0);
  });

  it('leaves Response.error() as it is', async () => {
    const c = client((_request, session) => {
      session.set('n', 1);
      return Response.error();
    });
    const wrapped = await c.call('/').catch((error: unknown) => error);
    // A network error has no readable body; what matters is that it stays one.
    expect(wrapped).not.toBeInstanceOf(Error);
    expect((wrapped as { response: Response }).response.type).toBe('error');
  });
});
