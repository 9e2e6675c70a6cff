import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./debug-fixture.mjs', import.meta.url));
const dist = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

interface Run {
  /** What was traced, without the engine lines (one per store, checked on their own). */
  readonly stderr: string;
  readonly engineLines: string[];
  readonly pid: number;
  readonly secrets: string[];
  readonly result: Record<string, unknown>;
}

/** Runs one scenario of the fixture in a child process with this NODE_DEBUG. */
function scenario(name: string, nodeDebug?: string): Promise<Run> {
  if (!existsSync(dist)) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
  const env: Record<string, string> = { PATH: process.env.PATH ?? '' };
  if (nodeDebug !== undefined) env.NODE_DEBUG = nodeDebug;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [fixture, name],
      { env, timeout: 20_000 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`fixture ${name} failed: ${stderr}`));
        const out = JSON.parse(stdout) as Omit<Run, 'stderr' | 'engineLines'>;
        const lines = stderr.split(/(?<=\n)/);
        const isEngine = (line: string) => / engine: /.test(line);
        resolve({
          ...out,
          stderr: lines.filter((line) => !isEngine(line)).join(''),
          engineLines: lines.filter(isEngine).map((line) => line.trimEnd()),
        });
      },
    );
  });
}

function expectNoSecrets(run: Run): void {
  expect(run.secrets.length).toBeGreaterThanOrEqual(3);
  for (const secret of run.secrets) {
    expect(secret.length).toBeGreaterThan(8);
    expect(run.stderr).not.toContain(secret);
  }
}

const rejections: [string, string, RegExp][] = [
  ['malformed', 'malformed', /expected 5 compact JWE segments/],
  ['tampered', 'tampered', /decryption failed/],
  ['expired', 'expired', /idle lifetime/],
  ['not-yet-valid', 'not-yet-valid', /in the future/],
  ['unknown-key', 'unknown-key', /no key with id "old" in the ring/],
  ['wrong-purpose', 'wrong-purpose', /another cookie or purpose/],
  ['revoked', 'revoked', /not-before/],
  ['too-large', 'too-large', /longer than 600 characters/],
  ['missing-chunk', 'malformed', /chunk 1 of 2 is missing/],
];

describe('NODE_DEBUG=jwe-session', () => {
  for (const [name, reason, detail] of rejections) {
    it(`logs a ${name} cookie with its reason, never its contents`, async () => {
      const run = await scenario(name, 'jwe-session');
      expect(run.result.rejection).toBe(reason);
      const lines = run.stderr.split('\n').filter(Boolean);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(`^JWE-SESSION ${run.pid}: cookie "session" rejected: ${reason}: `),
      );
      expect(lines[0]).toMatch(detail);
      expectNoSecrets(run);
    });
  }

  it('logs a re-seal after a rotation, once', async () => {
    const run = await scenario('resealed', 'jwe-session');
    expect(run.result).toEqual({ user: true, second: 0 });
    expect(run.stderr).toBe(
      `JWE-SESSION ${run.pid}: cookie "session" re-sealed: key "old" -> "new"\n`,
    );
    expectNoSecrets(run);
  });

  it('logs a session too large for its cookies, with sizes only', async () => {
    const run = await scenario('size-limit', 'jwe-session');
    expect(run.result.error).toBe('ERR_SESSION_TOO_LARGE');
    expect(run.stderr).toMatch(
      new RegExp(
        `^JWE-SESSION ${run.pid}: cookie "session" not written: \\d+ bytes needed, limit 6144\\n$`,
      ),
    );
    expectNoSecrets(run);
  });

  it('says once per store which engine it runs on, and what was asked for', async () => {
    const run = await scenario('engines', 'jwe-session');
    expect(run.engineLines).toEqual([
      `JWE-SESSION ${run.pid}: engine: node (auto)`,
      `JWE-SESSION ${run.pid}: engine: node (node)`,
      `JWE-SESSION ${run.pid}: engine: webcrypto (webcrypto)`,
    ]);
    expect(run.result).toEqual({ engines: ['node', 'node', 'webcrypto'] });
    expect(run.stderr).toBe('');
    // A store per line, not a line per request.
    expect((await scenario('valid', 'jwe-session')).engineLines).toHaveLength(2);
    expect((await scenario('valid')).engineLines).toEqual([]);
  });

  it("escapes a hook's error message, so it cannot forge a trace line of its own", async () => {
    const run = await scenario('forged-line', 'jwe-session');
    const lines = run.stderr.split('\n').filter(Boolean);
    expect(
      lines.some((line) => line.includes('onRejection hook failed: Error: boom\\u000aJWE-SESSION')),
    ).toBe(true);
    // Every line is a trace line, and none of them is the forged re-seal.
    expect(lines.every((line) => line.startsWith(`JWE-SESSION ${run.pid}: `))).toBe(true);
    expect(
      lines.filter((line) => line.startsWith(`JWE-SESSION ${run.pid}: cookie "session" re-sealed`)),
    ).toEqual([]);
  });

  it('logs nothing for a valid cookie that is loaded and saved', async () => {
    const run = await scenario('valid', 'jwe-session');
    expect(run.result.user).toBe(true);
    expect(run.stderr).toBe('');
  });

  it('matches NODE_DEBUG lists, wildcards and case as util.debuglog does', async () => {
    for (const value of ['http,jwe-session', 'jwe-*', 'JWE-SESSION', 'net jwe-session']) {
      expect((await scenario('tampered', value)).stderr).toContain('rejected: tampered');
    }
  });

  it('is silent without NODE_DEBUG, or with other sections', async () => {
    for (const value of [undefined, '', 'http,net', 'jwe', 'jwe-session-x']) {
      const run = await scenario('tampered', value);
      expect(run.result.rejection).toBe('tampered');
      expect(run.stderr).toBe('');
    }
  });
});
