// The SvelteKit handle hook. First in-process, with real Requests and a `resolve` standing in
// for SvelteKit's; then a real SvelteKit app (./sveltekit-app, built by `vite build` and served
// by SvelteKit's own Server: sequence(), load, form actions, endpoints, streaming, its error
// page, sub-requests); then the example app as `npm start` serves it, for what the issue is
// about: a read-only page view slides the session and re-seals it under a new first key.
// The app and the example run the built package: `npm run build` first.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RequestEvent } from '@sveltejs/kit';
import type { sequence } from '@sveltejs/kit/hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SessionLocals, sveltekitSession } from '../../src/adapters/sveltekit.js';
import {
  SessionCommittedError,
  SessionConfigError,
  SessionTooLargeError,
} from '../../src/errors.js';
import { createSessionStore, type SessionStore } from '../../src/index.js';
import { newKeyEntry, startExample, stopAllApps } from '../helpers/app-process.js';
import { Clock } from '../helpers/clock.js';
import { keyEntry } from '../helpers/keys.js';
import { makeStore, rejected, thrown } from '../helpers/store.js';
import { sessionLines } from './support.js';

// SvelteKit 2 exports `Handle` from '@sveltejs/kit', SvelteKit 3 from '/hooks' only.
type Handle = Parameters<typeof sequence>[number];

type Data = { n?: number; blob?: string };

const ORIGIN = 'http://app.test';

function eventFor(request: Request, isSubRequest = false): RequestEvent {
  // What the hook reads of an event; SvelteKit's has more.
  return { request, locals: {}, isSubRequest, url: new URL(request.url) } as never;
}

type Route = (locals: SessionLocals<Data>) => Response | Promise<Response>;

/** One request through the hook, with `route` as what SvelteKit's resolve would run. */
async function run(handle: Handle, request: Request, route: Route, isSubRequest = false) {
  let ran = false;
  const event = eventFor(request, isSubRequest);
  const response = await handle({
    event,
    resolve: async (resolved) => {
      ran = true;
      return route(resolved.locals as SessionLocals<Data>);
    },
  });
  return { response, ran, locals: event.locals as SessionLocals<Data> };
}

const get = (path: string, cookie?: string) =>
  new Request(`${ORIGIN}${path}`, cookie ? { headers: { cookie } } : {});

/** The Cookie header a browser sends back after these Set-Cookie lines. */
const cookieOf = (lines: readonly string[]) =>
  lines.map((line) => line.slice(0, line.indexOf(';'))).join('; ');

async function sealed(store: SessionStore<Data>, data: Data): Promise<string> {
  const session = await store.load(undefined);
  for (const [key, value] of Object.entries(data)) session.set(key as keyof Data, value as never);
  return cookieOf(await store.commit(session));
}

describe('sveltekitSession in-process', () => {
  it('puts the session on event.locals and appends its cookie to the Response resolve made', async () => {
    const handle = sveltekitSession(makeStore<Data>());
    const { response, locals } = await run(handle, get('/'), (l) => {
      l.session.set('n', 1);
      return new Response('ok', { headers: { 'set-cookie': 'other=1; Path=/' } });
    });
    expect(locals.session.get('n')).toBe(1);
    const lines = response.headers.getSetCookie();
    expect(lines[0]).toBe('other=1; Path=/');
    expect(sessionLines(lines)).toHaveLength(1);
  });

  it('adds the cookie to a Response with immutable headers (Response.redirect, a fetched one)', async () => {
    const handle = sveltekitSession(makeStore<Data>());
    const { response } = await run(handle, get('/'), (l) => {
      l.session.set('n', 2);
      return Response.redirect(`${ORIGIN}/next`, 303);
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${ORIGIN}/next`);
    expect(sessionLines(response.headers.getSetCookie())).toHaveLength(1);
  });

  it('answers a cross-site POST 403 itself: no route runs, no cookie', async () => {
    const store = makeStore<Data>();
    const handle = sveltekitSession(store);
    const cookie = await sealed(store, { n: 1 });
    const request = new Request(`${ORIGIN}/add`, {
      method: 'POST',
      headers: { cookie, 'sec-fetch-site': 'cross-site', origin: 'https://evil.test' },
      body: 'x=1',
    });
    const { response, ran } = await run(handle, request, (l) => {
      l.session.set('n', 2);
      return new Response('ran');
    });
    expect(ran).toBe(false);
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/cross-site/);
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it('slides a session on a read-only request once refreshAfter has passed, and sends nothing before', async () => {
    const clock = new Clock();
    const store = makeStore<Data>({}, clock);
    const handle = sveltekitSession(store);
    const cookie = await sealed(store, { n: 1 });
    const before = (await store.load(cookie)).cookie?.expiresAt.getTime() as number;
    clock.advance(3600);
    const early = await run(
      handle,
      get('/', cookie),
      (l) => new Response(String(l.session.get('n'))),
    );
    expect(early.response.headers.getSetCookie()).toEqual([]);
    clock.advance(3 * 86_400); // past 0.25 of the 7-day idle timeout
    const { response } = await run(handle, get('/', cookie), (l) => {
      return new Response(String(l.session.get('n')));
    });
    const lines = sessionLines(response.headers.getSetCookie());
    expect(lines).toHaveLength(1);
    const after = (await store.load(cookieOf(lines))).cookie?.expiresAt.getTime() as number;
    expect(after - before).toBe((3600 + 3 * 86_400) * 1000);
  });

  it('re-seals a cookie sealed under an older key on a read-only request', async () => {
    const old = keyEntry('old');
    const before = createSessionStore<Data>({ keys: old, testing: { env: {} } });
    const after = createSessionStore<Data>({
      keys: `${keyEntry('new')},${old}`,
      testing: { env: {} },
    });
    const cookie = await sealed(before, { n: 5 });
    const { response } = await run(sveltekitSession(after), get('/', cookie), (l) => {
      return new Response(String(l.session.get('n')));
    });
    expect(await response.text()).toBe('5');
    const lines = sessionLines(response.headers.getSetCookie());
    expect(lines).toHaveLength(1);
    const reopened = await after.load(cookieOf(lines));
    expect(reopened.cookie?.keyId).toBe('new');
    expect(reopened.get('n')).toBe(5);
  });

  it('deletes a rejected cookie on a read-only request', async () => {
    const handle = sveltekitSession(makeStore<Data>());
    const { response, locals } = await run(handle, get('/', 'session=garbage'), () => {
      return new Response('read');
    });
    expect(locals.session.rejection?.reason).toBeDefined();
    const lines = sessionLines(response.headers.getSetCookie());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^session=; .*Max-Age=0/);
  });

  it('commits nothing for a 5xx (a route that threw, answered by SvelteKit), and locks the session', async () => {
    const handle = sveltekitSession(makeStore<Data>());
    const { response, locals } = await run(handle, get('/'), (l) => {
      l.session.set('n', 9);
      return new Response('error page', { status: 500 });
    });
    expect(response.status).toBe(500);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(thrown(() => locals.session.set('n', 10))).toBeInstanceOf(SessionCommittedError);
  });

  it('commits a redirect and an error(4xx) page: they are answers, not failures', async () => {
    const handle = sveltekitSession(makeStore<Data>());
    for (const status of [303, 400, 404]) {
      const { response } = await run(handle, get('/'), (l) => {
        l.session.set('n', status);
        return new Response(null, { status, headers: { location: '/' } });
      });
      expect(sessionLines(response.headers.getSetCookie()), String(status)).toHaveLength(1);
    }
  });

  it('throws a failed commit (SessionTooLargeError) for SvelteKit to answer, and cancels the body', async () => {
    const handle = sveltekitSession(makeStore<Data>());
    let cancelled = false;
    const body = new ReadableStream({
      cancel() {
        cancelled = true;
      },
    });
    const error = await rejected(() =>
      run(handle, get('/'), (l) => {
        l.session.set('blob', 'x'.repeat(1000) + crypto.randomUUID().repeat(300));
        return new Response(body);
      }),
    );
    expect(error).toBeInstanceOf(SessionTooLargeError);
    expect(cancelled).toBe(true);
  });

  it('rethrows what resolve threw, and the session then refuses changes', async () => {
    const handle = sveltekitSession(makeStore<Data>());
    let locals: SessionLocals<Data> | undefined;
    const error = await rejected(() =>
      run(handle, get('/'), (l) => {
        locals = l;
        throw new Error('resolve failed');
      }),
    );
    expect((error as Error).message).toBe('resolve failed');
    expect(thrown(() => locals?.session.set('n', 1))).toBeInstanceOf(SessionCommittedError);
  });

  it('throws SessionCommittedError for a change after the response was made (a streamed load)', async () => {
    const handle = sveltekitSession(makeStore<Data>());
    const { response, locals } = await run(handle, get('/'), (l) => {
      l.session.set('n', 1);
      return new Response('streaming');
    });
    expect(sessionLines(response.headers.getSetCookie())).toHaveLength(1);
    expect(thrown(() => locals.session.set('n', 2))).toBeInstanceOf(SessionCommittedError);
  });

  it('leaves a sub-request (event.fetch to an own endpoint) read-only, and commits nothing there', async () => {
    const clock = new Clock();
    const store = makeStore<Data>({}, clock);
    const cookie = await sealed(store, { n: 1 });
    clock.advance(3 * 86_400); // a slide is due: the outer request makes it, not this one
    const { response, locals } = await run(
      sveltekitSession(store),
      get('/api', cookie),
      (l) => new Response(String(l.session.get('n'))),
      true,
    );
    expect(await response.text()).toBe('1');
    expect(response.headers.getSetCookie()).toEqual([]);
    const error = thrown(() => locals.session.set('n', 2));
    expect(error).toBeInstanceOf(SessionCommittedError);
    expect((error as Error).message).toMatch(/sub-request/);
  });

  it('checks the keys when the hook is made: no SESSION_KEYS under NODE_ENV=production', () => {
    const store = createSessionStore({ testing: { env: { NODE_ENV: 'production' } } });
    const error = thrown(() => sveltekitSession(store));
    expect(error).toBeInstanceOf(SessionConfigError);
    expect((error as Error).message).toMatch(/SESSION_KEYS/);
  });
});

// ---- a real SvelteKit app ---------------------------------------------------------------------

const APP = fileURLToPath(new URL('./sveltekit-app/', import.meta.url));
const BUILT = join(APP, '.svelte-kit', 'output', 'server', 'index.js');
const APP_KEYS = newKeyEntry('kit');

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

// The SvelteKit the app was built with: a build for another version (CI runs this file again on
// the newest major) imports modules that version no longer has. npm gives installed files one
// fixed mtime, so the version is recorded beside the build instead of compared by date.
const KIT_VERSION: string = createRequire(import.meta.url)('@sveltejs/kit/package.json').version;
const BUILT_FOR = `${BUILT}.kit-version`;

function buildApp(): void {
  let built = 0;
  let builtFor = '';
  try {
    built = statSync(BUILT).mtimeMs;
    builtFor = readFileSync(BUILT_FOR, 'utf8');
  } catch {}
  const sources = ['src', 'vite.config.js'].map((p) => newest(join(APP, p)));
  if (built > Math.max(...sources) && builtFor === KIT_VERSION) return;
  const vite = join(
    createRequire(import.meta.url).resolve('vite/package.json'),
    '..',
    'bin',
    'vite.js',
  );
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'error'], {
    cwd: APP,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) throw new Error(`vite build failed:\n${result.stderr}`);
  writeFileSync(BUILT_FOR, KIT_VERSION);
}

interface KitServer {
  init(options: { env: Record<string, string | undefined> }): Promise<void>;
  respond(request: Request, options: { getClientAddress(): string }): Promise<Response>;
}

interface Record_ {
  handled: { name: string; status: number }[];
  late: string[];
}

describe('sveltekitSession in a real SvelteKit app (sequence, load, actions, endpoints)', () => {
  let server: KitServer;
  const record = () =>
    (globalThis as unknown as { __sveltekitFixture: Record_ }).__sveltekitFixture;
  const jar = new Map<string, string>();

  async function request(path: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    if (cookie) headers.set('cookie', cookie);
    const response = await server.respond(new Request(`${ORIGIN}${path}`, { ...init, headers }), {
      getClientAddress: () => '127.0.0.1',
    });
    const setCookies = response.headers.getSetCookie();
    for (const line of setCookies) {
      const [pair = ''] = line.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      if (/Max-Age=0/i.test(line)) jar.delete(name);
      else jar.set(name, pair.slice(pair.indexOf('=') + 1));
    }
    return { response, body: await response.text(), setCookies };
  }

  beforeAll(async () => {
    buildApp();
    process.env.FIXTURE_SESSION_KEYS = APP_KEYS;
    const { Server } = await import(pathToFileURL(BUILT).href);
    const { manifest } = await import(
      pathToFileURL(join(APP, '.svelte-kit', 'output', 'server', 'manifest.js')).href
    );
    server = new Server(manifest) as KitServer;
    await server.init({ env: process.env as Record<string, string> });
  }, 120_000);

  it('runs inside sequence(): a form action and the load after it see the one session of the request', async () => {
    jar.clear();
    const form = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html',
      origin: ORIGIN,
    };
    const added = await request('/count?/add', { method: 'POST', headers: form, body: '' });
    expect(added.response.status).toBe(303);
    expect(sessionLines(added.setCookies)).toHaveLength(1);
    // The second hook saw the session object the action used.
    expect(added.response.headers.get('x-seen')).toBe('2:true');
    const page = await request('/count');
    expect(page.body).toContain('<p id="n">1</p>');
    expect(page.setCookies).toEqual([]);
    expect(page.response.headers.get('x-seen')).toBe('2:true');
  });

  it('saves what a form action changed before answering fail(400)', async () => {
    jar.clear();
    const answer = await request('/count?/refuse', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: '',
    });
    expect(answer.response.status).toBe(400);
    expect(sessionLines(answer.setCookies)).toHaveLength(1);
  });

  it('refuses a cross-site form post to an action with 403 before it runs', async () => {
    jar.clear();
    const answer = await request('/count?/add', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'sec-fetch-site': 'cross-site',
        origin: 'https://evil.test',
      },
      body: '',
    });
    expect(answer.response.status).toBe(403);
    expect(answer.setCookies).toEqual([]);
  });

  it('commits an endpoint change, and an error(410) answer', async () => {
    jar.clear();
    const posted = await request('/api', { method: 'POST' });
    expect(sessionLines(posted.setCookies)).toHaveLength(1);
    expect(JSON.parse((await request('/api')).body)).toMatchObject({ n: 42 });
    const gone = await request('/gone');
    expect(gone.response.status).toBe(410);
    expect(sessionLines(gone.setCookies)).toHaveLength(1);
    expect(JSON.parse((await request('/api')).body)).toMatchObject({ n: 410 });
  });

  it('keeps a sub-request (event.fetch from load) read-only: the outer request is the one writer', async () => {
    jar.clear();
    await request('/api', { method: 'POST' });
    const page = await request('/fetch-api');
    expect(page.response.status).toBe(200);
    expect(page.setCookies).toEqual([]);
    const data = page.body.replaceAll('&quot;', '"');
    expect(data).toContain('"read":{"n":42,"isSubRequest":true}');
    expect(data).toContain('"code":"ERR_SESSION_COMMITTED"');
  });

  it('throws SessionCommittedError for a change in a streamed promise that resolves after the response', async () => {
    jar.clear();
    record().late.length = 0;
    const page = await request('/stream');
    expect(page.body).toContain('done');
    expect(sessionLines(page.setCookies)).toHaveLength(1);
    expect(record().late).toEqual(['ERR_SESSION_COMMITTED']);
    expect(JSON.parse((await request('/api')).body)).toMatchObject({ n: 1 });
  });

  it('commits nothing when an endpoint or a load threw (SvelteKit answers 500 itself)', async () => {
    jar.clear();
    record().handled.length = 0;
    for (const path of ['/throw', '/throw-page']) {
      const answer = await request(path);
      expect(answer.response.status, path).toBe(500);
      expect(sessionLines(answer.setCookies), path).toEqual([]);
    }
    expect(record().handled.map((h) => h.status)).toEqual([500, 500]);
  });

  it('hands a too-large session to handleError: a 500 with no cookie at all, not even the route’s own', async () => {
    jar.clear();
    record().handled.length = 0;
    const answer = await request('/huge');
    expect(answer.response.status).toBe(500);
    expect(answer.setCookies).toEqual([]);
    expect(record().handled).toEqual([{ name: 'SessionTooLargeError', status: 500 }]);
  });
});

// ---- the example app, as `npm start` serves it --------------------------------------------------

describe('examples/sveltekit: a read-only page view slides the session and re-seals it', () => {
  afterAll(async () => {
    await stopAllApps();
  });

  it('answers a GET of an old cookie under an old key with one under the new key and a later expiry', async () => {
    const oldKey = newKeyEntry('old');
    const issued = Date.now() - 3 * 86_400_000; // past refreshAfter (0.25 of 7 days)
    const past = createSessionStore<{ calculation?: { a: number } }>({
      keys: oldKey,
      testing: { env: {}, now: () => issued },
    });
    const session = await past.load(undefined);
    session.set('calculation', { a: 4 });
    const cookie = cookieOf(await past.commit(session));
    const expiresBefore = (await past.load(cookie)).cookie?.expiresAt.getTime() as number;

    const keys = `${newKeyEntry('new')},${oldKey}`;
    const app = await startExample('sveltekit', { SESSION_KEYS: keys });
    const now = createSessionStore<{ calculation?: { a: number } }>({
      keys,
      testing: { env: {} },
    });

    // The same key, only older: slides.
    const sameKey = createSessionStore<{ calculation?: { a: number } }>({
      keys: keys.split(',')[0] as string,
      testing: { env: {}, now: () => issued },
    });
    const fresh = await sameKey.load(undefined);
    fresh.set('calculation', { a: 7 });
    const oldButSameKey = cookieOf(await sameKey.commit(fresh));
    const slid = await fetch(new URL('/result', app.url), { headers: { cookie: oldButSameKey } });
    expect(slid.status).toBe(200);
    const slidLines = sessionLines(slid.headers.getSetCookie());
    expect(slidLines).toHaveLength(1);
    const slidOpen = await now.load(cookieOf(slidLines));
    expect(slidOpen.get('calculation')).toEqual({ a: 7 });
    expect(slidOpen.cookie?.expiresAt.getTime()).toBeGreaterThan(expiresBefore + 2 * 86_400_000);

    // Sealed under a key that is no longer first: re-sealed under the new one, and slid.
    const page = await fetch(new URL('/', app.url), { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('id="key-id">new</code>');
    const lines = sessionLines(page.headers.getSetCookie());
    expect(lines).toHaveLength(1);
    const reopened = await now.load(cookieOf(lines));
    expect(reopened.cookie?.keyId).toBe('new');
    expect(reopened.get('calculation')).toEqual({ a: 4 });
    expect(reopened.cookie?.expiresAt.getTime()).toBeGreaterThan(expiresBefore + 2 * 86_400_000);

    // And the re-sealed cookie now reads without a Set-Cookie.
    const again = await fetch(new URL('/result', app.url), {
      headers: { cookie: cookieOf(lines) },
    });
    expect(again.headers.getSetCookie()).toEqual([]);
  }, 120_000);
});
