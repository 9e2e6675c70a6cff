// Keeps `npm run bench:revocation` from rotting: its smoke run fills the in-memory store and,
// with a redis-server, writes revocations to one of its own and reads back keys and TTLs.
import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REDIS_SERVER } from '../helpers/redis-server.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('npm run bench:revocation -- --quick', () => {
  it('measures the memory store, and Redis when there is a redis-server', {
    timeout: 60_000,
  }, async () => {
    const { code, stdout, stderr } = await new Promise<{
      code: number | null;
      stdout: string;
      stderr: string;
    }>((done) => {
      const child = execFile(
        process.execPath,
        ['--expose-gc', 'bench/revocation-memory.js', '--quick'],
        // REDIS_URL is left out: the run starts a redis-server of its own.
        { cwd: root, timeout: 40_000, env: { PATH: process.env.PATH ?? '' } },
        (_error, out, err) => done({ code: child.exitCode, stdout: out, stderr: err }),
      );
    });
    expect(code, stderr).toBe(0);
    for (const kind of ['sessions', 'subjects', 'half each']) {
      expect(stdout).toMatch(
        // Heap readings of 1,000 entries are within the noise: only the row is checked.
        new RegExp(`^\\| +1,000 \\| ${kind} +\\| +-?\\d+\\.\\d \\| +-?\\d+ \\|`, 'm'),
      );
    }
    if (REDIS_SERVER === undefined) return;
    expect(stdout).toMatch(
      /^\| keys added \(DBSIZE after - before\) +\| 2,000 \(1,000 `sid:`, 1,000 `sub:`\)/m,
    );
    expect(stdout).toMatch(/^\| keys without a TTL +\| 0 +\|$/m);
    expect(stdout).toMatch(/^\| max +\| 2,592,060 s \(30 days \+ 60 s\)/m);
  });
});
