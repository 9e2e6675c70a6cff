import { parseSetCookie } from 'cookie';
import { describe, expect, it } from 'vitest';
import { SessionConfigError } from '../../src/errors.js';
import { createSessionStore, type SessionStoreOptions } from '../../src/index.js';
import { keyEntry } from '../helpers/keys.js';
import { makeStore, thrown } from '../helpers/store.js';

function configError(options: SessionStoreOptions, setting: string, fragment: string | RegExp) {
  const error = thrown(() =>
    createSessionStore({ keys: keyEntry('k1'), testing: { env: {} }, ...options }),
  );
  expect(error).toBeInstanceOf(SessionConfigError);
  const e = error as SessionConfigError;
  expect(e.code).toBe('ERR_SESSION_CONFIG');
  expect(e.setting).toBe(setting);
  expect(e.message.startsWith(`${setting}: `)).toBe(true);
  if (typeof fragment === 'string') expect(e.message).toContain(fragment);
  else expect(e.message).toMatch(fragment);
  return e;
}

async function firstLine(options: SessionStoreOptions): Promise<string> {
  const store = makeStore(options);
  const session = await store.load(undefined);
  session.set('a', 1);
  return (await store.commit(session))[0] as string;
}

describe('cookie defaults', () => {
  it('are HttpOnly, Secure, SameSite=Lax, Path=/, host-only, with a Max-Age of the idle lifetime', async () => {
    const store = createSessionStore({ keys: keyEntry('k1'), testing: { env: {} } });
    const session = await store.load(undefined);
    session.set('a', 1);
    const line = (await store.commit(session))[0] as string;
    const parsed = parseSetCookie(line);
    expect(parsed).toMatchObject({
      name: 'session',
      httpOnly: true,
      secure: true,
      sameSite: 'lax',
      path: '/',
      maxAge: 7 * 24 * 3600,
    });
    expect(parsed.domain).toBeUndefined();
    expect(line).not.toMatch(/Domain=|Expires=/i);
  });

  it('turn Secure off only when asked, and persistent: false drops Max-Age', async () => {
    const line = await firstLine({ cookie: { secure: false }, lifetime: { persistent: false } });
    expect(line).not.toMatch(/Secure|Max-Age|Expires/i);
    expect(line).toMatch(/; HttpOnly/);
  });

  it('write the chosen domain, path, sameSite, priority and partitioned', async () => {
    const parsed = parseSetCookie(
      await firstLine({
        cookie: {
          domain: 'example.com',
          path: '/app',
          sameSite: 'strict',
          priority: 'high',
          partitioned: true,
        },
      }),
    );
    expect(parsed).toMatchObject({
      domain: 'example.com',
      path: '/app',
      sameSite: 'strict',
      priority: 'high',
      partitioned: true,
      secure: true,
    });
  });

  it('cap Max-Age at 400 days', async () => {
    const line = await firstLine({
      lifetime: { idleTimeout: 400 * 24 * 3600, absoluteTimeout: 400 * 24 * 3600 },
    });
    expect(parseSetCookie(line).maxAge).toBe(400 * 24 * 3600);
  });
});

describe('cookie name', () => {
  it.each([
    ['a semicolon', 'a;b'],
    ['a CR', 'a\rb'],
    ['an LF', 'a\nb'],
    ['CRLF header injection', 'a\r\nSet-Cookie: x=y'],
    ['an equals sign', 'a=b'],
    ['a space', 'a b'],
    ['a comma', 'a,b'],
    ['a quote', 'a"b'],
    ['a slash', 'a/b'],
    ['non-ASCII', 'séssion'],
    ['nothing', ''],
  ])('refuses %s', (_, name) => {
    const e = configError(
      { cookie: { name: name } },
      'cookie.name',
      'is not a valid cookie name (RFC 6265 token characters only)',
    );
    // Escaped in the message, so a CR/LF in the option cannot forge a log line either.
    expect(e.message).not.toMatch(/[\r\n]/);
  });

  it('refuses a name that looks like a chunk name', () => {
    configError({ cookie: { name: 'sid.2' } }, 'cookie.name', 'must not end in .<number>');
  });

  it('refuses a name over 200 characters', () => {
    configError(
      { cookie: { name: 's'.repeat(201) } },
      'cookie.name',
      'must be at most 200 characters',
    );
  });

  it('refuses a non-string name', () => {
    configError({ cookie: { name: 42 as never } }, 'cookie.name', 'is not a valid cookie name');
  });

  it.each(['sid', 'my-app.session', '__Host-session', '__Secure-s', "a!#$%&'*+^_`|~z"])(
    'accepts %s',
    (name) => {
      expect(makeStore({ cookie: { name: name } }).cookieName).toBe(name);
    },
  );
});

describe('cookie prefixes', () => {
  it('__Secure- needs secure', () => {
    configError(
      { cookie: { name: '__Secure-s', secure: false } },
      'cookie.name',
      '__Secure- cookies require secure: true',
    );
  });

  it('__Host- needs secure, path "/" and no domain', () => {
    configError(
      { cookie: { name: '__Host-s', secure: false } },
      'cookie.name',
      '__Host- cookies require secure: true',
    );
    configError(
      { cookie: { name: '__Host-s', path: '/app' } },
      'cookie.name',
      '__Host- cookies require path "/"',
    );
    configError(
      { cookie: { name: '__Host-s', domain: 'example.com' } },
      'cookie.name',
      '__Host- cookies must not set a domain',
    );
  });

  it('matches the prefixes in any case, as browsers do', () => {
    configError(
      { cookie: { name: '__host-s', domain: 'example.com' } },
      'cookie.name',
      '__Host- cookies must not set a domain',
    );
    configError(
      { cookie: { name: '__HOST-s', path: '/app' } },
      'cookie.name',
      '__Host- cookies require path "/"',
    );
    configError(
      { cookie: { name: '__HoSt-s', secure: false } },
      'cookie.name',
      '__Host- cookies require secure: true',
    );
    configError(
      { cookie: { name: '__secure-s', secure: false } },
      'cookie.name',
      '__Secure- cookies require secure: true',
    );
    configError(
      { cookie: { name: '__SECURE-s', secure: false } },
      'cookie.name',
      '__Secure- cookies require secure: true',
    );
    // Held to the rules, not refused: with them met, any spelling is a valid name.
    expect(makeStore({ cookie: { name: '__host-s' } }).cookieName).toBe('__host-s');
    expect(makeStore({ cookie: { name: '_host-s', path: '/app' } }).cookieName).toBe('_host-s');
  });

  it('__Host- with the defaults writes Secure, Path=/ and no Domain', async () => {
    const parsed = parseSetCookie(await firstLine({ cookie: { name: '__Host-s' } }));
    expect(parsed).toMatchObject({ name: '__Host-s', secure: true, path: '/' });
    expect(parsed.domain).toBeUndefined();
  });
});

describe('cookie attributes', () => {
  it.each([
    ['a semicolon (attribute injection)', '/a;Domain=evil.com'],
    ['a CR', '/a\r'],
    ['an LF', '/a\nSet-Cookie: x=y'],
    ['a space', '/a b'],
    ['a NUL', '/a\u0000'],
    ['non-ASCII', '/ü'],
    ['no leading slash', 'app'],
    ['nothing', ''],
  ])('path with %s is refused', (_, path) => {
    const e = configError({ cookie: { path } }, 'cookie.path', 'must start with "/"');
    expect(e.message).not.toMatch(/[\r\n]/);
  });

  it('accepts paths with = and , (legal path characters)', async () => {
    expect(parseSetCookie(await firstLine({ cookie: { path: '/a=b,c' } })).path).toBe('/a=b,c');
  });

  it.each([
    ['a semicolon', 'example.com;Secure'],
    ['a CR/LF', 'example.com\r\nX: y'],
    ['an equals sign', 'a=b.com'],
    ['a space', 'exa mple.com'],
    ['a port', 'example.com:443'],
    ['a trailing hyphen in a label', 'a-.com'],
    ['a 64-character label', `${'a'.repeat(64)}.com`],
    ['nothing', ''],
    ['a number', 5],
  ])('domain with %s is refused', (_, domain) => {
    configError(
      { cookie: { domain: domain as never } },
      'cookie.domain',
      'is not a valid domain name',
    );
  });

  it('sameSite none needs secure', () => {
    configError(
      { cookie: { sameSite: 'none', secure: false } },
      'cookie.sameSite',
      '"none" requires secure: true',
    );
  });

  it('sameSite takes lax, strict or none only', () => {
    configError(
      { cookie: { sameSite: 'Lax; Domain=x' as never } },
      'cookie.sameSite',
      'must be "lax", "strict" or "none"',
    );
  });

  it('partitioned needs secure', () => {
    configError(
      { cookie: { partitioned: true, secure: false } },
      'cookie.partitioned',
      'requires secure: true',
    );
  });

  it('priority takes low, medium or high only', () => {
    configError(
      { cookie: { priority: 'urgent' as never } },
      'cookie.priority',
      'must be "low", "medium" or "high"',
    );
  });
});

// Issue 23, finding 11: in plain JavaScript a truthy string or a falsy number was taken as
// the boolean it is not: `persistent: 'false'` kept a persistent cookie, `secure: 0` and
// `httpOnly: 0` dropped their attributes without a word.
describe('cookie flags are booleans, enums one of their values', () => {
  it.each([
    ['lifetime', 'persistent', 'false', '"false"'],
    ['lifetime', 'persistent', 0, '0'],
    ['cookie', 'secure', 0, '0'],
    ['cookie', 'secure', 'true', '"true"'],
    ['cookie', 'httpOnly', 0, '0'],
    ['cookie', 'httpOnly', 'false', '"false"'],
    ['cookie', 'httpOnly', null, 'null'],
    ['cookie', 'partitioned', 'no', '"no"'],
    ['cookie', 'partitioned', 1, '1'],
  ])('%s.%s: %j is refused, naming the flag', (group, flag, value, shown) => {
    const e = configError(
      { [group]: { [flag]: value } } as never,
      `${group}.${flag}`,
      `${group}.${flag}: ${shown} must be true or false`,
    );
    expect(e.problem).toBe(`${shown} must be true or false`);
  });

  it.each([
    ['sameSite', 'Lax', '"Lax"'],
    ['sameSite', 1, '1'],
    ['sameSite', null, 'null'],
    ['priority', 'HIGH', '"HIGH"'],
    ['priority', true, 'true'],
    ['priority', null, 'null'],
  ])('cookie.%s: %j is refused, naming the setting', (name, value, shown) => {
    configError(
      { cookie: { [name]: value } as never },
      `cookie.${name}`,
      `cookie.${name}: ${shown} must be`,
    );
  });

  it('undefined is the default, for every flag', async () => {
    const line = await firstLine({
      cookie: { secure: undefined, httpOnly: undefined, partitioned: undefined },
      lifetime: { persistent: undefined },
    } as never);
    expect(parseSetCookie(line)).toMatchObject({
      httpOnly: true,
      secure: true,
      maxAge: 7 * 24 * 3600,
    });
  });

  it('false and true are taken as they are', async () => {
    const line = await firstLine({
      cookie: { secure: true, httpOnly: false },
      lifetime: { persistent: false },
    });
    expect(line).not.toMatch(/HttpOnly|Max-Age/i);
    expect(line).toMatch(/; Secure/);
  });

  it.each([
    ['a string', 'secure', '"secure" must be an object of cookie options'],
    ['null', null, 'null must be an object of cookie options'],
    ['an array', [], 'an array must be an object of cookie options'],
  ])('cookie as %s is refused', (_, cookie, message) => {
    configError({ cookie: cookie as never }, 'cookie', message);
  });
});
