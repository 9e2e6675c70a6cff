// The `crossSite` option group, parsed once (issue 25): bad input is a SessionConfigError that
// names the member at fault and says how to fix it; origins are brought into the form an
// Origin header spells them.
import { describe, expect, it } from 'vitest';
import { checkCrossSite } from '../../src/cross-site/cross-site-guard.js';
import { parseCrossSiteOptions } from '../../src/cross-site/cross-site-options.js';
import { SessionConfigError } from '../../src/errors.js';
import { thrown } from '../helpers/store.js';
import { request } from './support.js';

function refused(value: unknown, setting: string, problem: string | RegExp): SessionConfigError {
  const error = thrown(() => parseCrossSiteOptions(value)) as SessionConfigError;
  expect(error).toBeInstanceOf(SessionConfigError);
  expect(error.code).toBe('ERR_SESSION_CONFIG');
  expect(error.setting).toBe(setting);
  expect(error.message).toMatch(problem);
  expect(error.message).not.toMatch(/\n/);
  return error;
}

function trusted(...origins: string[]): string[] {
  const parsed = parseCrossSiteOptions({ trustedOrigins: origins });
  if (parsed === false) throw new Error('expected settings');
  return [...parsed.trustedOrigins];
}

describe('the group', () => {
  it('is on by default, off with false', () => {
    expect(parseCrossSiteOptions(false)).toBe(false);
    const defaults = parseCrossSiteOptions(undefined);
    expect(defaults).not.toBe(false);
    if (defaults === false) return;
    expect(defaults.token).toBe(false);
    expect(defaults.exempt).toBeUndefined();
    expect(defaults.trustedOrigins.size).toBe(0);
    expect(parseCrossSiteOptions({})).toEqual(defaults);
  });

  it('refuses anything else, saying what it takes', () => {
    for (const value of [true, null, 'off', 0, [], ['https://a.example']]) {
      refused(value, 'crossSite', /must be false \(no check\) or an object/);
    }
  });

  it('names a nested group by the path it is given', () => {
    refused({ tokn: true }, 'crossSite.tokn', /did you mean "token"\?/);
    const error = thrown(() => parseCrossSiteOptions({ tokn: true }, 'security.crossSite'));
    expect((error as SessionConfigError).setting).toBe('security.crossSite.tokn');
  });
});

describe('unknown members', () => {
  it('are refused with the nearest name', () => {
    refused({ trustedOrigin: [] }, 'crossSite.trustedOrigin', /did you mean "trustedOrigins"\?/);
    refused({ exemt: [] }, 'crossSite.exemt', /did you mean "exempt"\?/);
    refused(
      { Token: true },
      'crossSite.Token',
      /did you mean "token"\? The options are trustedOrigins, exempt, token$/,
    );
  });

  it("map other CSRF guards' names, and never to a store option", () => {
    refused({ allowedOrigins: [] }, 'crossSite.allowedOrigins', /did you mean "trustedOrigins"\?/);
    refused({ ignorePaths: [] }, 'crossSite.ignorePaths', /did you mean "exempt"\?/);
    refused({ checkOrigin: false }, 'crossSite.checkOrigin', /set crossSite: false/);
    // The store's familiar names (secret → keys, name → cookieName, maxAge → idleTimeout, …)
    // mean nothing inside this group.
    for (const name of [
      'secret',
      'secrets',
      'password',
      'name',
      'ttl',
      'maxAge',
      'cookieOptions',
      'cookie',
    ]) {
      const error = refused({ [name]: 1 }, `crossSite.${name}`, /is not an option/);
      expect(error.message).not.toMatch(/"(keys|cookieName|idleTimeout|cookie)"/);
    }
  });

  it('are refused before a known member is checked', () => {
    refused({ tokn: true, token: 'yes' }, 'crossSite.tokn', /did you mean "token"\?/);
  });
});

describe('trustedOrigins', () => {
  it('are brought into the form an Origin header has', () => {
    expect(
      trusted(
        'https://App.Example.COM',
        'https://app.example.com:443',
        'http://localhost:80',
        'http://localhost:5173',
        'HTTPS://[::1]:8443',
        'capacitor://localhost',
        'https://my_host.internal',
      ),
    ).toEqual([
      'https://app.example.com',
      'http://localhost',
      'http://localhost:5173',
      'https://[::1]:8443',
      'capacitor://localhost',
      'https://my_host.internal',
    ]);
    // 443 is https's default, not http's.
    expect(trusted('http://a.example:443', 'https://a.example:80')).toEqual([
      'http://a.example:443',
      'https://a.example:80',
    ]);
  });

  it('refuse what no Origin header could equal, naming the entry', () => {
    const setting = 'crossSite.trustedOrigins';
    const bad = (origin: string, problem: RegExp) =>
      refused({ trustedOrigins: ['https://ok.example', origin] }, setting, problem);
    bad(
      'https://a.example/',
      /entry 2 \("https:\/\/a.example\/"\) has a trailing slash.*write https:\/\/a.example$/,
    );
    bad('https://a.example/path', /has a path, query or fragment/);
    bad('https://a.example?x', /has a path, query or fragment/);
    bad('https://a.example#x', /has a path, query or fragment/);
    bad('a.example', /is not an origin: write scheme:\/\/host\[:port\]/);
    bad('//a.example', /is not an origin/);
    bad('', /is not an origin/);
    bad('https://', /has no host/);
    bad('https://:8080', /has no host/);
    bad('https://*.example.com', /has a wildcard; list every origin/);
    bad('*', /has a wildcard/);
    bad('null', /"null".*cannot be trusted/);
    bad('https://user@a.example', /user info/);
    bad('https://bücher.example', /ASCII \(xn--\) form/);
    bad('https://a b.example', /characters an Origin header never carries/);
    bad('https://a.example:0', /invalid port/);
    bad('https://a.example:65536', /invalid port/);
    bad('https://a.example:08080', /invalid port/);
    bad('https://a.example:', /invalid port/);
    bad('https://a.example:http', /invalid port/);
    bad('https://[::1]x', /characters an Origin header never carries/);
  });

  it('must be an array of strings', () => {
    refused(
      { trustedOrigins: 'https://a.example' },
      'crossSite.trustedOrigins',
      /must be an array of origins/,
    );
    refused(
      { trustedOrigins: [new URL('https://a.example')] },
      'crossSite.trustedOrigins',
      /entry 1 is not a string/,
    );
  });
});

describe('exempt', () => {
  const setting = 'crossSite.exempt';

  it('takes plain paths and a function', () => {
    const parsed = parseCrossSiteOptions({ exempt: ['/webhooks/', "/a-b_c.d~!$&'()+,=:@/e"] });
    expect(parsed).not.toBe(false);
    expect(parseCrossSiteOptions({ exempt: [] })).toEqual(parseCrossSiteOptions({}));
    const predicate = () => true;
    expect(parseCrossSiteOptions({ exempt: predicate })).toMatchObject({ exempt: predicate });
  });

  it('refuses an entry that is not a plain absolute path, naming it', () => {
    const bad = (path: unknown, problem: RegExp) =>
      refused({ exempt: ['/ok', path] }, setting, problem);
    bad('webhooks/', /entry 2 \("webhooks\/"\) must start with "\/"/);
    bad('', /must start with "\/"/);
    bad('/', /would exempt every path: to turn the check off, set crossSite: false/);
    bad('/webhooks/*', /only plain path characters.*end it with "\/" to cover the paths under it/);
    bad('/a%20b', /only plain path characters/);
    bad('/a?b', /only plain path characters/);
    bad('/a#b', /only plain path characters/);
    bad('/a;b', /only plain path characters/);
    bad('/a\\b', /only plain path characters/);
    bad('/a/../b', /has a "\." or "\.\." segment or "\/\/"/);
    bad('/a/./b', /segment/);
    bad('/a//b', /segment/);
    bad('/a/..', /segment/);
    bad(/webhooks/, /entry 2 is not a string path/);
  });

  it('must be an array or a function', () => {
    refused({ exempt: '/webhooks/' }, setting, /must be an array of paths or a function/);
    refused({ exempt: { '/webhooks/': true } }, setting, /must be an array of paths or a function/);
  });
});

describe('token', () => {
  it('is a boolean', () => {
    expect(parseCrossSiteOptions({ token: true })).toMatchObject({ token: true });
    for (const value of ['true', 1, null])
      refused({ token: value }, 'crossSite.token', /must be true or false/);
  });
});

describe('the parsed settings', () => {
  it('are what the guard acts on', () => {
    const parsed = parseCrossSiteOptions({
      trustedOrigins: ['https://Front.example'],
      exempt: ['/hook'],
    });
    if (parsed === false) throw new Error('expected settings');
    const post = (url: string, origin: string) =>
      checkCrossSite(
        request('POST', { host: 'api.example', 'sec-fetch-site': 'cross-site', origin }, url),
        parsed,
      );
    expect(post('/x', 'https://front.example')).toBeUndefined();
    expect(post('/hook', 'https://evil.example')).toBeUndefined();
    expect(post('/x', 'https://evil.example')?.reason).toBe('cross-site');
  });
});
