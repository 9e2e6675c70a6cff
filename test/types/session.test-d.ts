import { describe, expectTypeOf, it } from 'vitest';
import {
  createSessionStore,
  type JsonValue,
  type Session,
  type SessionStore,
} from '../../src/index.js';

type Data = {
  userId: string;
  cart?: { sku: string; qty: number }[];
  prefs: { theme: 'dark' | 'light'; fontSize?: number };
  visits: number;
  nothing: null;
};

interface AsInterface {
  name: string;
  tags: readonly string[];
}

describe('session types', () => {
  it('reads every field as possibly missing', async () => {
    const store = createSessionStore<Data>();
    const session = await store.load('');
    expectTypeOf(session).toEqualTypeOf<Session<Data>>();
    expectTypeOf(session.get('userId')).toEqualTypeOf<string | undefined>();
    expectTypeOf(session.get('cart')).toEqualTypeOf<Data['cart'] | undefined>();
    expectTypeOf(session.get('prefs')).toEqualTypeOf<Data['prefs'] | undefined>();
    expectTypeOf(session.get('visits')).toEqualTypeOf<number | undefined>();
    expectTypeOf(session.get('nothing')).toEqualTypeOf<null | undefined>();
    expectTypeOf(session.toJSON()).toEqualTypeOf<Partial<Data>>();
    expectTypeOf(session.keys()).toEqualTypeOf<(keyof Data)[]>();
  });

  it('checks keys and values on write', async () => {
    const session = await createSessionStore<Data>().load('');
    session.set('userId', 'u1');
    session.set('prefs', { theme: 'dark' });
    // @ts-expect-error: not a key of Data
    session.get('userid');
    // @ts-expect-error: wrong value type
    session.set('visits', '3');
    // @ts-expect-error: not one of the literal values
    session.set('prefs', { theme: 'blue' });
    // @ts-expect-error: not a key of Data
    session.delete('nope');
  });

  it('accepts interfaces and readonly arrays', async () => {
    const session = await createSessionStore<AsInterface>().load('');
    expectTypeOf(session.get('tags')).toEqualTypeOf<readonly string[] | undefined>();
  });

  it('defaults to a record of JSON values', async () => {
    const store = createSessionStore();
    const session = await store.load('');
    expectTypeOf(session.get('anything')).toEqualTypeOf<JsonValue | undefined>();
    expectTypeOf(store).toEqualTypeOf<SessionStore>();
  });

  it('flash takes and gives JSON values', async () => {
    const session = await createSessionStore<Data>().load('');
    session.flash('notice', { text: 'hi', n: [1, null] });
    expectTypeOf(session.getFlash('notice')).toEqualTypeOf<JsonValue | undefined>();
    // @ts-expect-error: a Date is not a JSON value
    session.flash('at', new Date());
  });

  it('unseal gives the data or a rejection', async () => {
    const store = createSessionStore<Data>();
    const result = await store.unseal('x');
    expectTypeOf(result).toExtend<Partial<Data> | { reason: string }>();
  });
});

describe('session types JSON cannot carry are compile errors', () => {
  it('a Date field', () => {
    // @ts-expect-error: Date comes back from JSON as a string
    createSessionStore<{ at: Date }>();
  });

  it('a Map field', () => {
    // @ts-expect-error: Map comes back from JSON as {}
    createSessionStore<{ byId: Map<string, number> }>();
  });

  it('a Set field', () => {
    // @ts-expect-error: Set comes back from JSON as {}
    createSessionStore<{ ids: Set<string> }>();
  });

  it('a bigint field', () => {
    // @ts-expect-error: JSON cannot carry a bigint
    createSessionStore<{ big: bigint }>();
  });

  it('a function field', () => {
    // @ts-expect-error: JSON drops functions
    createSessionStore<{ fn: () => void }>();
  });

  it('a Date nested in an array of objects', () => {
    // @ts-expect-error: the Date is deep, but still there
    createSessionStore<{ events: { at: Date }[] }>();
  });

  it('an optional Date field', () => {
    // @ts-expect-error: optional does not make a Date safe
    createSessionStore<{ at?: Date }>();
  });

  it('a class instance with a method', () => {
    class Point {
      x = 0;
      norm(): number {
        return this.x;
      }
    }
    // @ts-expect-error: the method is a function field
    createSessionStore<{ p: Point }>();
  });
});
