// Keeps the other benchmarks from rotting: bench:write-path's smoke run measures every case on
// both engines, bench/engines.js times both engines, bench/gc-promotion.js counts a server's
// collections, bench:http --features measures each row
// once, and every app of bench:http (the same server processes bench/http.js starts)
// round-trips a session before anything would be timed.
import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain-JavaScript benchmark module, without types
import { checkedSession, startServer } from '../../bench/http-harness.js';
import { redisServerAvailable } from '../helpers/redis-server.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('npm run bench:write-path -- --quick', () => {
  it('measures every case on both engines', { timeout: 60_000 }, async () => {
    const { code, stdout, stderr } = await new Promise<{
      code: number | null;
      stdout: string;
      stderr: string;
    }>((done) => {
      const child = execFile(
        process.execPath,
        ['bench/write-path.js', '--quick'],
        { cwd: root, timeout: 40_000 },
        (_error, out, err) => done({ code: child.exitCode, stdout: out, stderr: err }),
      );
    });
    expect(code, stderr).toBe(0);
    for (const name of ['read', 'rmw small', 'rmw large', 'open large, cache off']) {
      for (const engine of ['node', 'webcrypto']) {
        expect(stdout).toMatch(
          new RegExp(`^\\| ${name} +\\| ${engine} +\\| this checkout +\\| +\\d+\\.\\d+ \\|`, 'm'),
        );
      }
    }
  });
});

describe('bench/gc-promotion.js', () => {
  it("counts a server's collections under load and prints its row", {
    timeout: 60_000,
  }, async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['bench/gc-promotion.js', '--seconds', '1', 'jwe', '/read'],
      { cwd: root, timeout: 40_000 },
    );
    expect(stdout).toMatch(/^\| jwe \| \/read \| [\d,]+ \| [1-9]\d* \| \d+ \| \d+\.\d \|$/m);
  });
});

describe('bench/engines.js', () => {
  it('times both engines at both levels', { timeout: 60_000 }, async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['bench/engines.js', '1', '5'], {
      cwd: root,
      timeout: 40_000,
    });
    for (const variant of ['raw node', 'raw webcrypto', 'store node', 'store webcrypto']) {
      expect(stdout).toMatch(new RegExp(`^  ${variant} +\\d+\\.\\d \\(`, 'm'));
    }
    expect(stdout).toMatch(/raw: node is \d+\.\dx as fast as webcrypto/);
  });
});

describe.runIf(redisServerAvailable('the bench:http --features smoke run'))(
  'npm run bench:http -- --features',
  () => {
    it('measures every row once, its Redis started and stopped', { timeout: 120_000 }, async () => {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          'bench/http.js',
          '--features',
          '--duration',
          '1',
          '--rounds',
          '1',
          '--connections',
          '2',
          '--save',
          '0',
        ],
        { cwd: root, timeout: 100_000 },
      );
      for (const row of [
        'revocation: {} (memory), reads',
        'revocation on Redis (loopback, 1000 ms), reads',
        'cross-site check on vs off, POST Sec-Fetch-Site: same-origin',
        'cross-site check on vs off, POST with only Origin',
      ]) {
        expect(stdout).toContain(`| ${row} | `);
      }
      // No request failed: a 403 from the check would mean the writes measured a refusal.
      expect(stdout).not.toMatch(/\| [1-9]\d* \|$/m);
    });
  },
);

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const apps = [
  'bare',
  'jwe',
  'jwe-node',
  'jwe-web',
  'jwe-nocache',
  'jwe-revoke',
  'jwe-nocross',
  'jwe-connect',
  'iron',
  'express',
  'jose-floor',
  'node-floor',
  'cookie-floor',
];
if (major > 22 || (major === 22 && minor >= 13)) apps.push('iron9');

describe('the apps of npm run bench:http', () => {
  it.each(apps)(
    '%s writes, writes again and reads back its session',
    { timeout: 30_000 },
    async (app) => {
      const server = await startServer(app);
      try {
        // Throws naming what went wrong: a count off, no cookie, a cookie on a read.
        const cookie: string = await checkedSession(server);
        expect(cookie === '').toBe(app === 'bare');
      } finally {
        await server.stop();
      }
    },
  );

  it("jwe on another revision's dist/ (bench:http --against) is that dist", {
    timeout: 30_000,
  }, async () => {
    // A dist/ that is not one: the server must fail to start, so the path is really used.
    const missing = startServer('jwe', { env: { JWE_BENCH_DIST: `${root}/no-such-dist/` } });
    await expect(missing).rejects.toThrow(/exited/);
    const server = await startServer('jwe', { env: { JWE_BENCH_DIST: `${root}/dist/` } });
    try {
      expect(await checkedSession(server)).not.toBe('');
    } finally {
      await server.stop();
    }
  });
});
