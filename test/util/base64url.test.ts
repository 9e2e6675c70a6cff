// The table decoder against Node's own base64url codec: the same bytes for every canonical
// spelling, and nothing for any other spelling (padding, whitespace, stray bits, other
// alphabets), since one token or key must have exactly one spelling.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeBase64url,
  encodeBase64url,
  isCanonicalBase64url,
} from '../../src/util/base64url.js';

/** Canonical by definition: Node decodes it and encodes the bytes back to the same text. */
function canonical(text: string): boolean {
  return (
    /^[A-Za-z0-9_-]*$/.test(text) && Buffer.from(text, 'base64url').toString('base64url') === text
  );
}

const spellings = fc.oneof(
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('base64url')),
  fc.string({ unit: fc.constantFrom(...'AQgwBCDabz09-_+/= .\u00e9'), maxLength: 12 }),
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => {
    // A canonical spelling with its last character changed: often stray low bits.
    const text = Buffer.from(bytes).toString('base64url');
    return `${text.slice(0, -1)}${'ABCDEFGHIJKLMNOP'[bytes[0] as number & 15]}`;
  }),
);

describe('base64url', () => {
  it('decodes every canonical spelling to the bytes Node decodes, and encodes them back', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = Buffer.from(bytes).toString('base64url');
        expect(isCanonicalBase64url(text)).toBe(true);
        expect(decodeBase64url(text)).toEqual(new Uint8Array(bytes));
        expect(encodeBase64url(new Uint8Array(bytes))).toBe(text);
      }),
    );
  });

  it('refuses exactly the spellings that are not canonical', () => {
    fc.assert(
      fc.property(spellings, (text) => {
        const expected = canonical(text);
        expect(isCanonicalBase64url(text)).toBe(expected);
        expect(decodeBase64url(text) !== undefined).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it.each(['A', 'AB', 'ABC', 'AA==', 'AA A', 'AA+/', 'AAé', '=', ' AA'])('refuses %j', (text) => {
    expect(isCanonicalBase64url(text)).toBe(false);
    expect(decodeBase64url(text)).toBeUndefined();
  });
});
