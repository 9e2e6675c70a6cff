// Every framework example in headless Chromium (Debian's, driven by playwright-core): the
// contract's user flow — compute, carry the result to the next page and back, sign in, sign
// out, sign out everywhere — as a browser does it, following each app's 303s with the cookies
// it set. The HTTP details are test/examples/contract.test.ts's; this is what only a browser
// tells: that each framework's responses really leave the browser with working cookies.
// An example joins by adding its folder name to EXAMPLES (Next.js has its own, test/examples/next.test.ts).
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
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  chromiumAvailable,
  chromiumSuiteTitle,
} from '../helpers/chromium.js';

const EXAMPLES = ['fastify', 'hono', 'sveltekit', 'astro', 'react-router'];

const title = chromiumSuiteTitle('example apps in headless Chromium');

afterAll(async () => {
  await stopAllApps();
});

describe.skipIf(!chromiumAvailable)(title, () => {
  describe.each(EXAMPLES)('examples/%s', (name) => {
    let app: AppProcess;
    let userDataDir: string;
    let context: BrowserContext;
    let page: Page;
    const url = (path: string) => new URL(path, app.url).href;

    beforeAll(async () => {
      userDataDir = await mkdtemp(join(tmpdir(), `jwe-session-${name}-chromium-`));
      [app, context] = await Promise.all([
        startExample(name, { SESSION_KEYS: newKeyEntry('b1') }),
        chromium.launchPersistentContext(userDataDir, {
          executablePath: CHROMIUM,
          headless: true,
          args: CHROMIUM_ARGS,
        }),
      ]);
      page = context.pages()[0] ?? (await context.newPage());
      page.setDefaultTimeout(10_000);
    }, BUILDING_STARTUP_MS[name]);

    afterAll(async () => {
      await context?.close().catch(() => {});
      await app?.stop();
      if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
    });

    it('carries a computed value from the form post to the next page, and back again', async () => {
      await page.goto(url('/'));
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
      await expect(page.locator('#key-id').textContent()).resolves.toBe('b1');
    });

    it('signs in keeping the calculation, signs out, and signs out everywhere', async () => {
      const signedIn = page.locator('#signed-in');
      await page.goto(url('/'));
      await expect(signedIn.textContent()).resolves.toBe('not signed in');
      await page.fill('input[name=user]', 'grace_hopper');
      await Promise.all([page.waitForURL(url('/')), page.click('#login')]);
      await page.locator('#signed-in', { hasText: 'grace_hopper' }).waitFor();
      await page.goto(url('/result'));
      await expect(signedIn.textContent()).resolves.toBe('grace_hopper');
      await expect(page.locator('#results').textContent()).resolves.toMatch(/a × b\s*42/);

      await page.goto(url('/'));
      await Promise.all([page.waitForURL(url('/')), page.click('#logout')]);
      await expect(signedIn.textContent()).resolves.toBe('not signed in');
      const left = (await context.cookies()).filter((c) => /^session(\.\d+)?$/.test(c.name));
      expect(left).toEqual([]);

      await page.fill('input[name=user]', 'grace_hopper');
      await Promise.all([page.waitForURL(url('/')), page.click('#login')]);
      await page.locator('#signed-in', { hasText: 'grace_hopper' }).waitFor();
      await Promise.all([page.waitForURL(url('/')), page.click('#logout-everywhere')]);
      await expect(signedIn.textContent()).resolves.toBe('not signed in');
      await expect(page.locator('#logout-everywhere').count()).resolves.toBe(0);
    });
  });
});
