// request.session is typed by declaration merging, as @fastify/secure-session types its data.
// The merge is program-wide, so it declares every key the Fastify tests use.
import Fastify from 'fastify';
import { describe, expectTypeOf, it } from 'vitest';
import { type FastifySessionData, fastifySession } from '../../src/adapters/fastify.js';
import { createSessionStore, type Session } from '../../src/index.js';

declare module '../../src/adapters/fastify.js' {
  interface FastifySessionData {
    userId?: string;
    n?: number;
    blob?: string;
    secretKeyName?: string;
  }
}

describe('fastify types', () => {
  it('types request.session from FastifySessionData, and the plugin takes a store of it', async () => {
    const app = Fastify();
    await app.register(fastifySession, { store: createSessionStore<FastifySessionData>() });
    app.get('/', async (request) => {
      expectTypeOf(request.session).toEqualTypeOf<Session<FastifySessionData>>();
      expectTypeOf(request.session.get('userId')).toEqualTypeOf<string | undefined>();
      // @ts-expect-error: not a key of FastifySessionData
      request.session.get('nope');
      // @ts-expect-error: n is a number
      request.session.set('n', 'one');
      return 'ok';
    });
  });

  it('refuses options without a store', async () => {
    const app = Fastify();
    // @ts-expect-error: store is required
    await app.register(fastifySession, {});
  });
});
