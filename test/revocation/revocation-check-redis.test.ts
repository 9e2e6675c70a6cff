// RevocationCheck over a real Redis that stops answering (SIGSTOP), crashes (SIGKILL) and comes
// back on the same port: no verdict waits past `timeout`, none throws, the fail mode holds,
// and service returns with the server. The clock for the cache and outage windows is a fake
// one moved by hand; `timeout` runs on real time.
import { createClient, type RedisClientOptions, type RedisClientType } from 'redis';
import { afterEach, describe, expect, it } from 'vitest';
import { redisRevocationStore } from '../../src/revocation/redis-store.js';
import {
  RevocationCheck,
  type RevocationResult,
  type RevocationUnavailableEvent,
} from '../../src/revocation/revocation-check.js';
import { Clock } from '../helpers/clock.js';
import { redisServerAvailable, startRedis } from '../helpers/redis-server.js';

const HOUR = 3600;
const TIMEOUT = 100;
/** How late past `timeout` a verdict may settle on a busy machine (2 cores, shared). */
const SLACK = 400;
const VALID = { verdict: 'valid', accept: true };
const REVOKED = { verdict: 'revoked', accept: false };
const REFUSED = { verdict: 'unavailable', accept: false };
const ALLOWED = { verdict: 'unavailable', accept: true };

/** What a check written just as the server died fails with (or never sees the reply to). */
const SOCKET_ERRORS = ['SocketClosedUnexpectedlyError', 'ECONNRESET', 'ECONNREFUSED', 'timeout'];

const available = redisServerAvailable('the revocation outage tests');

describe.runIf(available)('RevocationCheck over a Redis that fails', { timeout: 15_000 }, () => {
  const cleanup: (() => Promise<unknown> | undefined)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()?.catch(() => {});
  });

  async function started(
    clientOptions: Partial<RedisClientOptions>,
    onUnavailable: 'refuse' | 'allow' = 'refuse',
  ) {
    const server = await startRedis();
    cleanup.push(() => server.stop());
    const client = createClient({
      url: server.url,
      // Reconnect quickly, so the restart test does not wait on the default backoff.
      socket: { reconnectStrategy: 50 },
      ...clientOptions,
    }) as RedisClientType;
    client.on('error', () => {});
    await client.connect();
    // destroy(), not close(): close() waits for commands a paused server never answers.
    cleanup.push(async () => client.destroy());
    const clock = new Clock();
    const events: RevocationUnavailableEvent[] = [];
    const store = redisRevocationStore(client);
    const check = new RevocationCheck(store, {
      timeout: TIMEOUT,
      onUnavailable,
      now: clock.now,
      onEvent: (event) => events.push(event),
    });
    return { server, client, clock, events, store, check };
  }

  /** A verdict, awaited, with how long it took; fails the test if it took past the bound. */
  async function bounded(result: RevocationResult | Promise<RevocationResult>) {
    const startedAt = performance.now();
    const value = await result;
    const ms = performance.now() - startedAt;
    expect(ms, 'a verdict waited past the timeout').toBeLessThan(TIMEOUT + SLACK);
    return value;
  }

  it('a paused server (socket open, no answers): unavailable within timeout, refused; writes reject', async () => {
    const { server, clock, check, events } = await started({});
    expect(await bounded(check.verdict('sid-known', 'user-1', 100))).toEqual(VALID);
    server.pause();
    cleanup.push(async () => server.resume());

    // A cached answer still serves, synchronously.
    expect(check.verdict('sid-known', 'user-1', 100)).toEqual(VALID);
    expect(await bounded(check.verdict('sid-new', 'user-1', 100))).toEqual(REFUSED);
    expect(events).toEqual([{ type: 'revocation-unavailable', error: 'timeout', suppressed: 0 }]);
    // Past the interval the known session has no fresh answer either.
    clock.ms += 1000;
    expect(await bounded(check.verdict('sid-known', 'user-1', 100))).toEqual(REFUSED);

    const startedAt = performance.now();
    const error = await check.revokeSession('sid-x', HOUR).catch((e: unknown) => e);
    expect(performance.now() - startedAt).toBeLessThan(TIMEOUT + SLACK);
    expect((error as DOMException).name).toBe('TimeoutError');
    // ... and the revocation holds here anyway.
    expect(check.verdict('sid-x', 'user-1', 100)).toEqual(REVOKED);

    server.resume();
    clock.ms += 1000;
    expect(await bounded(check.verdict('sid-known', 'user-1', 100))).toEqual(VALID);
  });

  // With its offline queue, the client holds commands until Redis is back: only the timeout
  // answers. Without it, the client refuses them at once.
  for (const [label, clientOptions, error] of [
    ['the default client (offline queue on)', {}, 'timeout'],
    ['disableOfflineQueue: true', { disableOfflineQueue: true }, 'ClientOfflineError'],
  ] as const) {
    it(`a killed server, ${label}: no verdict hangs, the fail mode holds, and service returns after a restart`, async () => {
      const { server, client, clock, check, store, events } = await started(clientOptions);
      await check.revokeSession('sid-revoked', HOUR);
      expect(await bounded(check.verdict('sid-a', 'user-1', 100))).toEqual(VALID);

      await server.kill();
      clock.ms += 1000;
      for (let i = 0; i < 20; i++) {
        expect(await bounded(check.verdict(`sid-${i % 3}`, 'user-1', 100))).toEqual(REFUSED);
        expect(await bounded(check.verdict('sid-revoked', 'user-1', 100))).toEqual(REVOKED);
        clock.ms += 250;
      }
      // 20 × 250 ms of fake time: one event a second at most.
      expect(events.length).toBeGreaterThanOrEqual(1);
      expect(events.length).toBeLessThanOrEqual(6);
      // A check sent as the server died fails with the socket; the later ones as above.
      const errors = new Set(events.map((event) => event.error));
      expect(errors).toContain(error);
      for (const name of errors) expect([error, ...SOCKET_ERRORS]).toContain(name);
      await expect(check.revokeSession('sid-b', HOUR)).rejects.toBeDefined();

      // Same port, no data (no persistence): service returns, and what this process knew of
      // revocations outlives the store's loss.
      await server.restart();
      const deadline = performance.now() + 8000;
      let result: RevocationResult | undefined;
      while (performance.now() < deadline) {
        clock.ms += 1000;
        result = await bounded(check.verdict('sid-a', 'user-1', 100));
        if (result.verdict !== 'unavailable') break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(result).toEqual(VALID);
      expect(check.verdict('sid-revoked', 'user-1', 100)).toEqual(REVOKED);
      expect(check.verdict('sid-b', 'user-1', 100)).toEqual(REVOKED);
      // A revocation from another process reaches this one through the restarted server.
      await store.revokeSubject('user-1', 200, HOUR);
      clock.ms += 1000;
      expect(await bounded(check.verdict('sid-a', 'user-1', 100))).toEqual(REVOKED);
      expect(await client.ttl('jwe-session:sub:user-1')).toBeGreaterThan(0);
    });
  }

  it("a killed server with onUnavailable: 'allow': unknown sessions are used, known revocations still refused", async () => {
    const { server, clock, check } = await started({ disableOfflineQueue: true }, 'allow');
    await check.revokeSubject('user-9', 500, HOUR);
    expect(await bounded(check.verdict('sid-a', 'user-1', 100))).toEqual(VALID);
    await server.kill();
    clock.ms += 1000;
    expect(await bounded(check.verdict('sid-a', 'user-1', 100))).toEqual(ALLOWED);
    expect(await bounded(check.verdict('sid-b', 'user-9', 499))).toEqual(REVOKED);
    expect(await bounded(check.verdict('sid-c', 'user-9', 500))).toEqual(ALLOWED);
  });
});
