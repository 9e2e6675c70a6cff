// The demo's pages over plain HTTP (fetch, no browser, no jar), and the runs every app on the
// demo's pages must pass the same way: the demo (test/browser/demo.http.test.ts) and
// examples/next (test/examples/next.test.ts) both call `demoHttpRuns`.
import { expect, it } from 'vitest';
import type { AppProcess } from './app-process.js';

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
