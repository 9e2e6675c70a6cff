import type { ServerResponse } from 'node:http';
import { SessionCommittedError } from '../errors.js';
import { lockSession, type Session, stateOf } from '../session/session.js';
import type { SessionStore } from '../session/store.js';
import { commitTracker } from './commit-tracker.js';
import { moveHeadHeaders } from './write-head.js';

/** The ServerResponse methods that start a response; each is held until the session is sealed. */
const STARTERS = ['writeHead', 'write', 'end', 'flushHeaders'] as const;
type Starter = (typeof STARTERS)[number];
type AnyMethod = (...args: unknown[]) => unknown;

interface HeldCall {
  readonly method: Starter;
  args: unknown[];
}

/**
 * idle: nothing started yet. holding: the app started the response; its calls are queued while
 * the session is sealed. open: our cookies are on and the calls were replayed; everything passes
 * through. failed: the request failed; the held calls were dropped, everything passes through
 * (for the error response).
 */
type Phase = 'idle' | 'holding' | 'open' | 'failed';

const STARTED =
  'the response has started (res.writeHead, write, end or flushHeaders was called), so the ' +
  'session cookie is already decided: change the session before starting the response';
const FAILED = 'the request failed, so the session was not saved and cannot be changed';

export interface ResponseHold {
  /**
   * Settles once a response the app started has been committed and released, or has failed
   * and been reported. Never rejects.
   */
  settled(): Promise<void>;
  /**
   * Gives up on the app's response (the handler threw): drops held calls, sends no session
   * cookie, and removes the headers the app set so an error response starts clean.
   */
  abandon(error: unknown): void;
}

function removeAllHeaders(res: ServerResponse): void {
  for (const name of res.getHeaderNames()) res.removeHeader(name);
}

/**
 * Makes `res` commit `session` before its headers go out. Sealing is asynchronous, so the
 * methods that start a response are patched on this instance: the first call locks the session
 * and starts the commit, that call and any later ones are queued, and once the Set-Cookie
 * values are on the response the queue is replayed in order. `session.save()` commits early;
 * the response then re-commits only if the session changed since, and the last set wins.
 *
 * A failure (commit error, or headers already sent by something that went around these
 * methods) drops the held calls and goes to `onFailure`, with no session cookie set.
 */
export function holdResponse<T>(
  store: SessionStore<T>,
  session: Session<T>,
  res: ServerResponse,
  onFailure: (error: unknown) => void | Promise<void>,
): ResponseHold {
  const state = stateOf(session);
  const originals = {} as Record<Starter, AnyMethod>;
  let phase: Phase = 'idle';
  const held: HeldCall[] = [];
  const tracker = commitTracker(store, session);
  let started: Promise<void> | undefined;

  const dropHeld = (error: unknown): void => {
    for (const call of held.splice(0)) {
      // A dropped write/end callback learns of the failure, as it would from a destroyed stream.
      const callback = call.args.find((arg) => typeof arg === 'function') as AnyMethod | undefined;
      if (callback) process.nextTick(callback, error);
    }
  };

  const release = (): void => {
    if (phase !== 'holding') return;
    if (res.headersSent) {
      throw new SessionCommittedError(
        'the response headers were sent before the session was committed: something wrote ' +
          'them without going through res.writeHead, write, end or flushHeaders',
      );
    }
    phase = 'open';
    const calls = held.splice(0);
    const cookies = tracker.cookies();
    if (cookies.length > 0) {
      const first = calls[0];
      if (first?.method === 'writeHead') first.args = moveHeadHeaders(res, first.args);
      // Appended, so Set-Cookie headers the app set itself are kept.
      res.appendHeader('Set-Cookie', cookies);
    }
    for (const call of calls) originals[call.method].apply(res, call.args);
  };

  const fail = async (error: unknown): Promise<void> => {
    abandon(error);
    await onFailure(error);
  };

  const abandon = (error: unknown): void => {
    dropHeld(error);
    phase = 'failed';
    if (!state.locked) lockSession(state, FAILED);
    if (!res.headersSent) removeAllHeaders(res);
  };

  // The common case, a response that needs no sealing (an unchanged session): our cookies,
  // if any, go on now and the call passes straight through, with nothing held or replayed.
  const startNow = (method: Starter, args: unknown[]): unknown => {
    const cookies = tracker.cookies();
    phase = 'open';
    if (cookies.length === 0) return originals[method].apply(res, args);
    const head = method === 'writeHead' ? moveHeadHeaders(res, args) : args;
    res.appendHeader('Set-Cookie', cookies);
    return originals[method].apply(res, head);
  };

  // Otherwise the call is held until the commit (a seal, or an earlier save still running)
  // is done, or has failed and been reported.
  const begin = (commit: Promise<void>): void => {
    phase = 'holding';
    started = commit.then(release).then(
      () => {},
      // A failure after abandon() (the handler threw meanwhile) was already reported.
      (error: unknown) => (phase === 'failed' ? undefined : fail(error)),
    );
  };

  for (const method of STARTERS) {
    const original = res[method] as AnyMethod;
    originals[method] = original;
    const patched = function (this: unknown, ...args: unknown[]): unknown {
      if (phase === 'open' || phase === 'failed') return original.apply(res, args);
      if (phase === 'idle') {
        lockSession(state, STARTED);
        let commit: true | Promise<void>;
        try {
          commit = tracker.commitNow();
        } catch (error) {
          commit = Promise.reject(error);
        }
        // Headers sent behind our back go the held way, where release() reports them.
        if (commit === true && !res.headersSent) return startNow(method, args);
        begin(commit === true ? Promise.resolve() : commit);
      }
      held.push({ method, args });
      // What the real method returns: write() says "keep writing" (the queue is in memory).
      if (method === 'write') return true;
      return method === 'flushHeaders' ? undefined : res;
    };
    (res as unknown as Record<Starter, AnyMethod>)[method] = patched;
  }

  state.saver = () => {
    // Once the response started, its own commit covers everything (the session is locked).
    if (phase !== 'idle') return started ?? Promise.resolve();
    return tracker.commit();
  };

  return {
    settled: () => started ?? Promise.resolve(),
    abandon,
  };
}
