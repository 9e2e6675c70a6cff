// The lists of known option names are the option types' keys, exactly: an option added to
// SessionStoreOptions or CookieOptions without its name fails here (and in src).
import { describe, expectTypeOf, it } from 'vitest';
import type { CookieOptions } from '../../src/cookie/attributes.js';
import type { SessionStoreOptions } from '../../src/index.js';
import type { KNOWN_COOKIE_OPTIONS } from '../../src/session/known-options.js';
import type { AllStoreOptions, KNOWN_STORE_OPTIONS } from '../../src/session/store-options.js';

describe('known option names', () => {
  it('are the keys of SessionStoreOptions', () => {
    expectTypeOf<(typeof KNOWN_STORE_OPTIONS)[number]>().toEqualTypeOf<keyof AllStoreOptions>();
    // The store's own options are among them.
    expectTypeOf<keyof SessionStoreOptions>().toExtend<keyof AllStoreOptions>();
  });
  it('are the keys of CookieOptions', () => {
    expectTypeOf<(typeof KNOWN_COOKIE_OPTIONS)[number]>().toEqualTypeOf<keyof CookieOptions>();
  });
});
