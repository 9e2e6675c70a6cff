// The demo's look in headless Chromium, at a phone's width (375 px) and a laptop's (1280 px):
// the calculator, the notes, the session panel and the buttons render, styled, and nothing
// scrolls sideways. Not a pixel comparison: the screenshots are for people. They go to a temp
// dir, or with UPDATE_SCREENSHOTS=1 to docs/screenshots/ (what the README shows), so an
// ordinary run leaves the tree clean.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, newKeyEntry, startDemo, stopAllApps } from '../helpers/app-process.js';
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  chromiumAvailable,
  chromiumSuiteTitle,
} from '../helpers/chromium.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const WIDTHS = [375, 1280] as const;
const title = chromiumSuiteTitle('demo layout in headless Chromium at 375 and 1280 px');

/** Visible, with a box inside the viewport's width (a zero-size box is not rendered). */
async function expectShown(page: Page, selector: string, width: number) {
  const element = page.locator(selector);
  await expect(element.isVisible(), selector).resolves.toBe(true);
  const box = await element.boundingBox();
  expect(box, selector).not.toBeNull();
  if (!box) return;
  expect(box.width, selector).toBeGreaterThan(0);
  expect(box.height, selector).toBeGreaterThan(0);
  expect(box.x, selector).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, selector).toBeLessThanOrEqual(width);
}

/** How far the page scrolls sideways: 0 unless something is wider than the viewport. */
function horizontalOverflow(page: Page, width: number): Promise<number> {
  return page.evaluate((w) => (document.scrollingElement?.scrollWidth ?? 0) - w, width);
}

/**
 * A button's background and corner radius, and those of a button with the page's styles
 * reverted (what the browser draws unstyled), so "styled" means different from that.
 */
function buttonLooks(page: Page, selector: string) {
  return page.evaluate((sel) => {
    const look = (el: Element) => {
      const style = getComputedStyle(el);
      return { background: style.backgroundColor, radius: style.borderTopLeftRadius };
    };
    const button = document.querySelector(sel);
    if (!button) throw new Error(`no ${sel}`);
    const plain = document.createElement('button');
    plain.style.setProperty('all', 'revert');
    document.body.append(plain);
    const result = { styled: look(button), plain: look(plain) };
    plain.remove();
    return result;
  }, selector);
}

/** Clicks a submit button and waits for its POST's answer and the page it leads to. */
async function submit(page: Page, button: string, path: string): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse(
      (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === path,
    ),
    page.click(button),
  ]);
  await page.waitForLoadState();
  return response.status();
}

describe.skipIf(!chromiumAvailable)(title, () => {
  let demo: AppProcess;
  let browser: Browser;
  let context: BrowserContext;
  let shots: string;
  let tempShots: string | undefined;

  beforeAll(async () => {
    [demo, browser] = await Promise.all([
      startDemo({ SESSION_KEYS: newKeyEntry('demo') }),
      chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS }),
    ]);
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      shots = join(root, 'docs/screenshots');
      await mkdir(shots, { recursive: true });
    } else {
      tempShots = await mkdtemp(join(tmpdir(), 'jwe-session-screenshots-'));
      shots = tempShots;
    }
    // One browser's session, as a visitor leaves it: a calculation and two notes, so the
    // panel has a cookie to show. Every page of the context shares its cookies.
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(new URL('/', demo.url).href);
    await page.fill('input[name=a]', '6');
    await page.fill('input[name=b]', '7');
    expect(await submit(page, '#calculate', '/calculate')).toBe(303);
    await page.goto(new URL('/', demo.url).href);
    for (const note of ['Buy oat milk and coffee beans', 'Call the bank about the new card']) {
      await page.fill('textarea[name=note]', note);
      expect(await submit(page, '#add-note', '/notes')).toBe(303);
    }
    await page.close();
  });

  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await stopAllApps();
    if (tempShots) await rm(tempShots, { recursive: true, force: true });
  });

  const url = (path: string) => new URL(path, demo.url).href;

  /** A page of the shared context at this width, 800 px tall. */
  async function pageAt(width: number): Promise<Page> {
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.setViewportSize({ width, height: 800 });
    return page;
  }

  it.each(WIDTHS)(
    'renders / at %i px: forms, panel and styled buttons, no sideways scroll',
    async (width) => {
      const page = await pageAt(width);
      try {
        await page.goto(url('/'));
        for (const selector of [
          'form[action="/calculate"]',
          'input[name=a]',
          'input[name=b]',
          '#calculate',
          'form[action="/notes"]',
          'textarea[name=note]',
          '#add-note',
          '#notes li >> nth=1',
          '#session-panel',
          '#cookie-bytes',
          '#logout',
          'form[action="/login"]',
          'input[name=user]',
          '#remember',
          '#login',
        ]) {
          await expectShown(page, selector, width);
        }
        expect(await horizontalOverflow(page, width)).toBeLessThanOrEqual(0);

        // One title, one h1: the brand once in the tab's title.
        const tabTitle = await page.title();
        expect(tabTitle.split('jwe-session demo')).toHaveLength(2);
        await expect(page.locator('h1').count()).resolves.toBe(1);

        // The panel: a human-readable expiry, the key id, who is signed in.
        await expect(page.locator('#key-id').textContent()).resolves.toBe('demo');
        await expect(page.locator('#signed-in').textContent()).resolves.toBe('not signed in');
        await expect(page.locator('#expires').textContent()).resolves.toMatch(
          /^in \d+ (day|hour|minute|second)s?(, \d+ (hour|minute|second)s?)? \((Sun|Mon|Tue|Wed|Thu|Fri|Sat) \d{1,2} [A-Z][a-z]{2}( \d{4})?, \d\d:\d\d UTC\)$/,
        );
        await expect(page.locator('#cookie-chunks').textContent()).resolves.toBe('1 chunk');
        // No "remember me" on the notes form: it belongs to sign-in.
        await expect(page.locator('form[action="/notes"] [name=remember]').count()).resolves.toBe(
          0,
        );

        for (const selector of ['#calculate', '#add-note', '#logout', '#login']) {
          const { styled, plain } = await buttonLooks(page, selector);
          expect(styled, selector).not.toEqual(plain);
          expect(Number.parseFloat(styled.radius), selector).toBeGreaterThan(0);
        }

        await page.screenshot({ path: join(shots, `demo-${width}.png`), fullPage: true });
      } finally {
        await page.close();
      }
    },
  );

  it.each(WIDTHS)('lays out /result and the error pages the same way at %i px', async (width) => {
    const page = await pageAt(width);
    try {
      await page.goto(url('/result'));
      await expectShown(page, '#results', width);
      await expectShown(page, '#session-panel', width);
      expect(await horizontalOverflow(page, width)).toBeLessThanOrEqual(0);

      // A 400 from the form itself, and a 404.
      await page.goto(url('/'));
      await page.fill('input[name=a]', 'abc');
      await page.fill('input[name=b]', '1');
      expect(await submit(page, '#calculate', '/calculate')).toBe(400);
      for (const path of [undefined, '/no-such-page']) {
        if (path) await page.goto(url(path));
        await expectShown(page, '#error', width);
        await expectShown(page, '#session-panel', width);
        await expectShown(page, '.site-header', width);
        await expect(page.locator('h1').count()).resolves.toBe(1);
        expect(await horizontalOverflow(page, width)).toBeLessThanOrEqual(0);
      }
    } finally {
      await page.close();
    }
  });

  it('wraps a long unbroken note at 375 px instead of scrolling sideways', async () => {
    // A context of its own: this note must not show up in the screenshots.
    const own = await browser.newContext({ viewport: { width: 375, height: 800 } });
    try {
      const page = await own.newPage();
      page.setDefaultTimeout(10_000);
      await page.goto(url('/'));
      await page.fill('textarea[name=note]', 'x'.repeat(600));
      expect(await submit(page, '#add-note', '/notes')).toBe(303);
      await expectShown(page, '#notes li', 375);
      expect(await horizontalOverflow(page, 375)).toBeLessThanOrEqual(0);
    } finally {
      await own.close();
    }
  });
});
