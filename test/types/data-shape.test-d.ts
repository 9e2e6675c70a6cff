import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { createSessionStore, type Session, type SessionStore } from '../../src/index.js';

const Schema = z.object({
  userId: z.string().optional(),
  theme: z.enum(['dark', 'light']).default('light'),
});
type Out = z.output<typeof Schema>;

describe('data shape types', () => {
  it("types the session by the schema's output", async () => {
    const store = createSessionStore({ data: { schema: Schema } });
    expectTypeOf(store).toEqualTypeOf<SessionStore<Out>>();
    const session = await store.load('');
    expectTypeOf(session.get('theme')).toEqualTypeOf<'dark' | 'light' | undefined>();
    // @ts-expect-error: not in the schema
    session.get('nope');
    // @ts-expect-error: not one of the enum's values
    session.set('theme', 'blue');
  });

  it('takes a flash type beside a schema through the explicit form', async () => {
    const store = createSessionStore<Out, { notice: string }>({ data: { schema: Schema } });
    const session = await store.load('');
    expectTypeOf(session).toEqualTypeOf<Session<Out, { notice: string }>>();
    expectTypeOf(session.getFlash('notice')).toEqualTypeOf<string | undefined>();
  });

  it("types migrate's result by the latest version", () => {
    type V2 = { first?: string; last?: string };
    createSessionStore<V2>({
      data: {
        version: 2,
        migrate(data, fromVersion) {
          expectTypeOf(data).toEqualTypeOf<Record<string, unknown>>();
          expectTypeOf(fromVersion).toEqualTypeOf<number>();
          return { first: String(data.name) };
        },
      },
    });
    createSessionStore<V2>({
      data: {
        version: 2,
        // @ts-expect-error: the latest version has no `name`
        migrate: () => ({ name: 'x' }),
      },
    });
    createSessionStore<V2>({
      data: {
        version: 2,
        // @ts-expect-error: a schema whose output is not the session type
        schema: z.object({ first: z.number() }),
      },
    });
  });

  it('refuses a schema whose output JSON cannot carry', () => {
    // @ts-expect-error: a Date does not survive JSON
    createSessionStore({ data: { schema: z.object({ at: z.date() }) } });
  });
});
