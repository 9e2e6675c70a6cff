// jwe-session/react-router driven through React Router's own request handler
// (`createRequestHandler` from react-router 7, framework mode's server runtime) with real
// route modules and real Requests: the SessionStorage an app gets from
// createCookieSessionStorage, and the middleware (`future.v8_middleware`).
import {
  createContext,
  createCookieSessionStorage,
  createRequestHandler,
  isSession,
  type MiddlewareFunction,
  type RouterContextProvider,
  type SessionStorage,
} from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { createJweSessionStorage, reactRouterSession } from '../../src/adapters/react-router.js';
import { createSessionStore, type Session, type SessionStore } from '../../src/index.js';
import { cookieHeaderFrom, headerOf, type Jar } from '../helpers/browser-jar.js';
import { keyEntry } from '../helpers/keys.js';
import { makeStore, thrown } from '../helpers/store.js';
import { buildOf, type Module } from './react-router-support.js';
import { noise, sessionLines } from './support.js';

interface Answer {
  status: number;
  body: string;
  setCookies: string[];
}

/** A browser for one handler: it keeps the cookies it is given and sends them back. */
class Client {
  readonly jar: Jar = new Map();
  constructor(readonly handler: (request: Request) => Promise<Response>) {}
  async send(path: string, init: RequestInit = {}): Promise<Answer> {
    const headers = new Headers(init.headers);
    const cookie = headerOf(this.jar);
    if (cookie) headers.set('cookie', cookie);
    const response = await this.handler(
      new Request(`http://app.test${path}`, { ...init, headers }),
    );
    const setCookies = response.headers.getSetCookie();
    cookieHeaderFrom(setCookies, this.jar);
    return { status: response.status, body: await response.text(), setCookies };
  }
  post(path: string, form: Record<string, string> = {}): Promise<Answer> {
    return this.send(path, { method: 'POST', body: new URLSearchParams(form) });
  }
}

type Data = { note?: string; blob?: string; n?: number };
type Flash = { message: string };

/**
 * The app an RR tutorial teaches, written once against a `SessionStorage`: what moves from
 * createCookieSessionStorage to createJweSessionStorage is only the storage passed in.
 */
function tutorialApp(storage: SessionStorage<Data, Flash>) {
  const { getSession, commitSession, destroySession } = storage;
  const sessionOf = (request: Request) => getSession(request.headers.get('Cookie'));
  const setCookie = (value: string) => ({ 'Set-Cookie': value });
  return buildOf({
    show: {
      loader: async ({ request }: { request: Request }) => {
        const session = await sessionOf(request);
        const body = {
          note: session.get('note') ?? null,
          flashed: session.has('message'),
          message: session.get('message') ?? null,
        };
        return Response.json(body, { headers: setCookie(await commitSession(session)) });
      },
    },
    peek: {
      // Reads the note only, and commits: an unread flash survives.
      loader: async ({ request }: { request: Request }) => {
        const session = await sessionOf(request);
        const body = { note: session.get('note') ?? null };
        return Response.json(body, { headers: setCookie(await commitSession(session)) });
      },
    },
    note: {
      action: async ({ request }: { request: Request }) => {
        const session = await sessionOf(request);
        const form = await request.formData();
        session.set('note', String(form.get('note')));
        session.flash('message', 'saved');
        return new Response(null, {
          status: 303,
          headers: { Location: '/show', ...setCookie(await commitSession(session)) },
        });
      },
    },
    forget: {
      action: async ({ request }: { request: Request }) => {
        const session = await sessionOf(request);
        session.unset('note');
        return new Response(null, {
          status: 303,
          headers: { Location: '/show', ...setCookie(await commitSession(session)) },
        });
      },
    },
    logout: {
      action: async ({ request }: { request: Request }) => {
        const session = await sessionOf(request);
        return new Response(null, {
          status: 303,
          headers: { Location: '/show', ...setCookie(await destroySession(session)) },
        });
      },
    },
  });
}

/** The tutorial's visit, as the bodies and statuses a user sees. */
async function tutorialVisit(client: Client): Promise<unknown[]> {
  const seen: unknown[] = [];
  const look = async (path: string) => {
    const answer = await client.send(path);
    seen.push([path, answer.status, JSON.parse(answer.body)]);
  };
  seen.push(['note', (await client.post('/note', { note: 'first' })).status]);
  await look('/peek'); // the flash is not read here…
  await look('/show'); // …so it is still there, read once…
  await look('/show'); // …and gone.
  seen.push(['forget', (await client.post('/forget')).status]);
  await look('/show');
  await client.post('/note', { note: 'second' });
  await look('/show');
  seen.push(['logout', (await client.post('/logout')).status]);
  await look('/show');
  return seen;
}

function jweStore(): SessionStore<Data, Flash> {
  return makeStore<Data, Flash>({ cookie: { secure: false } });
}

describe('createJweSessionStorage: a React Router app moved from createCookieSessionStorage', () => {
  it('keeps working when the one storage call is changed: flash, unset, destroy', async () => {
    const theirs = createCookieSessionStorage<Data, Flash>({
      cookie: { name: 'session', secrets: ['s3cr3t'], secure: false, sameSite: 'lax' },
    });
    const ours = createJweSessionStorage(jweStore());
    const before = await tutorialVisit(new Client(createRequestHandler(tutorialApp(theirs))));
    const after = await tutorialVisit(new Client(createRequestHandler(tutorialApp(ours))));
    expect(after).toEqual(before);
    expect(after).toEqual([
      ['note', 303],
      ['/peek', 200, { note: 'first' }],
      ['/show', 200, { note: 'first', flashed: true, message: 'saved' }],
      ['/show', 200, { note: 'first', flashed: false, message: null }],
      ['forget', 303],
      ['/show', 200, { note: null, flashed: false, message: null }],
      ['/show', 200, { note: 'second', flashed: true, message: 'saved' }],
      ['logout', 303],
      ['/show', 200, { note: null, flashed: false, message: null }],
    ]);
  });

  it('seals the cookie as a JWE; a tampered copy opens as an empty session, not an exception', async () => {
    const client = new Client(
      createRequestHandler(tutorialApp(createJweSessionStorage(jweStore()))),
    );
    await client.post('/note', { note: 'kept' });
    const token = client.jar.get('session') as string;
    const parts = token.split('.');
    expect(parts).toHaveLength(5);
    expect(JSON.parse(Buffer.from(parts[0] as string, 'base64url').toString())).toMatchObject({
      alg: 'dir',
      enc: 'A256GCM',
    });
    const body = parts[3] as string;
    const flipped = (body[0] === 'A' ? 'B' : 'A') + body.slice(1);
    client.jar.set('session', [parts[0], parts[1], parts[2], flipped, parts[4]].join('.'));
    const answer = await client.send('/show');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ note: null, flashed: false, message: null });
  });

  it('gives sessions React Router recognises, with a rejection reason for a bad cookie', async () => {
    const storage = createJweSessionStorage(jweStore());
    const session = await storage.getSession('session=not-a-token');
    expect(isSession(session)).toBe(true);
    expect(session.id).toBe('');
    expect(session.jwe.rejection?.reason).toBe('malformed');
    // The refused cookie is cleared at the commit.
    expect(await storage.commitSession(session)).toMatch(/^session=; Max-Age=0;/);
  });

  it("keeps flash values in the data under React Router's own key", async () => {
    const storage = createJweSessionStorage(jweStore());
    const session = await storage.getSession(null);
    session.flash('message', 'hi');
    expect(session.data).toEqual({ __flash_message__: 'hi' });
    const next = await storage.getSession(cookieOf(await storage.commitSession(session)));
    expect(next.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(next.get('message')).toBe('hi');
    expect(next.data).toEqual({});
  });

  it('returns "" when nothing changed, and commits once', async () => {
    const storage = createJweSessionStorage(jweStore());
    const session = await storage.getSession(null);
    session.set('n', 1);
    const line = await storage.commitSession(session);
    expect(line).toMatch(/^session=/);
    expect(await storage.commitSession(session)).toBe(line);
    expect((thrown(() => session.set('n', 2)) as { code: string }).code).toBe(
      'ERR_SESSION_COMMITTED',
    );
    const read = await storage.getSession(cookieOf(line));
    expect(read.get('n')).toBe(1);
    expect(await storage.commitSession(read)).toBe('');
  });

  it('throws SessionTooLargeError past one cookie, pointing to the middleware, and stays open', async () => {
    const storage = createJweSessionStorage(jweStore());
    const session = await storage.getSession(null);
    session.set('blob', noise('big', 3500));
    const error = (await storage.commitSession(session).catch((e: unknown) => e)) as Error & {
      code: string;
      limit: number;
    };
    expect(error.code).toBe('ERR_SESSION_TOO_LARGE');
    expect(error.limit).toBe(4096);
    expect(error.message).toContain('reactRouterSession');
    expect(error.message).toContain('"blob"');
    // Nothing was recorded: the app can trim and commit again.
    session.unset('blob');
    session.set('n', 1);
    expect(await storage.commitSession(session)).toMatch(/^session=[^;]{100,}/);
  });

  it("leaves out the deletion of chunks the middleware wrote: one line, the session's own", async () => {
    const store = jweStore();
    const big = await chunkedCookie(store);
    const storage = createJweSessionStorage(store);
    const session = await storage.getSession(big);
    expect(session.get('blob')).toHaveLength(3500);
    session.unset('blob');
    session.set('n', 1);
    const line = await storage.commitSession(session);
    expect(line).toMatch(/^session=[^;]+; Max-Age=\d+/);
    expect(line).not.toContain(',');
  });

  it('destroySession expires the cookie the request carried', async () => {
    const storage = createJweSessionStorage(jweStore());
    const first = await storage.getSession(null);
    first.set('n', 1);
    const cookie = cookieOf(await storage.commitSession(first));
    const line = await storage.destroySession(await storage.getSession(cookie));
    expect(line).toMatch(/^session=; Max-Age=0;/);
    expect(line).toContain('Expires=Thu, 01 Jan 1970');
  });

  it('maps maxAge and expires to the idle timeout, 0 to a deletion, and refuses other attributes', async () => {
    const storage = createJweSessionStorage(jweStore());
    const one = await storage.getSession(null);
    one.set('n', 1);
    const line = await storage.commitSession(one, { maxAge: 3600 });
    expect(line).toContain('Max-Age=3600;');
    const reread = await storage.getSession(cookieOf(line));
    expect(reread.jwe.options().idleTimeout).toBe(3600);

    const two = await storage.getSession(null);
    two.set('n', 2);
    const expiring = await storage.commitSession(two, {
      expires: new Date(Date.now() + 7200_500),
    });
    expect(expiring).toMatch(/Max-Age=(7200|7199);/);

    const three = await storage.getSession(cookieOf(line));
    expect(await storage.commitSession(three, { maxAge: 0 })).toMatch(/^session=; Max-Age=0;/);

    const four = await storage.getSession(null);
    const refused = (await storage
      .commitSession(four, { path: '/admin' })
      .catch((e: unknown) => e)) as { code: string; message: string };
    expect(refused.code).toBe('ERR_SESSION_CONFIG');
    expect(refused.message).toContain('cookie.path');
    const longer = (await storage
      .commitSession(four, { maxAge: 10 ** 9 })
      .catch((e: unknown) => e)) as { code: string };
    expect(longer.code).toBe('ERR_SESSION_CONFIG');
  });

  it('refuses a session it did not make, with a TypeError', async () => {
    const storage = createJweSessionStorage(jweStore());
    const theirs = await createCookieSessionStorage({ cookie: { secrets: ['x'] } }).getSession(
      null,
    );
    const error = await storage.commitSession(theirs as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain('getSession()');
  });

  it('checks the keys when the storage is made: none in production is SessionConfigError', () => {
    const store = createSessionStore({ testing: { env: { NODE_ENV: 'production' } } });
    const error = thrown(() => createJweSessionStorage(store)) as { code: string; message: string };
    expect(error.code).toBe('ERR_SESSION_CONFIG');
    expect(error.message).toContain('SESSION_KEYS');
  });
});

/** The Cookie header a browser sends back after this one Set-Cookie value. */
function cookieOf(line: string): string {
  return cookieHeaderFrom([line]);
}

/** A session too large for one cookie, as the middleware writes it: its Cookie header. */
async function chunkedCookie(store: SessionStore<Data, Flash>): Promise<string> {
  const session = await store.load(null);
  session.set('blob', noise('chunked', 3500));
  const lines = await store.commit(session);
  expect(lines.length).toBeGreaterThan(1);
  return cookieHeaderFrom(lines);
}

// --- the middleware -----------------------------------------------------------------------

const sessionContext = createContext<Session<Data, Flash>>();
type Args = { context: Readonly<RouterContextProvider>; request: Request };

function middlewareApp(
  store: SessionStore<Data, Flash>,
  routes: Record<string, Module> = {},
): (request: Request) => Promise<Response> {
  const middleware: MiddlewareFunction<Response>[] = [reactRouterSession(store, sessionContext)];
  const build = buildOf(
    {
      count: {
        loader: ({ context }: Args) =>
          Response.json({ n: context.get(sessionContext).get('n') ?? null }),
        action: ({ context }: Args) => {
          const session = context.get(sessionContext);
          session.set('n', (session.get('n') ?? 0) + 1);
          return new Response(null, { status: 303, headers: { Location: '/count' } });
        },
      },
      boom: {
        action: ({ context }: Args) => {
          context.get(sessionContext).set('n', 99);
          throw new Error('boom');
        },
      },
      big: {
        action: ({ context }: Args) => {
          context.get(sessionContext).set('blob', noise('mw', 3500));
          return new Response('ok');
        },
      },
      huge: {
        action: ({ context }: Args) => {
          context.get(sessionContext).set('blob', noise('huge', 9000));
          return new Response('ok');
        },
      },
      ...routes,
    },
    { middleware },
  );
  return createRequestHandler(build);
}

describe('reactRouterSession: the middleware', () => {
  it('opens the session for loaders and actions, commits after them, and sends nothing for a read', async () => {
    const client = new Client(middlewareApp(jweStore()));
    const posted = await client.post('/count');
    expect(posted.status).toBe(303);
    expect(sessionLines(posted.setCookies)).toHaveLength(1);
    const read = await client.send('/count');
    expect(JSON.parse(read.body)).toEqual({ n: 1 });
    expect(read.setCookies).toEqual([]);
  });

  it('answers a cross-site POST 403 before any action runs, with no cookie', async () => {
    const action = vi.fn(() => new Response('ran'));
    const client = new Client(middlewareApp(jweStore(), { spy: { action } }));
    await client.post('/count');
    for (const headers of [{ 'Sec-Fetch-Site': 'cross-site' }, { Origin: 'https://evil.test' }]) {
      const answer = await client.send('/spy', { method: 'POST', headers });
      expect(answer.status).toBe(403);
      expect(answer.body).toContain('cross-site');
      expect(answer.setCookies).toEqual([]);
    }
    expect(action).not.toHaveBeenCalled();
    const sameOrigin = await client.send('/spy', {
      method: 'POST',
      headers: { 'Sec-Fetch-Site': 'same-origin' },
    });
    expect(sameOrigin.status).toBe(200);
  });

  it('commits nothing when a route threw (a 5xx answer)', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const client = new Client(middlewareApp(jweStore()));
    await client.post('/count');
    const failed = await client.post('/boom');
    expect(failed.status).toBe(500);
    expect(failed.setCookies).toEqual([]);
    expect(JSON.parse((await client.send('/count')).body)).toEqual({ n: 1 });
  });

  it('splits a large session over several cookies, and deletes them all on destroy', async () => {
    const client = new Client(
      middlewareApp(jweStore(), {
        out: {
          action: ({ context }: Args) => {
            context.get(sessionContext).destroy();
            return new Response('bye');
          },
        },
      }),
    );
    const big = await client.post('/big');
    expect(sessionLines(big.setCookies).length).toBeGreaterThan(1);
    expect(client.jar.size).toBe(sessionLines(big.setCookies).length);
    const out = await client.post('/out');
    expect(sessionLines(out.setCookies).every((line) => /Max-Age=0/.test(line))).toBe(true);
    expect(client.jar.size).toBe(0);
  });

  it('throws a failed commit into React Router (500, no cookie); the browser keeps its cookie', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const client = new Client(middlewareApp(jweStore()));
    await client.post('/count');
    const kept = headerOf(client.jar);
    const failed = await client.post('/huge');
    expect(failed.status).toBe(500);
    expect(failed.setCookies).toEqual([]);
    expect(headerOf(client.jar)).toBe(kept);
  });

  it('re-seals on a read a cookie sealed under a key that is no longer first', async () => {
    const old = makeStore<Data, Flash>({ cookie: { secure: false }, keys: keyEntry('k1') });
    const client = new Client(middlewareApp(old));
    await client.post('/count');
    const rotated = makeStore<Data, Flash>({
      cookie: { secure: false },
      keys: [keyEntry('k2'), keyEntry('k1')].join(','),
    });
    const after = new Client(middlewareApp(rotated));
    for (const [name, value] of client.jar) after.jar.set(name, value);
    const read = await after.send('/count');
    expect(JSON.parse(read.body)).toEqual({ n: 1 });
    expect(sessionLines(read.setCookies)).toHaveLength(1);
    const header = after.jar.get('session')?.split('.')[0] as string;
    expect(JSON.parse(Buffer.from(header, 'base64url').toString()).kid).toMatch(/^k2/);
  });

  it('checks the keys when wired: none in production is SessionConfigError', () => {
    const store = createSessionStore<Data, Flash>({ testing: { env: { NODE_ENV: 'production' } } });
    const error = thrown(() => reactRouterSession(store, sessionContext)) as { code: string };
    expect(error.code).toBe('ERR_SESSION_CONFIG');
  });
});
