// The demo's pages over plain HTTP (fetch, no browser, no jar), and the runs every app on the
// demo's pages must pass the same way: the demo (test/browser/demo.http.test.ts) and
// examples/next (test/examples/next.test.ts) both call `demoHttpRuns`.
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { expect, it } from 'vitest';
import type { AppProcess } from './app-process.js';
import { cookieHeaderFrom, headerOf, type Jar } from './browser-jar.js';

/** The Cookie header a browser would send back after these Set-Cookie lines. */
export function cookieHeader(setCookies: string[]): string {
  return setCookies
    .map((line) => line.split(';', 1)[0] as string)
    .filter((pair) => !pair.endsWith('='))
    .join('; ');
}

export interface DemoHttp {
  /** `path` on `base`, by default the app's URL. */
  at(path: string, base?: string): string;
  post(
    path: string,
    form: Record<string, string>,
    cookie?: string,
    base?: string,
  ): Promise<Response>;
  /** What /session.json shows for this Cookie header (a 200 with JSON, or the test fails). */
  sessionJson(cookie?: string): Promise<unknown>;
  /** A session holding one calculation (2, 3), as the Cookie header to send. */
  calculated(base?: string): Promise<string>;
}

/** Requests to the app `app()` returns (it is started in beforeAll, after this is called). */
export function demoHttp(app: () => AppProcess): DemoHttp {
  const at = (path: string, base = app().url) => new URL(path, base).href;
  const post = (path: string, form: Record<string, string>, cookie?: string, base?: string) =>
    fetch(at(path, base), {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(cookie !== undefined && { cookie }),
      },
      body: new URLSearchParams(form).toString(),
    });
  return {
    at,
    post,
    async sessionJson(cookie) {
      const response = await fetch(at('/session.json'), {
        headers: cookie === undefined ? {} : { cookie },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      return response.json();
    },
    async calculated(base) {
      const response = await post('/calculate', { a: '2', b: '3' }, undefined, base);
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/result');
      const cookie = cookieHeader(response.headers.getSetCookie());
      expect(cookie).toMatch(/^session=/);
      return cookie;
    },
  };
}

/**
 * The runs the demo and examples/next share, each an `it` in the caller's describe block:
 * a calculation, bad input, growing into chunks up to 413, a body over 16 KB, logout, and
 * garbage cookies. `keyId` is the id of the first SESSION_KEYS entry the app started with.
 */
export function demoHttpRuns(app: () => AppProcess, keyId: string): void {
  const { at, post, sessionJson, calculated } = demoHttp(app);

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
    expect(html).toContain(`id="key-id">${keyId}</code>`);
    const home = await fetch(at('/'), { headers: { cookie } });
    expect(home.headers.getSetCookie()).toEqual([]);
  });

  it.each([
    [{ a: 'abc', b: '3' }, 'a is not a number: &quot;abc&quot;.'],
    [{ a: '2' }, 'b is missing: enter a number.'],
    [{ a: '', b: '3' }, 'a is missing: enter a number.'],
    [{ a: '0x1f', b: '3' }, 'a is not a number: &quot;0x1f&quot;.'],
    [{ a: '1e400', b: '1' }, 'a is too large: 1e400.'],
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
    // 500-character notes: about 700 bytes of cookie each, so the 6144-byte limit is ~9 notes away.
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
    expect(kept.notes.at(-1)).toMatch(/^\d+:n{500}$/);
  });

  it('answers 413 to a request body over 16 KB without touching the session', async () => {
    const cookie = await calculated();
    const response = await post('/notes', { note: 'x'.repeat(20_000) }, cookie);
    expect(response.status).toBe(413);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await response.text()).toContain('The form data is over 16 KB');
    expect(await sessionJson(cookie)).not.toHaveProperty('notes');
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

  it('shows {} at /session.json with no cookie, and with garbage ones', async () => {
    expect(await sessionJson()).toEqual({});
    expect(await sessionJson('session=garbage')).toEqual({});
    expect(await sessionJson('session=3~a.b.c.d.e; session.1=x')).toEqual({});
  });
}

// ---- signing in and ending sessions early (the contract's /login, /logout, /logout-everywhere)

/** A client with its own cookie jar (a browser) for one app, or round-robin over several. */
export class DemoBrowser {
  readonly jar: Jar = new Map();
  private turn = 0;
  /** `bases`: the app's URL, or the URLs of several processes of it (a load balancer). */
  constructor(private readonly bases: () => string[]) {}

  /** The next base URL in turn, or the one numbered `node`. */
  private base(node?: number): string {
    const bases = this.bases();
    return bases[(node ?? this.turn++) % bases.length] as string;
  }

  /** Sends a request (on process `node` when given), applies its Set-Cookie, fails past `limit` ms. */
  async request(
    path: string,
    init: {
      method?: string;
      form?: Record<string, string> | undefined;
      node?: number | undefined;
      limit?: number;
    } = {},
  ): Promise<{ status: number; body: string; setCookies: string[]; ms: number }> {
    const { method = init.form ? 'POST' : 'GET', form, node, limit = 10_000 } = init;
    const cookie = headerOf(this.jar);
    const started = performance.now();
    const response = await fetch(new URL(path, this.base(node)), {
      method,
      redirect: 'manual',
      signal: AbortSignal.timeout(limit),
      headers: {
        ...(form && { 'content-type': 'application/x-www-form-urlencoded' }),
        ...(cookie !== '' && { cookie }),
      },
      ...(form && { body: new URLSearchParams(form).toString() }),
    });
    const body = await response.text();
    const ms = performance.now() - started;
    const setCookies = response.headers.getSetCookie();
    cookieHeaderFrom(setCookies, this.jar);
    return { status: response.status, body, setCookies, ms };
  }

  /** /session.json as this browser sees it (on process `node` when given). */
  async session(node?: number): Promise<Record<string, unknown>> {
    const answer = await this.request('/session.json', { node });
    expect(answer.status).toBe(200);
    return JSON.parse(answer.body) as Record<string, unknown>;
  }

  /** Signs in as `user` (303 to / with a session cookie). */
  async signIn(user: string, node?: number): Promise<void> {
    const answer = await this.request('/login', { form: { user }, node });
    expect(answer.status, answer.body).toBe(303);
    expect(answer.setCookies.some((line) => line.startsWith('session='))).toBe(true);
  }

  /** A copy of the jar: another browser holding the same cookies (a stolen or copied cookie). */
  copy(): DemoBrowser {
    const other = new DemoBrowser(this.bases);
    for (const [name, value] of this.jar) other.jar.set(name, value);
    return other;
  }
}

/** A user name no other run or test file uses. */
export const someUser = (label: string) => `${label}-${randomBytes(4).toString('hex')}`;

/**
 * Polls `read` until it returns true or `within` ms pass; resolves with the time it took, or
 * rejects saying what never happened.
 */
export async function within(ms: number, what: string, read: () => Promise<boolean>) {
  const started = performance.now();
  for (;;) {
    if (await read()) return performance.now() - started;
    if (performance.now() - started > ms) throw new Error(`${what}: not within ${ms} ms`);
    await delay(50);
  }
}

/**
 * The contract's sign-in and session-ending runs, each an `it` in the caller's describe
 * block: sign-in keeps the data and names the user, a bad name is a 400 that changes nothing,
 * a logout a copied cookie cannot undo, and "sign out everywhere" across two browsers.
 */
export function sessionEndingRuns(app: () => AppProcess): void {
  const newBrowser = () => new DemoBrowser(() => [app().url]);

  it('signs in with a new session id that keeps the data: /session.json and the page name the user', async () => {
    const browser = newBrowser();
    expect((await browser.request('/calculate', { form: { a: '2', b: '3' } })).status).toBe(303);
    const before = browser.copy();
    const user = someUser('ada');
    await browser.signIn(user);
    expect(await browser.session()).toMatchObject({ user, calculation: { a: 2, b: 3, sum: 5 } });
    const page = await browser.request('/');
    expect(page.status).toBe(200);
    expect(page.body).toMatch(new RegExp(`id="signed-in"><b>${user}</b>`));
    expect(page.body).toContain('action="/logout-everywhere"');
    // The session id before sign-in was ended: a cookie taken before it opens empty.
    expect(await before.session()).toEqual({});
  });

  it.each([
    ['', 'user is missing'],
    ['a b', 'user must be 1 to 64'],
    ['x'.repeat(65), 'user must be 1 to 64'],
    ['<b>', 'user must be 1 to 64'],
    ['é', 'user must be 1 to 64'],
    [' ada', 'user must be 1 to 64'],
  ])(
    'answers 400 to user %j with no session Set-Cookie, the session unchanged',
    async (user, message) => {
      const browser = newBrowser();
      await browser.request('/calculate', { form: { a: '2', b: '3' } });
      const before = await browser.session();
      const answer = await browser.request('/login', { form: { user } });
      expect(answer.status).toBe(400);
      expect(answer.setCookies.filter((line) => /^session(\.\d+)?=/.test(line))).toEqual([]);
      expect(answer.body).toContain(message);
      expect(await browser.session()).toEqual(before);
      // No field at all: the same.
      const none = await browser.request('/login', { form: {} });
      expect(none.status).toBe(400);
      expect(none.setCookies).toEqual([]);
    },
  );

  it('logs out for good: a copy of the cookie taken before the logout opens empty', async () => {
    const browser = newBrowser();
    await browser.signIn(someUser('bea'));
    const copied = browser.copy();
    const out = await browser.request('/logout', { form: {} });
    expect(out.status).toBe(303);
    expect(out.setCookies.some((line) => /^session=;.*Max-Age=0/i.test(line))).toBe(true);
    expect(await browser.session()).toEqual({});
    expect(await copied.session()).toEqual({});
    const page = await copied.request('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('id="signed-in">not signed in</span>');
  });

  it('signs out everywhere: the other browser of the user within 2 s, other users untouched, sign-in again works', async () => {
    const user = someUser('cy');
    const [here, there, other] = [newBrowser(), newBrowser(), newBrowser()];
    await here.signIn(user);
    await there.signIn(user);
    const otherUser = someUser('dee');
    await other.signIn(otherUser);
    expect(await there.session()).toMatchObject({ user });

    // No wait: the other browser signed in moments ago, most often in this very second.
    const out = await here.request('/logout-everywhere', { form: {} });
    expect(out.status).toBe(303);
    expect(out.setCookies.some((line) => /^session=;.*Max-Age=0/i.test(line))).toBe(true);
    expect(await here.session()).toEqual({});
    await within(
      2000,
      'the other browser signed out',
      async () => !('user' in (await there.session())),
    );
    expect(await other.session()).toMatchObject({ user: otherUser });

    await here.signIn(user);
    expect(await here.session()).toMatchObject({ user });
    await there.signIn(user);
    expect(await there.session()).toMatchObject({ user });
  });

  it('answers 303 and changes nothing on "sign out everywhere" when not signed in', async () => {
    const browser = newBrowser();
    await browser.request('/calculate', { form: { a: '1', b: '2' } });
    const before = await browser.session();
    const answer = await browser.request('/logout-everywhere', { form: {} });
    expect(answer.status).toBe(303);
    expect(answer.setCookies).toEqual([]);
    expect(await browser.session()).toEqual(before);
    expect((await newBrowser().request('/logout-everywhere', { form: {} })).status).toBe(303);
  });
}
