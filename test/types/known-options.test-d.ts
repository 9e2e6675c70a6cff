// The lists of known option names are the option types' keys, exactly: an option added to a
// group's type without its name fails here (and in src).
import { describe, expectTypeOf, it } from 'vitest';
import type { SessionStoreOptions } from '../../src/index.js';
import type * as groups from '../../src/options/known-names.js';
import type {
  AdvancedOptions,
  CookieOptions,
  HooksOptions,
  LifetimeOptions,
  TestingOptions,
} from '../../src/options/store-options.js';

describe('known option names', () => {
  it('the groups are the keys of SessionStoreOptions, less keys', () => {
    expectTypeOf<groups.OptionGroupName | 'keys'>().toEqualTypeOf<keyof SessionStoreOptions>();
  });
  it('each group is typed by its own interface', () => {
    expectTypeOf<NonNullable<SessionStoreOptions['cookie']>>().toEqualTypeOf<CookieOptions>();
    expectTypeOf<NonNullable<SessionStoreOptions['lifetime']>>().toEqualTypeOf<LifetimeOptions>();
    expectTypeOf<NonNullable<SessionStoreOptions['hooks']>>().toEqualTypeOf<HooksOptions>();
    expectTypeOf<NonNullable<SessionStoreOptions['advanced']>>().toEqualTypeOf<AdvancedOptions>();
    expectTypeOf<NonNullable<SessionStoreOptions['testing']>>().toEqualTypeOf<TestingOptions>();
  });
});
