/**
 * Sessions for plain `node:http` handlers: `withSession(store, handler)`.
 *
 * @module jwe-session/node
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { portOf, type RequestHandle } from '../session/port.js';
import type { Session } from '../session/session.js';
import type { SessionStore } from '../session/session-store.js';
import type { AnySessionData } from '../types.js';
import { answerNodeFailure, sendCrossSite403 } from './failure-response.js';
import { nodeFacts } from './request-facts.js';
import { holdResponse, type ResponseHold } from './response-hold.js';
import { checkSessionKeys } from './startup-keys.js';

/** What a request that waited on nothing answers: one promise, made once. */
const DONE: Promise<void> = Promise.resolve();

/** A request with its session attached, typed by the store's data type. */
export type SessionRequest<
  T,
  Req extends IncomingMessage = IncomingMessage,
  F = AnySessionData,
> = Req & {
  session: Session<T, F>;
};

/** A `node:http` handler that also gets the session, as `req.session` and as an argument. */
export type SessionHandler<T, F = AnySessionData> = (
  req: SessionRequest<T, IncomingMessage, F>,
  res: ServerResponse,
  session: Session<T, F>,
) => unknown;

/**
 * Called when a request fails: the handler threw or rejected, or committing the session did
 * (SessionTooLargeError, SessionValueError). No session cookie has been set, every header the
 * app set has been removed, and `res.headersSent` says whether a response can still be sent.
 */
export type NodeErrorHandler = (
  error: unknown,
  req: IncomingMessage,
  res: ServerResponse,
) => void | Promise<void>;

/** What `withSession` takes besides the store and the handler. */
export interface WithSessionOptions {
  /** Default: log the error to stderr and answer 500 (or end the connection if too late). */
  onError?: NodeErrorHandler;
}

/**
 * Wraps a `node:http` request handler with a session.
 *
 * ```ts
 * const store = createSessionStore<{ visits?: number }>();
 * http.createServer(withSession(store, (req, res, session) => {
 *   session.set('visits', (session.get('visits') ?? 0) + 1);
 *   res.end(`visit ${session.get('visits')}`); // Set-Cookie goes out with this response
 * }));
 * ```
 *
 * - The Set-Cookie headers go out automatically before the response starts, whichever of
 *   `res.writeHead`, `write`, `end` or `flushHeaders` starts it, even in the same tick as the
 *   change. Sealing is asynchronous, so those calls are held (on this `res` only) until the
 *   cookies are on, then replayed in order. While held, `res.headersSent` is still false.
 * - Set-Cookie headers the app sets itself are kept; ours are appended.
 * - Starting the response commits the session, and a commit locks it: changing it afterwards
 *   (a top-level `set` or an in-place change to a nested object, which is frozen) throws
 *   SessionCommittedError instead of being silently lost.
 * - `await session.save()` is that commit, made early, so a too-large session fails at that
 *   line; the response then sends what it produced. A failed save changes nothing.
 * - A failure goes to `onError`, or by default to a 500 with a short plain-text body. Either
 *   way no session cookie is sent, so the browser keeps the cookie it had.
 *
 * The returned promise never rejects; it resolves when the handler has finished and the
 * response it started (if any) has been committed or reported.
 *
 * Missing keys (`SESSION_KEYS` unset outside development) throw SessionConfigError here, when
 * the server is wired, not at its first request.
 */
export function withSession<T, F = AnySessionData>(
  store: SessionStore<T, F>,
  handler: SessionHandler<T, F>,
  options: WithSessionOptions = {},
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { onError } = options;
  const port = portOf<T, F>(store);
  checkSessionKeys(store);
  const report = (error: unknown, req: IncomingMessage, res: ServerResponse): Promise<void> =>
    answerNodeFailure(error, req, res, onError);
  // Once the session is open: the handler, then the response's commit. A request that waits
  // on nothing (a cached or new session, a synchronous handler, a commit that needs no seal
  // or seals synchronously) makes no promise and no closure: it answers DONE.
  const serve = (
    handle: RequestHandle<T, F>,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> => {
    if (handle.refused) {
      sendCrossSite403(handle.refused, res);
      return DONE;
    }
    const session = handle.session;
    const hold = holdResponse(handle, res, (error) => report(error, req, res));
    const sessionReq = req as SessionRequest<T, IncomingMessage, F>;
    sessionReq.session = session;
    let result: unknown;
    try {
      result = handler(sessionReq, res, session);
    } catch (error) {
      return failed(hold, error, req, res);
    }
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') {
      return Promise.resolve(result).then(
        () => hold.settled(),
        (error: unknown) => failed(hold, error, req, res),
      );
    }
    return hold.settled() ?? DONE;
  };
  const failed = async (
    hold: ResponseHold,
    error: unknown,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> => {
    hold.abandon(error);
    await report(error, req, res);
    await hold.settled();
  };
  return (req, res) => {
    let opened: RequestHandle<T, F> | Promise<RequestHandle<T, F>>;
    try {
      opened = port.open(nodeFacts(req));
    } catch (error) {
      return report(error, req, res);
    }
    if (!(opened instanceof Promise)) return serve(opened, req, res);
    return opened.then(
      (handle) => serve(handle, req, res),
      (error: unknown) => report(error, req, res),
    );
  };
}
