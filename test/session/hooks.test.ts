// onRejection and onEvent: metrics and logs without parsing stderr, and a hook that fails
// never fails the request.
import { describe, expect, it } from 'vitest';
import { withSessionFetch } from '../../src/adapters/fetch.js';
import { withSession } from '../../src/adapters/node.js';
import {
  SessionConfigError,
  type SessionRejectedError,
  SessionTooLargeError,
} from '../../src/errors.js';
import type { SessionEvent } from '../../src/index.js';
import type { RejectionContext } from '../../src/session/hooks.js';
import { Browser, serve } from '../adapters/support.js';
import type { Jar } from '../helpers/browser-jar.js';
import { Clock } from '../helpers/clock.js';
import { keyEntry } from '../helpers/keys.js';
import { makeStore, rejected, thrown, visit } from '../helpers/store.js';

const HOUR = 3600;

function recorder() {
  const rejections: [SessionRejectedError, RejectionContext][] = [];
  const events: SessionEvent[] = [];
  return {
    rejections,
    events,
    onRejection: (r: SessionRejectedError, c: RejectionContext) => {
      rejections.push([r, c]);
    },
    onEvent: (e: SessionEvent) => {
      events.push(e);
    },
  };
}

describe('onRejection', () => {
  it('is called once per refused cookie with reason, sealed facts and cookie name, never the token', async () => {
    const clock = new Clock();
    const rec = recorder();
    const store = makeStore(
      {
        lifetime: { idleTimeout: 2 * HOUR },
        hooks: { onRejection: rec.onRejection },
        cookie: { name: 'sid' },
      },
      clock,
    );
    const jar: Jar = new Map();
    await visit(store, jar, (s) => s.set('user', 'ada-secret-name'));
    const token = jar.get('sid') as string;
    clock.advance(2 * HOUR + 60);
    const { session } = await visit(store, jar);
    expect(session.rejection?.reason).toBe('expired');
    expect(rec.rejections).toHaveLength(1);
    const [rejection, context] = rec.rejections[0] as [SessionRejectedError, RejectionContext];
    expect(rejection).toBe(session.rejection);
    expect(context).toEqual({ cookieName: 'sid' });
    expect(rejection.sealed?.keyId).toBe('k1');
    const everything = JSON.stringify([rejection, rejection.message, rejection.detail, context]);
    expect(everything).not.toContain(token.slice(0, 40));
    expect(everything).not.toContain('ada-secret-name');
  });

  it('gets no sealed facts for a forged cookie, and is not called for a good or absent one', async () => {
    const rec = recorder();
    const store = makeStore({ hooks: { onRejection: rec.onRejection } });
    const jar: Jar = new Map();
    await visit(store, jar, (s) => s.set('n', 1));
    await visit(store, jar);
    await store.load('');
    await store.load('other=1');
    expect(rec.rejections).toEqual([]);
    await store.load('session=e30.e30.e30.e30.e30');
    expect(rec.rejections).toHaveLength(1);
    expect(rec.rejections[0]?.[0].reason).toBe('malformed');
    expect(rec.rejections[0]?.[0].sealed).toBeUndefined();
  });

  it('never breaks the request when it throws or rejects', async () => {
    const store = makeStore({
      hooks: {
        onRejection: () => {
          throw new Error('metrics down');
        },
      },
    });
    const session = await store.load('session=garbage');
    expect(session.rejection?.reason).toBe('malformed');
    session.set('n', 1);
    expect(await store.commit(session)).toHaveLength(1);

    const rejecting = makeStore({
      hooks: { onRejection: () => Promise.reject(new Error('async down')) },
    });
    const handler = withSessionFetch(rejecting, (_req, s) => new Response(String(s.isNew)));
    const response = await handler(
      new Request('http://x/', { headers: { cookie: 'session=garbage' } }),
    );
    expect(await response.text()).toBe('true');
  });
});

/** Values a hook may throw that have no usable string form; fresh each call (a Proxy is revoked). */
function oddValues(): [string, unknown][] {
  const revocable = Proxy.revocable({}, {});
  revocable.revoke();
  const fail = () => {
    throw new Error('no');
  };
  return [
    ['a null-prototype object', Object.create(null)],
    ['an object whose toString throws', { toString: fail }],
    ['an object whose Symbol.toPrimitive throws', { [Symbol.toPrimitive]: fail }],
    [
      'an Error whose message getter throws',
      Object.defineProperty(new Error(), 'message', { get: fail }),
    ],
    ['a revoked Proxy', revocable.proxy],
    ['a symbol', Symbol('odd')],
    ['undefined', undefined],
  ];
}

describe('a hook that throws a value with no string form', () => {
  it('never makes load() or commit throw', async () => {
    for (const [what, value] of oddValues()) {
      const throwing = () => {
        throw value;
      };
      const store = makeStore({
        hooks: { onRejection: throwing, onEvent: throwing },
        cookie: { maxTotalBytes: 2048 },
      });
      const session = await store.load('session=garbage');
      expect(session.rejection?.reason, what).toBe('malformed');
      session.set('big', 'x'.repeat(3000));
      // The too-large event's hook throws too; the error the app sees is still its own.
      expect(await rejected(() => store.commit(session)), what).toBeInstanceOf(
        SessionTooLargeError,
      );
    }
  });

  it('leaves no rejection unhandled behind withSession on a real server, and keeps serving', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      for (const [what, value] of oddValues()) {
        const store = makeStore({ hooks: { onRejection: () => Promise.reject(value) } });
        const asyncStore = makeStore({
          hooks: {
            onRejection: async () => {
              throw value;
            },
          },
        });
        for (const s of [store, asyncStore]) {
          const served = await serve(
            withSession(s, (_req, res, session) => res.end(String(session.isNew))),
          );
          try {
            const answer = await new Browser(served.url).request('/', {
              headers: { cookie: 'session=garbage' },
            });
            expect(answer.body, what).toBe('true');
          } finally {
            await served.close();
          }
        }
      }
      // An unhandled rejection is reported once the microtask queue has drained.
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });
});

describe('onEvent', () => {
  it('reports a re-seal after rotation with both key ids', async () => {
    const clock = new Clock();
    const rec = recorder();
    const jar: Jar = new Map();
    await visit(makeStore({ keys: keyEntry('old') }, clock), jar, (s) => s.set('n', 1));
    const rotated = makeStore(
      { keys: `${keyEntry('new')},${keyEntry('old')}`, hooks: { onEvent: rec.onEvent } },
      clock,
    );
    await visit(rotated, jar);
    await visit(rotated, jar);
    expect(rec.events).toEqual([
      { type: 'reseal', cookieName: 'session', fromKeyId: 'old', toKeyId: 'new' },
    ]);
  });

  it('reports a size failure with size, limit and largest keys, and the error still throws', async () => {
    const rec = recorder();
    const store = makeStore({ cookie: { maxTotalBytes: 2048 }, hooks: { onEvent: rec.onEvent } });
    const session = await store.load('');
    session.set('big', 'x'.repeat(3000));
    const error = (await rejected(() => store.commit(session))) as SessionTooLargeError;
    expect(error).toBeInstanceOf(SessionTooLargeError);
    expect(rec.events).toEqual([
      {
        type: 'too-large',
        cookieName: 'session',
        size: error.size,
        limit: 2048,
        largestKeys: [{ key: 'big', bytes: 3002 }],
      },
    ]);
  });

  it('a throwing event hook leaves the commit as it would have been', async () => {
    const clock = new Clock();
    const jar: Jar = new Map();
    await visit(makeStore({ keys: keyEntry('old') }, clock), jar, (s) => s.set('n', 1));
    const rotated = makeStore(
      {
        keys: `${keyEntry('new')},${keyEntry('old')}`,
        hooks: {
          onEvent: () => {
            throw new Error('boom');
          },
        },
      },
      clock,
    );
    const { setCookies, session } = await visit(rotated, jar);
    expect(setCookies).toHaveLength(1);
    expect(session.cookie?.keyId).toBe('new');

    const big = makeStore({
      cookie: { maxTotalBytes: 2048 },
      hooks: {
        onEvent: () => {
          throw new Error('boom');
        },
      },
    });
    const s = await big.load('');
    s.set('big', 'x'.repeat(3000));
    expect(await rejected(() => big.commit(s))).toBeInstanceOf(SessionTooLargeError);
  });
});

describe('hook options', () => {
  it('refuses a hook that is not a function, naming it', () => {
    for (const setting of ['onRejection', 'onEvent'] as const) {
      const error = thrown(() =>
        makeStore({ hooks: { [setting]: 'log' } } as never),
      ) as SessionConfigError;
      expect(error).toBeInstanceOf(SessionConfigError);
      expect(error.setting).toBe(`hooks.${setting}`);
      expect(error.message).toBe(`hooks.${setting}: must be a function (or left out)`);
    }
  });
});
