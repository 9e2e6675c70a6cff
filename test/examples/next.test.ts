// examples/next (Next.js 16, App Router) as a user runs it: over plain HTTP on the demo
// contract, then in headless Chromium (form posts, navigation, Server Action login/logout).
// One build per run: start.mjs builds only when the app or dist/ changed since the last one.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoProcess, newKeyEntry } from '../browser/demo-process.js';
import { BUILDING_STARTUP_MS, startExample, stopAllExamples } from './example-process.js';

const NEXT_STARTUP_MS = BUILDING_STARTUP_MS.next;
const startNextExample = (env: Record<string, string> = {}) => startExample('next', env);

let app: DemoProcess;

beforeAll(async () => {
  app = await startNextExample({ SESSION_KEYS: newKeyEntry('next1') });
}, NEXT_STARTUP_MS);

afterAll(async () => {
  await stopAllExamples();
});

const at = (path: string, base = app.url) => new URL(path, base).href;

/** The Cookie header a browser would send back after these Set-Cookie lines. */
function cookieHeader(setCookies: string[]): string {
  return setCookies
    .map((line) => line.split(';', 1)[0] as string)
    .filter((pair) => !pair.endsWith('='))
    .join('; ');
}

function post(path: string, form: Record<string, string>, cookie?: string, base?: string) {
  return fetch(at(path, base), {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(cookie !== undefined && { cookie }),
    },
    body: new URLSearchParams(form).toString(),
  });
}

async function sessionJson(cookie?: string): Promise<unknown> {
  const response = await fetch(at('/session.json'), { headers: cookie ? { cookie } : {} });
  expect(response.status).toBe(200);
  return response.json();
}

async function calculated(base?: string): Promise<string> {
  const response = await post('/calculate', { a: '2', b: '3' }, undefined, base);
  expect(response.status).toBe(303);
  expect(response.headers.get('location')).toBe('/result');
  const cookie = cookieHeader(response.headers.getSetCookie());
  expect(cookie).toMatch(/^session=/);
  return cookie;
}

describe('examples/next over HTTP', () => {
  it('computes from a form post and shows it on /result and in /session.json; reads set no cookie', async () => {
    const cookie = await calculated();
    expect(await sessionJson(cookie)).toMatchObject({
      calculation: { a: 2, b: 3, sum: 5, difference: -1, product: 6, quotient: 2 / 3 },
    });
    const page = await fetch(at('/result'), { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.getSetCookie()).toEqual([]);
    const html = await page.text();
    expect(html).toContain('<td>6</td>');
    expect(html).toContain('id="key-id">next1</code>');
    const home = await fetch(at('/'), { headers: { cookie } });
    expect(home.headers.getSetCookie()).toEqual([]);
  });

  it.each([
    [{ a: 'abc', b: '3' }, 'a is not a number: &quot;abc&quot;.'],
    [{ a: '2' }, 'b is missing: enter a number.'],
    [{ a: '1e300', b: '1e300' }, 'The result is too large to compute.'],
  ])('answers 400 to %j and leaves the session unchanged', async (form, message) => {
    const cookie = await calculated();
    const before = await sessionJson(cookie);
    const response = await post('/calculate', form, cookie);
    expect(response.status).toBe(400);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await response.text()).toContain(`<p id="error" class="warn">${message}</p>`);
    expect(await sessionJson(cookie)).toEqual(before);
  });

  it('grows into chunks, then answers 413 with no Set-Cookie and the session kept', async () => {
    let cookie = '';
    let full: Response | undefined;
    for (let i = 0; i < 20 && !full; i++) {
      const response = await post('/notes', { note: `${i}:${'n'.repeat(500)}` }, cookie);
      if (response.status === 413) full = response;
      else {
        expect(response.status).toBe(303);
        cookie = cookieHeader(response.headers.getSetCookie());
      }
    }
    if (!full) throw new Error('no 413 after 20 notes');
    expect(cookie).toContain('session.1=');
    expect(full.headers.getSetCookie()).toEqual([]);
    expect(await full.text()).toMatch(/over its 6144-byte limit, so it was not saved/);
    const kept = (await sessionJson(cookie)) as { notes: string[] };
    expect(kept.notes.length).toBeGreaterThan(4);
  });

  it('answers 413 to a body over 16 KB without touching the session', async () => {
    const cookie = await calculated();
    const response = await post('/notes', { note: 'x'.repeat(20_000) }, cookie);
    expect(response.status).toBe(413);
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it('deletes every chunk on logout', async () => {
    const cookie = await calculated();
    const response = await post('/logout', {}, `${cookie}; session.1=stale`);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
    const lines = response.headers.getSetCookie();
    expect(lines.map((line) => line.split('=', 1)[0]).sort()).toEqual(['session', 'session.1']);
    for (const line of lines) expect(line).toMatch(/Max-Age=0/);
  });

  it('gives an empty session for garbage cookies, and deletes them on a page view', async () => {
    expect(await sessionJson()).toEqual({});
    expect(await sessionJson('session=garbage')).toEqual({});
    expect(await sessionJson('session=3~a.b.c.d.e; session.1=x')).toEqual({});
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

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

it.runIf(!available && process.env.CI)('has Chromium installed (required in CI)', () => {
  throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium or set CHROMIUM_PATH`);
});

describe.skipIf(!available)('examples/next in headless Chromium', () => {
  let userDataDir: string;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    userDataDir = await mkdtemp(join(tmpdir(), 'jwe-session-next-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
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
