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

// Where a held response's patched methods find their hold: the four methods are the same
// functions for every response, never closures made per request. Closures stored on each
// response made Node 26 carry every request's objects into the old generation (a read of a
// cached session in bench:http: about 5 MB promoted per young-generation collection and 7 full
// collections in 3 s, against 0.1 MB and none without them), which cost reads a fifth of their
// throughput there.
const HOLD = Symbol('jwe-session.hold');

interface HeldResponse {
  [HOLD]: Hold<unknown, unknown>;
}

const PATCHES: Record<Starter, AnyMethod> = {
  writeHead(this: HeldResponse, ...args) {
    return this[HOLD].call('writeHead', args);
  },
  write(this: HeldResponse, ...args) {
    return this[HOLD].call('write', args);
  },
  end(this: HeldResponse, ...args) {
    return this[HOLD].call('end', args);
  },
  flushHeaders(this: HeldResponse, ...args) {
    return this[HOLD].call('flushHeaders', args);
  },
};

// One object per response, its steps on the prototype: a read of a cached session (the
// common request) costs this object and nothing per step.
class Hold<T, F> implements ResponseHold {
  readonly #handle: RequestHandle<T, F>;
  readonly #res: ServerResponse;
  readonly #onFailure: (error: unknown) => void | Promise<void>;
  readonly #originals: Record<Starter, AnyMethod>;
  // A response already held (a second withSession around the first, with another store):
  // its calls go on to that hold, which commits its own session and then calls Node's.
  readonly #outer: Hold<unknown, unknown> | undefined;
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
    const held = res as unknown as HeldResponse & Record<Starter, AnyMethod>;
    this.#outer = held[HOLD];
    held[HOLD] = this as Hold<unknown, unknown>;
    held.writeHead = PATCHES.writeHead;
    held.write = PATCHES.write;
    held.end = PATCHES.end;
    held.flushHeaders = PATCHES.flushHeaders;
  }

  call(method: Starter, args: unknown[]): unknown {
    const phase = this.#phase;
    if (phase === 'open' || phase === 'failed') return this.#pass(method, args);
    if (phase === 'idle') return this.#start(method, args);
    this.#held.push({ method, args });
    return heldResult(method, this.#res);
  }

  // A call on to what was there before this hold: Node's method, or the hold outside this one
  // (whose methods the patched ones are, and would lead back here).
  #pass(method: Starter, args: unknown[]): unknown {
    const outer = this.#outer;
    return outer === undefined
      ? this.#originals[method].apply(this.#res, args)
      : outer.call(method, args);
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
    let result = this.#pass(method, args);
    if (rest) for (const call of rest) result = this.#pass(call.method, call.args);
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
