// astroSession as a Fetch API handler, for the suites that run every entry on a loopback
// server (matrix, cross-site): the middleware called as Astro calls it, with a fresh `locals`
// per request, and what Astro does with an error the middleware rethrows (a 500).
import type { APIContext } from 'astro';
import { astroSession } from '../../src/adapters/astro.js';
import type { Session, SessionStore } from '../../src/index.js';

export function astroFetch<T>(
  store: SessionStore<T>,
  route: (request: Request, session: Session<T>) => Promise<Response>,
): (request: Request) => Promise<Response> {
  const middleware = astroSession(store);
  return async (request) => {
    const locals = {} as { session: Session<T> };
    const url = new URL(request.url);
    const context = {
      request,
      url,
      locals,
      isPrerendered: false,
      routePattern: url.pathname,
    } as unknown as APIContext;
    try {
      return (await middleware(context, () => route(request, locals.session))) as Response;
    } catch {
      return new Response('failed', { status: 500 });
    }
  };
}
