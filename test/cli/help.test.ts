import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const EXIT_CODES = /Exit codes:\n {2}0 .*\n {2}1 .*\n {2}2 .*usage error/;

describe('jwe-session help', () => {
  it('--help and -h print the tool help on stdout, exit 0', async () => {
    for (const flag of ['--help', '-h']) {
      const r = await runCli([flag]);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('Usage: jwe-session <command> [options]');
      for (const command of ['keygen', 'rotate', 'decode', 'revoke', 'help']) {
        expect(r.stdout).toMatch(new RegExp(`^ {2}${command} `, 'm'));
      }
      expect(r.stdout).toMatch(EXIT_CODES);
      expect(r.stdout).toContain('NODE_DEBUG=jwe-session');
    }
  });

  for (const command of ['keygen', 'rotate', 'decode', 'revoke']) {
    it(`${command}: help ${command}, ${command} --help and ${command} -h are the same text`, async () => {
      const results = await Promise.all([
        runCli(['help', command]),
        runCli([command, '--help']),
        runCli([command, '-h']),
      ]);
      for (const r of results) {
        expect(r.code).toBe(0);
        expect(r.stderr).toBe('');
        expect(r.stdout).toBe(results[0]?.stdout);
      }
      expect(results[0]?.stdout).toContain(`Usage: jwe-session ${command}`);
      expect(results[0]?.stdout).toMatch(EXIT_CODES);
    });
  }

  it('rotate and keygen help say that they print key material', async () => {
    expect((await runCli(['help', 'rotate'])).stdout).toContain(
      'The output holds the new key AND the current keys',
    );
    expect((await runCli(['help', 'keygen'])).stdout).toContain('The line printed is a secret');
    expect((await runCli(['help', 'decode'])).stdout).toContain('Keys are never printed');
  });

  it('help prints before other checks: decode --help needs no cookie', async () => {
    const r = await runCli(['decode', '--help'], { env: { SESSION_KEYS: 'broken' } });
    expect(r.code).toBe(0);
  });

  it('no command: the tool help on stderr, exit 2', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Usage: jwe-session <command>');
  });

  it('an unknown command or option: exit 2 and a pointer to help', async () => {
    const command = await runCli(['decrypt']);
    expect(command.code).toBe(2);
    expect(command.stderr).toBe(
      'jwe-session: unknown command "decrypt"\nRun "jwe-session help" for usage.\n',
    );
    const option = await runCli(['--verbose']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain('jwe-session: unknown option');
    const topic = await runCli(['help', 'decrypt']);
    expect(topic.code).toBe(2);
    expect(topic.stderr).toContain('unknown command "decrypt"');
    expect((await runCli(['help', 'decode', 'rotate'])).code).toBe(2);
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
  });
});
