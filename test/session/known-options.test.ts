// An option that createSessionStore does not know is a startup error naming it and the
// nearest known name (issue 14, finding 11): in plain JavaScript a typo would otherwise keep
// the default it meant to change. Since the options were grouped (issue 22) this holds at
// every level, and every name the flat options had points to where it went.
import { describe, expect, it } from 'vitest';
import { SessionConfigError } from '../../src/errors.js';
import { createSessionStore } from '../../src/index.js';
import * as groups from '../../src/options/known-names.js';
import { keyEntry } from '../helpers/keys.js';
import { thrown } from '../helpers/store.js';

function create(options: object) {
  return createSessionStore({ keys: keyEntry('k1'), testing: { env: {} }, ...options });
}

function refused(options: object, setting: string, suggestion: string): SessionConfigError {
  const error = thrown(() => create(options)) as SessionConfigError;
  expect(error).toBeInstanceOf(SessionConfigError);
  expect(error.code).toBe('ERR_SESSION_CONFIG');
  expect(error.setting).toBe(setting);
  expect(error.message).toContain(`${setting}: is not an option: did you mean "${suggestion}"?`);
  return error;
}

describe('unknown options', () => {
  it('refuses a misspelt top-level option, suggesting the nearest', () => {
    refused({ cokie: { secure: false } }, 'cokie', 'cookie');
    refused({ lifetimes: {} }, 'lifetimes', 'lifetime');
    refused({ key: keyEntry('k2') }, 'key', 'keys');
    refused({ secret: 'x' }, 'secret', 'keys');
    refused({ password: 'x' }, 'password', 'keys');
    refused({ maxAge: 3600 }, 'maxAge', 'lifetime.idleTimeout');
    refused({ name: 'sid' }, 'name', 'cookie.name');
  });

  it('points every flat name of before issue 22 to where it went', () => {
    for (const [old, path] of [
      ['cookieName', 'cookie.name'],
      ['keysEnv', 'keys'],
      ['idleTimeout', 'lifetime.idleTimeout'],
      ['absoluteTimeout', 'lifetime.absoluteTimeout'],
      ['refreshAfter', 'lifetime.refreshAfter'],
      ['clockTolerance', 'lifetime.clockTolerance'],
      ['notBefore', 'lifetime.notBefore'],
      ['maxCookieBytes', 'cookie.maxChunkBytes'],
      ['maxTotalBytes', 'cookie.maxTotalBytes'],
      ['purpose', 'advanced.purpose'],
      ['compress', 'advanced.compress'],
      ['engine', 'advanced.engine'],
      ['cacheSize', 'advanced.cacheSize'],
      ['version', 'data.version'],
      ['migrate', 'data.migrate'],
      ['schema', 'data.schema'],
      ['onRejection', 'hooks.onRejection'],
      ['onEvent', 'hooks.onEvent'],
      ['env', 'testing.env'],
      ['now', 'testing.now'],
    ]) {
      refused({ [old as string]: 1 }, old as string, path as string);
    }
  });

  it('refuses a misspelt member of each group, named by its path', () => {
    refused({ cookie: { secur: false } }, 'cookie.secur', 'secure');
    refused({ cookie: { sameSite: 'lax', httponly: false } }, 'cookie.httponly', 'httpOnly');
    refused({ cookie: { maxAge: 60 } }, 'cookie.maxAge', 'lifetime.persistent');
    refused({ cookie: { persistent: false } }, 'cookie.persistent', 'lifetime.persistent');
    refused({ lifetime: { idleTimout: 60 } }, 'lifetime.idleTimout', 'idleTimeout');
    refused({ lifetime: { maxAge: 60 } }, 'lifetime.maxAge', 'idleTimeout');
    refused({ data: { verison: 2 } }, 'data.verison', 'version');
    refused({ hooks: { onEvents: () => {} } }, 'hooks.onEvents', 'onEvent');
    refused({ advanced: { engin: 'node' } }, 'advanced.engin', 'engine');
    refused({ testing: { clock: () => 0 } }, 'testing.clock', 'now');
    refused({ keys: { envName: 'X' } }, 'keys.envName', 'env');
  });

  it('refuses before anything else is checked, so the typo is what the message names', () => {
    refused(
      { lifetime: { idleTimout: 60, idleTimeout: -1 } },
      'lifetime.idleTimout',
      'idleTimeout',
    );
    refused({ lifetime: { idleTimeout: -1 }, hooks: { onEvnt: 1 } }, 'hooks.onEvnt', 'onEvent');
  });

  it('refuses a group that is not an object', () => {
    const error = thrown(() => create({ lifetime: 3600 })) as SessionConfigError;
    expect(error.setting).toBe('lifetime');
    expect(error.message).toBe('lifetime: 3600 must be an object of lifetime options');
  });

  it('quotes an odd key so it cannot break the line', () => {
    const error = refused({ 'a\nb': 1 }, '"a\\nb"', 'data');
    expect(error.message).not.toMatch(/\n/);
    const inner = refused({ lifetime: { 'a\u202eb': 1 } }, 'lifetime."a\\u202eb"', 'notBefore');
    expect(inner.message).not.toMatch(/\u202e/);
  });

  it('accepts every known name of every group', () => {
    const all: Record<string, Record<string, unknown>> = {};
    for (const [group, list] of [
      ['cookie', groups.COOKIE],
      ['lifetime', groups.LIFETIME],
      ['data', groups.DATA],
      ['hooks', groups.HOOKS],
      ['advanced', groups.ADVANCED],
      ['revocation', groups.REVOCATION],
      ['testing', groups.TESTING],
      ['crossSite', groups.CROSS_SITE],
    ] as const) {
      all[group] = Object.fromEntries(list.known.map((name) => [name, undefined]));
    }
    expect(Object.keys(all).sort()).toEqual(
      groups.TOP_LEVEL.known.filter((name) => name !== 'keys').sort(),
    );
    expect(() => create(all)).not.toThrow();
  });

  it('suggests the nearest name by edit distance, ignoring case', () => {
    refused({ lifetime: { absoluteTimout: 1 } }, 'lifetime.absoluteTimout', 'absoluteTimeout');
    refused({ advanced: { CACHESIZE: 1 } }, 'advanced.CACHESIZE', 'cacheSize');
    refused({ advanced: { compres: true } }, 'advanced.compres', 'compress');
    refused({ cookie: { partioned: true } }, 'cookie.partioned', 'partitioned');
  });
});
