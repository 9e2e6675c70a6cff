import { afterEach, describe, expect, it, vi } from 'vitest';
import { keyEntry, secretFor } from '../helpers/keys.js';
import { thrown } from '../helpers/store.js';

// from-env.ts makes one key per variable per process, kept on globalThis, and warns when it
// makes it: each test starts without that registry and with a fresh copy of the module. The
// fresh module has its own error classes, so instanceof checks use those.
const EPHEMERAL_KEYS = Symbol.for('jwe-session.ephemeral-keys');
let SessionConfigError: typeof import('../../src/errors.js').SessionConfigError;
async function freshKeyRingFromEnv() {
  delete (globalThis as Record<symbol, unknown>)[EPHEMERAL_KEYS];
  vi.resetModules();
  SessionConfigError = (await import('../../src/errors.js')).SessionConfigError;
  return (await import('../../src/keys/from-env.js')).keyRingFromEnv;
}

type Ring = ReturnType<Awaited<ReturnType<typeof freshKeyRingFromEnv>>>;

/** "hello" sealed under the sealing key of `a` and opened under that of `b`; rejects if it does not open. */
async function openAcross(a: Ring, b: Ring): Promise<string> {
  const iv = new Uint8Array(12);
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv },
    await a.windowKey(a.primaryId, 1),
    new TextEncoder().encode('hello'),
  );
  const opened = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv },
    await b.windowKey(b.primaryId, 1),
    sealed,
  );
  return new TextDecoder().decode(opened);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('keyRingFromEnv', () => {
  it('builds the ring from the variable, first entry sealing', async () => {
    const keyRingFromEnv = await freshKeyRingFromEnv();
    const ring = keyRingFromEnv('SESSION_KEYS', {
      SESSION_KEYS: ` ${keyEntry('new')} , ${keyEntry('old')} `,
    });
    expect(ring.ids).toEqual(['new', 'old']);
    expect(ring.primaryId).toBe('new');
    expect(ring.ephemeral).toBe(false);
    // The key imports: a window key derives from it.
    await expect(ring.windowKey('new', 0)).resolves.toBeDefined();
  });

  it('reads a custom variable name and names it in errors', async () => {
    const keyRingFromEnv = await freshKeyRingFromEnv();
    const secret = secretFor('bad');
    const error = thrown(() =>
      keyRingFromEnv('APP_KEYS', { APP_KEYS: `${keyEntry('a')},b.c:${secret}` }),
    ) as InstanceType<typeof SessionConfigError>;
    expect(error).toBeInstanceOf(SessionConfigError);
    expect(error.setting).toBe('APP_KEYS');
    expect(error.message).toMatch(/^APP_KEYS: entry 2 has an invalid key id/);
    expect(error.message).not.toContain(secret);
  });

  it.each([
    ['unset', {}],
    ['empty', { SESSION_KEYS: '' }],
    ['blank', { SESSION_KEYS: '   ' }],
  ])('in production, %s is a startup error that says how to make a key', async (_, vars) => {
    const keyRingFromEnv = await freshKeyRingFromEnv();
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const error = thrown(() =>
      keyRingFromEnv('SESSION_KEYS', { NODE_ENV: 'production', ...vars }),
    ) as InstanceType<typeof SessionConfigError>;
    expect(error).toBeInstanceOf(SessionConfigError);
    expect(error.code).toBe('ERR_SESSION_CONFIG');
    expect(error.setting).toBe('SESSION_KEYS');
    expect(error.message).toContain('SESSION_KEYS: is not set, and NODE_ENV is "production"');
    expect(error.message).toContain('npx jwe-session keygen');
    expect(warn).not.toHaveBeenCalled();
  });

  // Only these exact values mean "development": a deploy under any other NODE_ENV may be a
  // real server, where a made-up key would silently change at every restart (issue 23, A).
  it.each([
    'staging',
    'prod',
    'Production',
    'PRODUCTION',
    ' production',
    'production\n',
    'development ',
    'Development',
    'TEST',
  ])('NODE_ENV %j without keys is an error naming the variable and keygen', async (nodeEnv) => {
    const keyRingFromEnv = await freshKeyRingFromEnv();
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    for (const variable of ['SESSION_KEYS', 'APP_KEYS']) {
      const error = thrown(() => keyRingFromEnv(variable, { NODE_ENV: nodeEnv })) as InstanceType<
        typeof SessionConfigError
      >;
      expect(error).toBeInstanceOf(SessionConfigError);
      expect(error.setting).toBe(variable);
      // The value as JSON, so a stray space or newline shows.
      expect(error.message).toContain(
        `${variable}: is not set, and NODE_ENV is ${JSON.stringify(nodeEnv)}`,
      );
      expect(error.message).toContain('only when NODE_ENV is unset, empty, development or test');
      expect(error.message).toContain('npx jwe-session keygen');
    }
    expect(warn).not.toHaveBeenCalled();
    expect((globalThis as Record<symbol, unknown>)[EPHEMERAL_KEYS]).toBeUndefined();
  });

  it.each([
    ['unset', {}],
    ['empty', { NODE_ENV: '' }],
    ['development', { NODE_ENV: 'development' }],
    ['test', { NODE_ENV: 'test' }],
  ])('NODE_ENV %s without keys gives the made-up key', async (_, env) => {
    const keyRingFromEnv = await freshKeyRingFromEnv();
    vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    expect(keyRingFromEnv('SESSION_KEYS', env).ephemeral).toBe(true);
  });

  it('outside production, gives an ephemeral ring with exactly one warning', async () => {
    const keyRingFromEnv = await freshKeyRingFromEnv();
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const first = keyRingFromEnv('SESSION_KEYS', { NODE_ENV: 'development' });
    const second = keyRingFromEnv('SESSION_KEYS', {});
    expect(first.ephemeral).toBe(true);
    expect(second.ephemeral).toBe(true);
    expect(first.ids).toHaveLength(1);
    expect(first.primaryId).toMatch(/^dev-[a-z0-9]+$/);
    await expect(first.windowKey(first.primaryId, 0)).resolves.toBeDefined();
    expect(warn).toHaveBeenCalledTimes(1);
    const [message, options] = warn.mock.calls[0] as unknown as [string, { code: string }];
    expect(message).toContain('SESSION_KEYS is not set');
    expect(message).toContain('will not survive a restart');
    expect(message).toContain('npx jwe-session keygen');
    expect(options.code).toBe('JWE_SESSION_EPHEMERAL_KEY');
  });

  it('gives every copy of the module in one process the same key, and warns once', async () => {
    const keyRingFromEnv = await freshKeyRingFromEnv();
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const a = keyRingFromEnv('SESSION_KEYS', {});
    // What a dev server does when it loads the store's module again (a bundle, a hot reload).
    vi.resetModules();
    const again = (await import('../../src/keys/from-env.js')).keyRingFromEnv;
    const b = again('SESSION_KEYS', {});
    expect(b.primaryId).toBe(a.primaryId);
    expect(await openAcross(a, b)).toBe('hello');
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it("lets a store from a reloaded copy of the library read the first one's cookie", async () => {
    await freshKeyRingFromEnv();
    vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const env = { NODE_ENV: 'development' };
    const first = (await import('../../src/index.js')).createSessionStore({ testing: { env } });
    const session = await first.load(undefined);
    session.set('user', 'ada');
    const lines = await first.commit(session);
    const cookie = lines.map((line) => line.slice(0, line.indexOf(';'))).join('; ');
    vi.resetModules();
    const reloaded = (await import('../../src/index.js')).createSessionStore({ testing: { env } });
    const read = await reloaded.load(cookie);
    expect(read.rejection).toBeUndefined();
    expect(read.get('user')).toBe('ada');
  });

  it('gives another variable its own key, which cannot open the first one', async () => {
    const keyRingFromEnv = await freshKeyRingFromEnv();
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const a = keyRingFromEnv('SESSION_KEYS', {});
    const b = keyRingFromEnv('ADMIN_KEYS', {});
    expect(warn).toHaveBeenCalledTimes(2);
    expect(String(warn.mock.calls[1]?.[0])).toContain('ADMIN_KEYS is not set');
    // Ids are 6 random characters: a clash is possible, so the keys are compared by use.
    await expect(openAcross(a, b)).rejects.toThrow();
  });
});
