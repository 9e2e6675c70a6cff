// The demo over plain HTTP (fetch, no browser): input checks, size limits and what the
// session endpoint shows for a missing or bad cookie. Runs the real `examples/demo/server.js`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoProcess, newKeyEntry, startDemo, stopAllDemos } from './demo-process.js';

let demo: DemoProcess;

beforeAll(async () => {
  demo = await startDemo({ SESSION_KEYS: newKeyEntry('http1') });
});

afterAll(async () => {
  await stopAllDemos();
});

function at(path: string): string {
  return new URL(path, demo.url).href;
}

/** The Cookie header a browser would send back after these Set-Cookie lines. */
function cookieHeader(setCookies: string[]): string {
  return setCookies
    .map((line) => line.split(';', 1)[0] as string)
    .filter((pair) => !pair.endsWith('='))
    .join('; ');
}

function post(path: string, form: Record<string, string>, cookie?: string): Promise<Response> {
  return fetch(at(path), {
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
  const response = await fetch(at('/session.json'), {
    headers: cookie === undefined ? {} : { cookie },
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return response.json();
}

/** A session holding one calculation (2, 3), as the Cookie header to send. */
async function calculated(): Promise<string> {
  const response = await post('/calculate', { a: '2', b: '3' });
  expect(response.status).toBe(303);
  expect(response.headers.get('location')).toBe('/result');
  const cookie = cookieHeader(response.headers.getSetCookie());
  expect(cookie).toMatch(/^session=/);
  return cookie;
}

describe('demo over HTTP', () => {
  it('computes from a form post and shows it on /result and in /session.json', async () => {
    const cookie = await calculated();
    expect(await sessionJson(cookie)).toMatchObject({
      calculation: { a: 2, b: 3, sum: 5, difference: -1, product: 6, quotient: 2 / 3 },
    });
    const page = await fetch(at('/result'), { headers: { cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<td>6</td>');
    expect(html).toContain('id="key-id">http1</code>');
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

  it('shows {} at /session.json with no cookie, and with a garbage one', async () => {
    expect(await sessionJson()).toEqual({});
    expect(await sessionJson('session=garbage')).toEqual({});
    expect(await sessionJson('session=3~a.b.c.d.e; session.1=x')).toEqual({});
  });

  it('says on the page that a cookie was rejected, and logs the detail only on the server', async () => {
    const response = await fetch(at('/'), { headers: { cookie: 'session=garbage' } });
    const html = await response.text();
    expect(html).toContain('The cookie your browser sent was rejected (<b>malformed</b>)');
    expect(html).toContain('No session cookie');
    // The detail is for the log: the page names the reason only.
    expect(html).not.toContain('compact JWE segments');
    await expect
      .poll(() => demo.stderr())
      .toContain('cookie rejected (malformed): expected 5 compact JWE segments, got 1');
    expect(demo.stderr()).not.toContain('garbage');
  });

  it('answers 400, never 5xx, to a request target no URL parser takes', async () => {
    const { request } = await import('node:http');
    const url = new URL(demo.url);
    for (const target of ['//[', 'http://[', '//a:99999/']) {
      const status = await new Promise<number | undefined>((resolve, reject) => {
        const req = request(
          { host: url.hostname, port: url.port, path: target, method: 'GET' },
          (res) => {
            res.resume();
            resolve(res.statusCode);
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(status, target).toBe(400);
    }
    expect(demo.stderr()).not.toMatch(/TypeError|Invalid URL/);
  });

  it('rejects a cookie sealed with a key the demo does not have', async () => {
    const other = await startDemo({ SESSION_KEYS: newKeyEntry('other') });
    try {
      const response = await fetch(new URL('/calculate', other.url), {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'a=1&b=2',
      });
      const foreign = cookieHeader(response.headers.getSetCookie());
      expect(await sessionJson(foreign)).toEqual({});
      const html = await (await fetch(at('/'), { headers: { cookie: foreign } })).text();
      expect(html).toContain('rejected (<b>unknown-key</b>)');
    } finally {
      await other.stop();
    }
  });

  it('escapes what users typed', async () => {
    const response = await post('/notes', { note: '<script>alert("x")</script> & \'q\'' });
    expect(response.status).toBe(303);
    const cookie = cookieHeader(response.headers.getSetCookie());
    const html = await (await fetch(at('/'), { headers: { cookie } })).text();
    expect(html).toContain(
      '<li>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;</li>',
    );
    expect(html).not.toContain('<script>');
  });

  it('answers 413 with no Set-Cookie when a note would pass the size limit', async () => {
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

  it('answers 404 and 405', async () => {
    expect((await fetch(at('/nope'))).status).toBe(404);
    const wrong = await fetch(at('/calculate'));
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });

  it('sets the cookie HttpOnly, SameSite=Lax, without Secure, and says why on the page', async () => {
    const response = await post('/calculate', { a: '1', b: '1' });
    const [line] = response.headers.getSetCookie();
    expect(line).toMatch(/; HttpOnly/);
    expect(line).toMatch(/; SameSite=Lax/);
    expect(line).not.toMatch(/Secure/i);
    const html = await (await fetch(at('/'))).text();
    expect(html).toContain('only because it\nruns over plain HTTP on localhost');
  });
});

describe('demo process', () => {
  it('warns on stderr and uses a random key when SESSION_KEYS is unset; exits 0 on SIGTERM', async () => {
    const ephemeral = await startDemo();
    const response = await fetch(new URL('/calculate', ephemeral.url), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1&b=2',
    });
    expect(response.status).toBe(303);
    expect(ephemeral.stderr()).toContain('SESSION_KEYS is not set: using a random key');
    expect(await ephemeral.stop()).toBe(0);
  });

  it('refuses a bad SESSION_KEYS at startup without printing the secret', async () => {
    const secret = 'not*a*base64url*secret';
    await expect(startDemo({ SESSION_KEYS: `k1:${secret}` })).rejects.toThrow(
      /exited with code 1[\s\S]*SESSION_KEYS: entry 1 \(id "k1"\) is not a base64url key/,
    );
    await startDemo({ SESSION_KEYS: `k1:${secret}` }).catch((error: Error) => {
      expect(error.message).not.toContain(secret);
    });
  });

  it('"remember me" on the notes form: unchecked gives a browser-session cookie that stays one', async () => {
    const postNote = (fields: [string, string][], cookie?: string) =>
      fetch(at('/notes'), {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(cookie !== undefined && { cookie }),
        },
        body: new URLSearchParams(fields).toString(),
      });
    const maxAge = (response: Response) =>
      /Max-Age=\d+/i.test(response.headers.getSetCookie().join('\n'));
    // The hidden "0" alone: the box was unchecked.
    const forgetting = await postNote([
      ['note', 'a'],
      ['remember', '0'],
    ]);
    expect(forgetting.status).toBe(303);
    expect(maxAge(forgetting)).toBe(false);
    const cookie = cookieHeader(forgetting.headers.getSetCookie());
    // A later note without the field keeps the choice, carried in the token.
    const later = await postNote([['note', 'b']], cookie);
    expect(maxAge(later)).toBe(false);
    const home = await (await fetch(at('/'), { headers: { cookie } })).text();
    expect(home).toMatch(/id="remember">/);
    // Checked ("0" and "1"): persistent again.
    const remembering = await postNote(
      [
        ['note', 'c'],
        ['remember', '0'],
        ['remember', '1'],
      ],
      cookie,
    );
    expect(maxAge(remembering)).toBe(true);
    // No field at all, as the contract's clients post: persistent, as before.
    expect(maxAge(await postNote([['note', 'd']]))).toBe(true);
  });
});
