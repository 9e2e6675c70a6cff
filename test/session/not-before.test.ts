// A not-before later than now revokes every session created until then, new logins too: it is
// refused when the store is created, naming the setting (issue 14, finding 5).
import { describe, expect, it } from 'vitest';
import { SessionConfigError } from '../../src/errors.js';
import { createSessionStore, type SessionStoreOptions } from '../../src/index.js';
import { Clock } from '../helpers/clock.js';
import { keyEntry } from '../helpers/keys.js';
import { thrown } from '../helpers/store.js';

const clock = new Clock();
const NOW = clock.seconds;

function create(options: SessionStoreOptions) {
  return createSessionStore({
    keys: keyEntry('k1'),
    ...options,
    testing: { env: {}, now: clock.now, ...options.testing },
  });
}

function refused(options: SessionStoreOptions, setting: string): string {
  const error = thrown(() => create(options)) as SessionConfigError;
  expect(error).toBeInstanceOf(SessionConfigError);
  expect(error.setting).toBe(setting);
  expect(error.message).toMatch(new RegExp(`^${setting}: .* is in the future: `));
  return error.message;
}

describe('a not-before in the future', () => {
  it('is refused in every form, naming the option or the variable', () => {
    refused({ lifetime: { notBefore: NOW + 3600 } }, 'lifetime.notBefore');
    refused({ lifetime: { notBefore: new Date((NOW + 3600) * 1000) } }, 'lifetime.notBefore');
    refused(
      { lifetime: { notBefore: new Date((NOW + 3600) * 1000).toISOString() } },
      'lifetime.notBefore',
    );
    refused({ testing: { env: { SESSION_NOT_BEFORE: String(NOW + 3600) } } }, 'SESSION_NOT_BEFORE');
    refused(
      { testing: { env: { SESSION_NOT_BEFORE: new Date((NOW + 3600) * 1000).toISOString() } } },
      'SESSION_NOT_BEFORE',
    );
  });

  it('says when the number looks like milliseconds, with the seconds to use', () => {
    const ms = clock.ms - 60_000;
    const message = refused(
      { testing: { env: { SESSION_NOT_BEFORE: String(ms) } } },
      'SESSION_NOT_BEFORE',
    );
    expect(message).toContain(`${ms} looks like milliseconds: give epoch seconds (${NOW - 60})`);
    expect(refused({ lifetime: { notBefore: 1767225600000 } }, 'lifetime.notBefore')).toContain(
      'looks like milliseconds',
    );
    // A future time that is not a millisecond count gets no such hint.
    expect(refused({ lifetime: { notBefore: NOW + 3600 } }, 'lifetime.notBefore')).not.toContain(
      'milliseconds',
    );
  });

  it('is allowed up to now plus the clock tolerance, as the claim checks allow', () => {
    expect(() => create({ lifetime: { notBefore: NOW } })).not.toThrow();
    expect(() => create({ lifetime: { notBefore: NOW + 30 } })).not.toThrow();
    refused({ lifetime: { notBefore: NOW + 31 } }, 'lifetime.notBefore');
    expect(() => create({ lifetime: { notBefore: NOW + 120, clockTolerance: 120 } })).not.toThrow();
    refused({ lifetime: { notBefore: NOW + 121, clockTolerance: 120 } }, 'lifetime.notBefore');
  });

  it('checks against the store clock, not the machine clock', () => {
    const past = new Clock(clock.ms - 86_400_000);
    const thrownError = thrown(() =>
      createSessionStore({
        keys: keyEntry('k1'),
        testing: { env: {}, now: past.now },
        lifetime: { notBefore: NOW },
      }),
    );
    expect(thrownError).toBeInstanceOf(SessionConfigError);
  });
});
