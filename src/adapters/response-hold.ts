import type { ServerResponse } from 'node:http';
import { SessionCommittedError } from '../errors.js';
import type { Commit } from '../session/commit.js';
import type { RequestHandle } from '../session/port.js';
import type { AnySessionData } from '../types.js';
import { moveHeadHeaders } from './write-head.js';

/** The ServerResponse methods that start a response; each is held until the session is sealed. */
type Starter = 'writeHead' | 'write' | 'end' | 'flushHeaders';
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
   * Undefined when nothing is under way (no response started, or one that needed no seal and
   * went out at once); else settles once the response the app started has been committed and
   * released, or has failed and been reported. Never rejects.
   */
  settled(): Promise<void> | undefined;
  /**
   * Gives up on the app's response (the handler threw): drops held calls, sends no session
   * cookie, and removes the headers the app set so an error response starts clean.
   */
  abandon(error: unknown): void;
}

// What the real method returns: write() says "keep writing" (the queue is in memory).
function heldResult(method: Starter, res: ServerResponse): unknown {
  return method === 'write' ? true : method === 'flushHeaders' ? undefined : res;
}

// One object per response, its steps on the prototype: a read of a cached session (the
// common request) costs this object and the four patched methods, not a closure per step.
class Hold<T, F> implements ResponseHold {
  readonly #handle: RequestHandle<T, F>;
  readonly #res: ServerResponse;
  readonly #onFailure: (error: unknown) => void | Promise<void>;
  readonly #originals: Record<Starter, AnyMethod>;
  #phase: Phase = 'idle';
  #held: HeldCall[] = [];
  #started: Promise<void> | undefined = undefined;

  constructor(
    handle: RequestHandle<T, F>,
    res: ServerResponse,
    onFailure: (error: unknown) => void | Promise<void>,
  ) {
    this.#handle = handle;
    this.#res = res;
    this.#onFailure = onFailure;
    this.#originals = {
      writeHead: res.writeHead as AnyMethod,
      write: res.write as AnyMethod,
      end: res.end as AnyMethod,
      flushHeaders: res.flushHeaders as AnyMethod,
    };
    const patched = res as unknown as Record<Starter, AnyMethod>;
    patched.writeHead = (...args) => this.call('writeHead', args);
    patched.write = (...args) => this.call('write', args);
    patched.end = (...args) => this.call('end', args);
    patched.flushHeaders = (...args) => this.call('flushHeaders', args);
  }

  call(method: Starter, args: unknown[]): unknown {
    const phase = this.#phase;
    if (phase === 'open' || phase === 'failed')
      return this.#originals[method].apply(this.#res, args);
    if (phase === 'idle') return this.#start(method, args);
    this.#held.push({ method, args });
    return heldResult(method, this.#res);
  }

  settled(): Promise<void> | undefined {
    return this.#started;
  }

  abandon(error: unknown): void {
    this.#dropHeld(error);
    this.#phase = 'failed';
    this.#handle.fail();
    const res = this.#res;
    if (!res.headersSent) for (const name of res.getHeaderNames()) res.removeHeader(name);
  }

  #dropHeld(error: unknown): void {
    for (const call of this.#held.splice(0)) {
      // A dropped write/end callback learns of the failure, as it would from a destroyed stream.
      const callback = call.args.find((arg) => typeof arg === 'function') as AnyMethod | undefined;
      if (callback) process.nextTick(callback, error);
    }
  }

  #start(method: Starter, args: unknown[]): unknown {
    let commit: Commit | Promise<Commit>;
    try {
      commit = this.#handle.commit();
    } catch (error) {
      commit = Promise.reject(error);
    }
    // Headers sent behind our back go the held way, where #release() reports them.
    if (!(commit instanceof Promise) && !this.#res.headersSent) {
      return this.#release(commit, method, args, undefined);
    }
    this.#phase = 'holding';
    this.#held.push({ method, args });
    this.#started = Promise.resolve(commit)
      .then((result) => {
        // A failure after abandon() (the handler threw meanwhile) was already reported.
        if (this.#phase !== 'holding') return;
        const [first, ...rest] = this.#held.splice(0) as [HeldCall, ...HeldCall[]];
        this.#release(result, first.method, first.args, rest);
      })
      .catch((error: unknown) => (this.#phase === 'failed' ? undefined : this.#fail(error)));
    return heldResult(method, this.#res);
  }

  // The one release path: our cookies go on, then the calls the app made, in order.
  #release(
    commit: Commit,
    method: Starter,
    args: unknown[],
    rest: HeldCall[] | undefined,
  ): unknown {
    const res = this.#res;
    if (res.headersSent) {
      throw new SessionCommittedError(
        'the response headers were sent before the session was committed: something wrote ' +
          'them without going through res.writeHead, write, end or flushHeaders',
      );
    }
    this.#phase = 'open';
    const lines = commit.lines;
    if (lines.length > 0) {
      if (method === 'writeHead') args = moveHeadHeaders(res, args);
      // Appended, so Set-Cookie headers the app set itself are kept. When it set none,
      // setHeader: appendHeader checks each value character by character and then calls
      // setHeader, which checks them all again (Node 20-26), and a token is long. A copy of
      // the list, never the commit's own, as Node keeps the array it is given.
      if (res.hasHeader('set-cookie')) res.appendHeader('Set-Cookie', lines as string[]);
      else res.setHeader('Set-Cookie', lines.length === 1 ? (lines[0] as string) : [...lines]);
    }
    const originals = this.#originals;
    let result = originals[method].apply(res, args);
    if (rest) for (const call of rest) result = originals[call.method].apply(res, call.args);
    return result;
  }

  #fail(error: unknown): Promise<void> {
    this.abandon(error);
    return Promise.resolve(this.#onFailure(error));
  }
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
  return new Hold(handle, res, onFailure);
}
