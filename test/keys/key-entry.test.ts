import { describe, expect, it } from 'vitest';
import { SessionConfigError } from '../../src/errors.js';
import { parseKeyEntry, parseKeySpec } from '../../src/keys/key-entry.js';
import { KeyRing } from '../../src/keys/key-ring.js';
import { keyBytesFor, keyEntry, passphraseFor, secretFor } from '../helpers/keys.js';
import { thrown } from '../helpers/store.js';

const origin = { setting: 'SESSION_KEYS', position: 1 };

/**
 * Parses `text` as SESSION_KEYS and returns the error, after checking what every key error
 * must be: a SessionConfigError naming the variable and the entry's position, without the secret.
 */
function configError(text: string, position: number, secret: string): SessionConfigError {
  const error = thrown(() => KeyRing.from(text, 'SESSION_KEYS'));
  expect(error).toBeInstanceOf(SessionConfigError);
  const e = error as SessionConfigError;
  expect(e.code).toBe('ERR_SESSION_CONFIG');
  expect(e.setting).toBe('SESSION_KEYS');
  expect(e.message).toMatch(new RegExp(`^SESSION_KEYS: entry ${position} `));
  expect(e.message).not.toContain(secret);
  // The stack's text, without its frames: they are code locations, and a one-character secret
  // may well be in a path (a CI checkout under /tmp/ci.Qc9B/ once failed this on "Q").
  expect(String(e.stack).split('\n    at ')[0]).not.toContain(secret);
  return e;
}

describe('key entry text', () => {
  it('reads <id>:<43 base64url chars> as a 32-byte key', () => {
    const parsed = parseKeyEntry(keyEntry('main'), origin);
    expect(parsed.id).toBe('main');
    expect(parsed.kind).toBe('key');
    expect([...parsed.material]).toEqual([...keyBytesFor('main')]);
  });

  it('reads <id>:passphrase:<text> as a passphrase, keeping colons inside it', () => {
    const phrase = `${passphraseFor('p')}:with:colons`;
    const parsed = parseKeyEntry(`p1:passphrase:${phrase}`, origin);
    expect(parsed.id).toBe('p1');
    expect(parsed.kind).toBe('passphrase');
    expect(new TextDecoder().decode(parsed.material)).toBe(phrase);
  });

  it('rejects a secret that is not base64url', () => {
    const secret = `${secretFor('x').slice(0, 40)}+/=`;
    const e = configError(`k1:${secret}`, 1, secret);
    expect(e.message).toContain('(id "k1") is not a base64url key');
  });

  it('rejects non-canonical base64url (stray bits in the last character)', () => {
    const good = secretFor('x');
    // 43 chars encode 32 bytes with 2 spare bits: the last character must have them zero.
    const last = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(
      good.at(-1) as string,
    );
    const bad =
      good.slice(0, 42) +
      'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[last | 1];
    const e = configError(`k1:${bad}`, 1, bad);
    expect(e.message).toContain('is not a base64url key');
  });

  // `k1:short` used to say "is not a base64url key": its characters are base64url, but 5 of
  // them are no whole number of bytes (issue 23, D).
  it.each(['short', 'Zq9xK', 'Q', secretFor('long').repeat(2).slice(0, 45)])(
    'says a key of base64url characters that is no whole number of bytes has the wrong length',
    (secret) => {
      const e = configError(`k1:${secret}`, 1, secret);
      expect(e.message).toContain(
        `(id "k1") has a key of ${secret.length} characters; a key is exactly 43 base64url characters (32 random bytes)`,
      );
      expect(e.message).toContain('npx jwe-session keygen');
    },
  );

  // `docker run --env-file` keeps quotes: SESSION_KEYS="k1:…" arrives with them (issue 23, D).
  it.each([
    ['double quotes', (entry: string) => `"${entry}"`],
    ['single quotes', (entry: string) => `'${entry}'`],
    ['quotes around the key', (entry: string) => `${entry.replace(':', ':"')}"`],
    ['an opening quote only', (entry: string) => `"${entry}`],
  ])('says a value in %s is quoted, and to remove the quotes', (_, quote) => {
    const e = configError(quote(keyEntry('k1')), 1, secretFor('k1'));
    expect(e.message).toContain('entry 1 is quoted');
    expect(e.message).toContain('Remove the quotes');
    expect(e.message).not.toContain('invalid key id');
  });

  it('says a quoted list is quoted, naming its first entry, without any secret', () => {
    const e = configError(`"${keyEntry('a')},${keyEntry('b')}"`, 1, secretFor('a'));
    expect(e.message).toContain('entry 1 is quoted');
    expect(e.message).not.toContain(secretFor('b'));
  });

  it('says a quoted { secret } text is quoted', () => {
    const error = thrown(() =>
      KeyRing.from([{ id: 'k1', secret: `"${secretFor('k1')}"` }], 'keys'),
    ) as SessionConfigError;
    expect(error.message).toMatch(/^keys: entry 1 is quoted/);
    expect(error.message).not.toContain(secretFor('k1'));
  });

  it('rejects a key shorter than 32 bytes, giving its length', () => {
    const secret = Buffer.from(keyBytesFor('short').slice(0, 16)).toString('base64url');
    const e = configError(`k1:${secret}`, 1, secret);
    expect(e.message).toContain('has a 16-byte key; keys must be exactly 32 random bytes');
    expect(e.message).toContain('npx jwe-session keygen');
  });

  it('rejects a key longer than 32 bytes', () => {
    const secret = Buffer.alloc(48, 7).fill(9, 0, 1).toString('base64url');
    const e = configError(`k1:${secret}`, 1, secret);
    expect(e.message).toContain('has a 48-byte key');
  });

  it('rejects a key whose bytes are all the same', () => {
    for (const byte of [0, 0x41, 0xff]) {
      const secret = Buffer.alloc(32, byte).toString('base64url');
      const e = configError(`k1:${secret}`, 1, secret);
      expect(e.message).toContain('bytes are all the same');
    }
  });

  it('rejects a passphrase shorter than 32 characters', () => {
    const phrase = 'Tr0ub4dor&3-horse-batt'; // 22 distinct-enough characters
    const e = configError(`k1:passphrase:${phrase}`, 1, phrase);
    expect(e.message).toContain(`has a passphrase of ${phrase.length} characters; at least 32`);
  });

  it('accepts a passphrase of exactly 32 varied characters', () => {
    const phrase = passphraseFor('exact').slice(0, 32);
    expect(parseKeyEntry(`k1:passphrase:${phrase}`, origin).kind).toBe('passphrase');
  });

  it('rejects a long passphrase with little variety', () => {
    for (const phrase of [
      'ab'.repeat(20),
      'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      '1234567'.repeat(6),
    ]) {
      const e = configError(`k1:passphrase:${phrase}`, 1, phrase);
      expect(e.message).toContain('fewer than 8 distinct characters');
    }
  });

  it('rejects an empty entry, naming its position', () => {
    const text = `${keyEntry('a')},,${keyEntry('b')}`;
    const e = configError(text, 2, secretFor('a'));
    expect(e.message).toBe('SESSION_KEYS: entry 2 is empty: remove the extra comma');
    expect(e.message).not.toContain(secretFor('b'));
  });

  it('rejects a trailing comma as an empty last entry', () => {
    const e = configError(`${keyEntry('a')},`, 2, secretFor('a'));
    expect(e.message).toContain('is empty');
  });

  it('rejects an entry without an id (no colon) without echoing it', () => {
    const secret = secretFor('no-id');
    const e = configError(`${keyEntry('a')},${secret}`, 2, secret);
    expect(e.message).toContain('entry 2 has no key id');
  });

  it('rejects an empty id', () => {
    const secret = secretFor('e');
    const e = configError(`:${secret}`, 1, secret);
    expect(e.message).toContain('has an invalid key id');
  });

  it.each([
    ['with a dot', 'k.1'],
    ['with a space', 'my key'],
    ['too long', 'k'.repeat(33)],
    ['non-ASCII', 'schlüssel'],
  ])('rejects an id %s', (_, id) => {
    const secret = secretFor(id);
    const e = configError(`${keyEntry('ok')},${id}:${secret}`, 2, secret);
    expect(e.message).toContain('entry 2 has an invalid key id');
    // The bad id is not echoed either: it might be the start of a pasted secret.
    expect(e.message).not.toContain(id);
  });

  it('rejects a duplicate id, naming the position of the repeat', () => {
    const text = `${keyEntry('a')},${keyEntry('b')},${keyEntry('a', 'other')}`;
    const e = configError(text, 3, secretFor('other'));
    expect(e.message).toBe('SESSION_KEYS: entry 3 repeats key id "a"; every key needs its own id');
    expect(e.message).not.toContain(secretFor('a'));
  });

  it('counts positions from 1 in a list of entries, with the given setting name', () => {
    const secret = Buffer.from(keyBytesFor('short').slice(0, 16)).toString('base64url');
    const error = thrown(() => KeyRing.from([keyEntry('a'), `b:${secret}`], 'keys'));
    expect(error).toBeInstanceOf(SessionConfigError);
    expect((error as SessionConfigError).setting).toBe('keys');
    expect((error as SessionConfigError).message).toMatch(
      /^keys: entry 2 \(id "b"\) has a 16-byte key/,
    );
    expect((error as SessionConfigError).message).not.toContain(secret);
  });

  it('rejects an empty key list', () => {
    const error = thrown(() => KeyRing.from([], 'keys')) as SessionConfigError;
    expect(error.code).toBe('ERR_SESSION_CONFIG');
    expect(error.message).toBe('keys: holds no keys. Generate one with: npx jwe-session keygen');
  });

  it('rejects input that is neither text, a list nor a ring', () => {
    const error = thrown(() => KeyRing.from(42 as never, 'keys')) as SessionConfigError;
    expect(error.code).toBe('ERR_SESSION_CONFIG');
    expect(error.message).toContain('keys: must be a key list string');
  });
});

describe('key specs given in code', () => {
  it('accepts a 32-byte Uint8Array, a base64url key text and a passphrase: text', () => {
    const ring = KeyRing.from(
      [
        { id: 'bytes', secret: keyBytesFor('bytes') },
        { id: 'text', secret: Buffer.from(keyBytesFor('text')).toString('base64url') },
        { id: 'phrase', secret: `passphrase:${passphraseFor('phrase')}` },
      ],
      'keys',
    );
    expect(ring.ids).toEqual(['bytes', 'text', 'phrase']);
    expect(ring.primaryId).toBe('bytes');
  });

  it('reads a string secret exactly as the text after "<id>:" in SESSION_KEYS', async () => {
    // The same key moved from the environment into code must open the same tokens.
    const text = Buffer.from(keyBytesFor('same')).toString('base64url');
    const fromEnv = KeyRing.from(`same:${text}`);
    const inCode = KeyRing.from([{ id: 'same', secret: text }]);
    const asBytes = KeyRing.from([{ id: 'same', secret: keyBytesFor('same') }]);
    const iv = new Uint8Array(12);
    const sealed = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv },
      await fromEnv.windowKey('same', 7),
      new TextEncoder().encode('x'),
    );
    for (const ring of [inCode, asBytes]) {
      const opened = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv },
        await ring.windowKey('same', 7),
        sealed,
      );
      expect(new TextDecoder().decode(opened)).toBe('x');
    }
  });

  it('refuses a bare passphrase string in code, as it would in SESSION_KEYS', () => {
    const error = thrown(() =>
      KeyRing.from([{ id: 'p', secret: passphraseFor('bare') }], 'keys'),
    ) as SessionConfigError;
    expect(error.code).toBe('ERR_SESSION_CONFIG');
    expect(error.message).toContain('passphrase:');
    expect(error.message).not.toContain(passphraseFor('bare'));
  });

  it('mixes specs and text entries, first one sealing', () => {
    const ring = KeyRing.from([keyEntry('t'), { id: 's', secret: keyBytesFor('s') }], 'keys');
    expect(ring.ids).toEqual(['t', 's']);
    expect(ring.has('s')).toBe(true);
    expect(ring.has('nope')).toBe(false);
  });

  it.each([
    ['a short key', { id: 'a', secret: new Uint8Array(16).fill(3, 1) }, '16-byte key'],
    ['a uniform key', { id: 'a', secret: new Uint8Array(32).fill(9) }, 'all the same'],
    [
      'a short passphrase',
      { id: 'a', secret: 'passphrase:too short' },
      'passphrase of 9 characters',
    ],
    ['a bad id', { id: 'a.b', secret: keyBytesFor('x') }, 'invalid key id'],
    ['no id', { secret: keyBytesFor('x') }, 'has no string id'],
    ['a number as secret', { id: 'a', secret: 42 }, 'must have a Uint8Array key or a key text'],
    ['null', null, 'must be { id, secret }'],
  ])('rejects %s, naming the position', (_, spec, message) => {
    const error = thrown(() =>
      KeyRing.from([keyEntry('first'), spec as never], 'keys'),
    ) as SessionConfigError;
    expect(error).toBeInstanceOf(SessionConfigError);
    expect(error.code).toBe('ERR_SESSION_CONFIG');
    expect(error.message).toMatch(/^keys: entry 2 /);
    expect(error.message).toContain(message);
    expect(error.message).not.toContain('too short');
  });

  it('parseKeySpec returns a copy of the key bytes', () => {
    const bytes = keyBytesFor('copy');
    const parsed = parseKeySpec({ id: 'c', secret: bytes }, origin);
    bytes.fill(0);
    expect(parsed.material.some((b) => b !== 0)).toBe(true);
  });
});

describe('a comma inside a passphrase', () => {
  it('is reported without echoing the piece after the comma as an id', () => {
    const phrase = `${passphraseFor('comma')},Staple:Battery-horse`;
    const error = thrown(() => KeyRing.from(`k1:passphrase:${phrase}`, 'SESSION_KEYS'));
    expect(error).toBeInstanceOf(SessionConfigError);
    const e = error as SessionConfigError;
    expect(e.code).toBe('ERR_SESSION_CONFIG');
    expect(e.message).toBe(
      'SESSION_KEYS: entry 2 is not a valid key entry. It follows a passphrase (entry 1): a passphrase in SESSION_KEYS cannot contain a comma',
    );
    expect(e.message).not.toContain('Staple');
    expect(e.message).not.toContain('Battery');
  });

  it('is fine in a list of entries given in code (no splitting there)', () => {
    const phrase = `${passphraseFor('comma')},Staple:Battery-horse`;
    expect(KeyRing.from([`k1:passphrase:${phrase}`]).ids).toEqual(['k1']);
  });
});
