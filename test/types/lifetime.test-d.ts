import { describe, expectTypeOf, it } from 'vitest';
import { createSessionStore, type SessionLifetime } from '../../src/index.js';

describe('session.options() types', () => {
  it('takes any of the three lifetimes and returns all three', async () => {
    const session = await createSessionStore().load('');
    expectTypeOf(session.options()).toEqualTypeOf<SessionLifetime>();
    expectTypeOf(session.options({ persistent: false })).toEqualTypeOf<SessionLifetime>();
    session.options({ idleTimeout: 3600, absoluteTimeout: 7200 });
    // @ts-expect-error: not a lifetime
    session.options({ maxAge: 10 });
    // @ts-expect-error: seconds, not text
    session.options({ idleTimeout: '1h' });
  });
});
