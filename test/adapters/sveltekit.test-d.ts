// event.locals.session is typed through App.Locals, which the app extends from SessionLocals
// (src/app.d.ts), as docs/sveltekit.md shows. This file is that app.d.ts.
import type { RequestEvent, RequestHandler } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { describe, expectTypeOf, it } from 'vitest';
import { type SessionLocals, sveltekitSession } from '../../src/adapters/sveltekit.js';
import { createSessionStore, type Session } from '../../src/index.js';

// SvelteKit 2 exports `Handle` from '@sveltejs/kit', SvelteKit 3 from '/hooks' only.
type Handle = Parameters<typeof sequence>[number];

type Data = { userId?: string; cart?: string[] };

declare global {
  namespace App {
    interface Locals extends SessionLocals<Data> {
      requestId: string;
    }
  }
}

const store = createSessionStore<Data>();

describe('sveltekit types', () => {
  it('returns a Handle that sequence() takes', () => {
    expectTypeOf(sveltekitSession(store)).toEqualTypeOf<Handle>();
    const handle: Handle = sequence(sveltekitSession(store), ({ event, resolve }) =>
      resolve(event),
    );
    expectTypeOf(handle).toEqualTypeOf<Handle>();
  });

  it('types event.locals.session from App.Locals in hooks, endpoints and loads', () => {
    const handle: Handle = ({ event, resolve }) => {
      expectTypeOf(event.locals.session).toEqualTypeOf<Session<Data>>();
      expectTypeOf(event.locals.requestId).toEqualTypeOf<string>();
      return resolve(event);
    };
    const endpoint: RequestHandler = ({ locals }) => {
      expectTypeOf(locals.session.get('cart')).toEqualTypeOf<string[] | undefined>();
      // @ts-expect-error: not a key of Data
      locals.session.get('nope');
      // @ts-expect-error: userId is a string
      locals.session.set('userId', 1);
      return new Response();
    };
    const load = (event: RequestEvent) => event.locals.session.get('userId');
    expectTypeOf(load).returns.toEqualTypeOf<string | undefined>();
    void handle;
    void endpoint;
  });

  it('SessionLocals is exactly the session the hook puts there', () => {
    expectTypeOf<SessionLocals<Data>>().toEqualTypeOf<{ session: Session<Data> }>();
    expectTypeOf<SessionLocals<Data, { notice: string }>['session']>().toEqualTypeOf<
      Session<Data, { notice: string }>
    >();
  });
});
