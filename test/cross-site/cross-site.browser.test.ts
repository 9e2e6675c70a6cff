// The cross-site check against what a real browser sends (issue 25): Debian's headless Chromium
// posts forms to a real server on 127.0.0.1, from its own page and from another site's. Over
// localhost the browser sends Sec-Fetch-Site; over a plain-HTTP host name (*.test, mapped to
// 127.0.0.1) it sends no Fetch metadata, only Origin, so both branches meet real headers.
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CrossSiteRequest, checkCrossSite } from '../../src/cross-site/cross-site-guard.js';
import { parseCrossSiteOptions } from '../../src/cross-site/cross-site-options.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);

it.runIf(!available && process.env.CI)('has Chromium installed (required in CI)', () => {
  throw new Error(
    `no Chromium at ${CHROMIUM}: install Debian's chromium package or set CHROMIUM_PATH`,
  );
});

/** What an adapter would hand the guard for a Node request on a plain-HTTP server. */
function describeRequest(req: IncomingMessage): CrossSiteRequest {
  return {
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    secure: false,
    header: (name) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

const form = (action: string, submit: boolean) =>
  `<!doctype html><form id="f" method="post" action="${action}"><input name="amount" value="100"><button id="send">send</button></form>${
    submit ? '<script>document.getElementById("f").submit()</script>' : ''
  }`;

describe.skipIf(!available)('the check in headless Chromium', () => {
  let app: Server;
  let attacker: Server;
  let appPort: number;
  let attackerPort: number;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    // The app trusts one other origin on /trusting; the default check everywhere else.
    let trusting: ReturnType<typeof parseCrossSiteOptions> = false;
    const strict = parseCrossSiteOptions(undefined);
    app = createServer((req, res) => {
      if (req.method === 'GET') {
        res.setHeader('content-type', 'text/html');
        res.end(form('/transfer', false));
        return;
      }
      const settings = req.url === '/trusting' ? trusting : strict;
      const refusal =
        settings === false ? undefined : checkCrossSite(describeRequest(req), settings);
      res.statusCode = refusal ? 403 : 200;
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          verdict: refusal?.reason ?? 'allow',
          site: req.headers['sec-fetch-site'] ?? null,
          origin: req.headers.origin ?? null,
        }),
      );
    });
    attacker = createServer((req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(form(new URL(req.url ?? '/', 'http://x').searchParams.get('target') ?? '', true));
    });
    [appPort, attackerPort] = await Promise.all([listen(app), listen(attacker)]);
    trusting = parseCrossSiteOptions({ trustedOrigins: [`http://localhost:${attackerPort}`] });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--host-resolver-rules=MAP *.test 127.0.0.1'],
    });
    context = await browser.newContext();
  });

  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    app?.close();
    attacker?.close();
  });

  /** Submits the app's own form, from the app's page at `base`. */
  async function ownForm(base: string) {
    const page = await context.newPage();
    await page.goto(`${base}/`);
    const [response] = await Promise.all([
      page.waitForResponse(/\/transfer$/),
      page.click('#send'),
    ]);
    const body = await response.json();
    await page.close();
    return body;
  }

  /** A page on `attackerBase` that posts a form to `target` as soon as it loads. */
  async function attack(attackerBase: string, target: string) {
    const page = await context.newPage();
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url() === target),
      page.goto(`${attackerBase}/?target=${encodeURIComponent(target)}`),
    ]);
    const body = await response.json();
    await page.close();
    return body;
  }

  it('lets its own form through on Sec-Fetch-Site: same-origin', async () => {
    expect(await ownForm(`http://127.0.0.1:${appPort}`)).toEqual({
      verdict: 'allow',
      site: 'same-origin',
      origin: `http://127.0.0.1:${appPort}`,
    });
  });

  it('refuses a form from another site (cross-site) and from another port (same-site)', async () => {
    const target = `http://127.0.0.1:${appPort}/transfer`;
    expect(await attack(`http://localhost:${attackerPort}`, target)).toEqual({
      verdict: 'cross-site',
      site: 'cross-site',
      origin: `http://localhost:${attackerPort}`,
    });
    expect(await attack(`http://127.0.0.1:${attackerPort}`, target)).toEqual({
      verdict: 'same-site',
      site: 'same-site',
      origin: `http://127.0.0.1:${attackerPort}`,
    });
  });

  it('lets a trusted origin through', async () => {
    const target = `http://127.0.0.1:${appPort}/trusting`;
    expect((await attack(`http://localhost:${attackerPort}`, target)).verdict).toBe('allow');
    expect((await attack(`http://127.0.0.1:${attackerPort}`, target)).verdict).toBe('same-site');
  });

  it('on a plain-HTTP host (no Fetch metadata), decides by Origin against Host', async () => {
    expect(await ownForm(`http://app.test:${appPort}`)).toEqual({
      verdict: 'allow',
      site: null,
      origin: `http://app.test:${appPort}`,
    });
    expect(
      await attack(`http://evil.test:${attackerPort}`, `http://app.test:${appPort}/transfer`),
    ).toEqual({
      verdict: 'origin-mismatch',
      site: null,
      origin: `http://evil.test:${attackerPort}`,
    });
  });
});
