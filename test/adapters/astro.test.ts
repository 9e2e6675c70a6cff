// The Astro middleware. In-process: the middleware called as Astro calls it (a context with a
// real Request and `locals`, and a `next` that renders), composed with Astro's own sequence().
// Through the real thing: examples/astro, built by Astro and served by @astrojs/node, with a
// cookie sealed here under the keys the server runs on.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

// What only Astro itself decides, on a small app built by `astro build` and served by
// @astrojs/node (middleware mode): when a streamed component runs, what a rewrite and an error
// page do, and what a prerendered page gets at build time.
describe('astroSession in a built Astro app', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  // The CLI where astro's package.json says it is: ./astro.js up to Astro 5, ./bin/astro.mjs since.
  const { bin } = JSON.parse(readFileSync(join(root, 'node_modules/astro/package.json'), 'utf8'));
  const astroBin = join(root, 'node_modules/astro', typeof bin === 'string' ? bin : bin.astro);
  const KEYS = keyEntry('a1', 'astro-app');
  const FILES: Record<string, string> = {
    'package.json': '{ "name": "astro-session-app", "private": true, "type": "module" }\n',
    'astro.config.mjs': `import node from '@astrojs/node';
import { defineConfig } from 'astro/config';
export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'middleware' }),
  security: { checkOrigin: false },
  devToolbar: { enabled: false },
  vite: { ssr: { external: ['jwe-session'] } },
});
`,
    'src/middleware.js': `import { createSessionStore } from 'jwe-session';
import { astroSession } from 'jwe-session/astro';
const store = createSessionStore({ cookie: { secure: false } });
export const onRequest = astroSession(store);
`,
    'src/components/Late.astro': `---
await new Promise((resolve) => setTimeout(resolve, 20));
let outcome = 'changed';
try { Astro.locals.session.set('late', 1); } catch (error) { outcome = error.code; }
---
<p id="late">{outcome}</p>
`,
    'src/pages/page.astro': `---
import Late from '../components/Late.astro';
Astro.locals.session.set('frontmatter', 1);
---
<html><body><Late /></body></html>
`,
    'src/pages/old.js': `export const GET = ({ locals, rewrite }) => {
  locals.session.set('before', 1);
  return rewrite('/new');
};
`,
    'src/pages/new.js': `export const GET = ({ locals }) => {
  locals.session.set('after', 2);
  return Response.json(locals.session.toJSON());
};
`,
    'src/pages/throws.js': `export const GET = ({ locals }) => {
  locals.session.set('lost', 1);
  throw new Error('route failed');
};
`,
    'src/pages/huge.js': `export const GET = ({ locals }) => {
  locals.session.set('blob', '${noise('astro-app-huge', 9000)}');
  return new Response('never');
};
`,
    'src/pages/read.js': `export const GET = ({ locals }) => Response.json(locals.session.toJSON());
`,
    'src/pages/500.astro': `---
const { error } = Astro.props;
---
<p id="error">{error instanceof Error ? 'failed' : 'none'}</p><p id="seen">{JSON.stringify(Astro.locals.session.toJSON())}</p>
`,
    'serve.mjs': `import { createServer } from 'node:http';
const { handler } = await import('./dist/server/entry.mjs');
const server = createServer((req, res) => handler(req, res));
server.listen(0, '127.0.0.1', () => {
  console.log('listening on http://127.0.0.1:' + server.address().port + '/');
});
`,
  };
  const children: ChildProcess[] = [];
  let dir = '';

  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function write(base: string, files: Record<string, string>): void {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(base, name)), { recursive: true });
      writeFileSync(join(base, name), text);
    }
  }

  function build(base: string, env: Record<string, string>) {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', ...env };
    delete childEnv.SESSION_KEYS;
    Object.assign(childEnv, env);
    return spawnSync(process.execPath, [astroBin, 'build'], {
      cwd: base,
      env: childEnv,
      encoding: 'utf8',
    });
  }

  function app(): string {
    mkdirSync(join(root, '.scratch'), { recursive: true });
    const base = mkdtempSync(join(root, '.scratch', 'astro-app-'));
    write(base, FILES);
    return base;
  }

  async function serve(base: string): Promise<string> {
    const child = spawn(process.execPath, ['serve.mjs'], {
      cwd: base,
      env: { ...process.env, SESSION_KEYS: KEYS, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    return new Promise((resolve, reject) => {
      let out = '';
      child.stdout?.setEncoding('utf8').on('data', (text: string) => {
        out += text;
        const url = /listening on (http:\/\/\S+)\//.exec(out)?.[1];
        if (url) resolve(url);
      });
      child.once('exit', (code) => reject(new Error(`the app exited (${code})`)));
    });
  }

  it('streams, rewrites and fails as Astro does, with one commit per request', async () => {
    dir = app();
    const built = build(dir, { NODE_ENV: 'production' });
    expect(built.status, built.stderr).toBe(0);
    const base = await serve(dir);
    const cookieOf = (response: Response) =>
      cookieHeaderFrom(response.headers.getSetCookie(), new Map());

    // A component that awaits renders after the commit: its change throws, the page's is kept.
    const page = await fetch(`${base}/page`);
    expect(await page.text()).toContain('<p id="late">ERR_SESSION_COMMITTED</p>');
    const afterPage = await fetch(`${base}/read`, { headers: { cookie: cookieOf(page) } });
    expect(await afterPage.json()).toEqual({ frontmatter: 1 });

    // Astro runs the middleware again for a rewrite: still one session, one Set-Cookie.
    const rewritten = await fetch(`${base}/old`);
    expect(await rewritten.json()).toEqual({ before: 1, after: 2 });
    expect(sessionLines(rewritten.headers.getSetCookie())).toHaveLength(1);

    // A route that threw: Astro's 500 page, with the session as the browser sent it, no cookie.
    const cookie = cookieOf(rewritten);
    const failed = await fetch(`${base}/throws`, { headers: { cookie } });
    expect(failed.status).toBe(500);
    const html = await failed.text();
    expect(html).toContain('<p id="error">failed</p>');
    expect(html).toContain(
      `<p id="seen">${JSON.stringify({ before: 1, after: 2 }).replaceAll('"', '&quot;')}</p>`,
    );
    expect(sessionLines(failed.headers.getSetCookie())).toEqual([]);

    // A failed commit: the same 500 page, no cookie, and nothing of the error's detail.
    const huge = await fetch(`${base}/huge`, { headers: { cookie } });
    expect(huge.status).toBe(500);
    const hugeHtml = await huge.text();
    expect(hugeHtml).toContain('<p id="error">failed</p>');
    expect(hugeHtml).not.toContain('blob');
    expect(sessionLines(huge.headers.getSetCookie())).toEqual([]);
  }, 120_000);

  it('stops a build whose prerendered page reads locals.session, saying to set prerender = false', () => {
    const base = app();
    try {
      write(base, {
        'src/pages/about.astro': `---
export const prerender = true;
const visits = Astro.locals.session.get('visits');
---
<p>{visits}</p>
`,
      });
      // A prerendered page makes the build load src/middleware: it needs keys then.
      const built = build(base, { NODE_ENV: 'production', SESSION_KEYS: KEYS });
      expect(built.status).not.toBe(0);
      const output = `${built.stdout}${built.stderr}`;
      expect(output).toContain('add `export const prerender = false` to that page');
      expect(output).toContain('(route /about)');
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  }, 120_000);
});
