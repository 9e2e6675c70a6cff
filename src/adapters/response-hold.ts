import type { ServerResponse } from 'node:http';
import { SessionCommittedError } from '../errors.js';
import type { Commit } from '../session/commit.js';
import type { RequestHandle } from '../session/port.js';
import type { AnySessionData } from '../types.js';
import { moveHeadHeaders } from './write-head.js';

/** The ServerResponse methods that start a response; each is held until the session is sealed. */
const STARTERS = ['writeHead', 'write', 'end', 'flushHeaders'] as const;
type Starter = (typeof STARTERS)[number];
type AnyMethod = (...args: unknown[]) => unknown;

interface HeldCall {
  readonly method: Starter;
  readonly args: unknown[];
}

/**
 * idle: nothing started yet. holding: the app started the response; its calls are queued while
 * the session is sealed. open: our cookies are on and the calls went through; everything passes
 * through. failed: the request failed; the held calls were dropped, everything passes through
 * (for the error response).
 */
type Phase = 'idle' | 'holding' | 'open' | 'failed';

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
 * Makes `res` commit the handle's session before its headers go out. The methods that start a response
 * are patched on this instance: the first call commits the session (which locks it). A commit
 * that needs no sealing (the common, unchanged session) lets the call through at once; while a
 * seal is under way the calls are queued and replayed in order once the Set-Cookie values are
 * on. `session.save()` is the same commit, made earlier: the response sends what it produced.
 *
 * A failure (commit error, or headers already sent by something that went around these
 * methods) drops the held calls and goes to `onFailure`, with no session cookie set.
 */
export function holdResponse<T, F = AnySessionData>(
  handle: RequestHandle<T, F>,
  res: ServerResponse,
  onFailure: (error: unknown) => void | Promise<void>,
): ResponseHold {
  const originals = {} as Record<Starter, AnyMethod>;
  let phase: Phase = 'idle';
  const held: HeldCall[] = [];
  let started: Promise<void> | undefined;

  const dropHeld = (error: unknown): void => {
    for (const call of held.splice(0)) {
      // A dropped write/end callback learns of the failure, as it would from a destroyed stream.
      const callback = call.args.find((arg) => typeof arg === 'function') as AnyMethod | undefined;
      if (callback) process.nextTick(callback, error);
    }
  };

  const abandon = (error: unknown): void => {
    dropHeld(error);
    phase = 'failed';
    handle.fail();
    if (!res.headersSent) removeAllHeaders(res);
  };

  // The one release path: our cookies go on, then the calls the app made, in order.
  const release = (commit: Commit, calls: readonly HeldCall[]): unknown => {
    if (res.headersSent) {
      throw new SessionCommittedError(
        'the response headers were sent before the session was committed: something wrote ' +
          'them without going through res.writeHead, write, end or flushHeaders',
      );
    }
    phase = 'open';
    const first = calls[0];
    if (commit.lines.length > 0 && first) {
      const args = first.method === 'writeHead' ? moveHeadHeaders(res, first.args) : first.args;
      calls = [{ method: first.method, args }, ...calls.slice(1)];
      // Appended, so Set-Cookie headers the app set itself are kept.
      res.appendHeader('Set-Cookie', commit.lines as string[]);
    }
    let result: unknown;
    for (const call of calls) result = originals[call.method].apply(res, call.args);
    return result;
  };

  const fail = (error: unknown): Promise<void> => {
    abandon(error);
    return Promise.resolve(onFailure(error));
  };

  const start = (method: Starter, args: unknown[]): unknown => {
    let commit: Commit | Promise<Commit>;
    try {
      commit = handle.commit();
    } catch (error) {
      commit = Promise.reject(error);
    }
    // Headers sent behind our back go the held way, where release() reports them.
    if (!(commit instanceof Promise) && !res.headersSent)
      return release(commit, [{ method, args }]);
    phase = 'holding';
    held.push({ method, args });
    started = Promise.resolve(commit)
      .then((result) => {
        // A failure after abandon() (the handler threw meanwhile) was already reported.
        if (phase === 'holding') release(result, held.splice(0));
      })
      .catch((error: unknown) => (phase === 'failed' ? undefined : fail(error)));
    return heldResult(method);
  };

  // What the real method returns: write() says "keep writing" (the queue is in memory).
  const heldResult = (method: Starter): unknown =>
    method === 'write' ? true : method === 'flushHeaders' ? undefined : res;

  for (const method of STARTERS) {
    const original = res[method] as AnyMethod;
    originals[method] = original;
    const patched = (...args: unknown[]): unknown => {
      if (phase === 'open' || phase === 'failed') return original.apply(res, args);
      if (phase === 'idle') return start(method, args);
      held.push({ method, args });
      return heldResult(method);
    };
    (res as unknown as Record<Starter, AnyMethod>)[method] = patched;
  }

  return {
    settled: () => started ?? Promise.resolve(),
    abandon,
  };
}
