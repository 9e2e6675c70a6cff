/**
 * Express and Connect middleware: `sessionMiddleware(store)`.
 *
 * @module jwe-session/express
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { portOf, type RequestHandle } from '../session/port.js';
import type { Session } from '../session/session.js';
import type { SessionStore } from '../session/session-store.js';
import type { AnySessionData } from '../types.js';
import { sendCrossSite403, sendDefault500 } from './failure-response.js';
import { nodeFacts } from './request-facts.js';
import { holdResponse } from './response-hold.js';
import { checkSessionKeys } from './startup-keys.js';

// Express sets `req.app` to the application, whose `handle` runs the router.
function isExpress(req: IncomingMessage): boolean {
  const app = (req as { app?: { handle?: unknown } }).app;
  return typeof app?.handle === 'function';
}

/** Express's / Connect's `next`, structurally, so this module needs no Express types. */
export type NextFunction = (error?: unknown) => void;

/** What `sessionMiddleware` takes besides the store. */
export interface SessionMiddlewareOptions {
  /**
   * Called when committing the session fails (SessionTooLargeError, SessionValueError).
   * Default: under Express, `next(error)`, so the app's error handlers (or Express's own 500)
   * answer it; under other Connect-style hosts (which allow `next` once, such as
   * `@fastify/middie`), a bare 500 with the error logged.
   */
  onError?: (error: unknown, req: IncomingMessage, res: ServerResponse, next: NextFunction) => void;
}

/** The middleware, plus a typed accessor for the session it attached. */
export interface SessionMiddleware<T, F = AnySessionData> {
  (req: IncomingMessage, res: ServerResponse, next: NextFunction): void;
  /**
   * The session this middleware attached to `req`, typed by the store's data type. Throws if
   * the middleware did not run for this request.
   */
  of(req: IncomingMessage): Session<T, F>;
}

/**
 * Express / Connect middleware: loads the session into `req.session`, and commits it before
 * the response starts, the same way as `withSession` from `jwe-session/node` (same code).
 *
 * ```ts
 * const sessions = sessionMiddleware(store);
 * app.use(sessions);
 * app.post('/cart', (req, res) => {
 *   const session = sessions.of(req); // Session<Data>, no cast
 *   session.set('cart', [...(session.get('cart') ?? []), req.body.sku]);
 *   res.redirect(303, '/cart');
 * });
 * ```
 *
 * `req.session` is set too. To type it, augment Express's request in your app (not done
 * here, because it would clash with express-session's own augmentation):
 *
 * ```ts
 * declare global { namespace Express { interface Request { session: Session<Data> } } }
 * ```
 *
 * Errors loading the session, and errors committing it, go to `next(error)` (or `onError`).
 * A commit failure drops the response the app built and removes its headers first, so the
 * error response carries no session cookie and the browser keeps the one it had. Unlike the
 * plain Node wrapper, a route that throws does not stop the commit: Express's error handler
 * answers, and the session as the route left it is committed with that answer (Express routes
 * the error past this middleware, and nothing on `req` or `res` marks it; SECURITY.md,
 * "Decided edge cases"). Make changes after the step that can fail.
 *
 * Missing keys (`SESSION_KEYS` unset outside development) throw SessionConfigError here, when
 * the app is wired, not at its first request.
 */
export function sessionMiddleware<T, F = AnySessionData>(
  store: SessionStore<T, F>,
  options: SessionMiddlewareOptions = {},
): SessionMiddleware<T, F> {
  const port = portOf<T, F>(store);
  checkSessionKeys(store);
  // Where this middleware keeps the session it attached: a property of the request under a
  // symbol of this middleware's own (another store's middleware has another), not a WeakMap
  // keyed by the request. Entries of a long-lived WeakMap kept every request's session alive
  // past V8's young-generation collections (Node 26, bench/gc-promotion.js: 3.7 MB promoted
  // per scavenge and 5 full collections in 3 s of reads, against none with this).
  const own = Symbol('jwe-session.session');
  type Holding = IncomingMessage & { [own]?: Session<T, F> };
  const middleware = (req: IncomingMessage, res: ServerResponse, next: NextFunction): void => {
    // Mounted twice on one path: the first one already holds the response.
    if ((req as Holding)[own] !== undefined) {
      next();
      return;
    }
    const attach = (handle: RequestHandle<T, F>): void => {
      // Refused as cross-site: answered here, and the routes after this middleware never run.
      if (handle.refused) {
        sendCrossSite403(handle.refused, res);
        return;
      }
      const session = handle.session;
      (req as Holding)[own] = session;
      (req as IncomingMessage & { session: Session<T, F> }).session = session;
      holdResponse(handle, res, (error) => {
        if (options.onError) options.onError(error, req, res, next);
        // `next` was called already, to run the route. Express routes a second call with an
        // error to its error handlers; other hosts allow one call and crash on a second.
        else if (isExpress(req)) next(error);
        else sendDefault500(error, res);
      });
      next();
    };
    // A session that needs no decryption (no cookie, a token-cache hit) is attached at once.
    let loaded: RequestHandle<T, F> | Promise<RequestHandle<T, F>>;
    try {
      loaded = port.open(nodeFacts(req));
    } catch (error) {
      next(error);
      return;
    }
    if (loaded instanceof Promise) loaded.then(attach, (error: unknown) => next(error));
    else attach(loaded);
  };
  return Object.assign(middleware, {
    of(req: IncomingMessage): Session<T, F> {
      const session = (req as Holding)[own];
      if (!session) {
        throw new TypeError(
          'no session for this request: sessionMiddleware(store) must run before this handler',
        );
      }
      return session;
    },
  });
}
