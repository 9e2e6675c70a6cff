// The demo over plain HTTP (fetch, no browser): input checks, size limits and what the
// session endpoint shows for a missing or bad cookie. Runs the real `examples/demo/server.js`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, newKeyEntry, startDemo, stopAllApps } from '../helpers/app-process.js';
import { cookieHeader, demoHttp, demoHttpRuns } from '../helpers/demo-http.js';

let demo: AppProcess;

beforeAll(async () => {
  demo = await startDemo({ SESSION_KEYS: newKeyEntry('http1') });
});

afterAll(async () => {
  await stopAllApps();
});

const { at, post, sessionJson } = demoHttp(() => demo);

describe('demo over HTTP', () => {
  demoHttpRuns(() => demo, 'http1');

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

  it('refuses a REDIS_URL that is not a redis:// URL at startup, naming it without printing it', async () => {
    const url = 'http://jwe:hunter2-never-printed@127.0.0.1:6379';
    const refused = startDemo({ SESSION_KEYS: newKeyEntry('k1'), REDIS_URL: url });
    await expect(refused).rejects.toThrow(
      /exited with code 1[\s\S]*REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/,
    );
    await refused.catch((error: Error) => expect(error.message).not.toContain('hunter2'));
  });

  it('"remember me" on a form post: unchecked gives a browser-session cookie that stays one', async () => {
    const postTo = (path: string, fields: [string, string][], cookie?: string) =>
      fetch(at(path), {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(cookie !== undefined && { cookie }),
        },
        body: new URLSearchParams(fields).toString(),
      });
    const postNote = (fields: [string, string][], cookie?: string) =>
      postTo('/notes', fields, cookie);
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
    // The panel says so; the notes form has no box of its own (it belongs to sign-in).
    const home = await (await fetch(at('/'), { headers: { cookie } })).text();
    expect(home).toContain('<span id="cookie-lifetime">until the browser closes</span>');
    const notesForm = /<form method="post" action="\/notes">[\s\S]*?<\/form>/.exec(home)?.[0];
    expect(notesForm).toBeDefined();
    expect(notesForm).not.toContain('name="remember"');
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
    // Any form that posts the field: the calculator's too.
    const calculated = await postTo('/calculate', [
      ['a', '1'],
      ['b', '2'],
      ['remember', '0'],
    ]);
    expect(calculated.status).toBe(303);
    expect(maxAge(calculated)).toBe(false);
  });
});
