// redisRevocationStore against a real redis-server (test/helpers/redis-server.ts) through the
// official client, `redis` (node-redis).
import { createClient, type RedisClientType } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionConfigError, SessionValueError } from '../../src/errors.js';
import {
  type RedisRevocationClient,
  redisRevocationStore,
} from '../../src/revocation/redis-store.js';
import { type RedisServer, redisServerAvailable, startRedis } from '../helpers/redis-server.js';

const HOUR = 3600;
const available = redisServerAvailable('the Redis revocation store tests');

describe.runIf(available)('redisRevocationStore on a real Redis', { timeout: 10_000 }, () => {
  let server: RedisServer;
  let client: RedisClientType;
  /** Every command the store sent through `client`, in order. */
  const sent: string[][] = [];
  let counted: RedisRevocationClient;
  let prefix = '';
  let round = 0;

  beforeAll(async () => {
    server = await startRedis();
    client = createClient({ url: server.url, disableOfflineQueue: true });
    client.on('error', () => {});
    await client.connect();
    counted = {
      sendCommand: (args) => {
        sent.push([...args]);
        return client.sendCommand(args);
      },
    };
  });
  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });

  /** A store with a prefix of its own, so each test starts from no keys. */
  function fresh() {
    prefix = `t${++round}:`;
    sent.length = 0;
    return redisRevocationStore(counted, { prefix });
  }
  const keys = async () => (await client.keys(`${prefix}*`)).sort();
  const ttl = (key: string) => client.ttl(key);

  it('takes the node-redis client as it is (types included)', () => {
    const store = redisRevocationStore(client);
    expect(typeof store.check).toBe('function');
  });

  it('revokes a session id, and no other', async () => {
    const store = fresh();
    await store.revokeSession('sid-a', HOUR);
    expect(await store.check('sid-a', undefined)).toEqual({
      sessionRevoked: true,
      subjectRevokedBefore: undefined,
    });
    expect(await store.check('sid-b', 'user-1')).toEqual({
      sessionRevoked: false,
      subjectRevokedBefore: undefined,
    });
  });

  it('sets a TTL on every key it writes, and never shortens one', async () => {
    const store = fresh();
    await store.revokeSession('sid-a', HOUR);
    await store.revokeSubject('user-1', 1000, 2 * HOUR);
    expect(await keys()).toEqual([`${prefix}sid:sid-a`, `${prefix}sub:user-1`]);
    expect(await ttl(`${prefix}sid:sid-a`)).toBeGreaterThan(HOUR - 5);
    expect(await ttl(`${prefix}sid:sid-a`)).toBeLessThanOrEqual(HOUR);
    expect(await ttl(`${prefix}sub:user-1`)).toBeGreaterThan(2 * HOUR - 5);

    await store.revokeSession('sid-a', 60);
    await store.revokeSubject('user-1', 2000, 60);
    expect(await ttl(`${prefix}sid:sid-a`)).toBeGreaterThan(HOUR - 5);
    expect(await ttl(`${prefix}sub:user-1`)).toBeGreaterThan(2 * HOUR - 5);
    expect((await store.check('x', 'user-1')).subjectRevokedBefore).toBe(2000);

    await store.revokeSession('sid-a', 3 * HOUR);
    await store.revokeSubject('user-1', 10, 3 * HOUR);
    expect(await ttl(`${prefix}sid:sid-a`)).toBeGreaterThan(3 * HOUR - 5);
    expect(await ttl(`${prefix}sub:user-1`)).toBeGreaterThan(3 * HOUR - 5);
  });

  it('gives a TTL to a key of its own that something left without one', async () => {
    const store = fresh();
    await client.set(`${prefix}sid:sid-a`, '1');
    await client.set(`${prefix}sub:user-1`, '500');
    expect(await ttl(`${prefix}sid:sid-a`)).toBe(-1);
    await store.revokeSession('sid-a', HOUR);
    await store.revokeSubject('user-1', 100, HOUR);
    expect(await ttl(`${prefix}sid:sid-a`)).toBeGreaterThan(0);
    expect(await ttl(`${prefix}sub:user-1`)).toBeGreaterThan(0);
    expect((await store.check('x', 'user-1')).subjectRevokedBefore).toBe(500);
  });

  it("keeps a subject's later cut-off, also when many processes write at once", async () => {
    const store = fresh();
    await store.revokeSubject('user-1', 2000, HOUR);
    await store.revokeSubject('user-1', 1500, HOUR);
    expect((await store.check('s', 'user-1')).subjectRevokedBefore).toBe(2000);

    const befores = Array.from({ length: 200 }, (_, i) => 1_700_000_000_000 + ((i * 7919) % 200));
    // Separate connections, as separate processes would have.
    const others = await Promise.all(
      [1, 2, 3, 4].map(async () => {
        const other = client.duplicate();
        other.on('error', () => {});
        await other.connect();
        return other;
      }),
    );
    try {
      const stores = others.map((other) => redisRevocationStore(other, { prefix }));
      await Promise.all(
        befores.map((before, i) => stores[i % 4]?.revokeSubject('user-2', before, HOUR)),
      );
    } finally {
      await Promise.all(others.map((other) => other.close()));
    }
    expect((await store.check('s', 'user-2')).subjectRevokedBefore).toBe(Math.max(...befores));
  });

  it('replaces a subject value that is not epoch milliseconds, and refuses to read one', async () => {
    const store = fresh();
    await client.set(`${prefix}sub:user-1`, '99999999999999999999', { EX: 60 });
    await expect(store.check('s', 'user-1')).rejects.toThrow(TypeError);
    await store.revokeSubject('user-1', 100, HOUR);
    expect((await store.check('s', 'user-1')).subjectRevokedBefore).toBe(100);
  });

  it('keeps a 13-digit epoch-millisecond cut-off exactly, and the later of two in one second', async () => {
    const store = fresh();
    await store.revokeSubject('user-1', 1_768_480_200_700, HOUR);
    await store.revokeSubject('user-1', 1_768_480_200_300, HOUR);
    expect(await client.get(`${prefix}sub:user-1`)).toBe('1768480200700');
    expect((await store.check('s', 'user-1')).subjectRevokedBefore).toBe(1_768_480_200_700);
    await store.revokeSubject('user-1', 1_768_480_200_701, HOUR);
    expect((await store.check('s', 'user-1')).subjectRevokedBefore).toBe(1_768_480_200_701);
  });

  it('checks a session in one round trip: one MGET of its two keys', async () => {
    const store = fresh();
    await store.revokeSubject('user-1', 100, HOUR);
    sent.length = 0;
    const monitored: string[] = [];
    const monitor = client.duplicate();
    monitor.on('error', () => {});
    await monitor.connect();
    await monitor.monitor((line) => {
      if (line.includes(prefix)) monitored.push(line);
    });
    try {
      expect(await store.check('sid-a', 'user-1')).toEqual({
        sessionRevoked: false,
        subjectRevokedBefore: 100,
      });
      await store.check('sid-b', undefined);
      // MONITOR lines arrive asynchronously: wait for both checks.
      const deadline = Date.now() + 2000;
      while (monitored.length < 2 && Date.now() < deadline) await sleep(10);
    } finally {
      await monitor.close();
    }
    expect(sent).toEqual([
      ['MGET', `${prefix}sid:sid-a`, `${prefix}sub:user-1`],
      ['MGET', `${prefix}sid:sid-b`],
    ]);
    expect(monitored).toHaveLength(2);
    expect(monitored[0]).toContain(`"MGET" "${prefix}sid:sid-a" "${prefix}sub:user-1"`);
  });

  it('percent-encodes ids and subjects: no key reaches another namespace, every key is printable', async () => {
    const store = fresh();
    const tricky = ['a:b', `x\r\nDEL ${prefix}sid:victim`, 'sid:victim', 'é 漢', '%41'];
    await store.revokeSession('victim', HOUR);
    for (const subject of tricky) await store.revokeSubject(subject, 10, HOUR);
    expect(await keys()).toEqual(
      [
        `${prefix}sid:victim`,
        `${prefix}sub:a%3Ab`,
        `${prefix}sub:x%0D%0ADEL%20${encodeURIComponent(prefix)}sid%3Avictim`,
        `${prefix}sub:sid%3Avictim`,
        `${prefix}sub:%C3%A9%20%E6%BC%A2`,
        `${prefix}sub:%2541`,
      ].sort(),
    );
    expect((await store.check('victim', 'A')).sessionRevoked).toBe(true);
    // '%41' and 'A' are different subjects.
    expect((await store.check('x', 'A')).subjectRevokedBefore).toBeUndefined();
    for (const subject of tricky) {
      expect((await store.check('x', subject)).subjectRevokedBefore, subject).toBe(10);
    }
  });

  it('refuses huge or empty ids and subjects before sending anything', async () => {
    const store = fresh();
    const bad = [
      store.revokeSubject('u'.repeat(257), 1, HOUR),
      store.revokeSession('', HOUR),
      store.check('s'.repeat(257), undefined),
      store.check('s', '\uDC00'),
      store.revokeSession('s', 0),
    ];
    for (const result of await Promise.allSettled(bad)) {
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(SessionValueError);
    }
    expect(sent).toEqual([]);
    await store.revokeSubject('u'.repeat(256), 1, HOUR);
    expect(sent).toHaveLength(1);
  });

  it('uses the default prefix jwe-session:', async () => {
    const store = redisRevocationStore(client);
    await store.revokeSession('default-prefix', 60);
    expect(await client.exists('jwe-session:sid:default-prefix')).toBe(1);
  });

  it('refuses something that is not a client, or a bad prefix, at creation', () => {
    // @ts-expect-error not a client
    expect(() => redisRevocationStore({})).toThrow(SessionConfigError);
    // @ts-expect-error a number is no prefix
    expect(() => redisRevocationStore(client, { prefix: 1 })).toThrow(/prefix/);
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the jwe-session/redis entry', { timeout: 5000 }, () => {
  it('loads neither redis nor node:* at run time: the app brings its own client', async () => {
    const { readFileSync } = await import('node:fs');
    const source = (file: string) =>
      readFileSync(new URL(`../../src/revocation/${file}`, import.meta.url), 'utf8');
    for (const file of ['redis-store.ts', 'revocation-input.ts', 'revocation-store.ts']) {
      const imports = [...source(file).matchAll(/^import (?!type )[^;]*?from '([^']+)'/gm)].map(
        (m) => m[1],
      );
      expect(
        imports.filter((spec) => !spec?.startsWith('.')),
        file,
      ).toEqual([]);
    }
  });
});
