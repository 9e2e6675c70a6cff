// The Astro middleware. In-process: the middleware called as Astro calls it (a context with a
// real Request and `locals`, and a `next` that renders), composed with Astro's own sequence().
// Through the real thing: examples/astro, built by Astro and served by @astrojs/node, with a
// cookie sealed here under the keys the server runs on.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIContext, MiddlewareNext } from 'astro';
import { sequence } from 'astro/middleware';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { astroSession } from '../../src/adapters/astro.js';
import {
  SessionCommittedError,
  SessionConfigError,
  SessionTooLargeError,
} from '../../src/errors.js';
import { createSessionStore, type Session, type SessionStore } from '../../src/index.js';
import {
  type AppProcess,
  BUILDING_STARTUP_MS,
  startExample,
  stopAllApps,
} from '../helpers/app-process.js';
import { cookieHeaderFrom, type Jar } from '../helpers/browser-jar.js';
import { headerOf } from '../helpers/forge.js';
import { keyEntry } from '../helpers/keys.js';
import { makeStore } from '../helpers/store.js';
import { noise, sessionLines } from './support.js';

type Data = { n?: number; blob?: string; notes?: string[] };

const ORIGIN = 'https://app.example';

function contextFor(request: Request, extra: Partial<APIContext> = {}): APIContext {
  return {
    request,
    url: new URL(request.url),
    locals: {},
    isPrerendered: false,
    routePattern: new URL(request.url).pathname,
    ...extra,
  } as unknown as APIContext;
}

const sessionOf = (context: APIContext) => (context.locals as { session: Session<Data> }).session;

/** Runs a middleware the way Astro does; `render` is the route (and whatever follows). */
async function run(
  middleware: ReturnType<typeof astroSession>,
  context: APIContext,
  render: (context: APIContext) => Response | Promise<Response> = () => new Response('ok'),
): Promise<Response> {
  const next: MiddlewareNext = async () => render(context);
  const answer = await middleware(context, next);
  if (!(answer instanceof Response)) throw new Error('the middleware returned no Response');
  return answer;
}

const get = (path: string, cookie?: string) =>
  new Request(`${ORIGIN}${path}`, cookie ? { headers: { cookie } } : {});

function kidOf(line: string): string {
  return String(headerOf(/^session=([^;]*)/.exec(line)?.[1] ?? '').kid);
}

describe('astroSession in-process', () => {
  it('sets locals.session, and appends the Set-Cookie of a change to the route’s Response', async () => {
    const store = makeStore<Data>();
    const middleware = astroSession(store);
    const jar: Jar = new Map();
    const wrote = await run(middleware, contextFor(get('/')), (context) => {
      sessionOf(context).set('n', 1);
      return new Response('set');
    });
    expect(sessionLines(wrote.headers.getSetCookie())).toHaveLength(1);
    const cookie = cookieHeaderFrom(wrote.headers.getSetCookie(), jar);
    const read = await run(middleware, contextFor(get('/', cookie)), (context) =>
      Response.json({ n: sessionOf(context).get('n') }),
    );
    expect(await read.json()).toEqual({ n: 1 });
    expect(read.headers.getSetCookie()).toEqual([]);
  });

  it('answers a cross-site POST 403 itself: the route does not run, no cookie', async () => {
    const middleware = astroSession(makeStore<Data>());
    let ran = false;
    const request = new Request(`${ORIGIN}/calculate`, {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      body: 'a=1',
    });
    const answer = await run(middleware, contextFor(request), () => {
      ran = true;
      return new Response('ran');
    });
    expect(answer.status).toBe(403);
    expect(await answer.text()).toMatch(/cross-site/);
    expect(answer.headers.getSetCookie()).toEqual([]);
    expect(ran).toBe(false);
  });

  it('adds the cookie to a Response.redirect, whose headers are immutable', async () => {
    const middleware = astroSession(makeStore<Data>());
    const answer = await run(middleware, contextFor(get('/go')), (context) => {
      sessionOf(context).set('n', 5);
      return Response.redirect(`${ORIGIN}/`, 303);
    });
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe(`${ORIGIN}/`);
    expect(sessionLines(answer.headers.getSetCookie())).toHaveLength(1);
  });

  it('throws SessionCommittedError for a change made once the Response is out (a streamed component)', async () => {
    const middleware = astroSession(makeStore<Data>());
    let later!: Session<Data>;
    const answer = await run(middleware, contextFor(get('/')), (context) => {
      later = sessionOf(context);
      return new Response('streaming');
    });
    expect(sessionLines(answer.headers.getSetCookie())).toEqual([]);
    expect(() => later.set('n', 2)).toThrow(SessionCommittedError);
  });

  it('rethrows what the route threw, with no cookie, and Astro’s error page gets a fresh session', async () => {
    const middleware = astroSession(makeStore<Data>());
    const context = contextFor(get('/'));
    let failed!: Session<Data>;
    const boom = new Error('route failed');
    await expect(
      run(middleware, context, (c) => {
        failed = sessionOf(c);
        failed.set('n', 7);
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(() => failed.set('n', 8)).toThrow(SessionCommittedError);
    // Astro renders src/pages/500 through the middleware again, with the same locals.
    const page = await run(middleware, context, (c) =>
      Response.json({ n: sessionOf(c).get('n') ?? null, same: sessionOf(c) === failed }),
    );
    expect(await page.json()).toEqual({ n: null, same: false });
    expect(page.headers.getSetCookie()).toEqual([]);
  });

  it('rethrows a failed commit (too large) to Astro, with no cookie at all', async () => {
    const middleware = astroSession(makeStore<Data>());
    let session!: Session<Data>;
    await expect(
      run(middleware, contextFor(get('/')), (context) => {
        session = sessionOf(context);
        session.set('blob', noise('astro-huge', 9000));
        return new Response('never sent');
      }),
    ).rejects.toBeInstanceOf(SessionTooLargeError);
    expect(() => session.set('n', 1)).toThrow(SessionCommittedError);
  });

  it('runs once per request when Astro runs the middleware again for a rewrite (same locals)', async () => {
    const middleware = astroSession(makeStore<Data>());
    const context = contextFor(get('/old'));
    let inner: Session<Data> | undefined;
    const answer = await run(middleware, context, async (outer) => {
      sessionOf(outer).set('n', 1);
      // Astro.rewrite('/new'): the middleware chain again, then the new route.
      return run(middleware, contextFor(get('/new'), { locals: outer.locals }), (c) => {
        inner = sessionOf(c);
        sessionOf(c).set('n', 2);
        return new Response('rewritten');
      });
    });
    expect(inner).toBe(sessionOf(context));
    expect(sessionLines(answer.headers.getSetCookie())).toHaveLength(1);
  });

  it('composes with sequence(): later middleware sees locals.session, and its changes are committed', async () => {
    const store = makeStore<Data>();
    const seen: unknown[] = [];
    const handler = sequence(astroSession(store), async (context, next) => {
      sessionOf(context).set('n', 3);
      seen.push(sessionOf(context).get('n'));
      return next();
    });
    const answer = await handler(contextFor(get('/')), async () => new Response('ok'));
    expect(seen).toEqual([3]);
    expect(sessionLines((answer as Response).headers.getSetCookie())).toHaveLength(1);
  });

  it('opens no session on a prerendered page, and reading locals.session there says to set prerender = false', async () => {
    const middleware = astroSession(makeStore<Data>());
    // Astro warns when a prerendered page reads request headers: none are read.
    const request = new Proxy(get('/about'), {
      get(target, name) {
        if (name === 'headers') throw new Error('headers read at build time');
        return Reflect.get(target, name, target);
      },
    });
    const context = contextFor(request, { isPrerendered: true, routePattern: '/about' });
    let error: unknown;
    const answer = await run(middleware, context, (c) => {
      try {
        sessionOf(c);
      } catch (thrown) {
        error = thrown;
      }
      return new Response('<h1>static</h1>');
    });
    expect(await answer.text()).toBe('<h1>static</h1>');
    expect(answer.headers.getSetCookie()).toEqual([]);
    expect(error).toBeInstanceOf(SessionConfigError);
    expect(error).toMatchObject({ code: 'ERR_SESSION_CONFIG', setting: 'export const prerender' });
    expect((error as Error).message).toContain('export const prerender = false');
    expect((error as Error).message).toContain('/about');
  });

  it('throws SessionConfigError when wired without keys under NODE_ENV=production', () => {
    const store = createSessionStore<Data>({ testing: { env: { NODE_ENV: 'production' } } });
    expect(() => astroSession(store)).toThrow(/SESSION_KEYS: is not set/);
    expect(() => astroSession({} as SessionStore<Data>)).toThrow(TypeError);
  });

  it('answers a garbage cookie with an empty session and at most its deletion', async () => {
    const middleware = astroSession(makeStore<Data>());
    const answer = await run(middleware, contextFor(get('/', 'session=garbage')), (context) =>
      Response.json({ isNew: sessionOf(context).isNew }),
    );
    expect(await answer.json()).toEqual({ isNew: true });
    for (const line of answer.headers.getSetCookie())
      expect(line).toMatch(/^session=; .*Max-Age=0/);
  });
});

// The declaration an app writes in src/env.d.ts, in a program of its own: App.Locals is a
// global that SvelteKit's types share, so it is not declared in the test program.
describe('App.Locals extended with SessionLocals', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const file = join(root, 'test/adapters/astro-locals.virtual.ts');
  const SOURCE = `
import type { APIRoute } from 'astro';
import { defineMiddleware } from 'astro/middleware';
import { type SessionLocals } from './../../src/adapters/astro.js';
import type { Session } from './../../src/index.js';
type Data = { userId?: string; cart?: string[] };
declare global {
  namespace App {
    interface Locals extends SessionLocals<Data> {}
  }
}
export const mw = defineMiddleware((context, next) => {
  const s: Session<Data> = context.locals.session;
  const cart: string[] | undefined = s.get('cart');
  void cart;
  return next();
});
export const GET: APIRoute = ({ locals }) => {
  const id: string | undefined = locals.session.get('userId');
  return new Response(id ?? '');
};
export const wrong: APIRoute = ({ locals }) => {
  locals.session.get('nope');
  locals.session.set('userId', 1);
  const n: number = locals.session.get('cart');
  return new Response(String(n));
};
`;

  it('types Astro.locals.session and context.locals.session from the declaration', () => {
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      exactOptionalPropertyTypes: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
      types: ['node'],
    };
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, language, ...rest) =>
      name === file
        ? ts.createSourceFile(name, SOURCE, language)
        : getSourceFile(name, language, ...rest);
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => name === file || fileExists(name);
    const program = ts.createProgram([file], options, host);
    const errors = ts.getPreEmitDiagnostics(program).map((d) => {
      const where =
        d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
      const text = ts.flattenDiagnosticMessageText(d.messageText, ' ');
      return `${d.file?.fileName === file ? (where?.line ?? 0) + 1 : d.file?.fileName}: ${text}`;
    });
    // Only the three lines of `wrong` fail: a key Data does not have, a number for a string,
    // and a string[] read as a number.
    const lines = SOURCE.split('\n');
    const lineOf = (text: string) => String(lines.findIndex((line) => line.includes(text)) + 1);
    expect(errors.map((e) => e.split(':')[0])).toEqual([
      lineOf("get('nope')"),
      lineOf("set('userId', 1)"),
      lineOf('const n: number'),
    ]);
  }, 60_000);
});

// The "done when" of issue 27: on the real Astro server, a request that only reads slides a
// reader's cookie and re-seals it under the new first key.
describe('examples/astro: a read-only request slides and re-seals the cookie', () => {
  const DAY_MS = 86_400_000;
  const OLD = keyEntry('old', 'astro-old');
  const NEW = keyEntry('new', 'astro-new');
  let app: AppProcess;

  afterAll(async () => {
    await stopAllApps();
  });

  /** A cookie sealed `daysAgo` days ago, as a browser would hold it, under `keys`' first key. */
  async function sealedAgo(keys: string, daysAgo: number, data: Data): Promise<string> {
    const at = Date.now() - daysAgo * DAY_MS;
    const sealer = createSessionStore<Data>({
      keys,
      cookie: { name: 'session', secure: false },
      testing: { env: {}, now: () => at },
    });
    const session = await sealer.load('');
    for (const [key, value] of Object.entries(data)) session.set(key as keyof Data, value);
    return cookieHeaderFrom(await sealer.commit(session));
  }

  /** What the server's keys read from a Set-Cookie: the key id and when it expires. */
  async function opened(setCookies: string[]) {
    const reader = createSessionStore<Data>({
      keys: `${NEW},${OLD}`,
      cookie: { name: 'session', secure: false },
      testing: { env: {} },
    });
    const session = await reader.load(cookieHeaderFrom(setCookies));
    return { data: session.toJSON(), cookie: session.cookie };
  }

  it(
    'GET / with a 2-day-old cookie under the old key answers with one under the new key, expiring later',
    async () => {
      app = await startExample('astro', { SESSION_KEYS: `${NEW},${OLD}` });
      const base = app.url.replace(/\/$/, '');
      const cookie = await sealedAgo(OLD, 2, { notes: ['kept'] });
      const before = Date.now() + 5 * DAY_MS;
      const page = await fetch(`${base}/`, { headers: { cookie } });
      expect(page.status).toBe(200);
      const lines = sessionLines(page.headers.getSetCookie());
      expect(lines).toHaveLength(1);
      expect(kidOf(lines[0] as string)).toMatch(/^new\./);
      expect(lines[0]).toMatch(/Max-Age=604800/);
      const { data, cookie: info } = await opened(lines);
      expect(data).toEqual({ notes: ['kept'] });
      expect(info?.keyId).toBe('new');
      // Sealed 2 days ago with a 7-day idle timeout, it expired in 5 days; now in 7.
      expect(info?.expiresAt.getTime()).toBeGreaterThan(before + DAY_MS);
      expect(await page.text()).toContain('id="key-id">new</code>');

      // The same slide with no rotation: under the first key already, 2 days old.
      const current = await sealedAgo(`${NEW},${OLD}`, 2, { notes: ['still'] });
      const read = await fetch(`${base}/session.json`, { headers: { cookie: current } });
      expect(await read.json()).toEqual({ notes: ['still'] });
      const slid = sessionLines(read.headers.getSetCookie());
      expect(slid).toHaveLength(1);
      expect((await opened(slid)).cookie?.expiresAt.getTime()).toBeGreaterThan(
        Date.now() + 6 * DAY_MS,
      );

      // A fresh cookie under the first key: a read sends nothing.
      const fresh = await sealedAgo(`${NEW},${OLD}`, 0, { n: 1 });
      const quiet = await fetch(`${base}/session.json`, { headers: { cookie: fresh } });
      expect(quiet.status).toBe(200);
      expect(quiet.headers.getSetCookie()).toEqual([]);
    },
    (BUILDING_STARTUP_MS.astro ?? 30_000) + 30_000,
  );
});
