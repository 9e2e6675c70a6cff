// Options that would put header syntax into Set-Cookie are refused when the store is created,
// with a SessionConfigError naming the option; bad keys are refused without printing them.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SessionConfigError } from '../../src/errors.js';
import { createSessionStore, type SessionStoreOptions } from '../../src/index.js';
import { KeyRing } from '../../src/keys/key-ring.js';
import { KEYS, keyEntry, makeStore, secretOf } from './support.js';

function configError(options: SessionStoreOptions): SessionConfigError {
  try {
    createSessionStore({ keys: KEYS, testing: { env: {} }, ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(SessionConfigError);
    return error as SessionConfigError;
  }
  throw new Error(`accepted ${inspect(options)}`);
}

function expectRefused(options: SessionStoreOptions, setting: string): void {
  const error = configError(options);
  expect(error.code).toBe('ERR_SESSION_CONFIG');
  expect(error.setting).toBe(setting);
  expect(error.message.startsWith(`${setting}: `)).toBe(true);
}

// Characters that would end or split a Set-Cookie header or attribute.
const INJECTIONS = [';', '\r', '\n', '\r\n', '\0', '\t', '\x7f', ',', ' ', '=', '"', 'é', '\u2028'];

describe('cookie name', () => {
  it('refuses every character that would inject header syntax', () => {
    for (const bad of INJECTIONS) {
      for (const name of [`a${bad}b`, `${bad}session`, `session${bad}`]) {
        expectRefused({ cookie: { name: name } }, 'cookie.name');
      }
    }
    expectRefused({ cookie: { name: 'session\r\nSet-Cookie: admin=1' } }, 'cookie.name');
    expectRefused({ cookie: { name: 'session; Domain=evil.example' } }, 'cookie.name');
  });

  it('refuses empty, overlong, non-string and chunk-like names', () => {
    for (const cookieName of ['', 'x'.repeat(201), 'session.1', 'a.99', 5 as unknown as string]) {
      expectRefused({ cookie: { name: cookieName } }, 'cookie.name');
    }
  });

  it('accepts RFC 6265 token names, prefixes included', () => {
    for (const cookieName of ['session', '__Host-session', "a!#$%&'*+-.^_`|~z", 'x'.repeat(200)]) {
      expect(() =>
        createSessionStore({ keys: KEYS, testing: { env: {} }, cookie: { name: cookieName } }),
      ).not.toThrow();
    }
  });
});

describe('cookie path', () => {
  it('refuses characters that would end or split the attribute', () => {
    for (const bad of [';', '\r', '\n', '\r\n', '\0', '\t', '\x7f', ' ', 'é', '<', '\u2028']) {
      expectRefused({ cookie: { path: `/a${bad}b` } }, 'cookie.path');
    }
    expectRefused({ cookie: { path: '/\r\nSet-Cookie: admin=1' } }, 'cookie.path');
    expectRefused({ cookie: { path: '/; Domain=evil.example' } }, 'cookie.path');
  });

  it('refuses relative and empty paths', () => {
    for (const path of ['', 'app', './app', 5 as unknown as string]) {
      expectRefused({ cookie: { path } }, 'cookie.path');
    }
  });

  it('accepts ordinary paths (= and , are legal path characters)', () => {
    for (const path of ['/', '/app', '/a/b-c_d.e~f', '/a=b', '/a,b', '/%20']) {
      expect(() =>
        createSessionStore({ keys: KEYS, testing: { env: {} }, cookie: { path } }),
      ).not.toThrow();
    }
  });
});

describe('cookie domain', () => {
  it('refuses characters that would inject header syntax', () => {
    for (const bad of INJECTIONS) {
      expectRefused({ cookie: { domain: `exa${bad}mple.com` } }, 'cookie.domain');
    }
    expectRefused({ cookie: { domain: 'example.com; Path=/admin' } }, 'cookie.domain');
    expectRefused({ cookie: { domain: 'example.com\r\nSet-Cookie: a=1' } }, 'cookie.domain');
  });

  it('refuses malformed domains', () => {
    for (const domain of [
      '',
      '.',
      '..com',
      '-a.com',
      'a-.com',
      `${'a'.repeat(64)}.com`,
      'exämple.com',
    ]) {
      expectRefused({ cookie: { domain } }, 'cookie.domain');
    }
  });

  it('refuses a domain or other path on a __Host- cookie', () => {
    expectRefused({ cookie: { name: '__Host-s', domain: 'example.com' } }, 'cookie.name');
    expectRefused({ cookie: { name: '__Host-s', path: '/app' } }, 'cookie.name');
    expectRefused({ cookie: { name: '__Host-s', secure: false } }, 'cookie.name');
  });
});

describe('other options', () => {
  it('refuses a purpose with spaces, control or non-ASCII characters', () => {
    for (const purpose of ['', 'a b', 'a\nb', 'é', 'x'.repeat(101)]) {
      expectRefused({ advanced: { purpose } }, 'advanced.purpose');
    }
  });

  it('refuses bad attribute values', () => {
    expectRefused({ cookie: { sameSite: 'None' as never } }, 'cookie.sameSite');
    expectRefused({ cookie: { sameSite: 'none', secure: false } }, 'cookie.sameSite');
    expectRefused({ cookie: { priority: 'urgent' as never } }, 'cookie.priority');
    expectRefused({ keys: { env: 'SESSION KEYS' } }, 'keys.env');
  });

  it('takes every boolean option as a boolean only, every enum as one of its values (issue 23, finding 11)', () => {
    // A string is truthy and 0 falsy: taken as they come, `'false'` would keep the cookie
    // persistent and `0` drop Secure or HttpOnly without a word.
    for (const value of ['false', 'true', 'no', 0, 1, null, {}]) {
      for (const flag of ['secure', 'httpOnly', 'partitioned']) {
        expectRefused({ cookie: { [flag]: value } as never }, `cookie.${flag}`);
      }
      expectRefused({ lifetime: { persistent: value as never } }, 'lifetime.persistent');
      // The store's other options take null as unset (compress: null is false, the default).
      if (value !== null)
        expectRefused({ advanced: { compress: value as never } }, 'advanced.compress');
      expectRefused({ advanced: { engine: value as never } }, 'advanced.engine');
      expectRefused({ cookie: { sameSite: value as never } }, 'cookie.sameSite');
      expectRefused({ cookie: { priority: value as never } }, 'cookie.priority');
    }
  });
});

describe('bad keys never print the secret', () => {
  const secret = secretOf('k1');
  const shortKey = secret.slice(0, 40);
  const passphrase = 'Zq7-wombat-Kx9-ferns';
  const lowVariety = 'abababababababababababababababababab';

  function messagesOf(run: () => unknown): string {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(SessionConfigError);
      const e = error as SessionConfigError;
      return [e.message, String(e), e.stack, JSON.stringify(e), inspect(e)].join('\n');
    }
    throw new Error('no error');
  }

  function expectNoLeak(text: string, secretText: string): void {
    // No 8-character run of the secret anywhere in what an error shows.
    for (let i = 0; i + 8 <= secretText.length; i++) {
      expect(text).not.toContain(secretText.slice(i, i + 8));
    }
  }

  for (const [label, entry, hidden, position] of [
    ['a short key', `k1:${shortKey}`, shortKey, 1],
    ['a long key', `k1:${secret}${secret}`, secret, 1],
    ['a key with a bad character', `k1:${secret.slice(0, 42)}!`, secret.slice(0, 42), 1],
    ['a key without an id', secret, secret, 1],
    ['a key with an empty id', `:${secret}`, secret, 1],
    ['a key with an invalid id', `bad id!:${secret}`, secret, 1],
    ['a short passphrase', `k1:passphrase:${passphrase}`, passphrase, 1],
    ['a low-variety passphrase', `k1:passphrase:${lowVariety}`, lowVariety, 1],
    ['an all-same key', `k1:${Buffer.alloc(32, 7).toString('base64url')}`, 'BwcHBwcHBwcH', 1],
    ['a duplicate id', `${KEYS},${keyEntry('k1', 'other')}`, secretOf('other'), 2],
  ] as const) {
    it(`${label}: names SESSION_KEYS and the position, not the secret`, () => {
      const text = messagesOf(() =>
        createSessionStore({ testing: { env: { SESSION_KEYS: `${keyEntry('k0')},${entry}` } } }),
      );
      expect(text).toContain('SESSION_KEYS: entry ');
      expect(text).toMatch(position === 1 ? /entry 2 / : /entry 3 /);
      expectNoLeak(text, hidden);
      expectNoLeak(text, secretOf('k0'));
      // The same through the keys option, in code.
      const inCode = messagesOf(() => KeyRing.from([entry], 'keys'));
      expect(inCode).toMatch(/^keys: entry 1 /);
      expectNoLeak(inCode, hidden);
    });
  }

  it('a KeySpec with a bad secret: no secret in the message', () => {
    const text = messagesOf(() =>
      KeyRing.from([{ id: 'k1', secret: new Uint8Array(Buffer.from(shortKey, 'base64url')) }]),
    );
    expect(text).toMatch(/byte key/);
    const spec = messagesOf(() => KeyRing.from([{ id: 'k1', secret: `passphrase:${passphrase}` }]));
    expectNoLeak(spec, passphrase);
  });

  it('an empty entry says so without printing its neighbours', () => {
    const text = messagesOf(() =>
      createSessionStore({ testing: { env: { SESSION_KEYS: `${KEYS},,` } } }),
    );
    expect(text).toMatch(/entry 2 is empty/);
    expectNoLeak(text, secretOf('k1'));
  });

  it('production without keys is an error at first use that says how to make one', () => {
    // Creating the store must work (next build imports it with no keys); the first load fails.
    const store = createSessionStore({ testing: { env: { NODE_ENV: 'production' } } });
    const text = messagesOf(() => store.keyRing);
    expect(text).toMatch(/SESSION_KEYS: is not set.*keygen/);
  });
});

describe('the engine this suite runs on', () => {
  it('is the one its vitest project names: the default (node:crypto on Node), or webcrypto', () => {
    const expected = process.env.JWE_TEST_ENGINE === 'webcrypto' ? 'webcrypto' : 'node';
    expect(makeStore().engine).toBe(expected);
  });
});
