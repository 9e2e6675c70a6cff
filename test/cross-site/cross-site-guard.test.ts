// The cross-site request forgery check (issue 25): every combination of method, Sec-Fetch-Site
// and Origin against a table written out by hand, then trusted origins, exempt paths and the
// own-origin comparison (scheme, case, default ports, a missing Host).
import { describe, expect, it, vi } from 'vitest';
import {
  type CrossSiteReason,
  type CrossSiteSettings,
  checkCrossSite,
} from '../../src/cross-site/cross-site-guard.js';
import { parseCrossSiteOptions } from '../../src/cross-site/cross-site-options.js';
import { request } from './support.js';

function settings(options: object = {}): CrossSiteSettings {
  const parsed = parseCrossSiteOptions(options);
  if (parsed === false) throw new Error('expected settings');
  return parsed;
}

const DEFAULT = settings();

function verdict(
  method: string,
  headers: Record<string, string | undefined>,
  options: CrossSiteSettings = DEFAULT,
  url?: string,
  secure?: boolean,
): CrossSiteReason | 'allow' {
  return (
    checkCrossSite(request(method, { host: 'example.com', ...headers }, url, secure), options)
      ?.reason ?? 'allow'
  );
}

const SITES = {
  absent: undefined,
  'same-origin': 'same-origin',
  none: 'none',
  'same-site': 'same-site',
  'cross-site': 'cross-site',
  garbage: 'Same-Origin',
} as const;

const ORIGINS = {
  absent: undefined,
  same: 'https://example.com',
  other: 'https://evil.example',
  null: 'null',
  'other-port': 'https://example.com:8443',
  'other-scheme': 'http://example.com',
  'upper-case': 'https://EXAMPLE.com',
} as const;

// The verdict for an unsafe method on https://example.com (Host example.com), by hand: one row
// per Sec-Fetch-Site, one column per Origin, in the order of ORIGINS above.
const UNSAFE: Record<keyof typeof SITES, readonly string[]> = {
  absent: [
    'allow',
    'allow',
    'origin-mismatch',
    'origin-null',
    'origin-mismatch',
    'origin-mismatch',
    'allow',
  ],
  'same-origin': ['allow', 'allow', 'allow', 'allow', 'allow', 'allow', 'allow'],
  none: ['allow', 'allow', 'allow', 'allow', 'allow', 'allow', 'allow'],
  'same-site': [
    'same-site',
    'same-site',
    'same-site',
    'same-site',
    'same-site',
    'same-site',
    'same-site',
  ],
  'cross-site': [
    'cross-site',
    'cross-site',
    'cross-site',
    'cross-site',
    'cross-site',
    'cross-site',
    'cross-site',
  ],
  garbage: [
    'cross-site',
    'cross-site',
    'cross-site',
    'cross-site',
    'cross-site',
    'cross-site',
    'cross-site',
  ],
};

const SAFE_METHODS = ['GET', 'HEAD', 'OPTIONS'];
const UNSAFE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE', 'PROPFIND', 'get'];

describe('the header matrix', () => {
  for (const method of [...SAFE_METHODS, ...UNSAFE_METHODS]) {
    it(`${method}: every Sec-Fetch-Site × Origin`, () => {
      const got: Record<string, string[]> = {};
      for (const [site, siteValue] of Object.entries(SITES)) {
        got[site] = Object.values(ORIGINS).map((origin) =>
          verdict(method, { 'sec-fetch-site': siteValue, origin }),
        );
      }
      const want = SAFE_METHODS.includes(method)
        ? Object.fromEntries(Object.keys(SITES).map((site) => [site, Array(7).fill('allow')]))
        : UNSAFE;
      expect(got).toEqual(want);
    });
  }

  it('takes an empty Sec-Fetch-Site or Origin as absent, as Go does', () => {
    expect(verdict('POST', { 'sec-fetch-site': '', origin: 'https://example.com' })).toBe('allow');
    expect(verdict('POST', { 'sec-fetch-site': '', origin: 'https://evil.example' })).toBe(
      'origin-mismatch',
    );
    expect(verdict('POST', { origin: '' })).toBe('allow');
  });

  it('takes a null header (fetch Headers.get) as absent', () => {
    const nulls = { method: 'POST', url: '/x', header: () => null };
    expect(checkCrossSite(nulls, DEFAULT)).toBeUndefined();
  });

  it('says why in detail, quoting (and cutting) the Origin, with no line breaks', () => {
    const long = `https://${'a'.repeat(300)}.example`;
    const refusal = checkCrossSite(request('POST', { host: 'example.com', origin: long }), DEFAULT);
    expect(refusal?.detail).toContain('"https://aaaa');
    expect(refusal?.detail).toContain('…"');
    expect(refusal?.detail).toContain('"https://example.com"');
    expect(refusal?.detail.length).toBeLessThan(250);
    const odd = checkCrossSite(
      request('POST', { host: 'example.com', 'sec-fetch-site': 'x\ny' }),
      DEFAULT,
    );
    expect(odd?.detail).toContain('"x\\ny"');
    expect(odd?.detail).not.toMatch(/\n/);
    expect(
      checkCrossSite(request('POST', { 'sec-fetch-site': 'same-site' }), DEFAULT)?.detail,
    ).toBe('Sec-Fetch-Site: same-site, no Origin, not trusted');
    const cross = request('POST', {
      'sec-fetch-site': 'cross-site',
      origin: 'https://evil.example',
    });
    expect(checkCrossSite(cross, DEFAULT)?.detail).toBe(
      'Sec-Fetch-Site: cross-site, Origin "https://evil.example", not trusted',
    );
  });
});

describe("the request's own origin", () => {
  it('compares the host without case and drops default ports on either side', () => {
    expect(verdict('POST', { host: 'Example.COM', origin: 'https://example.com' })).toBe('allow');
    expect(verdict('POST', { host: 'example.com:443', origin: 'https://example.com' })).toBe(
      'allow',
    );
    expect(verdict('POST', { origin: 'https://example.com:443' })).toBe('allow');
    expect(
      verdict(
        'POST',
        { host: 'example.com:80', origin: 'http://example.com' },
        DEFAULT,
        'http://example.com/',
      ),
    ).toBe('allow');
    // 443 is not http's default port, nor 80 https's.
    expect(verdict('POST', { host: 'example.com:80', origin: 'https://example.com' })).toBe(
      'origin-mismatch',
    );
    expect(verdict('POST', { host: 'example.com:8443', origin: 'https://example.com:8443' })).toBe(
      'allow',
    );
    expect(verdict('POST', { host: 'example.com:8443', origin: 'https://example.com' })).toBe(
      'origin-mismatch',
    );
  });

  it('refuses a look-alike: a longer or shorter host, a path after it', () => {
    expect(verdict('POST', { origin: 'https://example.com.evil.example' })).toBe('origin-mismatch');
    expect(verdict('POST', { origin: 'https://xample.com' })).toBe('origin-mismatch');
    expect(verdict('POST', { origin: 'https://example.com/' })).toBe('origin-mismatch');
    expect(verdict('POST', { origin: 'example.com' })).toBe('origin-mismatch');
    expect(verdict('POST', { origin: 'ftp://example.com' })).toBe('origin-mismatch');
  });

  it('takes the scheme from an absolute url, else from secure, else compares host and port only', () => {
    const http = 'http://example.com';
    expect(verdict('POST', { origin: http }, DEFAULT, 'https://example.com/a')).toBe(
      'origin-mismatch',
    );
    expect(verdict('POST', { origin: http }, DEFAULT, 'http://example.com/a')).toBe('allow');
    expect(verdict('POST', { origin: http }, DEFAULT, '/a', true)).toBe('origin-mismatch');
    expect(verdict('POST', { origin: 'https://example.com' }, DEFAULT, '/a', false)).toBe(
      'origin-mismatch',
    );
    expect(verdict('POST', { origin: http }, DEFAULT, '/a', false)).toBe('allow');
    expect(verdict('POST', { origin: http }, DEFAULT, '/a')).toBe('allow');
    expect(verdict('POST', { origin: 'https://example.com' }, DEFAULT, '/a')).toBe('allow');
  });

  it('behind a proxy that ends TLS, takes the public origin from trustedOrigins', () => {
    // The app sees http, the browser (an old one, without Sec-Fetch-Site) was on https.
    const headers = { origin: 'https://example.com' };
    expect(verdict('POST', headers, DEFAULT, 'http://example.com/a')).toBe('origin-mismatch');
    const proxied = settings({ trustedOrigins: ['https://example.com'] });
    expect(verdict('POST', headers, proxied, 'http://example.com/a')).toBe('allow');
  });

  it('never reads X-Forwarded-Host or X-Forwarded-Proto', () => {
    const forwarded = { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' };
    expect(verdict('POST', { ...forwarded, origin: 'https://evil.example' })).toBe(
      'origin-mismatch',
    );
    expect(
      verdict('POST', { ...forwarded, origin: 'http://example.com' }, DEFAULT, '/a', false),
    ).toBe('allow');
  });

  it("without a Host header, takes an absolute url's authority, else matches nothing", () => {
    const noHost = (url: string, origin: string) =>
      checkCrossSite(request('POST', { origin }, url), DEFAULT)?.reason ?? 'allow';
    expect(noHost('https://example.com/a?b', 'https://example.com')).toBe('allow');
    expect(noHost('https://example.com', 'https://example.com')).toBe('allow');
    expect(noHost('https://example.com?b', 'https://example.com')).toBe('allow');
    expect(noHost('https://example.com#b', 'https://example.com')).toBe('allow');
    expect(noHost('https://example.com?@evil.example', 'https://example.com')).toBe('allow');
    expect(noHost('https://evil.example?example.com', 'https://example.com')).toBe(
      'origin-mismatch',
    );
    expect(noHost('https://example.com/a', 'https://evil.example')).toBe('origin-mismatch');
    expect(noHost('/a', 'https://example.com')).toBe('origin-mismatch');
    // An Origin with no host is not the own origin of a request with no host.
    expect(noHost('/a', 'https://')).toBe('origin-mismatch');
    expect(
      checkCrossSite(request('POST', { origin: 'https://x' }, '/a'), DEFAULT)?.detail,
    ).toContain('no Host header');
  });
});

describe('trusted origins', () => {
  const trusting = settings({
    trustedOrigins: ['https://Trusted.example:443', 'http://localhost:5173'],
  });

  it('lift a Sec-Fetch-Site or Origin refusal for exactly that origin', () => {
    const trusted = 'https://trusted.example';
    expect(verdict('POST', { 'sec-fetch-site': 'cross-site', origin: trusted }, trusting)).toBe(
      'allow',
    );
    expect(verdict('POST', { 'sec-fetch-site': 'same-site', origin: trusted }, trusting)).toBe(
      'allow',
    );
    expect(verdict('POST', { 'sec-fetch-site': 'bogus', origin: trusted }, trusting)).toBe('allow');
    expect(verdict('POST', { origin: trusted }, trusting)).toBe('allow');
    expect(verdict('POST', { origin: 'http://localhost:5173' }, trusting)).toBe('allow');
    // A header in another spelling of the same origin: one rule for both sides.
    expect(verdict('POST', { origin: 'https://TRUSTED.example:443' }, trusting)).toBe('allow');
  });

  it('do not lift it for another scheme, port or host', () => {
    for (const origin of [
      'http://trusted.example',
      'https://trusted.example:8443',
      'https://sub.trusted.example',
      'https://trusted.example.evil.example',
      'http://localhost',
      'https://trusted.example/',
    ]) {
      expect(verdict('POST', { 'sec-fetch-site': 'cross-site', origin }, trusting)).toBe(
        'cross-site',
      );
      expect(verdict('POST', { origin }, trusting)).toBe('origin-mismatch');
    }
  });

  it('never trust null, and need an Origin to trust', () => {
    expect(verdict('POST', { origin: 'null' }, trusting)).toBe('origin-null');
    expect(verdict('POST', { 'sec-fetch-site': 'cross-site', origin: 'null' }, trusting)).toBe(
      'cross-site',
    );
    expect(verdict('POST', { 'sec-fetch-site': 'cross-site' }, trusting)).toBe('cross-site');
  });
});

describe('exempt requests', () => {
  const listed = settings({ exempt: ['/webhooks/', '/api/ping'] });
  const cross = { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' };
  const at = (url: string, options = listed, headers: Record<string, string> = cross) =>
    verdict('POST', headers, options, url);

  it('pass by exact path or by prefix, with or without a query, relative or absolute', () => {
    expect(at('/webhooks/stripe')).toBe('allow');
    expect(at('/webhooks/')).toBe('allow');
    expect(at('/webhooks/a/b?x=1#y')).toBe('allow');
    expect(at('https://example.com/webhooks/stripe?x')).toBe('allow');
    expect(at('/api/ping')).toBe('allow');
    expect(at('/api/ping?x=/webhooks/')).toBe('allow');
    expect(at('/api/ping', listed, { origin: 'https://evil.example' })).toBe('allow');
    expect(at('/api/ping', listed, { origin: 'null' })).toBe('allow');
  });

  it('do not pass a path merely near one listed', () => {
    expect(at('/webhooks')).toBe('cross-site');
    expect(at('/webhooksx/a')).toBe('cross-site');
    expect(at('/api/ping/')).toBe('cross-site');
    expect(at('/api/pingx')).toBe('cross-site');
    expect(at('/Webhooks/stripe')).toBe('cross-site');
    expect(at('/account?next=/webhooks/')).toBe('cross-site');
    expect(at('https://example.com/account?/webhooks/')).toBe('cross-site');
    expect(at('https://example.com')).toBe('cross-site');
    expect(at('https://example.com?next=/webhooks/')).toBe('cross-site');
    expect(at('https://example.com#/webhooks/')).toBe('cross-site');
    expect(at('/api/ping#x')).toBe('allow');
    expect(at('*')).toBe('cross-site');
  });

  it('never pass a path a router might serve as another one', () => {
    for (const path of [
      '/webhooks/../account/delete',
      '/webhooks/./x',
      '/webhooks/..',
      '/webhooks/.',
      '/webhooks//x',
      '/webhooks/%2e%2e/account',
      '/webhooks/..%2faccount',
      '/webhooks/..;/account',
      '/webhooks/a\\..\\..\\account',
      '/webhooks/é',
    ]) {
      expect(at(path), path).toBe('cross-site');
    }
  });

  it('by a function: asked only when the request would be refused, passing only on true', () => {
    const exempt = vi.fn((r: { url: string }) => r.url === '/hook');
    const byFunction = settings({ exempt });
    expect(at('/hook', byFunction)).toBe('allow');
    expect(at('/other', byFunction)).toBe('cross-site');
    expect(exempt).toHaveBeenCalledTimes(2);
    exempt.mockClear();
    expect(at('/other', byFunction, { 'sec-fetch-site': 'same-origin' })).toBe('allow');
    expect(verdict('GET', cross, byFunction, '/other')).toBe('allow');
    expect(at('/other', byFunction, { origin: 'https://example.com' })).toBe('allow');
    expect(exempt).not.toHaveBeenCalled();
    // An async function by mistake returns a promise: truthy, and no exemption.
    const asyncExempt = settings({ exempt: async () => true });
    expect(at('/hook', asyncExempt)).toBe('cross-site');
    expect(at('/hook', settings({ exempt: () => 1 }))).toBe('cross-site');
  });

  it('lift every refusal, token-required too', () => {
    const both = settings({ exempt: ['/webhooks/'], token: true });
    expect(at('/webhooks/a', both, { 'sec-fetch-site': 'same-site' })).toBe('allow');
    expect(at('/webhooks/a', both, { origin: 'null' })).toBe('allow');
    expect(at('/webhooks/a', both, {})).toBe('allow');
    expect(at('/account', both, {})).toBe('token-required');
  });
});

describe('token: true', () => {
  const token = settings({ token: true });

  it('refuses an unsafe request with neither header as token-required, and only that one', () => {
    expect(verdict('POST', {}, token)).toBe('token-required');
    expect(verdict('DELETE', { 'sec-fetch-site': '', origin: '' }, token)).toBe('token-required');
    expect(verdict('GET', {}, token)).toBe('allow');
    expect(verdict('POST', { 'sec-fetch-site': 'same-origin' }, token)).toBe('allow');
    expect(verdict('POST', { origin: 'https://example.com' }, token)).toBe('allow');
    expect(verdict('POST', { 'sec-fetch-site': 'cross-site' }, token)).toBe('cross-site');
    expect(verdict('POST', { origin: 'https://evil.example' }, token)).toBe('origin-mismatch');
    expect(verdict('POST', {}, DEFAULT)).toBe('allow');
  });
});

describe('the allow paths real traffic takes', () => {
  it('read no more headers than they need', () => {
    const read: string[] = [];
    const spy = (method: string, headers: Record<string, string>) => ({
      method,
      url: '/a',
      header: (name: string) => {
        read.push(name);
        return headers[name];
      },
    });
    checkCrossSite(spy('GET', {}), DEFAULT);
    expect(read).toEqual([]);
    checkCrossSite(spy('POST', { 'sec-fetch-site': 'same-origin', origin: 'https://x' }), DEFAULT);
    expect(read).toEqual(['sec-fetch-site']);
  });
});
