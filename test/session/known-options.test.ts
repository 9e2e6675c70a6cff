// An option that createSessionStore does not know is a startup error naming it and the
// nearest known name (issue 14, finding 11): in plain JavaScript a typo would otherwise keep
// the default it meant to change.
import { describe, expect, it } from 'vitest';
import { SessionConfigError } from '../../src/errors.js';
import { createSessionStore, type SessionStoreOptions } from '../../src/index.js';
import { KNOWN_COOKIE_OPTIONS, nearestName } from '../../src/session/known-options.js';
import { KNOWN_STORE_OPTIONS } from '../../src/session/store-options.js';
import { keyEntry } from '../helpers/keys.js';
import { thrown } from '../helpers/store.js';

function create(options: object) {
  return createSessionStore({
    keys: keyEntry('k1'),
    testing: { env: {} },
    ...(options as SessionStoreOptions),
  });
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
    refused({ idleTimout: 60 }, 'idleTimout', 'idleTimeout');
    refused({ cokie: { secure: false } }, 'cokie', 'cookie');
    refused({ cookiename: 'sid' }, 'cookiename', 'cookieName');
    refused({ key: keyEntry('k2') }, 'key', 'keys');
    refused({ maxAge: 3600 }, 'maxAge', 'idleTimeout');
    refused({ secret: 'x' }, 'secret', 'keys');
    refused({ password: 'x' }, 'password', 'keys');
  });

  it('refuses a misspelt cookie option, named under cookie.', () => {
    refused({ cookie: { secur: false } }, 'cookie.secur', 'secure');
    refused({ cookie: { sameSite: 'lax', httponly: false } }, 'cookie.httponly', 'httpOnly');
    refused({ cookie: { maxAge: 60 } }, 'cookie.maxAge', 'persistent');
  });

  it('refuses before anything else is checked, so the typo is what the message names', () => {
    refused({ idleTimout: 60, idleTimeout: -1 }, 'idleTimout', 'idleTimeout');
  });

  it('quotes an odd key so it cannot break the line', () => {
    const error = refused({ 'a\nb': 1 }, '"a\\nb"', 'env');
    expect(error.message).not.toMatch(/\n/);
  });

  it('accepts every known option and every known cookie option', () => {
    expect(KNOWN_STORE_OPTIONS).toContain('idleTimeout');
    const all: Record<string, unknown> = { cookie: {} };
    for (const name of KNOWN_COOKIE_OPTIONS)
      (all.cookie as Record<string, unknown>)[name] = undefined;
    for (const name of KNOWN_STORE_OPTIONS) if (!(name in all)) all[name] = undefined;
    delete all.keys;
    delete all.env;
    expect(() => create(all)).not.toThrow();
  });

  it('finds the nearest name by edit distance, ignoring case', () => {
    expect(nearestName('absoluteTimout', KNOWN_STORE_OPTIONS)).toBe('absoluteTimeout');
    expect(nearestName('CACHESIZE', KNOWN_STORE_OPTIONS)).toBe('cacheSize');
    expect(nearestName('compres', KNOWN_STORE_OPTIONS)).toBe('compress');
    expect(nearestName('partioned', KNOWN_COOKIE_OPTIONS)).toBe('partitioned');
  });
});
