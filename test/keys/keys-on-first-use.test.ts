// Keys from the environment are resolved when first needed: a build step that imports the
// app with NODE_ENV=production and no secrets can create the store, and the server still
// refuses to run without keys, at its first request, saying how to make one.
import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createSessionStore,
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
  expect(error.message).toContain(`${variable}: is not set, and NODE_ENV is production`);
  expect(text).toContain('npx jwe-session keygen');
}

function productionStore(options: SessionStoreOptions = {}): SessionStore {
  return createSessionStore({ env: PRODUCTION, cookie: { secure: true }, ...options });
}

describe('keys missing in production', () => {
  it('creating the store does not throw (what next build does)', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    expect(() => productionStore()).not.toThrow();
    expect(() => productionStore({ keysEnv: 'APP_KEYS' })).not.toThrow();
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
      productionStore({ keysEnv: 'APP_KEYS' }).load(undefined),
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
    const store = productionStore({ env });
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
      productionStore({ env: { ...PRODUCTION, SESSION_KEYS: `${keyEntry('a')},b.c:${secret}` } }),
    );
    expect(error.name).toBe('SessionConfigError');
    expect(error.message).toMatch(/^SESSION_KEYS: entry 2 has an invalid key id/);
    expect(text).not.toContain(secret);
  });

  it('valid keys in production work from the first request', async () => {
    const store = productionStore({ env: { ...PRODUCTION, SESSION_KEYS: keyEntry('prod') } });
    const session = await store.load(undefined);
    session.set('n', 1);
    const [line] = await store.commit(session);
    const reloaded = await store.load((line as string).split(';')[0]);
    expect(reloaded.get('n')).toBe(1);
    expect(store.keyRing.primaryId).toBe('prod');
  });
});
