// The demo in a real browser: Debian's headless Chromium driven by playwright-core. Only a
// browser says whether the cookies really work: that it stores them, sends every chunk back,
// drops the deleted ones, and follows the 303s with the cookie the POST set.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type Cookie, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, newKeyEntry, startDemo, stopAllApps } from '../helpers/app-process.js';
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  chromiumAvailable,
  chromiumSuiteTitle,
} from '../helpers/chromium.js';

const title = chromiumSuiteTitle('demo in headless Chromium');

/** The session's cookies in the browser, by name, base first. */
async function sessionCookies(context: BrowserContext): Promise<Cookie[]> {
  const all = await context.cookies();
  return all
    .filter((c) => c.name === 'session' || /^session\.\d+$/.test(c.name))
    .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
}

/** The key id in the first chunk's JWE protected header (kid is `<keyId>.<window>`). */
function keyIdOf(cookies: Cookie[]): string {
  const first = cookies.find((c) => c.name === 'session');
  if (!first) throw new Error('no session cookie');
  const token = first.value.replace(/^\d{1,2}~/, '');
  const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8'));
  return String(header.kid).split('.')[0] as string;
}

describe.skipIf(!chromiumAvailable)(title, () => {
  const oldKey = newKeyEntry('old');
  const newKey = newKeyEntry('new');
  let demo: AppProcess;
  let userDataDir: string;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    userDataDir = await mkdtemp(join(tmpdir(), 'jwe-session-chromium-'));
    [demo, context] = await Promise.all([
      startDemo({ SESSION_KEYS: oldKey }),
      chromium.launchPersistentContext(userDataDir, {
        executablePath: CHROMIUM,
        headless: true,
        args: CHROMIUM_ARGS,
      }),
    ]);
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(10_000);
  });

  afterAll(async () => {
    await context?.close().catch(() => {});
    await stopAllApps();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
  });

  const url = (path: string) => new URL(path, demo.url).href;

  it('carries a computed value from the form post to the next page, and back again', async () => {
    await page.goto(url('/'));
    await expect(page.locator('#cookie-info').textContent()).resolves.toContain(
      'No session cookie',
    );
    await page.fill('input[name=a]', '6');
    await page.fill('input[name=b]', '7');
    await Promise.all([page.waitForURL(url('/result')), page.click('#calculate')]);
    const results = page.locator('#results');
    await expect(results.textContent()).resolves.toMatch(/a \+ b\s*13[\s\S]*a × b\s*42/);

    await page.goto(url('/'));
    await Promise.all([page.waitForURL(url('/result')), page.click('#result-link')]);
    await expect(results.textContent()).resolves.toMatch(/a × b\s*42/);
    await page.goBack();
    await page.goForward();
    await expect(results.textContent()).resolves.toMatch(/a × b\s*42/);
    expect(keyIdOf(await sessionCookies(context))).toBe('old');
    await expect(page.locator('#key-id').textContent()).resolves.toBe('old');
  });

  it('keeps the session across a restart with rotated keys, re-sealed under the new key', async () => {
    await demo.stop();
    // New key first (it seals), old key second (it still opens the cookies out there).
    demo = await startDemo({ SESSION_KEYS: `${newKey},${oldKey}` });
    await page.goto(url('/result'));
    await expect(page.locator('#results').textContent()).resolves.toMatch(/a × b\s*42/);
    await expect(page.locator('#key-id').textContent()).resolves.toBe('new');
    expect(keyIdOf(await sessionCookies(context))).toBe('new');
    await expect(page.locator('#rejection').count()).resolves.toBe(0);
  });

  it('grows the notes until the cookie is chunked, reads them all back, and stops at the limit', async () => {
    await page.goto(url('/'));
    const added: string[] = [];
    const addNote = async (text: string) => {
      await page.fill('textarea[name=note]', text);
      const [response] = await Promise.all([
        page.waitForResponse(
          (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/notes',
        ),
        page.click('#add-note'),
      ]);
      await page.waitForLoadState();
      return response.status();
    };

    // 400-character notes: about 550 bytes of cookie each, so chunking (~4 KB) comes at about
    // the seventh note and the 6144-byte limit a few notes later. Bounded either way.
    let chunked = false;
    for (let i = 0; i < 30 && !chunked; i++) {
      const text = `note ${i} ${'abcdefghij'.repeat(40)}`;
      expect(await addNote(text)).toBe(303);
      added.push(text);
      chunked = (await sessionCookies(context)).some((c) => c.name === 'session.1');
    }
    expect(chunked).toBe(true);
    const names = (await sessionCookies(context)).map((c) => c.name);
    expect(names).toEqual(['session', 'session.1']);
    await expect(page.locator('#notes li').allTextContents()).resolves.toEqual(added);
    await expect(page.locator('#cookie-chunks').textContent()).resolves.toBe('2 chunks');
    // The calculation is still there too: the whole session, joined from both chunks.
    await page.goto(url('/result'));
    await expect(page.locator('#results').textContent()).resolves.toMatch(/a × b\s*42/);
    await page.goto(url('/'));

    let before = await sessionCookies(context);
    let status = 303;
    for (let i = 0; i < 30 && status === 303; i++) {
      before = await sessionCookies(context);
      const text = `more ${i} ${'klmnopqrst'.repeat(40)}`;
      status = await addNote(text);
      if (status === 303) added.push(text);
    }
    expect(status).toBe(413);
    await expect(page.locator('#error').textContent()).resolves.toMatch(
      /over its 6144-byte limit, so it was not saved/,
    );
    // The browser still holds exactly the cookies it had before the refused note.
    const after = await sessionCookies(context);
    expect(after.map((c) => [c.name, c.value])).toEqual(before.map((c) => [c.name, c.value]));
    await page.goto(url('/'));
    await expect(page.locator('#notes li').allTextContents()).resolves.toEqual(added);
  });

  it('forgets everything on logout: every chunk is gone from the browser', async () => {
    expect((await sessionCookies(context)).length).toBeGreaterThan(1);
    await page.goto(url('/'));
    const [response] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/logout'),
      page.click('#logout'),
    ]);
    expect(response.status()).toBe(303);
    await page.waitForLoadState();
    expect(await sessionCookies(context)).toEqual([]);
    await expect(page.locator('#cookie-info').textContent()).resolves.toContain(
      'No session cookie',
    );
    await page.goto(url('/session.json'));
    expect(JSON.parse((await page.locator('body').textContent()) ?? '')).toEqual({});
  });

  it('signs in and shows the name, then signs out and shows "not signed in"', async () => {
    const signedIn = page.locator('#signed-in');
    await page.goto(url('/'));
    await expect(signedIn.textContent()).resolves.toBe('not signed in');
    await expect(page.locator('#logout-everywhere').count()).resolves.toBe(0);
    await page.fill('input[name=user]', 'ada_lovelace');
    await Promise.all([page.waitForURL(url('/')), page.click('#login')]);
    await page.locator('#signed-in', { hasText: 'ada_lovelace' }).waitFor();
    await page.goto(url('/result'));
    await expect(signedIn.textContent()).resolves.toBe('ada_lovelace');

    await Promise.all([page.waitForURL(url('/')), page.click('#logout')]);
    await expect(signedIn.textContent()).resolves.toBe('not signed in');
    expect(await sessionCookies(context)).toEqual([]);

    // "Sign out everywhere", shown only when signed in, signs this browser out too.
    await page.fill('input[name=user]', 'ada_lovelace');
    await Promise.all([page.waitForURL(url('/')), page.click('#login')]);
    await page.locator('#signed-in', { hasText: 'ada_lovelace' }).waitFor();
    await Promise.all([page.waitForURL(url('/')), page.click('#logout-everywhere')]);
    await expect(signedIn.textContent()).resolves.toBe('not signed in');
    await expect(page.locator('#logout-everywhere').count()).resolves.toBe(0);
  });
});
