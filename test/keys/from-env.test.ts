import { afterEach, describe, expect, it, vi } from 'vitest';
import { keyEntry, secretFor } from '../helpers/keys.js';
import { thrown } from '../helpers/store.js';

// from-env.ts warns once per process: load a fresh copy of the module for each test.
// The fresh module has its own error classes, so instanceof checks use those.
let SessionConfigError: typeof import('../../src/errors.js').SessionConfigError;
async function freshKeyRingFromEnv() {
  vi.resetModules();
  SessionConfigError = (await import('../../src/errors.js')).SessionConfigError;
  return (await import('../../src/keys/from-env.js')).keyRingFromEnv;
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
    await ring.ready();
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
    expect(error.message).toContain('SESSION_KEYS: is not set, and NODE_ENV is production');
    expect(error.message).toContain('npx jwe-session keygen');
    expect(warn).not.toHaveBeenCalled();
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
    await first.ready();
    expect(warn).toHaveBeenCalledTimes(1);
    const [message, options] = warn.mock.calls[0] as unknown as [string, { code: string }];
    expect(message).toContain('SESSION_KEYS is not set');
    expect(message).toContain('will not survive a restart');
    expect(message).toContain('npx jwe-session keygen');
    expect(options.code).toBe('JWE_SESSION_EPHEMERAL_KEY');
  });

  it('gives each ephemeral ring its own key, so one cannot open the other', async () => {
    const keyRingFromEnv = await freshKeyRingFromEnv();
    vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const a = keyRingFromEnv('SESSION_KEYS', {});
    const b = keyRingFromEnv('SESSION_KEYS', {});
    const iv = new Uint8Array(12);
    const data = new TextEncoder().encode('hello');
    const sealed = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv },
      await a.windowKey(a.primaryId, 1),
      data,
    );
    if (b.has(a.primaryId)) {
      await expect(
        crypto.subtle.decrypt({ name: 'AES-GCM', iv }, await b.windowKey(a.primaryId, 1), sealed),
      ).rejects.toThrow();
    } else {
      expect(b.has(a.primaryId)).toBe(false);
    }
  });
});
