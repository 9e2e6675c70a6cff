import { describe, expect, it } from 'vitest';
import { SessionRejectedError } from '../../src/errors.js';
import { KeyRing } from '../../src/keys/key-ring.js';
import { Clock } from '../helpers/clock.js';
import { keyBytesFor, keyEntry, passphraseFor } from '../helpers/keys.js';
import { makeStore } from '../helpers/store.js';

const encoder = new TextEncoder();

async function encryptWith(key: CryptoKey, text: string): Promise<ArrayBuffer> {
  return crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: new Uint8Array(12) },
    key,
    encoder.encode(text),
  );
}

describe('KeyRing', () => {
  it('returns the same ring when given a ring', () => {
    const ring = KeyRing.from(keyEntry('a'));
    expect(KeyRing.from(ring)).toBe(ring);
  });

  it('derives one key per (id, window), cached, and different across windows and ids', async () => {
    const ring = KeyRing.from(`${keyEntry('a')},${keyEntry('b')}`);
    const a1 = await ring.windowKey('a', 1);
    expect(await ring.windowKey('a', 1)).toBe(a1);
    const a2 = await ring.windowKey('a', 2);
    const b1 = await ring.windowKey('b', 1);
    const sealed = await encryptWith(a1, 'x');
    const iv = new Uint8Array(12);
    for (const other of [a2, b1]) {
      await expect(crypto.subtle.decrypt({ name: 'AES-GCM', iv }, other, sealed)).rejects.toThrow();
    }
    expect(a1.extractable).toBe(false);
    expect(a1.algorithm).toMatchObject({ name: 'AES-GCM', length: 256 });
  });

  it('derives the same window key in two rings built from the same entry (every process agrees)', async () => {
    const one = KeyRing.from([keyEntry('a')]);
    const two = KeyRing.from([{ id: 'a', secret: keyBytesFor('a') }]);
    const iv = new Uint8Array(12);
    const sealed = await encryptWith(await one.windowKey('a', 7), 'shared');
    const opened = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv },
      await two.windowKey('a', 7),
      sealed,
    );
    expect(new TextDecoder().decode(opened)).toBe('shared');
  });

  it('keeps keys and passphrases apart even when their bytes match', async () => {
    const phrase = passphraseFor('same').padEnd(43, 'x').slice(0, 43);
    const asKey = KeyRing.from([{ id: 'a', secret: encoder.encode(phrase).slice(0, 32) }]);
    const asPhrase = KeyRing.from([{ id: 'a', secret: `passphrase:${phrase.slice(0, 32)}` }]);
    const iv = new Uint8Array(12);
    const sealed = await encryptWith(await asKey.windowKey('a', 1), 'x');
    await expect(
      crypto.subtle.decrypt({ name: 'AES-GCM', iv }, await asPhrase.windowKey('a', 1), sealed),
    ).rejects.toThrow();
  });

  it('rejects a window key for an id it does not hold', async () => {
    const ring = KeyRing.from(keyEntry('a'));
    await expect(ring.windowKey('zz', 1)).rejects.toThrow(RangeError);
  });
});

describe('rotation across three deploys', () => {
  const clock = new Clock();
  const oldKey = keyEntry('old');
  const newKey = keyEntry('new');

  async function sealWith(keys: string): Promise<string> {
    return makeStore({ keys }, clock).seal({ user: 'ada' });
  }

  it('deploy 1 (new key appended): old tokens unseal, old key still seals', async () => {
    const token = await sealWith(oldKey);
    const store = makeStore({ keys: `${oldKey},${newKey}` }, clock);
    expect(store.keyRing.primaryId).toBe('old');
    expect(await store.unseal(token)).toEqual({ user: 'ada' });
  });

  it('deploy 2 (new key first): tokens from both keys unseal, new key seals', async () => {
    const fromOld = await sealWith(oldKey);
    const store = makeStore({ keys: `${newKey},${oldKey}` }, clock);
    expect(await store.unseal(fromOld)).toEqual({ user: 'ada' });
    const fresh = await store.seal({ user: 'bob' });
    expect(
      JSON.parse(Buffer.from(fresh.split('.')[0] as string, 'base64url').toString()).kid,
    ).toMatch(/^new\.\d+$/);
    expect(await makeStore({ keys: newKey }, clock).unseal(fresh)).toEqual({ user: 'bob' });
  });

  it('deploy 3 (old key dropped): old tokens are rejected as unknown-key', async () => {
    const fromOld = await sealWith(oldKey);
    const result = await makeStore({ keys: newKey }, clock).unseal(fromOld);
    expect(result).toBeInstanceOf(SessionRejectedError);
    const rejection = result as SessionRejectedError;
    expect(rejection.code).toBe('ERR_SESSION_REJECTED');
    expect(rejection.reason).toBe('unknown-key');
    expect(rejection.detail).toBe('no key with id "old" in the ring');
  });

  it('a different secret under the same id is rejected as tampered, not opened', async () => {
    const token = await sealWith(oldKey);
    const result = await makeStore({ keys: keyEntry('old', 'another secret') }, clock).unseal(
      token,
    );
    expect(result).toBeInstanceOf(SessionRejectedError);
    expect((result as SessionRejectedError).reason).toBe('tampered');
  });
});
