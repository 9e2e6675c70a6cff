import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/io.js';
import { readRedisUrl } from '../../src/cli/redis-url.js';

function refused(url: string | undefined): string {
  try {
    readRedisUrl(url === undefined ? {} : { REDIS_URL: url });
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(1);
    return (error as Error).message;
  }
  throw new Error(`accepted ${url}`);
}

describe('readRedisUrl', () => {
  it('shows the URL with its password as ***, and keeps the URL itself for the client', () => {
    const read = readRedisUrl({ REDIS_URL: ' rediss://app:p%40ss%2Fw0rd@cache.internal:6380/2 ' });
    expect(read.url).toBe('rediss://app:p%40ss%2Fw0rd@cache.internal:6380/2');
    expect(read.shown).toBe('rediss://app:***@cache.internal:6380/2');
    expect(readRedisUrl({ REDIS_URL: 'redis://127.0.0.1:6379' }).shown).toBe(
      'redis://127.0.0.1:6379',
    );
  });

  it('redacts the password as written, as decoded, and the whole URL, from any message', () => {
    const { redact } = readRedisUrl({ REDIS_URL: 'redis://:p%40ss%2Fw0rd@h:1' });
    expect(redact('auth p%40ss%2Fw0rd failed')).toBe('auth *** failed');
    expect(redact('auth p@ss/w0rd failed')).toBe('auth *** failed');
    expect(redact('bad URL redis://:p%40ss%2Fw0rd@h:1 given')).toBe('bad URL *** given');
    // Without a password, only the URL (not a secret, but never echoed raw either).
    expect(readRedisUrl({ REDIS_URL: 'redis://h:1' }).redact('connect to h:1')).toBe(
      'connect to h:1',
    );
  });

  it('refuses a missing, non-URL, non-Redis or host-less REDIS_URL without echoing it', () => {
    expect(refused(undefined)).toContain('REDIS_URL is not set');
    expect(refused('')).toContain('REDIS_URL is not set');
    expect(refused('redis://:secret@')).toBe(
      'REDIS_URL is not a URL: write it as redis://[user:password@]host[:port][/db]',
    );
    expect(refused('https://:secret@h')).toBe(
      'REDIS_URL must start with redis:// or rediss:// (TLS)',
    );
    expect(refused('redis:///0')).toBe('REDIS_URL names no host (redis:///0)');
  });
});
