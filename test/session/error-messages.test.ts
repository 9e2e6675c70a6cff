// Error messages go to logs (the adapters' default 500 handlers log them) and may name what a
// browser or an app chose: a session key, a record key in the data, an option. A raw CR/LF
// would forge a log line, ESC or U+009B start a terminal escape sequence, U+202E reverse the
// rest of the line. Every message quotes such names and escapes these characters (issue 23,
// finding 9).
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as errors from '../../src/errors.js';
import {
  SessionConfigError,
  type SessionRejectedError,
  SessionTooLargeError,
  SessionValueError,
} from '../../src/errors.js';
import type { SessionStoreOptions } from '../../src/index.js';
import { oneLine, quote, terminalSafe } from '../../src/util/printable.js';
import type { Jar } from '../helpers/browser-jar.js';
import { Clock } from '../helpers/clock.js';
import { keyEntry } from '../helpers/keys.js';
import { makeStore, thrown, visit } from '../helpers/store.js';

// One of each kind a terminal or a log viewer acts on.
const UNSAFE: Record<string, string> = {
  '\r': '\\r',
  '\n': '\\n',
  '\u001b': '\\u001b',
  '\u007f': '\\u007f',
  '\u0085': '\\u0085',
  '\u009b': '\\u009b',
  '\u061c': '\\u061c',
  '\u200f': '\\u200f',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
  '\u202a': '\\u202a',
  '\u202e': '\\u202e',
  '\u2066': '\\u2066',
  '\u2069': '\\u2069',
};
const HOSTILE = `user\r\nJWE-SESSION 1: forged\u001b[2J${Object.keys(UNSAFE).join('')}`;
const ANY_UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are what the test looks for
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function expectPrintable(error: Error): void {
  expect(error.message).not.toMatch(ANY_UNSAFE);
  // The stack's first line (what a logger prints) is the message too.
  expect((error.stack ?? '').split('\n    at ')[0]).not.toMatch(ANY_UNSAFE);
}

describe('the escaping', () => {
  it('quotes as JSON does and escapes what JSON.stringify leaves raw', () => {
    for (const [c, escaped] of Object.entries(UNSAFE)) {
      expect(quote(`a${c}b`)).toBe(`"a${escaped}b"`);
      const code = c.charCodeAt(0).toString(16).padStart(4, '0');
      expect(oneLine(`a${c}b`)).toBe(`a\\u${code}b`);
    }
    expect(oneLine('a\r\nb')).toBe('a\\u000d\\u000ab');
    expect(quote('café "x"')).toBe('"café \\"x\\""');
  });

  it('keeps line feeds and tabs in multi-line text, nothing else', () => {
    expect(terminalSafe('a\n\tb\r\u001b\u202e')).toBe('a\n\tb\\u000d\\u001b\\u202e');
  });
});

describe('error messages quote and escape what they name', () => {
  it('SessionTooLargeError: the largest keys, quoted', async () => {
    const store = makeStore({ cookie: { maxTotalBytes: 1024, maxChunkBytes: 1024 } });
    const session = await store.load(undefined);
    session.set(HOSTILE, 'x'.repeat(3000));
    session.set('plain', 'y'.repeat(10));
    const error = (await store.commit(session).catch((e: unknown) => e)) as SessionTooLargeError;
    expect(error).toBeInstanceOf(SessionTooLargeError);
    expectPrintable(error);
    expect(error.message).toContain(`largest keys: ${quote(HOSTILE)} (3002 B), "plain" (12 B)`);
    expect(error.message).toContain('"user\\r\\nJWE-SESSION 1: forged\\u001b[2J');
    // The key itself is still there, as it was, for code that wants it.
    expect(error.largestKeys[0]?.key).toBe(HOSTILE);
    expect(inspect(error).split('\n')[0]).not.toMatch(ANY_UNSAFE);
  });

  it('SessionValueError: a key on the path, quoted', async () => {
    const session = await makeStore().load(undefined);
    const error = thrown(() =>
      session.set('cart', { [HOSTILE]: Number.NaN } as never),
    ) as SessionValueError;
    expect(error).toBeInstanceOf(SessionValueError);
    expectPrintable(error);
    expect(error.path).toBe(`cart[${quote(HOSTILE)}]`);
  });

  it('SessionConfigError: an unknown option, quoted', () => {
    const error = thrown(() =>
      makeStore({ [HOSTILE]: true } as SessionStoreOptions),
    ) as SessionConfigError;
    expect(error).toBeInstanceOf(SessionConfigError);
    expectPrintable(error);
    expect(error.setting).toBe(quote(HOSTILE));
    const cookie = thrown(() => makeStore({ cookie: { path: `/${HOSTILE}` } })) as Error;
    expectPrintable(cookie);
  });

  it('SessionRejectedError: a record key from the data, in the detail a log gets', async () => {
    const clock = new Clock();
    const jar: Jar = new Map();
    await visit(makeStore({}, clock), jar, (s) => s.set('cart', { [HOSTILE]: 'one' }));
    const logged: string[] = [];
    const store = makeStore(
      {
        data: { schema: z.object({ cart: z.record(z.string(), z.number()).optional() }) },
        hooks: { onRejection: (r) => logged.push(r.detail, r.message) },
      },
      clock,
    );
    const { session } = await visit(store, jar);
    const rejection = session.rejection as SessionRejectedError;
    expect(rejection.reason).toBe('invalid-data');
    expectPrintable(rejection);
    expect(rejection.detail).toBe(`schema refused the data at cart.${quote(HOSTILE)} (1 issue)`);
    for (const line of logged) expect(line).not.toMatch(ANY_UNSAFE);
  });

  it('every error class keeps its message to one printable line, whoever built it', () => {
    const made: Error[] = [
      new errors.SessionConfigError(HOSTILE, HOSTILE),
      new errors.SessionValueError(HOSTILE, HOSTILE),
      new errors.SessionTooLargeError(1, 2, [{ key: HOSTILE, bytes: 3 }]),
      new errors.SessionCommittedError(HOSTILE),
      new errors.SessionReadOnlyError(HOSTILE),
      new errors.SessionServerError(HOSTILE, new Error('cause')),
      new errors.SessionRejectedError('malformed', HOSTILE),
      new errors.SessionRevocationError('revokeSession', new Error(HOSTILE)),
      new errors.SessionCrossSiteError('origin-mismatch', HOSTILE, 'POST', HOSTILE),
    ];
    const classes = Object.values(errors).filter((v) => typeof v === 'function');
    expect(made.map((e) => e.constructor)).toEqual(
      expect.arrayContaining(classes.filter((c) => c !== errors.SessionError)),
    );
    for (const error of made) expectPrintable(error);
    expect((made[6] as SessionRejectedError).detail).not.toMatch(ANY_UNSAFE);
    expect((made[8] as errors.SessionCrossSiteError).detail).not.toMatch(ANY_UNSAFE);
  });

  it('leaves a message without such characters as it is', () => {
    const error = thrown(() =>
      makeStore({ keys: keyEntry('k1'), lifetime: { idleTimeout: 10 } }),
    ) as Error;
    expect(error.message).toBe(
      'lifetime.idleTimeout: 10 is invalid: use whole seconds from 60 to 34560000',
    );
  });
});
