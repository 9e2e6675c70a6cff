// docs/nuxt.md's server/utils/session.ts, as the page prints it, on h3 1.x wired the way Nitro
// wires it (src/runtime/internal/app.ts of nitropack 2): the middleware file's
// defineEventHandler(openSession), a preemptive router, and afterResponse hooks run in order
// with their errors caught and logged. Served over a real loopback server (the node-server
// preset) and through h3's in-process handler on node-mock-http (what Nitro's own $fetch and
// the edge presets use).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import {
  type App,
  createApp,
  createRouter,
  defineEventHandler,
  type H3Event,
  type Router,
  readBody,
  sendRedirect,
  toNodeListener,
  toPlainHandler,
} from 'h3-v1';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Session } from '../../src/index.js';
import { cookieHeaderFrom } from '../helpers/browser-jar.js';
import { Clock } from '../helpers/clock.js';
import { keyEntry } from '../helpers/keys.js';
import { makeStore, visit } from '../helpers/store.js';
import { ROOT, snippetsOf } from '../readme/snippets.js';
import { Browser, noise, type Served, serve, sessionLines } from './support.js';

type Data = { userId?: string; visits?: number };
type Event = Parameters<Recipe['openSession']>[0];
interface Recipe {
  openSession(event: H3Event): Promise<void>;
  settleSession(event: H3Event): Promise<void>;
}

const SCRATCH = join(ROOT, '.scratch', 'nuxt-recipe');
const SRC = join(ROOT, 'src');
const savedKeys = process.env.SESSION_KEYS;
const STORE_LINE = 'createSessionStore<SessionData>()';

/**
 * The page's block, with the package's names pointed at this checkout's source. On Node the
 * store seals on synchronous node:crypto and a commit needs no waiting; the edge presets
 * seal on Web Crypto (as a Redis revocation store or compression make any preset wait), so
 * the block runs a second time with that one option added.
 */
async function loadRecipe(engine: 'node' | 'webcrypto'): Promise<Recipe> {
  const block = snippetsOf('docs/nuxt.md').find((s) => s.file === 'server/utils/session.ts');
  if (!block?.code.includes(STORE_LINE)) throw new Error(`docs/nuxt.md: no ${STORE_LINE}`);
  const code = block.code
    .replace("from 'jwe-session'", `from '${join(SRC, 'index.ts')}'`)
    .replace("from 'jwe-session/node'", `from '${join(SRC, 'adapters/node.ts')}'`)
    .replace(STORE_LINE, `createSessionStore<SessionData>({ advanced: { engine: '${engine}' } })`);
  mkdirSync(SCRATCH, { recursive: true });
  const file = join(SCRATCH, `session-${engine}.ts`);
  writeFileSync(file, code);
  return (await import(file)) as Recipe;
}

const recipes = new Map<string, Recipe>();
beforeAll(async () => {
  // k2 seals; k1, the key before the rotation, still opens.
  process.env.SESSION_KEYS = `${keyEntry('k2')},${keyEntry('k1')}`;
  for (const engine of ['node', 'webcrypto'] as const)
    recipes.set(engine, await loadRecipe(engine));
});
afterAll(() => {
  rmSync(SCRATCH, { recursive: true, force: true });
  if (savedKeys === undefined) delete process.env.SESSION_KEYS;
  else process.env.SESSION_KEYS = savedKeys;
});

let served: Served | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
  vi.restoreAllMocks();
});

const sessionOf = (event: H3Event) => (event as Event).context.session as Session<Data>;
const SAME_ORIGIN = { 'sec-fetch-site': 'same-origin' };

interface Nitro {
  app: App;
  router: Router;
  /** What ran, by name: routes record themselves here. */
  ran: string[];
  /** Errors Nitro's hook runner caught (it logs them, and goes on). */
  hookErrors: unknown[];
  afterResponse: ((event: H3Event) => unknown)[];
}

/** h3 1.x as Nitro builds it, with the recipe's middleware and plugin. */
function nitro(recipe: Recipe, middleware: ((event: H3Event) => unknown)[] = []): Nitro {
  const hookErrors: unknown[] = [];
  // server/plugins/session.ts: nitroApp.hooks.hook('afterResponse', settleSession)
  const afterResponse: ((event: H3Event) => unknown)[] = [recipe.settleSession];
  const app = createApp({
    // hookable's callHook runs the hooks one after another; Nitro catches what one throws.
    onAfterResponse: async (event) => {
      try {
        for (const hook of afterResponse) await hook(event);
      } catch (error) {
        hookErrors.push(error);
      }
    },
  });
  // server/middleware/0.session.ts: export default defineEventHandler(openSession)
  app.use(defineEventHandler(recipe.openSession));
  for (const handler of middleware) app.use(defineEventHandler(handler));
  const router = createRouter({ preemptive: true });
  app.use(router.handler);
  const ran: string[] = [];
  router.get(
    '/me',
    defineEventHandler((event) => {
      ran.push('me');
      const session = sessionOf(event);
      return { userId: session.get('userId') ?? null };
    }),
  );
  router.post(
    '/login',
    defineEventHandler(async (event) => {
      ran.push('login');
      const { name } = await readBody<{ name: string }>(event);
      sessionOf(event).set('userId', name);
      return sendRedirect(event, '/', 303);
    }),
  );
  router.post(
    '/logout',
    defineEventHandler((event) => {
      ran.push('logout');
      sessionOf(event).destroy();
      return sendRedirect(event, '/', 303);
    }),
  );
  return { app, router, ran, hookErrors, afterResponse };
}

function post(user: Browser, path: string, body: Record<string, string> = {}) {
  return user.request(path, {
    method: 'POST',
    headers: { ...SAME_ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body).toString(),
  });
}

describe.each(['node', 'webcrypto'])(
  'the Nuxt recipe on h3 1.x over node:http, sealing on %s',
  (engine) => {
    const recipe = () => recipes.get(engine) as Recipe;
    it('writes on a redirect, reads without a Set-Cookie, and deletes every chunk on destroy', async () => {
      const { app } = nitro(recipe());
      served = await serve(createServer(toNodeListener(app)));
      const user = new Browser(served.url);

      const login = await post(user, '/login', { name: noise('nuxt', 3500) });
      expect(login.status).toBe(303);
      expect(login.headers.get('location')).toBe('/');
      const chunks = sessionLines(login.setCookies);
      expect(chunks.length).toBeGreaterThan(1);

      const me = await user.request('/me');
      expect(JSON.parse(me.body)).toEqual({ userId: noise('nuxt', 3500) });
      expect(me.setCookies).toEqual([]);

      const out = await post(user, '/logout');
      expect(out.status).toBe(303);
      const deleted = sessionLines(out.setCookies);
      expect(deleted).toHaveLength(chunks.length);
      for (const line of deleted) expect(line).toMatch(/Max-Age=0/);
      expect(user.jar.size).toBe(0);
    });

    it('re-seals a cookie of the key before the rotation on a read, and slides its deadline', async () => {
      // Sealed under k1 two days ago: past the slide point (a quarter of the idle timeout).
      const old = makeStore<Data>({}, new Clock(Date.now() - 50 * 3600_000));
      const cookie = (await visit(old, new Map(), (s) => s.set('userId', 'ada'))).header;
      const { app, ran } = nitro(recipe());
      served = await serve(createServer(toNodeListener(app)));

      const answer = await fetch(`${served.url}/me`, { headers: { cookie } });
      expect(await answer.json()).toEqual({ userId: 'ada' });
      expect(ran).toEqual(['me']);
      const lines = sessionLines(answer.headers.getSetCookie());
      expect(lines).toHaveLength(1);
      // Only k2 opens the new cookie: re-sealed under the key that seals now.
      const onlyK2 = makeStore<Data>({ keys: keyEntry('k2') }, new Clock(Date.now()));
      const reopened = await onlyK2.load(cookieHeaderFrom(lines));
      expect(reopened.get('userId')).toBe('ada');
      expect(reopened.cookie?.expiresAt.getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3600_000);
    });

    it('answers a cross-site POST with 403 before any route runs, and sets no cookie', async () => {
      const { app, ran } = nitro(recipe());
      served = await serve(createServer(toNodeListener(app)));
      const answer = await fetch(`${served.url}/login`, {
        method: 'POST',
        headers: {
          'sec-fetch-site': 'cross-site',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'name=mallory',
      });
      expect(answer.status).toBe(403);
      expect(answer.headers.getSetCookie()).toEqual([]);
      expect(ran).toEqual([]);
    });

    it('answers a failed commit with a 500 and no cookie, keeping the one the browser had', async () => {
      vi.spyOn(console, 'error').mockImplementation(() => {});
      const { app } = nitro(recipe());
      served = await serve(createServer(toNodeListener(app)));
      const user = new Browser(served.url);
      await post(user, '/login', { name: 'ada' });
      const before = [...user.jar];
      const huge = await post(user, '/login', { name: noise('huge', 9000) });
      expect(huge.status).toBe(500);
      expect(huge.headers.get('location')).toBeNull();
      expect(sessionLines(huge.setCookies)).toEqual([]);
      expect([...user.jar]).toEqual(before);
    });

    it('throws SessionCommittedError for a change after the response started', async () => {
      const { app, router } = nitro(recipe());
      const codes: string[] = [];
      router.post(
        '/late',
        defineEventHandler(async (event) => {
          const session = sessionOf(event);
          session.set('visits', 1);
          await sendRedirect(event, '/', 303);
          try {
            session.set('visits', 2);
          } catch (error) {
            codes.push((error as { code: string }).code);
          }
        }),
      );
      served = await serve(createServer(toNodeListener(app)));
      const answer = await post(new Browser(served.url), '/late');
      expect(answer.status).toBe(303);
      expect(sessionLines(answer.setCookies)).toHaveLength(1);
      expect(codes).toEqual(['ERR_SESSION_COMMITTED']);
    });

    it('runs no route after a middleware answered while the session was being sealed', async () => {
      const { app, ran, router } = nitro(recipe(), [
        (event) => {
          if (event.path !== '/admin') return;
          sessionOf(event).set('visits', 1); // a change: the commit seals, asynchronously
          return sendRedirect(event, '/', 303);
        },
      ]);
      router.get(
        '/admin',
        defineEventHandler(() => {
          ran.push('admin');
          return 'the admin page';
        }),
      );
      served = await serve(createServer(toNodeListener(app)));
      const answer = await new Browser(served.url).request('/admin');
      expect(answer.status).toBe(303);
      expect(answer.body).not.toContain('admin page');
      expect(sessionLines(answer.setCookies)).toHaveLength(1);
      expect(ran).toEqual([]);
    });
  },
);

describe.each(['node', 'webcrypto'])(
  "the Nuxt recipe through h3's in-process handler (Nitro's $fetch, edge presets), sealing on %s",
  (engine) => {
    const recipe = () => recipes.get(engine) as Recipe;
    it('hands over the whole response, cookie included, when the session was sealed', async () => {
      const { app } = nitro(recipe());
      const handler = toPlainHandler(app);
      const answer = await handler({
        method: 'POST',
        path: '/login',
        headers: { ...SAME_ORIGIN, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'ada' }),
      });
      expect(answer.status).toBe(303);
      const setCookie = (answer.headers as [string, string][])
        .filter(([name]) => name === 'set-cookie')
        .map(([, value]) => value);
      expect(sessionLines(setCookie)).toHaveLength(1);
      expect(String(answer.body)).toContain('url=/');
    });

    it("leaves the other plugins' afterResponse hooks running when a commit fails", async () => {
      vi.spyOn(console, 'error').mockImplementation(() => {});
      const { app, afterResponse, hookErrors } = nitro(recipe());
      const after: string[] = [];
      afterResponse.push(() => {
        after.push('another plugin');
      });
      const answer = await toPlainHandler(app)({
        method: 'POST',
        path: '/login',
        headers: { ...SAME_ORIGIN, 'content-type': 'application/json' },
        body: JSON.stringify({ name: noise('huge', 9000) }),
      });
      expect(answer.status).toBe(500);
      expect(after).toEqual(['another plugin']);
      expect(hookErrors).toEqual([]);
    });
  },
);
