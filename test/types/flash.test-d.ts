import { describe, expectTypeOf, it } from 'vitest';
import { sessionMiddleware } from '../../src/adapters/express.js';
import { withSessionFetch } from '../../src/adapters/fetch.js';
import { sessionFromJar } from '../../src/adapters/jar.js';
import { withSession } from '../../src/adapters/node.js';
import { createSessionStore, type JsonValue, type Session } from '../../src/index.js';

type Data = { userId?: string };
type Flash = { notice: string; error?: { field: string; message: string } };

describe('typed flash', () => {
  it('types flash and getFlash by the store’s second type parameter', async () => {
    const store = createSessionStore<Data, Flash>();
    const session = await store.load('');
    expectTypeOf(session).toEqualTypeOf<Session<Data, Flash>>();
    session.flash('notice', 'Saved');
    session.flash('error', { field: 'email', message: 'taken' });
    expectTypeOf(session.getFlash('notice')).toEqualTypeOf<string | undefined>();
    expectTypeOf(session.getFlash('error')).toEqualTypeOf<Flash['error'] | undefined>();
    // @ts-expect-error: not a flash key
    session.flash('notise', 'Saved');
    // @ts-expect-error: wrong flash value type
    session.flash('notice', 3);
    // @ts-expect-error: undefined is not a flash value
    session.flash('error', undefined);
    // @ts-expect-error: not a flash key
    session.getFlash('nope');
  });

  it('keeps untyped flash as before', async () => {
    const session = await createSessionStore<Data>().load('');
    session.flash('anything', { a: [1, 'x'] });
    expectTypeOf(session.getFlash('anything')).toEqualTypeOf<JsonValue | undefined>();
    const plain = await createSessionStore().load('');
    plain.flash('k', 1);
    expectTypeOf(plain.getFlash('k')).toEqualTypeOf<JsonValue | undefined>();
  });

  it('refuses a flash type JSON cannot carry', () => {
    // @ts-expect-error: a Date does not survive JSON
    createSessionStore<Data, { when: Date }>();
  });

  it('carries the flash type through every adapter', async () => {
    const store = createSessionStore<Data, Flash>();
    withSession(store, (_req, _res, session) => {
      expectTypeOf(session.getFlash('notice')).toEqualTypeOf<string | undefined>();
      expectTypeOf(_req.session).toEqualTypeOf<Session<Data, Flash>>();
    });
    withSessionFetch(store, (_request, session) => {
      expectTypeOf(session.getFlash('notice')).toEqualTypeOf<string | undefined>();
      return new Response();
    });
    const middleware = sessionMiddleware(store);
    expectTypeOf(middleware.of).returns.toEqualTypeOf<Session<Data, Flash>>();
    const jarSession = await sessionFromJar(store, { get: () => undefined, set: () => {} });
    expectTypeOf(jarSession).toEqualTypeOf<Session<Data, Flash>>();
    // Explicit data-only type arguments still work.
    withSession<Data>(createSessionStore<Data>(), () => {});
  });
});
