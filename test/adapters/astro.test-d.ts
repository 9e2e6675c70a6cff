// What `declare namespace App { interface Locals extends SessionLocals<Data> {} }` gives an
// app. Not declared globally here: this program also holds the other frameworks' App.Locals
// (SvelteKit's is the same global). astro.test.ts checks that declaration, as an app writes
// it, in a program of its own.
import type { MiddlewareHandler } from 'astro';
import { defineMiddleware, sequence } from 'astro/middleware';
import { describe, expectTypeOf, it } from 'vitest';
import { astroSession, type SessionLocals } from '../../src/adapters/astro.js';
import { createSessionStore, type Session } from '../../src/index.js';

type AstroData = { userId?: string; cart?: string[] };
const store = createSessionStore<AstroData>();

interface Locals extends App.Locals, SessionLocals<AstroData> {}

describe('astro types', () => {
  it('is an Astro middleware that sequence() and defineMiddleware() take', () => {
    expectTypeOf(astroSession(store)).toEqualTypeOf<MiddlewareHandler>();
    sequence(
      astroSession(store),
      defineMiddleware((_context, next) => next()),
    );
    defineMiddleware(astroSession(store));
  });

  it('gives App.Locals a session of the store’s data type', () => {
    const locals = {} as Locals;
    expectTypeOf(locals.session).toEqualTypeOf<Session<AstroData>>();
    expectTypeOf(locals.session.get('cart')).toEqualTypeOf<string[] | undefined>();
    // @ts-expect-error: not a key of AstroData
    locals.session.get('nope');
    // @ts-expect-error: userId is a string
    locals.session.set('userId', 1);
    expectTypeOf<SessionLocals['session']>().toEqualTypeOf<Session>();
  });

  it('takes only a session store', () => {
    // @ts-expect-error: not a store
    astroSession({});
  });
});
