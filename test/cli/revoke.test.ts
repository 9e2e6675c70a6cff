// `jwe-session revoke` as a child process, against a real redis-server.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type RedisClientType } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisRevocationStore } from '../../src/revocation/redis-store.js';
import { keyEntry } from '../helpers/keys.js';
import {
  freePort,
  type RedisServer,
  redisServerAvailable,
  startRedis,
} from '../helpers/redis-server.js';
import { makeStore, TEST_KEYS } from '../helpers/store.js';
import { type CliResult, runCli } from './run-cli.js';

const DAY = 86_400;
const DEFAULT_TTL = 30 * DAY + 60;
// A password with a character the URL must percent-encode: neither form may be printed.
const PASSWORD = 'pw@Z9q!r';
const ENCODED = encodeURIComponent(PASSWORD);

function expectNoPassword(r: CliResult): void {
  for (const text of [r.stdout, r.stderr]) {
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(ENCODED);
  }
}

describe('jwe-session revoke, before it connects', () => {
  it('needs exactly one of --subject, --session and --cookie (exit 2)', async () => {
    for (const args of [
      [],
      ['--subject', 'u1', '--session', 's1'],
      ['--session', 's1', '--cookie', 'x'],
    ]) {
      const r = await runCli(['revoke', ...args], { env: { REDIS_URL: 'redis://127.0.0.1:1' } });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        'revoke needs one of --subject ID, --session ID or --cookie VALUE',
      );
      expect(r.stderr).toContain('Run "jwe-session help revoke" for usage.');
    }
  });

  it('refuses an id the store refuses, and a bad --ttl, as usage errors', async () => {
    const long = await runCli(['revoke', '--subject', 'x'.repeat(257)]);
    expect(long.code).toBe(2);
    expect(long.stderr).toContain('--subject must be a string of 1 to 256 characters');
    const empty = await runCli(['revoke', '--session', '']);
    expect(empty.code).toBe(2);
    for (const ttl of ['0', 'soon', '100000d']) {
      const r = await runCli(['revoke', '--subject', 'u1', '--ttl', ttl]);
      expect(r.code, ttl).toBe(2);
      expect(r.stderr).toContain('--ttl');
    }
  });

  it('without REDIS_URL: exit 1 and how to set it', async () => {
    for (const env of [{}, { REDIS_URL: '  ' }]) {
      const r = await runCli(['revoke', '--subject', 'u1'], { env });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        'jwe-session: REDIS_URL is not set: set it to the Redis the app checks revocations in, e.g. REDIS_URL=redis://127.0.0.1:6379 (rediss:// for TLS)\n',
      );
    }
  });

  it('a REDIS_URL that is not a redis:// or rediss:// URL: exit 1, password never shown', async () => {
    const cases: [string, string][] = [
      [`http://:${ENCODED}@127.0.0.1:6379`, 'REDIS_URL must start with redis:// or rediss://'],
      [`localhost:6379`, 'REDIS_URL must start with redis:// or rediss://'],
      [`127.0.0.1:${ENCODED}`, 'REDIS_URL is not a URL'],
      [`redis//:${ENCODED}@host`, 'REDIS_URL is not a URL'],
      [`redis://:${ENCODED}@127.0.0.1:6379/db`, 'Invalid pathname'],
    ];
    for (const [url, message] of cases) {
      const r = await runCli(['revoke', '--subject', 'u1'], { env: { REDIS_URL: url } });
      expect(r.code, url).toBe(1);
      expect(r.stderr, url).toContain(message);
      expectNoPassword(r);
    }
  });

  it('an unreachable Redis (a closed port): exit 1 within a few seconds, password redacted', async () => {
    const port = await freePort();
    const started = Date.now();
    const r = await runCli(['revoke', '--session', 's1'], {
      env: { REDIS_URL: `redis://app:${ENCODED}@127.0.0.1:${port}` },
    });
    // No retries: refused at once, well before the 5 s deadline.
    expect(Date.now() - started).toBeLessThan(4000);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `jwe-session: could not write to Redis at redis://app:***@127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}\n`,
    );
    expectNoPassword(r);
  });

  it('without the redis package: exit 1 and "install redis"', async () => {
    // The package as installed in an app without redis: dist/ and bin/, jose and cookie only.
    const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
    const app = mkdtempSync(join(tmpdir(), 'jwe-session-no-redis-'));
    try {
      const pkg = join(app, 'node_modules/jwe-session');
      mkdirSync(pkg, { recursive: true });
      cpSync(join(root, 'dist'), join(pkg, 'dist'), { recursive: true });
      cpSync(join(root, 'bin'), join(pkg, 'bin'), { recursive: true });
      cpSync(join(root, 'package.json'), join(pkg, 'package.json'));
      for (const dep of ['jose', 'cookie']) {
        symlinkSync(join(root, 'node_modules', dep), join(app, 'node_modules', dep), 'dir');
      }
      writeFileSync(join(app, 'package.json'), '{"type":"module"}');
      const r = await new Promise<CliResult>((done) => {
        execFile(
          process.execPath,
          [join(pkg, 'bin/jwe-session.js'), 'revoke', '--subject', 'u1'],
          { env: { PATH: process.env.PATH ?? '', REDIS_URL: 'redis://127.0.0.1:1' } },
          (error, stdout, stderr) =>
            done({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr }),
        );
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('the redis package is not installed: install redis');
    } finally {
      rmSync(app, { recursive: true, force: true });
    }
  });
});

const available = redisServerAvailable('the jwe-session revoke tests');

describe.runIf(available)('jwe-session revoke on a real Redis', { timeout: 20_000 }, () => {
  let server: RedisServer;
  let client: RedisClientType;
  let url: string;

  beforeAll(async () => {
    server = await startRedis();
    client = createClient({ url: server.url, disableOfflineQueue: true });
    client.on('error', () => {});
    await client.connect();
    // The server has no password: it ignores the one in the URL only if AUTH is not sent, so
    // the user "default" with a password is set up for the CLI to log in with.
    await client.sendCommand(['ACL', 'SETUSER', 'default', 'on', `>${PASSWORD}`]);
    await client.sendCommand(['AUTH', PASSWORD]);
    url = `redis://default:${ENCODED}@127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });

  it('--subject: writes the subject key with "before" = now (epoch ms) and the default TTL', async () => {
    const from = Date.now();
    const r = await runCli(['revoke', '--subject', 'user-123456'], { env: { REDIS_URL: url } });
    const to = Date.now();
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const key = 'jwe-session:sub:user-123456';
    const before = Number(await client.get(key));
    expect(before).toBeGreaterThanOrEqual(from);
    expect(before).toBeLessThanOrEqual(to);
    const ttl = await client.ttl(key);
    expect(ttl).toBeGreaterThan(DEFAULT_TTL - 10);
    expect(ttl).toBeLessThanOrEqual(DEFAULT_TTL);
    expect(r.stdout).toBe(
      [
        `Revoked every session of subject "user-123456" created before ${new Date(before).toISOString()}.`,
        `  in    redis://default:***@127.0.0.1:${server.port} (key prefix "jwe-session:")`,
        '  kept  30 days 1 minute (2592060 s), then Redis forgets it',
        '  Each process of the app sees it within its recheckInterval (default 1 s).',
        '',
      ].join('\n'),
    );
    expectNoPassword(r);
    // What the app's store reads back.
    const state = await redisRevocationStore(client).check('any-sid', 'user-123456');
    expect(state).toEqual({ sessionRevoked: false, subjectRevokedBefore: before });
  });

  it('--session with --prefix, --ttl and --json: the session key, its TTL, JSON on stdout', async () => {
    const sid = '3q2-7wX9kL0mN4pR8sT1vA';
    const r = await runCli(
      ['revoke', '--session', sid, '--prefix', 'shop:', '--ttl', '2h', '--json'],
      { env: { REDIS_URL: url } },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      revoked: 'session',
      session: sid,
      ttlSeconds: 7200,
      prefix: 'shop:',
      redis: `redis://default:***@127.0.0.1:${server.port}`,
    });
    expect(await client.get(`shop:sid:${sid}`)).toBe('1');
    const ttl = await client.ttl(`shop:sid:${sid}`);
    expect(ttl).toBeGreaterThan(7190);
    expect(ttl).toBeLessThanOrEqual(7200);
    expect(await client.exists(`jwe-session:sid:${sid}`)).toBe(0);
    const state = await redisRevocationStore(client, { prefix: 'shop:' }).check(sid, undefined);
    expect(state.sessionRevoked).toBe(true);
    expectNoPassword(r);
  });

  it('--cookie -: revokes the session a pasted cookie carries, opened with SESSION_KEYS; decode shows its id and subject', async () => {
    const store = makeStore({});
    const session = await store.load(undefined);
    session.regenerate({ subject: 'user-7' });
    const lines = await store.commit(session);
    const sid = session.id as string;
    const env = { REDIS_URL: url, SESSION_KEYS: TEST_KEYS };
    const decoded = await runCli(['decode', '-', '--ignore-expiry', '--json'], {
      env,
      stdin: lines.join('\n'),
    });
    expect(JSON.parse(decoded.stdout).claims).toMatchObject({ sessionId: sid, subject: 'user-7' });
    const r = await runCli(['revoke', '--cookie', '-', '--json'], { env, stdin: lines.join('\n') });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ revoked: 'session', session: sid });
    expect(await client.get(`jwe-session:sid:${sid}`)).toBe('1');
    expectNoPassword(r);
    // Without the keys the cookie cannot be opened: a usage error, nothing written.
    const keyless = await runCli(['revoke', '--cookie', lines[0] as string], {
      env: { REDIS_URL: url },
    });
    expect(keyless.code).toBe(2);
    expect(keyless.stderr).toContain("--cookie needs the app's keys");
    // Another app's keys: refused, exit 1.
    const other = await runCli(['revoke', '--cookie', lines[0] as string], {
      env: { REDIS_URL: url, SESSION_KEYS: keyEntry('k9') },
    });
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('cookie not opened');
  });

  it('a subject with characters outside [A-Za-z0-9-_.~] is written as the store writes it', async () => {
    const r = await runCli(['revoke', '--subject', 'ann@example.com', '--json'], {
      env: { REDIS_URL: url },
    });
    expect(r.code).toBe(0);
    const state = await redisRevocationStore(client).check('sid', 'ann@example.com');
    expect(state.subjectRevokedBefore).toBe(Date.parse(JSON.parse(r.stdout).createdBefore));
  });

  it('a wrong password: exit 1, Redis says why, the password is not shown', async () => {
    const wrong = 'no-such-pw%2F1';
    const r = await runCli(['revoke', '--subject', 'u1'], {
      env: { REDIS_URL: `redis://default:${wrong}@127.0.0.1:${server.port}` },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('WRONGPASS');
    expect(r.stderr).toContain(`redis://default:***@127.0.0.1:${server.port}`);
    expect(r.stderr).not.toContain('no-such-pw');
  });

  it('a Redis that accepts the connection but never answers: exit 1 after the 5 s deadline', async () => {
    server.pause();
    try {
      const started = Date.now();
      const r = await runCli(['revoke', '--session', 's1'], { env: { REDIS_URL: url } });
      const elapsed = Date.now() - started;
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        `jwe-session: Redis at redis://default:***@127.0.0.1:${server.port} did not answer within 5 s (a write may still land; running the command again is safe)\n`,
      );
      expect(elapsed).toBeGreaterThanOrEqual(4900);
      expect(elapsed).toBeLessThan(9000);
    } finally {
      server.resume();
    }
  });
});
