// Key material that is plainly a pattern is refused at startup, with a message that says to
// use keygen and never shows the key (issue 14, finding 6).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SessionConfigError } from '../../src/errors.js';
import { KeyRing } from '../../src/keys/key-ring.js';
import { weakness } from '../../src/keys/key-strength.js';
import { passphraseFor, secretFor } from '../helpers/keys.js';
import { thrown } from '../helpers/store.js';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

function refused(entry: string, fragment: string): void {
  const error = thrown(() => KeyRing.from(entry, 'SESSION_KEYS')) as SessionConfigError;
  expect(error).toBeInstanceOf(SessionConfigError);
  expect(error.setting).toBe('SESSION_KEYS');
  expect(error.message).toContain(fragment);
  expect(error.message).toContain('npx jwe-session keygen');
  expect(error.message).not.toContain(entry.slice(entry.indexOf(':') + 1));
}

describe('weak keys', () => {
  it('refuses 31 zero bytes and a 1 (too few distinct values)', () => {
    const key = new Uint8Array(32);
    key[31] = 1;
    refused(`k:${b64(key)}`, 'has only 2 distinct byte values');
  });

  it('refuses 15 distinct values, accepts 16', () => {
    const fifteen = Uint8Array.from({ length: 32 }, (_, i) => (i * 7) % 15);
    refused(`k:${b64(fifteen)}`, 'has only 15 distinct byte values');
    // 16 distinct values, neither a repeat nor a sequence: at the threshold, accepted.
    const sixteen = Uint8Array.from({ length: 32 }, (_, i) =>
      i < 16 ? i * 11 : ((i * 7) % 16) * 11,
    );
    expect(new Set(sixteen).size).toBe(16);
    expect(weakness(sixteen, 'key')).toBeUndefined();
  });

  it('refuses counting sequences, wrapping or not', () => {
    refused(`k:${b64(Uint8Array.from({ length: 32 }, (_, i) => i))}`, 'is a counting sequence');
    refused(
      `k:${b64(Uint8Array.from({ length: 32 }, (_, i) => (240 + 3 * i) % 256))}`,
      'is a counting sequence',
    );
    refused(
      `k:${b64(Uint8Array.from({ length: 32 }, (_, i) => 255 - i))}`,
      'is a counting sequence',
    );
  });

  it('refuses repeated patterns', () => {
    refused(`k:${b64(new TextEncoder().encode('ab'.repeat(16)))}`, 'distinct byte values');
    // 16 distinct values pass the count: the period catches a 16-byte block sent twice.
    const block = Uint8Array.from({ length: 16 }, (_, i) => (i * 13 + 5) % 256);
    const twice = Uint8Array.from({ length: 32 }, (_, i) => block[i % 16] as number);
    expect(new Set(twice).size).toBe(16);
    refused(`k:${b64(twice)}`, 'repeats a 16-byte pattern');
    // Shifted by one byte at the end, it is no longer a repeat.
    const broken = Uint8Array.from(twice);
    broken[31] = 99;
    expect(weakness(broken, 'key')).toBeUndefined();
  });

  it('refuses passphrases that repeat a unit or count', () => {
    refused(`k:passphrase:${'abcdefgh'.repeat(4)}`, 'repeats a 8-character pattern');
    refused(`k:passphrase:${'correct-horse-'.repeat(3)}`, 'repeats a 14-character pattern');
    refused(
      `k:passphrase:${String.fromCharCode(...Array.from({ length: 40 }, (_, i) => 0x41 + i))}`,
      'is a counting sequence',
    );
  });

  // 8 distinct characters and no whole-length period: these passed before (issue 23, E).
  it.each([
    ['a run after repeats', `${'a'.repeat(24)}abcdefgh`],
    ['repeats around a run', `${'z'.repeat(12)}abcdefgh${'9'.repeat(12)}`],
    ['a keyboard walk', 'qwertyuiopasdfghjklzxcvbnm123456'],
    ['a keyboard walk, back and forth', 'qwertyuioppoiuytrewqasdfghjkllkjhgfdsa'],
    ['shifted digits and a row in capitals', '!@#$%^&*()QWERTYUIOPASDFGHJKL:ZXCV'],
    ['the alphabet and the digits', 'abcdefghijklmnopqrstuvwxyz0123456789'],
  ])('refuses a passphrase that is %s', (_, phrase) => {
    refused(`k:passphrase:${phrase}`, 'is mostly repeated characters, runs');
  });

  it('accepts a passphrase with some runs among random characters', () => {
    expect(() => KeyRing.from('k:passphrase:qwerty-7Hd2-x9Lq-Rt4m-Vb8n-Jk3w-Pz6s')).not.toThrow();
    expect(() => KeyRing.from('k:passphrase:correct horse battery staple 1234')).not.toThrow();
  });

  it('never refuses a random 32-character passphrase of lowercase letters or of digits', () => {
    // The alphabets where a neighbour or a repeat comes up most often by chance.
    for (const alphabet of ['abcdefghijklmnopqrstuvwxyz', '0123456789', '0123456789abcdef']) {
      for (let i = 0; i < 3000; i++) {
        const bytes = crypto.getRandomValues(new Uint8Array(32));
        const codes = Array.from(bytes, (b) => alphabet.charCodeAt(b % alphabet.length));
        if (new Set(codes).size < 8) continue;
        expect(weakness(codes, 'passphrase'), String.fromCharCode(...codes)).toBeUndefined();
      }
    }
  });

  it('accepts the test keys and passphrases', () => {
    for (const label of ['k1', 'k2', 'main', 'old', 'live', 'block']) {
      expect(() => KeyRing.from(`k:${secretFor(label)}`)).not.toThrow();
      expect(() => KeyRing.from(`k:passphrase:${passphraseFor(label)}`)).not.toThrow();
    }
  });

  it('never refuses 32 random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        expect(weakness(bytes, 'key')).toBeUndefined();
      }),
      { numRuns: 5000 },
    );
    for (let i = 0; i < 2000; i++) {
      expect(weakness(crypto.getRandomValues(new Uint8Array(32)), 'key')).toBeUndefined();
    }
  });

  it('never refuses a random 32-character passphrase of base64url characters', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...alphabet), minLength: 32, maxLength: 64 }),
        (text) => {
          fc.pre(new Set(text).size >= 8);
          expect(
            weakness(
              Array.from(text, (c) => c.charCodeAt(0)),
              'passphrase',
            ),
          ).toBeUndefined();
        },
      ),
      { numRuns: 5000 },
    );
  });
});
