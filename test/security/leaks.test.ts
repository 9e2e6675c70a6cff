// Secrets and session data never reach debug output or error messages. A real child process
// runs with NODE_DEBUG=jwe-session against the built package and goes through every path
// that logs or throws; its stderr is searched for the key, the data and every token it made.
// (test/debug covers the format of the debug output; this file only looks for leaks.)
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { keyEntry, secretOf } from './support.js';

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('./fixtures/leak-child.mjs', import.meta.url));
const MARKER = 'DATA-MARKER-7f3a9c';

let stderr: string;
let result: { tokens: string[]; messages: string[] };

beforeAll(async () => {
  const child = await run(process.execPath, [CHILD], {
    env: {
      PATH: process.env.PATH,
      NODE_DEBUG: 'jwe-session',
      SESSION_KEYS: `${keyEntry('live')},${keyEntry('old', 'older secret')}`,
      DATA_MARKER: MARKER,
    },
    timeout: 20_000,
  });
  stderr = child.stderr;
  result = JSON.parse(child.stdout);
});

function expectAbsent(haystack: string, needle: string, what: string): void {
  expect(haystack.includes(needle), `${what} found in output`).toBe(false);
}

describe('NODE_DEBUG output', () => {
  it('traces rejections (so the search below is over real output)', () => {
    expect(stderr).toMatch(/JWE-SESSION \d+: cookie "session" rejected: tampered/);
    expect(stderr).toMatch(/rejected: malformed/);
    expect(stderr).toMatch(/rejected: unknown-key/);
    expect(stderr).toMatch(/not written: \d+ bytes needed/);
    expect(result.tokens.length).toBeGreaterThan(5);
  });

  it('holds no key secret', () => {
    expectAbsent(stderr, secretOf('live'), 'the sealing key');
    expectAbsent(stderr, secretOf('older secret'), 'the older key');
    expectAbsent(stderr, secretOf('live').slice(0, 12), 'part of the sealing key');
  });

  it('holds no session data', () => {
    expectAbsent(stderr, MARKER, 'session data');
  });

  it('holds no token or any segment of one', () => {
    for (const token of result.tokens) {
      for (const part of token.replace(/^\d+~/, '').split('.')) {
        if (part.length >= 12) expectAbsent(stderr, part.slice(0, 12), 'a token segment');
      }
    }
  });

  it('is one line per message: a hostile header cannot forge a log line', () => {
    const lines = stderr.split('\n').filter(Boolean);
    for (const line of lines) expect(line).toMatch(/^JWE-SESSION \d+: /);
    expect(stderr).toContain('header member "x\\nJWE-SESSION 1: forged" is not allowed');
  });
});

describe('error messages', () => {
  it('hold no key, data or token', () => {
    expect(result.messages.length).toBeGreaterThanOrEqual(8);
    const all = result.messages.join('\n');
    expect(all).toMatch(/session needs \d+ bytes of cookies but the limit is 6144/);
    expectAbsent(all, MARKER, 'session data');
    expectAbsent(all, secretOf('live').slice(0, 12), 'the key');
    for (const token of result.tokens) {
      for (const part of token.replace(/^\d+~/, '').split('.')) {
        if (part.length >= 12) expectAbsent(all, part.slice(0, 12), 'a token segment');
      }
    }
  });
});
