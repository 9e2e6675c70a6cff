// Keys from the environment are resolved when first needed: a build step that imports the
// app with NODE_ENV=production and no secrets can create the store, and the server still
// refuses to run without keys (the adapters check when wired; the store at its first use),
// saying how to make one. Keys that arrive after the store was created are the ones that seal.
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createSessionStore,
  type JsonValue,
  type SessionStore,
  type SessionStoreOptions,
} from '../../src/index.js';
import { keyEntry, secretFor } from '../helpers/keys.js';

const PRODUCTION = { NODE_ENV: 'production' } as const;

afterEach(() => {
  vi.restoreAllMocks();
});

/** What a failure shows anywhere: message, String(), stack, JSON and inspect. */
async function shownBy(run: () => unknown): Promise<{ error: Error; text: string }> {
  let caught: unknown;
  try {
    await run();
  } catch (error) {
    caught = error;
  }
  if (!(caught instanceof Error)) throw new Error('expected a failure');
  const text = [
    caught.message,
    String(caught),
    caught.stack,
    JSON.stringify(caught),
    inspect(caught),
  ];
  return { error: caught, text: text.join('\n') };
}

function expectMissingKeys(error: Error, text: string, variable = 'SESSION_KEYS'): void {
  expect(error.name).toBe('SessionConfigError');
  expect((error as { code?: string }).code).toBe('ERR_SESSION_CONFIG');
  expect((error as { setting?: string }).setting).toBe(variable);
  expect(error.message).toContain(`${variable}: is not set, and NODE_ENV is "production"`);
  expect(text).toContain('npx jwe-session keygen');
}

function productionStore(options: SessionStoreOptions = {}): SessionStore {
  return createSessionStore({ testing: { env: PRODUCTION }, cookie: { secure: true }, ...options });
}

describe('keys missing in production', () => {
  it('creating the store does not throw (what next build does)', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    expect(() => productionStore()).not.toThrow();
    expect(() => productionStore({ keys: { env: 'APP_KEYS' } })).not.toThrow();
    // No ephemeral key was made up behind the app's back.
    expect(warn).not.toHaveBeenCalled();
  });

  it.each([
    ['load without a cookie', (s: SessionStore) => s.load(undefined)],
    ['load with a cookie', (s: SessionStore) => s.load('session=abc')],
    ['seal', (s: SessionStore) => s.seal({ a: 1 })],
    ['unseal', (s: SessionStore) => s.unseal('a.b.c.d.e')],
    ['keyRing', (s: SessionStore) => s.keyRing],
  ])('the first %s throws the error that says how to make a key', async (_, use) => {
    const { error, text } = await shownBy(() => use(productionStore()));
    expectMissingKeys(error, text);
  });

  it('names the variable the store reads', async () => {
    const { error, text } = await shownBy(() =>
      productionStore({ keys: { env: 'APP_KEYS' } }).load(undefined),
    );
    expectMissingKeys(error, text, 'APP_KEYS');
  });

  it('keeps failing on every request, not only the first', async () => {
    const store = productionStore();
    await expect(store.load(undefined)).rejects.toThrow(/SESSION_KEYS: is not set/);
    await expect(store.load(undefined)).rejects.toThrow(/SESSION_KEYS: is not set/);
  });

  it('uses the keys once they are set before the first use', async () => {
    const env: Record<string, string | undefined> = { ...PRODUCTION };
    const store = productionStore({ testing: { env } });
    env.SESSION_KEYS = keyEntry('late');
    const session = await store.load(undefined);
    session.set('n', 1);
    expect(await store.commit(session)).toHaveLength(1);
    expect(store.keyRing.primaryId).toBe('late');
  });
});

describe('keys present', () => {
  it('a malformed entry is still an error when the store is created, without the secret', async () => {
    const secret = secretFor('bad');
    const { error, text } = await shownBy(() =>
      productionStore({
        testing: { env: { ...PRODUCTION, SESSION_KEYS: `${keyEntry('a')},b.c:${secret}` } },
      }),
    );
    expect(error.name).toBe('SessionConfigError');
    expect(error.message).toMatch(/^SESSION_KEYS: entry 2 has an invalid key id/);
    expect(text).not.toContain(secret);
  });

  it('valid keys in production work from the first request', async () => {
    const store = productionStore({
      testing: { env: { ...PRODUCTION, SESSION_KEYS: keyEntry('prod') } },
    });
    const session = await store.load(undefined);
    session.set('n', 1);
    const [line] = await store.commit(session);
    const reloaded = await store.load((line as string).split(';')[0]);
    expect(reloaded.get('n')).toBe(1);
    expect(store.keyRing.primaryId).toBe('prod');
  });
});

describe('NODE_ENV other than unset, empty, development or test, without keys', () => {
  it.each(['staging', 'prod', 'Production', 'PRODUCTION', ' production', 'production\n'])(
    '%j: the store makes up no key, and its first use throws',
    async (nodeEnv) => {
      const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
      const store = createSessionStore({
        testing: { env: { NODE_ENV: nodeEnv } },
        cookie: { secure: true },
      });
      const { error, text } = await shownBy(() => store.load(undefined));
      expect(error.name).toBe('SessionConfigError');
      expect((error as { setting?: string }).setting).toBe('SESSION_KEYS');
      expect(error.message).toContain(`NODE_ENV is ${JSON.stringify(nodeEnv)}`);
      expect(text).toContain('npx jwe-session keygen');
      expect(warn).not.toHaveBeenCalled();
    },
  );
});

/** Seals `data` with `store`, and the cookie header a browser sends back. */
async function cookieFrom(store: SessionStore, data: Record<string, JsonValue>): Promise<string> {
  const session = await store.load(undefined);
  for (const [key, value] of Object.entries(data)) session.set(key, value);
  const lines = await store.commit(session);
  return lines.map((line) => line.slice(0, line.indexOf(';'))).join('; ');
}

describe('keys that arrive after the store was created (issue 23, B)', () => {
  // Each test starts before any made-up key, so it sees the one warning it causes.
  beforeEach(() => {
    delete (globalThis as Record<symbol, unknown>)[Symbol.for('jwe-session.ephemeral-keys')];
  });

  // What dotenv loaded after the imports, or a secrets sidecar, does: the variable appears in
  // the environment the store reads after createSessionStore() ran.
  it.each([
    ['unset', {}],
    ['development', { NODE_ENV: 'development' }],
    ['test', { NODE_ENV: 'test' }],
    ['production', PRODUCTION],
  ])('NODE_ENV %s: keys set before the first use seal', async (_, base) => {
    vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const env: Record<string, string | undefined> = { ...base };
    const store = createSessionStore({ testing: { env }, cookie: { secure: true } });
    env.SESSION_KEYS = keyEntry('late');
    expect(store.keyRing.primaryId).toBe('late');
    expect(store.keyRing.ephemeral).toBe(false);
    // Sealed under the configured key: a store given only that key opens it.
    const cookie = await cookieFrom(store, { n: 1 });
    const configured = createSessionStore({ keys: keyEntry('late'), testing: { env: {} } });
    expect((await configured.load(cookie)).get('n')).toBe(1);
  });

  it('in development, keys set after the made-up key was used replace it', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const env: Record<string, string | undefined> = { NODE_ENV: 'development' };
    const store = createSessionStore({ testing: { env }, cookie: { secure: true } });
    const devCookie = await cookieFrom(store, { who: 'dev' });
    expect(store.keyRing.ephemeral).toBe(true);
    expect((await store.load(devCookie)).get('who')).toBe('dev');

    env.SESSION_KEYS = keyEntry('late');
    expect(store.keyRing.primaryId).toBe('late');
    const cookie = await cookieFrom(store, { n: 2 });
    const configured = createSessionStore({ keys: keyEntry('late'), testing: { env: {} } });
    expect((await configured.load(cookie)).get('n')).toBe(2);
    // The made-up key is gone from the ring: its cookie is refused, even though the token
    // cache had it from the first load.
    const stale = await store.load(devCookie);
    expect(stale.rejection?.reason).toBe('unknown-key');
    expect(stale.get('who')).toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('in development, the made-up key is the same for every store, and for a reloaded copy', async () => {
    vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const env = { NODE_ENV: 'development' };
    const a = createSessionStore({ testing: { env }, cookie: { secure: true } });
    const cookie = await cookieFrom(a, { who: 'ada' });
    vi.resetModules();
    const reloaded = (await import('../../src/index.js')).createSessionStore({ testing: { env } });
    expect((await reloaded.load(cookie)).get('who')).toBe('ada');
  });

  it('NODE_ENV set to production after the made-up key was used makes the next use throw', async () => {
    vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const env: Record<string, string | undefined> = {};
    const store = createSessionStore({ testing: { env }, cookie: { secure: true } });
    expect(store.keyRing.ephemeral).toBe(true);
    env.NODE_ENV = 'production';
    const { error, text } = await shownBy(() => store.load(undefined));
    expectMissingKeys(error, text);
  });

  it('a malformed entry that arrives later is an error at the next use, without the secret', async () => {
    vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const env: Record<string, string | undefined> = {};
    const store = createSessionStore({ testing: { env }, cookie: { secure: true } });
    const secret = secretFor('late-bad');
    env.SESSION_KEYS = `k1.x:${secret}`;
    const { error, text } = await shownBy(() => store.keyRing);
    expect(error.message).toMatch(/^SESSION_KEYS: entry 1 has an invalid key id/);
    expect(text).not.toContain(secret);
  });
});
