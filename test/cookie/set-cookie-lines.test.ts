// Set-Cookie lines are put together from attributes serialised once per Max-Age, not by the
// cookie package per response: they must come out exactly as `serialize` would write them,
// for every cookie setting, chunk and Max-Age, and stay within the per-line budget.
import { serialize } from 'cookie';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ResolvedCookie } from '../../src/cookie/attributes.js';
import { deletions, renderCookies, writeChunks } from '../../src/cookie/chunking.js';
import { parseCookie } from '../../src/options/parse-cookie.js';
import type { CookieOptions } from '../../src/options/store-options.js';

/** The cookie a store with these options writes. */
function resolveCookie(name: string, options: CookieOptions): ResolvedCookie {
  const { attributes } = parseCookie({ ...options, name });
  return { name, persistent: true, attributes };
}

const settings = fc
  .record(
    {
      secure: fc.boolean(),
      httpOnly: fc.boolean(),
      sameSite: fc.constantFrom('lax', 'strict', 'none'),
      path: fc.constantFrom('/', '/app', '/a/b-c_d.e'),
      domain: fc.constantFrom('example.com', '.example.com', 'a.b.example.org'),
      partitioned: fc.boolean(),
      priority: fc.constantFrom('low', 'medium', 'high'),
    },
    { requiredKeys: [] },
  )
  .map((options): CookieOptions => {
    // Only combinations a store accepts (parseCookie refuses the others).
    const secure = options.secure ?? true;
    return {
      ...options,
      ...(!secure && options.sameSite === 'none' && { sameSite: 'lax' as const }),
      ...(!secure && { partitioned: false }),
    };
  });

const token = fc
  .string({ unit: fc.constantFrom(...'AZaz09-_.'), minLength: 1, maxLength: 9000 })
  .filter((text) => !/^\d{1,2}~/.test(text));

describe('Set-Cookie lines', () => {
  it('are what the cookie package serialises, for any setting, Max-Age and token size', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('session', 's', '__Secure-app'),
        settings,
        // 0 is a deletion (below): a live cookie always has a second left.
        fc.option(fc.integer({ min: 1, max: 400 * 24 * 3600 }), { nil: undefined }),
        token,
        (name, options, maxAge, value) => {
          const secureName = name.startsWith('__Secure-') && options.secure === false;
          const cookie = resolveCookie(secureName ? 'session' : name, options);
          const written = writeChunks(value, cookie, maxAge, {
            cookieBytes: 4096,
            totalBytes: 64 * 1024,
          });
          if (!written.ok) return;
          const attributes =
            maxAge === undefined ? cookie.attributes : { ...cookie.attributes, maxAge };
          const lines = renderCookies(written.cookies, cookie);
          lines.forEach((line, i) => {
            const eq = line.indexOf('=');
            const cookieValue = line.slice(
              eq + 1,
              line.indexOf(';') === -1 ? undefined : line.indexOf(';'),
            );
            expect(line).toBe(serialize(written.names[i] as string, cookieValue, attributes));
            expect(line.length).toBeLessThanOrEqual(4096);
          });
          const joined = lines
            .map((line) => line.slice(line.indexOf('=') + 1, line.indexOf(';')))
            .join('');
          expect(joined.replace(/^\d{1,2}~/, '')).toBe(value);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('follow a change of Max-Age, however many distinct ones come', () => {
    const cookie = resolveCookie('session', { secure: true });
    for (let maxAge = 1000; maxAge > 900; maxAge--) {
      const written = writeChunks('abc.def', cookie, maxAge, {
        cookieBytes: 4096,
        totalBytes: 8192,
      }) as { cookies: Parameters<typeof renderCookies>[0] };
      const [line] = renderCookies(written.cookies, cookie);
      expect(line).toBe(serialize('session', 'abc.def', { ...cookie.attributes, maxAge }));
    }
  });

  it('render a deletion as serialize does, with Max-Age 0 and Expires in the past', () => {
    const cookie = resolveCookie('session', { secure: true, domain: 'example.com' });
    const options = { ...cookie.attributes, maxAge: 0, expires: new Date(0) };
    expect(renderCookies(deletions(['session', 'session.1']), cookie)).toEqual([
      serialize('session', '', options),
      serialize('session.1', '', options),
    ]);
  });
});
