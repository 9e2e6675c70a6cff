// The demo against a forged form in a real browser (issue 25): headless Chromium loads a page
// on another origin (localhost:B) that posts a form to the demo (127.0.0.1:A) as soon as it
// loads. The demo answers 403 and the session stays as it was; the same form on the demo's
// own page works.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, newKeyEntry, startDemo, stopAllApps } from '../helpers/app-process.js';
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  chromiumAvailable,
  chromiumSuiteTitle,
} from '../helpers/chromium.js';

const title = chromiumSuiteTitle('the demo refuses a cross-site form in headless Chromium');

/** A page that posts `a` and `b` to `target` the moment it loads. */
const forged = (target: string) =>
  `<!doctype html><form id="f" method="post" action="${target}"><input name="a" value="9"><input name="b" value="9"></form><script>document.getElementById("f").submit()</script>`;

describe.skipIf(!chromiumAvailable)(title, () => {
  let demo: AppProcess;
  let attacker: Server;
  let attackerPort: number;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    attacker = createServer((req, res) => {
      const target = new URL(req.url ?? '/', 'http://x').searchParams.get('target') ?? '';
      res.setHeader('content-type', 'text/html');
      res.end(forged(target));
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    attackerPort = (attacker.address() as AddressInfo).port;
    [demo, browser] = await Promise.all([
      startDemo({ SESSION_KEYS: newKeyEntry('x1') }),
      chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS }),
    ]);
    context = await browser.newContext();
  });

  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    attacker?.close();
    await stopAllApps();
  });

  const url = (path: string) => new URL(path, demo.url).href;

  async function sessionJson(): Promise<unknown> {
    const page = await context.newPage();
    const response = await page.goto(url('/session.json'));
    const json = await response?.json();
    await page.close();
    return json;
  }

  it("works from the demo's own page, and answers 403 to the same form from another origin", async () => {
    const page = await context.newPage();
    await page.goto(url('/'));
    await page.fill('input[name=a]', '6');
    await page.fill('input[name=b]', '7');
    await Promise.all([page.waitForURL(url('/result')), page.click('#calculate')]);
    await expect(page.locator('#results').textContent()).resolves.toMatch(/a × b\s*42/);
    // The token habit: a session with an id gets its token in the notes form.
    await page.goto(url('/'));
    await expect(page.locator('input[name=_csrf]').getAttribute('value')).resolves.toMatch(
      /^v1\.x1\.[A-Za-z0-9_-]{22}$/,
    );
    const before = await context.cookies();
    const stored = await sessionJson();
    expect(stored).toMatchObject({ calculation: { a: 6, b: 7 } });

    const target = url('/calculate');
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.url() === target),
      page.goto(`http://localhost:${attackerPort}/?target=${encodeURIComponent(target)}`),
    ]);
    expect(refused.status()).toBe(403);
    expect(await refused.text()).toMatch(/cross-site request refused/);
    expect(refused.headers()['set-cookie']).toBeUndefined();
    expect(await context.cookies()).toEqual(before);
    expect(await sessionJson()).toEqual(stored);
    await page.close();
  });
});
