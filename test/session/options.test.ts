import { describe, expect, it } from 'vitest';
import { SessionConfigError } from '../../src/errors.js';
import { createSessionStore, type SessionStoreOptions } from '../../src/index.js';
import { keyEntry } from '../helpers/keys.js';
import { thrown } from '../helpers/store.js';

function configError(options: SessionStoreOptions, setting: string, fragment: string) {
  const error = thrown(() =>
    createSessionStore({ keys: keyEntry('k1'), testing: { env: {} }, ...options }),
  );
  expect(error).toBeInstanceOf(SessionConfigError);
  const e = error as SessionConfigError;
  expect(e.code).toBe('ERR_SESSION_CONFIG');
  expect(e.setting).toBe(setting);
  expect(e.message).toBe(`${setting}: ${e.message.slice(setting.length + 2)}`);
  expect(e.message).toContain(fragment);
}

describe('store options are validated at construction, errors naming the option', () => {
  it.each([
    [
      'lifetime.idleTimeout',
      { lifetime: { idleTimeout: 59 } },
      '59 is invalid: use whole seconds from 60 to 34560000',
    ],
    ['lifetime.idleTimeout', { lifetime: { idleTimeout: 1.5 * 3600 + 0.5 } }, 'is invalid'],
    ['lifetime.idleTimeout', { lifetime: { idleTimeout: '3600' as never } }, '3600 is invalid'],
    ['lifetime.idleTimeout', { lifetime: { idleTimeout: Number.NaN } }, 'NaN is invalid'],
    ['lifetime.absoluteTimeout', { lifetime: { absoluteTimeout: 401 * 24 * 3600 } }, 'is invalid'],
    [
      'lifetime.absoluteTimeout',
      { lifetime: { idleTimeout: 7200, absoluteTimeout: 3600 } },
      '3600 is shorter than idleTimeout (7200)',
    ],
    [
      'lifetime.refreshAfter',
      { lifetime: { refreshAfter: 1.5 } },
      'use a share of the idle timeout from 0 (every request) to 1',
    ],
    ['lifetime.refreshAfter', { lifetime: { refreshAfter: -0.1 } }, 'is invalid'],
    ['lifetime.refreshAfter', { lifetime: { refreshAfter: Number.NaN } }, 'NaN is invalid'],
    ['lifetime.clockTolerance', { lifetime: { clockTolerance: 601 } }, 'from 0 to 600'],
    ['cookie.maxChunkBytes', { cookie: { maxChunkBytes: 4097 } }, 'from 512 to 4096'],
    ['cookie.maxChunkBytes', { cookie: { maxChunkBytes: 100 } }, 'from 512 to 4096'],
    ['cookie.maxTotalBytes', { cookie: { maxTotalBytes: 511 } }, 'from 512 to 65536'],
    ['cookie.maxTotalBytes', { cookie: { maxTotalBytes: 70000 } }, 'from 512 to 65536'],
    ['advanced.cacheSize', { advanced: { cacheSize: -1 } }, 'is invalid'],
    ['advanced.compress', { advanced: { compress: 'yes' as never } }, 'must be true or false'],
    [
      'advanced.purpose',
      { advanced: { purpose: 'has space' } },
      'must be 1-100 printable ASCII characters without spaces',
    ],
    ['advanced.purpose', { advanced: { purpose: '' } }, 'must be 1-100 printable ASCII'],
    ['advanced.purpose', { advanced: { purpose: 'a\r\nb' } }, 'must be 1-100 printable ASCII'],
    [
      'advanced.purpose',
      { advanced: { purpose: 'x'.repeat(101) } },
      'must be 1-100 printable ASCII',
    ],
    ['keys.env', { keys: { env: 'BAD-NAME' } }, '"BAD-NAME" is not an environment variable name'],
    [
      'lifetime.notBefore',
      { lifetime: { notBefore: 'yesterday' } },
      'is not a date: use an ISO 8601 time',
    ],
    ['testing.now', { testing: { now: 5 as never } }, 'must be a function returning milliseconds'],
    ['options', null as never, 'must be an object'],
  ])('%s: %j', (setting, options, fragment) => {
    if (options === null) {
      const error = thrown(() => createSessionStore(null as never)) as SessionConfigError;
      expect(error.code).toBe('ERR_SESSION_CONFIG');
      expect(error.message).toBe('options: must be an object');
      return;
    }
    configError(options, setting, fragment);
  });

  it('names SESSION_NOT_BEFORE when the bad value came from the environment', () => {
    configError(
      { testing: { env: { SESSION_NOT_BEFORE: 'soon' } } },
      'SESSION_NOT_BEFORE',
      'is not a date',
    );
  });

  it('names the keys option for a bad key given in code', () => {
    configError({ keys: 'k1:short' }, 'keys', 'entry 1 (id "k1") has a key of 5 characters');
  });

  it('names the custom keys variable for a bad key from the environment', () => {
    const error = thrown(() =>
      createSessionStore({ keys: { env: 'APP_KEYS' }, testing: { env: { APP_KEYS: 'a:short' } } }),
    ) as SessionConfigError;
    expect(error.setting).toBe('APP_KEYS');
    expect(error.message).toMatch(/^APP_KEYS: entry 1 /);
  });

  it('reads keys from the environment when none are given', async () => {
    const store = createSessionStore({ testing: { env: { SESSION_KEYS: keyEntry('envkey') } } });
    expect(store.keyRing.primaryId).toBe('envkey');
    expect(store.keyRing.ephemeral).toBe(false);
  });

  it('accepts the boundaries', () => {
    expect(() =>
      createSessionStore({
        keys: keyEntry('k1'),
        testing: { env: {} },
        lifetime: {
          idleTimeout: 60,
          absoluteTimeout: 60,
          refreshAfter: 0,
          clockTolerance: 0,
          notBefore: 0,
        },
        cookie: { maxChunkBytes: 512, maxTotalBytes: 512 },
        advanced: { cacheSize: 0 },
      }),
    ).not.toThrow();
    expect(() =>
      createSessionStore({
        keys: keyEntry('k1'),
        testing: { env: {} },
        lifetime: { refreshAfter: 1 },
        cookie: { maxChunkBytes: 4096, maxTotalBytes: 65536 },
      }),
    ).not.toThrow();
  });
});
