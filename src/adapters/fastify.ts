/**
 * The Fastify plugin: `app.register(fastifySession, { store })`.
 *
 * @module jwe-session/fastify
 */
import type { FastifyPluginCallback, FastifyRequest } from 'fastify';
import { SessionServerError } from '../errors.js';
import type { Commit } from '../session/commit.js';
import { portOf, type RequestHandle } from '../session/port.js';
import type { Session } from '../session/session.js';
import type { SessionStore } from '../session/session-store.js';
import type { AnySessionData } from '../types.js';
import { CROSS_SITE_STATUS, crossSiteBody } from './failure-response.js';
import { removeAllHeaders, withdraw } from './fastify-reply.js';
import { nodeFacts } from './request-facts.js';
import { checkSessionKeys } from './startup-keys.js';

export { SessionServerError } from '../errors.js';

/**
 * The type of `request.session`, by declaration merging (as @fastify/secure-session types
 * its data). Left empty, `request.session` takes any JSON value under any key.
 *
 * ```ts
 * declare module 'jwe-session/fastify' {
 *   interface FastifySessionData { userId?: string; cart?: string[] }
 * }
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the app's declaration merging
export interface FastifySessionData {}

/** FastifySessionData, or any data while the app has not declared its own. */
export type FastifySessionType = keyof FastifySessionData extends never
  ? AnySessionData
  : FastifySessionData;

declare module 'fastify' {
  interface FastifyRequest {
    /** This request's session, from `jwe-session/fastify`. */
    session: Session<FastifySessionType>;
  }
}

/** What the Fastify plugin is registered with. */
export interface FastifySessionOptions {
  /**
   * The store made by `createSessionStore()`. Its data type is not checked against
   * FastifySessionData (declaration merging is the one source of `request.session`'s type);
   * `createSessionStore<FastifySessionData>()` gives the store the same type.
   */
  // biome-ignore lint/suspicious/noExplicitAny: a store of any data type; see above
  store: SessionStore<any, any>;
  /**
   * The `request.log` level at which a rejected cookie (expired, tampered, foreign key, …) is
   * logged, with its reason and detail, never the token. Default 'debug': expired cookies
   * are an everyday event. `false` logs nothing.
   */
  rejectionLogLevel?: 'trace' | 'debug' | 'info' | 'warn' | false;
}

const NOT_SAVED = 'The session could not be saved.';
const NOT_LOADED = 'The session could not be loaded.';

type Handle = RequestHandle<FastifySessionType, AnySessionData>;

/** What the plugin keeps of one request. */
interface Kept {
  /** The request's handle: its session's commit and failure. */
  handle?: Handle;
  /** The request failed: its session is locked and sends nothing, even with the error reply. */
  failed?: boolean;
  /** The Set-Cookie lines our onSend put on a reply that a later onSend hook may yet fail. */
  sent?: readonly string[] | undefined;
}

const plugin: FastifyPluginCallback<FastifySessionOptions> = (fastify, options, done) => {
  const port = portOf<FastifySessionType>(options.store);
  try {
    checkSessionKeys(options.store);
  } catch (error) {
    done(error as Error);
    return;
  }
  const level = options.rejectionLogLevel ?? 'debug';
  // What this registration keeps of each request, on the request under a symbol of its own
  // (another registration has another), not in WeakMaps keyed by the request: those kept every
  // request's session alive past V8's young collections (Node 26, bench/gc-promotion.js).
  const own = Symbol('jwe-session.request');
  type Holding = FastifyRequest & { [own]?: Kept };
  const kept = (request: FastifyRequest): Kept => {
    const holding = request as Holding;
    holding[own] ??= {};
    return holding[own];
  };

  const fail = (request: FastifyRequest, error: unknown): void => {
    const state = kept(request);
    state.failed = true;
    state.handle?.fail();
    request.log.error({ err: error }, 'jwe-session: session failed; no session cookie was sent');
  };

  const attach = (request: FastifyRequest, handle: Handle): void => {
    kept(request).handle = handle;
    const session = handle.session;
    request.session = session;
    const rejection = session.rejection;
    if (rejection && level) {
      request.log[level](
        { sessionRejection: rejection.reason, detail: rejection.detail },
        'jwe-session: session cookie rejected; starting an empty session',
      );
    }
  };

  // Fastify 5 wants reference-type decorations to start as null and be set per request.
  fastify.decorateRequest('session', null as unknown as Session<FastifySessionType>);

  fastify.addHook('onRequest', (request, reply, next) => {
    const loadFailed = (error: unknown): void => {
      fail(request, error);
      next(new SessionServerError(NOT_LOADED, error));
    };
    let loaded: Handle | Promise<Handle>;
    try {
      loaded = port.open(nodeFacts(request.raw));
    } catch (error) {
      loadFailed(error);
      return;
    }
    const go = (handle: Handle): void => {
      // Refused as cross-site: answered from this hook (Fastify then runs no handler), with no
      // handle kept, so onSend commits nothing.
      if (handle.refused) {
        const refusal = handle.refused;
        reply
          .code(CROSS_SITE_STATUS)
          .header('content-type', 'text/plain; charset=utf-8')
          .header('cache-control', 'no-store')
          .send(crossSiteBody(refusal));
        return;
      }
      attach(request, handle);
      next();
    };
    if (loaded instanceof Promise) loaded.then(go, loadFailed);
    else go(loaded);
  });

  // A route that threw (or a hook's error, before or after our onSend) saves nothing of its
  // session, as with the Node and Fetch wrappers; the error reply carries no session cookie.
  fastify.addHook('onError', (request, reply, _error, next) => {
    const state = kept(request);
    if (!state.failed) {
      state.failed = true;
      state.handle?.fail();
    }
    const lines = state.sent;
    if (lines) {
      state.sent = undefined;
      withdraw(reply, lines);
    }
    next();
  });

  fastify.addHook('onSend', (request, reply, payload, next) => {
    const state = (request as Holding)[own];
    const handle = state?.handle;
    if (!state || !handle || state.failed) {
      next(null, payload);
      return;
    }
    const send = (commit: Commit): void => {
      // Appended by Fastify to any Set-Cookie the app set itself.
      if (commit.lines.length > 0) {
        reply.header('set-cookie', [...commit.lines]);
        state.sent = commit.lines;
      }
      next(null, payload);
    };
    const commitFailed = (error: unknown): void => {
      fail(request, error);
      // The error reply starts clean: no Location, no cookie of the app's, and a stream
      // payload that will never be sent is closed.
      removeAllHeaders(reply);
      (payload as { destroy?: () => void } | null)?.destroy?.();
      // Generic for the client (Fastify's default handler sends the message); the detail,
      // key names and sizes included, was logged above and stays in `cause`.
      next(new SessionServerError(NOT_SAVED, error));
    };
    let commit: Commit | Promise<Commit>;
    try {
      commit = handle.commit();
    } catch (error) {
      commitFailed(error);
      return;
    }
    if (commit instanceof Promise) commit.then(send, commitFailed);
    else send(commit);
  });

  done();
};

/**
 * The Fastify plugin: `request.session` on every request, committed in `onSend`, so the
 * Set-Cookie headers go out with the reply whatever sends it (`return`, `reply.send`, a
 * stream, the 404 handler).
 *
 * ```ts
 * const app = Fastify({ logger: true });
 * await app.register(fastifySession, { store: createSessionStore() });
 * app.post('/login', async (request, reply) => {
 *   request.session.regenerate();
 *   request.session.set('userId', '42');
 *   return reply.redirect('/', 303);
 * });
 * ```
 *
 * - Registered on the instance it is given (no encapsulation, as with `fastify-plugin`), so
 *   every route registered after it has a session.
 * - The reply commits the session, and a commit locks it: a later change throws
 *   SessionCommittedError. `await request.session.save()` commits early, so a too-large
 *   session fails at that line, where the route can answer it.
 * - A failed commit goes to Fastify's error handling as a SessionServerError (status 500,
 *   generic message, the real error as `cause`, logged through `request.log`), with every
 *   header the route set removed and no session cookie: the browser keeps the one it had.
 * - A request that fails (a thrown route, a hook's error) commits nothing, and its reply
 *   carries no session cookie, even when the failing hook is an onSend hook that runs after
 *   the plugin's.
 * - Writing to `reply.raw` or `reply.hijack()` skips `onSend`, and with it the commit.
 * - Missing keys (`SESSION_KEYS` unset outside development) fail the registration (and so
 *   `app.ready()` and `app.listen()`) with a SessionConfigError, before any request.
 */
export const fastifySession: FastifyPluginCallback<FastifySessionOptions> = Object.assign(plugin, {
  // What `fastify-plugin` would set, without depending on it: no encapsulation, a name in
  // Fastify's logs and errors, and the Fastify major version this plugin is written for.
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'jwe-session',
  [Symbol.for('plugin-meta')]: { name: 'jwe-session', fastify: '5.x' },
});

export default fastifySession;
