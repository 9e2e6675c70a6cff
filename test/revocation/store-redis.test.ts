// Two session stores (as two processes of one app would have) sharing one real Redis through
// redisRevocationStore: a revocation written through one is refused by the other within its
// recheckInterval; with Redis frozen or gone no request waits past the timeout, the fail mode
// holds (refused, the cookie kept), and service returns with Redis. The clock for the cache is
// a fake one moved by hand, shared by both stores; the timeout runs on real time.
import { createClient, type RedisClientType } from 'redis';
import { afterEach, describe, expect, it } from 'vitest';
import type { Session, SessionEvent, SessionStore } from '../../src/index.js';
import { redisRevocationStore } from '../../src/revocation/redis-store.js';
import { Clock } from '../helpers/clock.js';
import { redisServerAvailable, startRedis } from '../helpers/redis-server.js';
import { makeStore } from '../helpers/store.js';

const TIMEOUT = 100;
/** How late past `timeout` a load may settle on a busy machine (2 cores, shared). */
const SLACK = 400;
const RECHECK = 1000;

const available = redisServerAvailable('the revocation tests over Redis');

describe.runIf(available)('two stores, one Redis', { timeout: 20_000 }, () => {
  const cleanup: (() => Promise<unknown> | undefined)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()?.catch(() => {});
  });

  async function fleet(onUnavailable: 'refuse' | 'allow' = 'refuse') {
    const server = await startRedis();
    cleanup.push(() => server.stop());
    const clock = new Clock();
    const events: SessionEvent[] = [];
    const process = async () => {
      const client = createClient({
        url: server.url,
        socket: { reconnectStrategy: 50 },
      }) as RedisClientType;
      client.on('error', () => {});
      await client.connect();
      cleanup.push(async () => client.destroy());
      return makeStore(
        {
          revocation: {
            store: redisRevocationStore(client),
            recheckInterval: RECHECK,
            timeout: TIMEOUT,
            onUnavailable,
          },
          hooks: { onEvent: (event) => void events.push(event) },
        },
        clock,
      );
    };
    return { server, clock, events, a: await process(), b: await process() };
  }

  /** A load that must settle within the timeout (plus slack). */
  async function load(store: SessionStore, cookie: string | undefined): Promise<Session> {
    const startedAt = performance.now();
    const session = await store.load(cookie);
    expect(performance.now() - startedAt, 'a request waited past the timeout').toBeLessThan(
      TIMEOUT + SLACK,
    );
    return session;
  }

  async function signIn(store: SessionStore, subject: string): Promise<string> {
    const session = await store.load(undefined);
    session.regenerate({ subject });
    return ((await store.commit(session))[0] as string).split(';')[0] as string;
  }

  it('a logout in one store is refused by the other within recheckInterval', async () => {
    const { clock, a, b } = await fleet();
    const cookie = await signIn(a, 'u1');
    // b has a fresh answer cached for this session.
    expect((await load(b, cookie)).subject).toBe('u1');
    const out = await a.load(cookie);
    out.destroy();
    await a.commit(out);
    clock.ms += RECHECK;
    const refused = await load(b, cookie);
    expect(refused.rejection?.reason).toBe('revoked');
    expect(refused.rejection?.detail).toBe('the session was ended (logged out)');
  });

  it('log out everywhere through one store ends the subject in the other; others untouched; sign-in again works', async () => {
    const { clock, a, b } = await fleet();
    const laptop = await signIn(a, 'u1');
    const phone = await signIn(b, 'u1');
    const other = await signIn(b, 'u2');
    for (const cookie of [laptop, phone, other])
      expect((await load(b, cookie)).rejection).toBeUndefined();
    clock.ms += 2000;
    await a.revokeSubject('u1');
    clock.ms += RECHECK;
    for (const cookie of [laptop, phone]) {
      expect((await load(b, cookie)).rejection?.reason).toBe('revoked');
    }
    expect((await load(b, other)).subject).toBe('u2');
    const again = await signIn(a, 'u1');
    expect((await load(b, again)).rejection).toBeUndefined();
  });

  it('Redis frozen: no request waits past the timeout, refused with the cookie kept; back when Redis is', async () => {
    const { server, clock, events, a, b } = await fleet();
    const cookie = await signIn(a, 'u1');
    server.pause();
    cleanup.push(async () => server.resume());
    clock.ms += RECHECK;
    const refused = await load(b, cookie);
    expect(refused.rejection?.reason).toBe('revocation-unavailable');
    expect(await b.commit(refused)).toEqual([]);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'revocation-unavailable', operation: 'check' }),
    );
    // During the outage, later requests are answered at once.
    expect((await load(b, cookie)).rejection?.reason).toBe('revocation-unavailable');
    server.resume();
    clock.ms += RECHECK;
    expect((await load(b, cookie)).rejection).toBeUndefined();
  });

  it("Redis gone (killed): 'allow' keeps serving, a revocation this store wrote still holds; restarted, service returns", async () => {
    const { server, clock, a, b } = await fleet('allow');
    const one = await signIn(a, 'u1');
    const two = await signIn(a, 'u2');
    await server.kill();
    clock.ms += RECHECK;
    expect((await load(b, one)).rejection).toBeUndefined();
    // Logout during the outage: the cookie is cleared, and this store knows the id is revoked.
    const out = await a.load(two);
    out.destroy();
    const startedAt = performance.now();
    expect((await a.commit(out))[0]).toMatch(/Max-Age=0/);
    expect(performance.now() - startedAt).toBeLessThan(TIMEOUT + SLACK);
    expect((await load(a, two)).rejection?.reason).toBe('revoked');
    await server.restart();
    clock.ms += RECHECK;
    // Back: the other store's checks are answered by Redis again.
    await a.revokeSession((await load(a, one)).id as string);
    clock.ms += RECHECK;
    await expect
      .poll(async () => (await load(b, one)).rejection?.reason, { timeout: 3000 })
      .toBe('revoked');
  });
});
