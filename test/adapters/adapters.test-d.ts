// The adapters carry the store's data type to the handler: no casts needed, wrong keys and
// wrong value types do not compile.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import express from 'express';
import { describe, expectTypeOf, it } from 'vitest';
import { sessionMiddleware } from '../../src/adapters/express.js';
import { withSessionFetch } from '../../src/adapters/fetch.js';
import { type SessionRequest, withSession } from '../../src/adapters/node.js';
import { createSessionStore, type Session } from '../../src/index.js';

type Data = { userId?: string; cart?: { sku: string; qty: number }[] };
const store = createSessionStore<Data>();

describe('adapter types', () => {
  it('types req.session and the session argument of the Node wrapper from the store', () => {
    const listener = withSession(store, (req, res, session) => {
      expectTypeOf(req).toEqualTypeOf<SessionRequest<Data>>();
      expectTypeOf(req.session).toEqualTypeOf<Session<Data>>();
      expectTypeOf(req.session.get('userId')).toEqualTypeOf<string | undefined>();
      expectTypeOf(session.get('cart')).toEqualTypeOf<{ sku: string; qty: number }[] | undefined>();
      expectTypeOf(res).toEqualTypeOf<ServerResponse>();
      // @ts-expect-error: not a key of Data
      session.get('nope');
      // @ts-expect-error: userId is a string
      req.session.set('userId', 42);
    });
    expectTypeOf(listener).toEqualTypeOf<
      (req: IncomingMessage, res: ServerResponse) => Promise<void>
    >();
    createServer(listener);
  });

  it('types the Express accessor from the store, and the middleware fits app.use', () => {
    const sessions = sessionMiddleware(store);
    const app = express();
    app.use(sessions);
    app.get('/', (req, res) => {
      expectTypeOf(sessions.of(req).get('userId')).toEqualTypeOf<string | undefined>();
      res.end();
    });
  });

  it('types the Fetch handler session from the store', () => {
    const handler = withSessionFetch(store, async (request, session) => {
      expectTypeOf(request).toEqualTypeOf<Request>();
      expectTypeOf(session.get('userId')).toEqualTypeOf<string | undefined>();
      return new Response();
    });
    expectTypeOf(handler).toEqualTypeOf<(request: Request) => Promise<Response>>();
  });
});
