// A server without keys refuses to start: every server-side entry resolves the store's keys
// when the app is wired, not at the first request (issue 23, C). The store itself still
// resolves them at first use, so a build that imports route modules needs no secrets: the
// Next.js entries that a build evaluates (sessionProxy, withSessionFetch) check nothing when
// wired, and the app's instrumentation.ts calls checkSessionKeys at server start instead.
import { createServer } from 'node:http';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sessionMiddleware } from '../../src/adapters/express.js';
import { fastifySession } from '../../src/adapters/fastify.js';
import { withSessionFetch } from '../../src/adapters/fetch.js';
import { honoSession } from '../../src/adapters/hono.js';
import { checkSessionKeys, sessionProxy } from '../../src/adapters/next.js';
import { withSession } from '../../src/adapters/node.js';
import { createSessionStore, SessionConfigError, type SessionStore } from '../../src/index.js';
import { keyEntry } from '../helpers/keys.js';
import { thrown } from '../helpers/store.js';

afterEach(() => {
  vi.restoreAllMocks();
});

function storeIn(env: Record<string, string>, keysEnv?: string): SessionStore {
  return createSessionStore({ env, keysEnv, cookie: { secure: true } });
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
  ['next checkSessionKeys (instrumentation.ts)', (store) => checkSessionKeys(store)],
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

describe('checkSessionKeys', () => {
  it('refuses an object that is not a store', () => {
    expect(thrown(() => checkSessionKeys({} as SessionStore))).toBeInstanceOf(TypeError);
  });
});
