// examples/next (Next.js 16, App Router) as a user runs it: over plain HTTP on the demo
// contract, then in headless Chromium (form posts, navigation, Server Action login/logout).
// One build per run: start.mjs builds only when the app or dist/ changed since the last one.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AppProcess,
  BUILDING_STARTUP_MS,
  newKeyEntry,
  startExample,
  stopAllApps,
} from '../helpers/app-process.js';
import { CHROMIUM, CHROMIUM_ARGS, chromiumAvailable } from '../helpers/chromium.js';
import { demoHttp, demoHttpRuns } from '../helpers/demo-http.js';

const NEXT_STARTUP_MS = BUILDING_STARTUP_MS.next;
const startNextExample = (env: Record<string, string> = {}) => startExample('next', env);

let app: AppProcess;

beforeAll(async () => {
  app = await startNextExample({ SESSION_KEYS: newKeyEntry('next1') });
}, NEXT_STARTUP_MS);

afterAll(async () => {
  await stopAllApps();
});

const { at, calculated } = demoHttp(() => app);

describe('examples/next over HTTP', () => {
  demoHttpRuns(() => app, 'next1');

  it('deletes a garbage cookie on a page view', async () => {
    const page = await fetch(at('/'), { headers: { cookie: 'session=garbage' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('rejected (<b>malformed</b>)');
    // proxy.js clears a cookie that can never be read.
    expect(page.headers.getSetCookie().every((line) => /Max-Age=0/.test(line))).toBe(true);
    expect(page.headers.getSetCookie()).toHaveLength(1);
  });

  it('never answers 5xx to malformed requests', async () => {
    const requests: [string, RequestInit][] = [
      ['/', { headers: { cookie: 'session=%ZZ%; session.1=\u00ff' } }],
      ['/session.json', { headers: { cookie: `session=${'A'.repeat(5000)}` } }],
      [
        '/calculate',
        { method: 'POST', body: '%%%&&&=', headers: { 'content-type': 'text/plain' } },
      ],
      ['/notes', { method: 'POST', body: 'note=%E0%A4%A' }],
      ['/calculate', { method: 'GET' }],
      ['/logout', { method: 'PUT' }],
      ['/%2e%2e/%2e%2e/etc/passwd', {}],
      ['/nope?x=%', {}],
      ['/', { method: 'POST', headers: { 'next-action': 'not-an-action' }, body: 'x' }],
    ];
    for (const [path, init] of requests) {
      const response = await fetch(at(path), { redirect: 'manual', ...init });
      expect(response.status, `${init.method ?? 'GET'} ${path}`).toBeLessThan(500);
      await response.arrayBuffer();
    }
  });

  it(
    're-seals a cookie under the new first key on the next page view',
    async () => {
      const oldKey = newKeyEntry('old');
      const newKey = newKeyEntry('new');
      const before = await startNextExample({ SESSION_KEYS: oldKey });
      const cookie = await calculated(before.url);
      await before.stop();
      const after = await startNextExample({ SESSION_KEYS: `${newKey},${oldKey}` });
      try {
        const page = await fetch(at('/result', after.url), { headers: { cookie } });
        expect(await page.text()).toContain('<td>6</td>');
        const [line] = page.headers.getSetCookie();
        const token = (line as string).split(';')[0]?.replace(/^session=(\d{1,2}~)?/, '') ?? '';
        const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString());
        expect(String(header.kid).split('.')[0]).toBe('new');
      } finally {
        await after.stop();
      }
    },
    NEXT_STARTUP_MS,
  );

  it(
    'builds without SESSION_KEYS and warns on stderr when serving with a random key',
    async () => {
      const ephemeral = await startNextExample();
      try {
        expect(ephemeral.stderr()).toContain('SESSION_KEYS is not set: using a random key');
        const cookie = await calculated(ephemeral.url);
        expect(cookie).toMatch(/^session=/);
      } finally {
        await ephemeral.stop();
      }
    },
    NEXT_STARTUP_MS,
  );
});

it.runIf(!chromiumAvailable && process.env.CI)('has Chromium installed (required in CI)', () => {
  throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium or set CHROMIUM_PATH`);
});

describe.skipIf(!chromiumAvailable)('examples/next in headless Chromium', () => {
  let userDataDir: string;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    userDataDir = await mkdtemp(join(tmpdir(), 'jwe-session-next-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await context?.close().catch(() => {});
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
  });

  it('carries a computed value from the form post to the next page, and back again', async () => {
    await page.goto(at('/'));
    await expect(page.locator('#cookie-info').textContent()).resolves.toContain(
      'No session cookie',
    );
    await page.fill('input[name=a]', '6');
    await page.fill('input[name=b]', '7');
    await Promise.all([page.waitForURL(at('/result')), page.click('#calculate')]);
    await expect(page.locator('#results').textContent()).resolves.toMatch(
      /a \+ b\s*13[\s\S]*a × b\s*42/,
    );
    await page.goto(at('/'));
    await Promise.all([page.waitForURL(at('/result')), page.click('#result-link')]);
    await expect(page.locator('#results').textContent()).resolves.toMatch(/a × b\s*42/);
  });

  it('logs in and out with Server Actions, keeping the calculation across the login', async () => {
    await page.goto(at('/account'));
    await expect(page.locator('#user').textContent()).resolves.toBe('Not logged in.');
    const before = (await context.cookies()).find((c) => c.name === 'session')?.value;
    await page.fill('input[name=name]', 'Ada');
    await page.click('#action-login');
    await page.locator('#user', { hasText: 'Logged in as Ada' }).waitFor();
    const after = (await context.cookies()).find((c) => c.name === 'session')?.value;
    expect(after).toBeDefined();
    // regenerate() at login: a new cookie, so one captured before does not carry the login.
    expect(after).not.toBe(before);

    // A client-side navigation (a Link-less anchor is a full load; both read the cookie).
    await page.goto(at('/'));
    await expect(page.locator('#user').textContent()).resolves.toContain('Ada');
    await page.goto(at('/result'));
    await expect(page.locator('#results').textContent()).resolves.toMatch(/a × b\s*42/);

    await page.goto(at('/account'));
    await page.click('#action-logout');
    await page.locator('#user', { hasText: 'Not logged in.' }).waitFor();
    expect((await context.cookies()).filter((c) => c.name.startsWith('session'))).toEqual([]);
  });

  it('forgets everything with the logout form post', async () => {
    await page.goto(at('/'));
    await page.fill('textarea[name=note]', 'remember me');
    await Promise.all([page.waitForURL(at('/')), page.click('#add-note')]);
    await expect(page.locator('#note-count').textContent()).resolves.toBe('1 note');
    await Promise.all([page.waitForURL(at('/')), page.click('#logout')]);
    await expect(page.locator('#note-count').textContent()).resolves.toBe('0 notes');
    expect((await context.cookies()).filter((c) => c.name.startsWith('session'))).toEqual([]);
  });
});
