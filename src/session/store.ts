import { chunkNames } from '../cookie/attributes.js';
import type { ReadChunks } from '../cookie/chunking.js';
import type { CrossSiteRefusal } from '../cross-site/cross-site-guard.js';
import { SessionRejectedError } from '../errors.js';
import type { KeyRing } from '../keys/key-ring.js';
import type { AnySessionData } from '../types.js';
import { runCommit } from './commit-run.js';
import { crossSiteVerdict, refusalOf, settleCrossSite } from './cross-site-step.js';
import { issueCsrfToken } from './csrf-issue.js';
import { loadedState } from './loaded-state.js';
import { type Opening, openToken } from './open-token.js';
import { PORT, type SessionPort } from './port.js';
import { readCookie } from './read-cookie.js';
import {
  type Committer,
  Handle,
  type OpenOptions,
  type RequestFacts,
  type RequestHandle,
} from './request-handle.js';
import { revocationOn } from './revocations.js';
import { SealedValues } from './sealed-values.js';
import { commitOf, type Session } from './session.js';
import type { SessionStore } from './session-store.js';
import { newState } from './state.js';
import type { StoreConfig } from './store-config.js';

/**
 * The store behind `SessionStore`: it runs each step of a request, each in a file of its own.
 * Adapters reach it only through its port's `open`, which gives them the request's handle.
 */
export class Store<T = AnySessionData, F = AnySessionData> implements SessionStore<T, F> {
  readonly #config: StoreConfig;
  readonly #chunkNames: readonly string[];
  readonly #sealed: SealedValues<T>;
  // What each handle commits through: one object per store, none per request.
  readonly #committer: Committer = {
    commit: (state, write) => runCommit(this.#config, state, write),
    csrfToken: (state) => issueCsrfToken(this.#config.keys, state),
  };
  readonly cookieName: string;
  readonly engine: 'node' | 'webcrypto';
  readonly [PORT]: SessionPort<T, F>;

  constructor(config: StoreConfig) {
    this.#config = config;
    this.#sealed = new SealedValues<T>(config);
    this.cookieName = config.cookie.name;
    this.engine = config.engine;
    this.#chunkNames = chunkNames(config.cookie.name);
    this[PORT] = {
      cookieName: this.cookieName,
      cookieAttributes: config.cookie.attributes,
      chunkBytes: config.budget.cookieBytes,
      open: (facts, options) => this.#open(facts, options),
    };
  }

  get keyRing(): KeyRing {
    return this.#config.keys();
  }

  async load(cookieHeader: string | null | undefined): Promise<Session<T, F>> {
    return (await this.#open({ cookie: cookieHeader }, undefined)).session;
  }

  async commit(session: Session<T, F>): Promise<string[]> {
    return [...(await commitOf(session)).lines];
  }

  seal(data: Partial<T>): Promise<string> {
    return this.#sealed.seal(data);
  }

  unseal(token: string): Promise<Partial<T> | SessionRejectedError> {
    return this.#sealed.unseal(token);
  }

  async revokeSession(sessionId: string): Promise<void> {
    await revocationOn(this.#config.revocation, 'revokeSession').revokeSession(sessionId);
  }

  async revokeSubject(subject: string): Promise<void> {
    await revocationOn(this.#config.revocation, 'revokeSubject').revokeSubject(subject);
  }

  /**
   * A request's way in, every step in order. The handle comes back at once when nothing needs
   * decrypting (no cookie, a token-cache hit, a token refused unread).
   */
  #open(
    facts: RequestFacts,
    options: OpenOptions | undefined,
  ): RequestHandle<T, F> | Promise<RequestHandle<T, F>> {
    // (1) The cross-site check, before anything is loaded: a refused request's cookie is
    //     not even read. Only a request that must show a token goes on, to be settled below.
    const verdict = crossSiteVerdict(this.#config.crossSite, facts);
    if (verdict !== undefined && verdict.reason !== 'token-required') {
      return this.#refused(facts, verdict);
    }
    // Missing keys are an error at the first request, even one that carries no cookie.
    const ring = this.#config.keys();
    // (2) The cookie: header or jar -> chunks -> token.
    const read = readCookie(facts.cookie, this.#chunkNames);
    let handle: Handle<T, F> | Promise<Handle<T, F>>;
    if (read.token === undefined) handle = this.#handle(read, undefined, options);
    else {
      // (3) The token opened (and its data brought to the store's shape).
      const token = openToken(this.#config, ring, read.token);
      // (4) The revocation check, on what was opened: at once when its answer is cached.
      const revocation = this.#config.revocation;
      const opened =
        revocation === undefined
          ? token
          : token instanceof Promise
            ? token.then((result) => revocation.screen(result))
            : revocation.screen(token);
      // (5) The session, in its handle.
      handle =
        opened instanceof Promise
          ? opened.then((result) => this.#handle(read, result, options))
          : this.#handle(read, opened, options);
    }
    if (verdict === undefined) return handle;
    // The token is bound to the session, so it is checked once the session is open.
    return Promise.resolve(handle).then(async (opened) => {
      const settled = await settleCrossSite(ring, verdict, facts, opened.loadedSessionId);
      if (settled === undefined) return opened;
      opened.fail();
      return this.#refused(facts, settled);
    });
  }

  /** A refused request's handle: an empty session, locked, and the refusal to answer 403 with. */
  #refused(facts: RequestFacts, verdict: CrossSiteRefusal): Handle<T, F> {
    const state = newState([], this.#config.lifetime);
    const refusal = refusalOf(this.#config, facts, verdict);
    return new Handle<T, F>(this.#committer, state, undefined, undefined, refusal);
  }

  #handle(
    read: ReadChunks,
    opened: Opening | undefined,
    options: OpenOptions | undefined,
  ): Handle<T, F> {
    const rejection = opened instanceof SessionRejectedError ? opened : read.rejection;
    const state = loadedState(this.#config, read, rejection ?? opened);
    return new Handle<T, F>(this.#committer, state, rejection, options);
  }
}
