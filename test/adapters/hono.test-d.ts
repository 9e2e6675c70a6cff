// c.get('session') is typed through Hono's Variables, from the store's data type.
import { Hono } from 'hono';
import { describe, expectTypeOf, it } from 'vitest';
import { honoSession, type SessionEnv, type SessionVariables } from '../../src/adapters/hono.js';
import { createSessionStore, type Session } from '../../src/index.js';

type Data = { userId?: string; cart?: string[] };
const store = createSessionStore<Data>();

describe('hono types', () => {
  it('types c.get("session") and c.var.session on an app declared with SessionEnv', () => {
    const app = new Hono<SessionEnv<Data>>();
    app.use(honoSession(store));
    app.get('/', (c) => {
      expectTypeOf(c.get('session')).toEqualTypeOf<Session<Data>>();
      expectTypeOf(c.var.session.get('cart')).toEqualTypeOf<string[] | undefined>();
      // @ts-expect-error: not a key of Data
      c.get('session').get('nope');
      // @ts-expect-error: userId is a string
      c.get('session').set('userId', 1);
      return c.text('ok');
    });
  });

  it('carries the type through a chained use() on an app with no env of its own', () => {
    new Hono().use(honoSession(store)).get('/', (c) => {
      expectTypeOf(c.get('session').get('userId')).toEqualTypeOf<string | undefined>();
      return c.text('ok');
    });
  });

  it('combines with the app’s own Bindings and Variables', () => {
    type Env = { Bindings: { DB: string }; Variables: SessionVariables<Data> & { user: string } };
    const app = new Hono<Env>();
    app.use(honoSession(store));
    app.get('/', (c) => {
      expectTypeOf(c.env.DB).toEqualTypeOf<string>();
      expectTypeOf(c.get('user')).toEqualTypeOf<string>();
      expectTypeOf(c.get('session')).toEqualTypeOf<Session<Data>>();
      return c.text('ok');
    });
  });
});
