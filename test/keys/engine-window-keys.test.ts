// The node:crypto engine derives its window keys itself, synchronously with hkdfSync, from the
// ring's secret (not KeyObject.from of the ring's non-extractable CryptoKey: DEP0204). Both
// engines must hold the same key for every key kind and window, or one could not open the
// other's tokens: checked by sealing the same bytes under a fixed IV with each key, and with
// one made here from the derivation's written-out inputs, so neither side can drift alone.
import * as nodeCrypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { NodeEngine } from '../../src/codec/node-engine.js';
import { KeyRing } from '../../src/keys/key-ring.js';
import { keyBytesFor, keyEntry, passphraseFor } from '../helpers/keys.js';

const IV = new Uint8Array(12).fill(9);
const AAD = new TextEncoder().encode('eyJhbGciOiJkaXIifQ');
const PLAINTEXT = new TextEncoder().encode('{"d":{"user":"alice"},"iat":1775000000}');
const WINDOWS = [0, 1, 493_208, 2 ** 31];

function sealWithNode(key: nodeCrypto.KeyObject): string {
  const cipher = nodeCrypto.createCipheriv('aes-256-gcm', key, IV, { authTagLength: 16 });
  cipher.setAAD(AAD);
  return Buffer.concat([cipher.update(PLAINTEXT), cipher.final(), cipher.getAuthTag()]).toString(
    'hex',
  );
}

async function sealWithWebCrypto(key: CryptoKey): Promise<string> {
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: IV, additionalData: AAD, tagLength: 128 },
    key,
    PLAINTEXT,
  );
  return Buffer.from(sealed).toString('hex');
}

/** The key as written out here: HKDF-SHA-256(secret, salt, info), the format's definition. */
function writtenOut(secret: Uint8Array, kind: 'key' | 'passphrase', window: number) {
  const bytes = nodeCrypto.hkdfSync(
    'sha256',
    secret,
    `jwe-session/v1/${kind}`,
    `jwe-session/v1/dir+A256GCM/window/${window}`,
    32,
  );
  return nodeCrypto.createSecretKey(new Uint8Array(bytes));
}

const rings = [
  { kind: 'key', ring: KeyRing.from(keyEntry('k1')), secret: keyBytesFor('k1') },
  {
    kind: 'passphrase',
    ring: KeyRing.from(`p1:passphrase:${passphraseFor('p1')}`),
    secret: new TextEncoder().encode(passphraseFor('p1')),
  },
] as const;

describe('the window keys of both engines', () => {
  for (const { kind, ring, secret } of rings) {
    it(`are the same key, for a ${kind} and every window`, async () => {
      const engine = new NodeEngine(nodeCrypto as never);
      const id = ring.primaryId;
      const seen = new Set<string>();
      for (const window of WINDOWS) {
        const fromNode = sealWithNode(engine.keyOf(ring, id, window) as nodeCrypto.KeyObject);
        expect(await sealWithWebCrypto(await ring.windowKey(id, window)), `window ${window}`).toBe(
          fromNode,
        );
        expect(sealWithNode(writtenOut(secret, kind, window)), `window ${window}`).toBe(fromNode);
        seen.add(fromNode);
      }
      // One key per window: the window is in the derivation on both sides.
      expect(seen.size).toBe(WINDOWS.length);
    });
  }

  it('are derived once per key and window, and kept by the ring', () => {
    const { ring } = rings[0];
    let calls = 0;
    const engine = new NodeEngine({
      ...nodeCrypto,
      hkdfSync: (...args: Parameters<typeof nodeCrypto.hkdfSync>) => {
        calls += 1;
        return nodeCrypto.hkdfSync(...args);
      },
    } as never);
    const first = engine.keyOf(ring, 'k1', 7);
    expect(engine.keyOf(ring, 'k1', 7)).toBe(first);
    expect(calls).toBe(1);
    expect(engine.keyOf(ring, 'k1', 8)).not.toBe(first);
    expect(calls).toBe(2);
  });

  it('never come from KeyObject.from (deprecated for the ring’s non-extractable CryptoKeys, DEP0204)', async () => {
    const engine = new NodeEngine({
      ...nodeCrypto,
      KeyObject: {
        from: () => {
          throw new Error('KeyObject.from called');
        },
      },
    } as never);
    const ring = KeyRing.from(keyEntry('k1'));
    await ring.windowKey('k1', 3); // a CryptoKey there to be converted, were that the way
    const key = engine.keyOf(ring, 'k1', 3);
    const header = { alg: 'dir', enc: 'A256GCM', kid: 'k1.3' } as const;
    const token = engine.seal(key, header, 'text');
    expect(engine.open(key, token.split('.') as never)).toBe('text');
  });
});
