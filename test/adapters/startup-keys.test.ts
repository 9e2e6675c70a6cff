// A server without keys refuses to start: every server-side entry resolves the store's keys
// when the app is wired, not at the first request (issue 23, C). The store itself still
// resolves them at first use, so a build that imports route modules needs no secrets: the
// Next.js entries that a build evaluates (sessionProxy, withSessionFetch) check nothing when
// wired, and the app's instrumentation.ts calls requireSessionKeys at server start instead.
import { createServer } from 'node:http';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { astroSession } from '../../src/adapters/astro.js';
import { sessionMiddleware } from '../../src/adapters/express.js';
import { fastifySession } from '../../src/adapters/fastify.js';
import { withSessionFetch } from '../../src/adapters/fetch.js';
import { honoSession } from '../../src/adapters/hono.js';
import { requireSessionKeys, sessionProxy } from '../../src/adapters/next.js';
import { withSession } from '../../src/adapters/node.js';
import { SessionConfigError } from '../../src/errors.js';
import { createSessionStore, type SessionStore } from '../../src/index.js';
import { keyEntry, secretFor } from '../helpers/keys.js';
import { thrown } from '../helpers/store.js';

afterEach(() => {
  vi.restoreAllMocks();
});

function storeIn(env: Record<string, string>, keysEnv = 'SESSION_KEYS'): SessionStore {
  return createSessionStore({ testing: { env }, keys: { env: keysEnv }, cookie: { secure: true } });
}

function expectMissingKeys(error: unknown, variable = 'SESSION_KEYS'): void {
  expect(error).toBeInstanceOf(SessionConfigError);
  expect((error as SessionConfigError).setting).toBe(variable);
  expect((error as Error).message).toContain(`${variable}: is not set`);
  expect((error as Error).message).toContain('npx jwe-session keygen');
}

const never = () => {
  throw new Error('no request may reach the app');
};

/** Each entry wired as an app wires it; resolves once wired (Fastify registers asynchronously). */
const WIRINGS: [string, (store: SessionStore) => unknown][] = [
  ['node withSession', (store) => createServer(withSession(store, never))],
  ['express sessionMiddleware', (store) => express().use(sessionMiddleware(store))],
  ['hono honoSession', (store) => new Hono().use(honoSession(store))],
  ['astro astroSession', (store) => astroSession(store)],
  [
    'fastify registration',
    async (store) => {
      const app = Fastify();
      try {
        await app.register(fastifySession, { store });
        await app.ready();
      } finally {
        await app.close();
      }
    },
  ],
];

async function wiringError(wire: (store: SessionStore) => unknown, store: SessionStore) {
  try {
    await wire(store);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe.each(WIRINGS)('%s', (_, wire) => {
  it('throws SessionConfigError when wired in production without keys, before any request', async () => {
    expectMissingKeys(await wiringError(wire, storeIn({ NODE_ENV: 'production' })));
  });

  it('names the variable the store reads, under any NODE_ENV that is not development', async () => {
    const store = storeIn({ NODE_ENV: 'staging' }, 'APP_KEYS');
    expectMissingKeys(await wiringError(wire, store), 'APP_KEYS');
  });

  it('wires with keys, and in development without them', async () => {
    vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const configured = storeIn({ NODE_ENV: 'production', SESSION_KEYS: keyEntry('k1') });
    expect(await wiringError(wire, configured)).toBeUndefined();
    expect(await wiringError(wire, storeIn({ NODE_ENV: 'development' }))).toBeUndefined();
  });
});

describe('fastify without keys', () => {
  it('never listens', async () => {
    const app = Fastify();
    app.register(fastifySession, { store: storeIn({ NODE_ENV: 'production' }) });
    app.get('/', never);
    expectMissingKeys(await app.listen({ port: 0, host: '127.0.0.1' }).catch((e: unknown) => e));
    expect(app.server.listening).toBe(false);
    await app.close();
  });
});

describe('the entries `next build` evaluates', () => {
  it('check nothing when wired, so a build needs no keys', () => {
    const store = storeIn({ NODE_ENV: 'production' });
    expect(() => sessionProxy(store)).not.toThrow();
    expect(() => withSessionFetch(store, () => new Response('ok'))).not.toThrow();
  });
});

// Next.js only logs what register() throws, then answers 500 to every request: on Node.js
// the helper ends the process itself, with the message on stderr.
describe('requireSessionKeys (instrumentation.ts register)', () => {
  function exitSpies() {
    const exit = vi.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`exit ${code}`);
    });
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    return { exit, log };
  }

  it('ends the process with code 1 and the message on stderr, in production without keys', () => {
    const { exit, log } = exitSpies();
    const error = thrown(() => requireSessionKeys(storeIn({ NODE_ENV: 'production' })));
    expect((error as Error).message).toBe('exit 1');
    expect(exit).toHaveBeenCalledWith(1);
    expect(log).toHaveBeenCalledTimes(1);
    const [line] = log.mock.calls[0] as [string];
    expect(line).toMatch(/^jwe-session: SESSION_KEYS: is not set, and NODE_ENV is "production"/);
    expect(line).toContain('npx jwe-session keygen');
  });

  it('ends the process for a malformed key too, without printing the secret', () => {
    const { exit, log } = exitSpies();
    // Malformed keys present at creation throw there; these arrive afterwards (a late .env).
    const env: Record<string, string> = { NODE_ENV: 'production' };
    const store = createSessionStore({ testing: { env } });
    env.SESSION_KEYS = `x.y:${secretFor('k1')}`;
    thrown(() => requireSessionKeys(store));
    expect(exit).toHaveBeenCalledWith(1);
    const [line] = log.mock.calls[0] as [string];
    expect(line).toContain('SESSION_KEYS: entry 1 has an invalid key id');
    expect(line).not.toContain(secretFor('k1'));
  });

  it('does nothing with keys, or in development', () => {
    const { exit } = exitSpies();
    vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    requireSessionKeys(storeIn({ NODE_ENV: 'production', SESSION_KEYS: keyEntry('k1') }));
    requireSessionKeys(storeIn({ NODE_ENV: 'development' }));
    expect(exit).not.toHaveBeenCalled();
  });

  it('throws the SessionConfigError where the process cannot be ended (Edge runtime)', () => {
    const store = storeIn({ NODE_ENV: 'production' });
    const realProcess = globalThis.process;
    let error: unknown;
    vi.stubGlobal('process', { env: {} });
    try {
      error = thrown(() => requireSessionKeys(store));
    } finally {
      vi.stubGlobal('process', realProcess);
      vi.unstubAllGlobals();
    }
    expectMissingKeys(error);
  });

  it('refuses an object that is not a store', () => {
    expect(thrown(() => requireSessionKeys({} as SessionStore))).toBeInstanceOf(TypeError);
  });
});
