// The same key text opens the same cookies wherever it is given: whitespace around a text
// secret is never part of it, in SESSION_KEYS, a list entry or a `{ secret }` (issue 14, #7).
import { describe, expect, it } from 'vitest';
import { createSessionStore, type SessionStoreOptions } from '../../src/index.js';
import { parseKeyEntry, parseKeySpec } from '../../src/keys/key-entry.js';
import { passphraseFor, secretFor } from '../helpers/keys.js';

const origin = { setting: 'keys', position: 1 };
const phrase = passphraseFor('trim');
const text = (material: Uint8Array) => new TextDecoder().decode(material);

function storeOn(keys: NonNullable<SessionStoreOptions['keys']>, env = {}) {
  return createSessionStore({ keys, testing: { env } });
}

describe('whitespace around a text secret', () => {
  it('is dropped from a { secret } passphrase as from a SESSION_KEYS one', () => {
    for (const padded of [
      `passphrase:${phrase}  `,
      ` passphrase:${phrase}\n`,
      `\tpassphrase:${phrase}`,
    ]) {
      const spec = parseKeySpec({ id: 'p', secret: padded }, origin);
      const entry = parseKeyEntry(`p:${padded}`, origin);
      expect(text(spec.material)).toBe(phrase);
      expect(text(entry.material)).toBe(phrase);
    }
  });

  it('is dropped from a { secret } key text as from a SESSION_KEYS one', () => {
    const spec = parseKeySpec({ id: 'k', secret: ` ${secretFor('trim')}\n` }, origin);
    expect(spec.kind).toBe('key');
    expect([...spec.material]).toEqual([
      ...parseKeyEntry(`k:${secretFor('trim')}`, origin).material,
    ]);
  });

  // SECURITY.md says whitespace around a passphrase is dropped: after its marker too (issue 23, E).
  it('is dropped between passphrase: and the passphrase', () => {
    for (const padded of [
      `passphrase: ${phrase}`,
      `passphrase:\t${phrase} `,
      ` passphrase:  ${phrase}`,
    ]) {
      expect(text(parseKeySpec({ id: 'p', secret: padded }, origin).material)).toBe(phrase);
      expect(text(parseKeyEntry(`p:${padded}`, origin).material)).toBe(phrase);
    }
  });

  it('counts no spaces after passphrase: toward its length', () => {
    const short = phrase.slice(0, 30);
    expect(() => parseKeyEntry(`p:passphrase:   ${short}`, origin)).toThrow(
      'has a passphrase of 30 characters; at least 32',
    );
  });

  it('keeps whitespace inside a passphrase', () => {
    const inner = `${phrase.slice(0, 20)}  ${phrase.slice(20)}`;
    expect(text(parseKeySpec({ id: 'p', secret: `passphrase:${inner}` }, origin).material)).toBe(
      inner,
    );
  });

  it('so a cookie sealed under the env text opens under the same text in code, and back', async () => {
    const fromEnv = storeOn(
      { env: 'SESSION_KEYS' },
      { SESSION_KEYS: `p:passphrase:${phrase}  \n`, NODE_ENV: 'production' },
    );
    const inCode = storeOn([{ id: 'p', secret: `passphrase:${phrase}  \n` }]);
    expect(await inCode.unseal(await fromEnv.seal({ n: 1 }))).toEqual({ n: 1 });
    expect(await fromEnv.unseal(await inCode.seal({ n: 2 }))).toEqual({ n: 2 });
  });
});
