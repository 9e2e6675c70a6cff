import { describe, expect, it } from 'vitest';
import { KeyRing } from '../../src/keys/key-ring.js';
import { runCli, secretOf } from './run-cli.js';

const LINE = /^([A-Za-z0-9_-]{1,32}):([A-Za-z0-9_-]{43})\n$/;

describe('jwe-session keygen', () => {
  it('prints one <id>:<key> line that KeyRing accepts', async () => {
    const { code, stdout, stderr } = await runCli(['keygen']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(LINE);
    const ring = KeyRing.from(stdout.trim(), 'SESSION_KEYS');
    expect(ring.ids).toEqual([stdout.slice(0, stdout.indexOf(':'))]);
    // 43 base64url characters are 32 bytes.
    expect(Buffer.from(secretOf(stdout.trim()), 'base64url')).toHaveLength(32);
  });

  it('names the key k<yyyymmdd><suffix> after today (UTC)', async () => {
    const before = new Date().toISOString().slice(0, 10).replaceAll('-', '');
    const { stdout } = await runCli(['keygen']);
    const after = new Date().toISOString().slice(0, 10).replaceAll('-', '');
    const id = stdout.slice(0, stdout.indexOf(':'));
    expect(id).toMatch(/^k\d{8}[a-z2-7]{4}$/);
    expect([before, after]).toContain(id.slice(1, 9));
  });

  it('makes a different key and id every run', async () => {
    const runs = await Promise.all([runCli(['keygen']), runCli(['keygen']), runCli(['keygen'])]);
    const secrets = runs.map((r) => secretOf(r.stdout.trim()));
    expect(new Set(secrets).size).toBe(3);
    expect(new Set(runs.map((r) => r.stdout.slice(0, r.stdout.indexOf(':')))).size).toBe(3);
  });

  it('takes the id from --id', async () => {
    const { code, stdout } = await runCli(['keygen', '--id', 'prod-2026']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^prod-2026:[A-Za-z0-9_-]{43}\n$/);
  });

  it('refuses an id KeyRing would refuse, with exit 2', async () => {
    for (const id of ['has.dot', 'a:b', '', 'x'.repeat(33)]) {
      const { code, stdout, stderr } = await runCli(['keygen', '--id', id]);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain('--id must be 1-32 characters from A-Z a-z 0-9 _ -');
      expect(stderr).toContain('jwe-session help keygen');
    }
  });

  it('refuses arguments and unknown options with exit 2', async () => {
    expect((await runCli(['keygen', 'extra'])).code).toBe(2);
    const unknown = await runCli(['keygen', '--bits', '128']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown option --bits');
  });
});
