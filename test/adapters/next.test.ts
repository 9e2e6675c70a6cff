// jwe-session/next against Next.js's own cookie objects (the ones `await cookies()` returns in
// a Server Action and in a Server Component) and its proxy contract. The example app in
// examples/next covers the same code inside a running Next.js server.
import { readFileSync } from 'node:fs';
import { RequestCookies } from 'next/dist/compiled/@edge-runtime/cookies/index.js';
import {
  MutableRequestCookiesAdapter,
  RequestCookiesAdapter,
} from 'next/dist/server/web/spec-extension/adapters/request-cookies.js';
import { describe, expect, it } from 'vitest';
import type { CookieJar } from '../../src/adapters/jar.js';
import { getSession, sessionProxy } from '../../src/adapters/next.js';
import {
  SessionCommittedError,
  SessionReadOnlyError,
  SessionTooLargeError,
} from '../../src/errors.js';
import type { SessionStore } from '../../src/index.js';
import { cookieHeaderFrom } from '../helpers/browser-jar.js';
import { Clock } from '../helpers/clock.js';
import { makeStore, rejected } from '../helpers/store.js';
import { noise } from './support.js';

type Data = { user?: string; blob?: string; n?: number };

/** A Cookie header holding a session with `data`, as the browser would send it. */
async function cookieWith(store: SessionStore<Data>, data: Data, flash = false): Promise<string> {
  const session = await store.load(undefined);
  for (const [key, value] of Object.entries(data)) session.set(key as keyof Data, value);
  if (flash) session.flash('notice', 'saved');
  return cookieHeaderFrom(await store.commit(session));
}

/** What a Server Action gets from `await cookies()`, and the Set-Cookie lines it produced. */
function actionCookies(cookie: string) {
  let lines: string[] = [];
  const jar = MutableRequestCookiesAdapter.wrap(
    new RequestCookies(new Headers({ cookie })),
    (l) => {
      lines = l;
    },
  );
  return { jar: jar as unknown as CookieJar, lines: () => lines };
}

/** What a Server Component gets: a jar whose writes throw. */
function componentCookies(cookie: string): CookieJar {
  return RequestCookiesAdapter.seal(new RequestCookies(new Headers({ cookie })));
}

function get(path: string, cookie: string, headers: Record<string, string> = {}): Request {
  return new Request(`http://localhost${path}`, { headers: { cookie, ...headers } });
}

describe('getSession', () => {
  it('reads and saves through a Server Action jar, every chunk and every deletion', async () => {
    const store = makeStore<Data>();
    const action = actionCookies('theme=dark');
    const session = await getSession(store, action.jar);
    expect(session.isNew).toBe(true);
    session.set('blob', noise('next', 3500));
    await session.save();
    const written = action.lines();
    expect(written.length).toBeGreaterThan(1);
    expect(written.every((line) => /HttpOnly/i.test(line) && /SameSite=lax/i.test(line))).toBe(
      true,
    );

    const again = actionCookies(cookieHeaderFrom(written));
    const reloaded = await getSession(store, again.jar);
    expect(reloaded.get('blob')).toBe(session.get('blob'));
    reloaded.destroy();
    await reloaded.save();
    expect(again.lines().length).toBe(written.length);
    expect(again.lines().every((line) => /Max-Age=0/i.test(line) || /Expires=/i.test(line))).toBe(
      true,
    );
  });

  it('reads in a Server Component, and a write there is SessionReadOnlyError naming what to do', async () => {
    const store = makeStore<Data>();
    const jar = componentCookies(await cookieWith(store, { user: 'ann' }));
    const session = await getSession(store, jar);
    expect(session.get('user')).toBe('ann');
    session.set('user', 'bob');
    const error = await rejected(() => session.save());
    expect(error).toBeInstanceOf(SessionReadOnlyError);
    expect((error as Error).message).toMatch(/Server Action or Route[\s\S]*proxy\.ts/);
  });

  // Pinned as decided in SECURITY.md ("Decided edge cases"): Next's jar hands over values
  // percent-decoded, so a %-encoded copy of a token opens there, as the very token it decodes
  // to, while the Cookie header path reads exact bytes and refuses it.
  it('opens a %-encoded copy of the token through the jar; the Cookie header path refuses it', async () => {
    const store = makeStore<Data>();
    const header = await cookieWith(store, { user: 'ann' });
    const encoded = header.replace('.', '%2E');
    expect(encoded).not.toBe(header);
    const session = await getSession(store, componentCookies(encoded));
    expect(session.rejection).toBeUndefined();
    expect(session.get('user')).toBe('ann');
    expect((await store.load(encoded)).rejection?.reason).toBe('malformed');
  });

  it('a Server Component that only reads saves nothing and throws nothing', async () => {
    const store = makeStore<Data>();
    const session = await getSession(store, componentCookies(await cookieWith(store, { n: 1 })));
    await expect(session.save()).resolves.toBeUndefined();
  });

  it('a too-large session writes nothing to the jar and can be put back', async () => {
    const store = makeStore<Data>({ cookie: { maxTotalBytes: 4096 } });
    const action = actionCookies('');
    const session = await getSession(store, action.jar);
    session.set('blob', noise('big', 6000));
    expect(await rejected(() => session.save())).toBeInstanceOf(SessionTooLargeError);
    expect(action.lines()).toEqual([]);
    session.set('blob', undefined);
    await session.save();
    expect(action.lines()).toEqual([]);
  });

  it('outside a request, says so through Next.js rather than failing on import', async () => {
    const store = makeStore<Data>();
    // next/headers is imported on this call, not when the module was: the error is Next's own.
    await expect(getSession(store)).rejects.toThrow(/outside a request scope|cookies/);
  });

  it('never imports next when the module loads', () => {
    const source = readFileSync(new URL('../../src/adapters/next.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/^import[^;]*from ['"]next/m);
  });

  it('refuses something that is not a store before touching Next.js', async () => {
    await expect(getSession({} as SessionStore<Data>)).rejects.toThrow(/createSessionStore/);
  });
});

describe('sessionProxy', () => {
  const pass = () => new Response(null, { headers: { 'x-middleware-next': '1' } });

  it('sends no Set-Cookie on a page request that needs nothing written', async () => {
    const store = makeStore<Data>();
    const cookie = await cookieWith(store, { n: 1 });
    const response = await sessionProxy(store, pass)(get('/', cookie));
    expect(response.headers.get('x-middleware-next')).toBe('1');
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it('slides the idle deadline once refreshAfter has passed', async () => {
    const clock = new Clock();
    const store = makeStore<Data>({ lifetime: { idleTimeout: 3600, refreshAfter: 0.5 } }, clock);
    const cookie = await cookieWith(store, { n: 1 });
    clock.advance(1900);
    const response = await sessionProxy(store, pass)(get('/', cookie));
    const [line] = response.headers.getSetCookie();
    expect(line).toMatch(/^session=.*Max-Age=3600/);
    expect((await store.load(cookieHeaderFrom([line as string]))).get('n')).toBe(1);
  });

  it('clears a flash on the page request that showed it', async () => {
    const store = makeStore<Data>();
    const cookie = await cookieWith(store, { n: 1 }, true);
    expect((await store.load(cookie)).getFlash('notice')).toBe('saved');
    const response = await sessionProxy(store, pass)(get('/', cookie));
    const next = cookieHeaderFrom(response.headers.getSetCookie());
    const after = await store.load(next);
    expect(after.getFlash('notice')).toBeUndefined();
    expect(after.get('n')).toBe(1);
  });

  it('deletes a rejected cookie, every chunk', async () => {
    const store = makeStore<Data>();
    const response = await sessionProxy(store, pass)(get('/', 'session=2~garbage; session.1=more'));
    const lines = response.headers.getSetCookie();
    expect(lines.map((l) => l.split('=')[0]).sort()).toEqual(['session', 'session.1']);
    expect(lines.every((l) => /Max-Age=0/.test(l))).toBe(true);
  });

  it.each([
    ['a Server Action', 'POST', { 'next-action': 'abc' }],
    ['a form POST to a Route Handler', 'POST', {}],
    ['a router prefetch', 'GET', { 'next-router-prefetch': '1' }],
    ['a browser prefetch', 'GET', { 'sec-purpose': 'prefetch' }],
  ])('writes nothing on %s, whose own route owns the cookie', async (_, method, headers) => {
    const store = makeStore<Data>();
    const cookie = await cookieWith(store, { n: 1 }, true);
    let seen: number | undefined;
    const proxy = sessionProxy<Data>(store, (_request, session) => {
      seen = session.get('n');
      return pass();
    });
    const response = await proxy(
      new Request('http://localhost/', { method, headers: { cookie, ...headers } }),
    );
    expect(seen).toBe(1);
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it('refuses a change on a request it does not write, rather than losing it', async () => {
    const store = makeStore<Data>();
    let error: unknown;
    const proxy = sessionProxy<Data>(
      store,
      (_request, session) => {
        session.set('n', 2);
        return pass();
      },
      {
        onError: (e) => {
          error = e;
          return new Response('refused', { status: 500 });
        },
      },
    );
    const response = await proxy(new Request('http://localhost/', { method: 'POST' }));
    expect(response.status).toBe(500);
    expect(error).toBeInstanceOf(SessionCommittedError);
    expect((error as Error).message).toMatch(/Server Action or Route Handler/);
  });

  it('writes a change its handler makes on a GET', async () => {
    const store = makeStore<Data>();
    const proxy = sessionProxy<Data>(store, (_request, session) => {
      session.set('user', 'proxy');
      return pass();
    });
    const response = await proxy(get('/', ''));
    const after = await store.load(cookieHeaderFrom(response.headers.getSetCookie()));
    expect(after.get('user')).toBe('proxy');
  });

  it('answers NextResponse.next() by default', async () => {
    const store = makeStore<Data>();
    const response = await sessionProxy(store)(get('/', ''));
    expect(response.headers.get('x-middleware-next')).toBe('1');
  });
});
