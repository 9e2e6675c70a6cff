// Tokens made by someone else's rules (another alg or enc, PBES2, asymmetric algorithms, a
// JWS, crit, zip) are refused by our header check, before any key is derived or jose's
// decrypt is called: `compactDecrypt` (and, on `engine: 'node'`, the node:crypto engine's
// open) is spied on to prove it is never reached.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { CompactEncrypt, CompactSign, compactDecrypt } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { NodeEngine } from '../../src/codec/node-engine.js';
import { SessionRejectedError } from '../../src/errors.js';
import type { SessionStore } from '../../src/index.js';
import {
  b64,
  Clock,
  forge,
  makeStore,
  NOW,
  plaintext,
  secretOf,
  segment,
  WINDOW,
} from './support.js';

vi.mock('jose', async (importOriginal) => {
  const jose = await importOriginal<typeof import('jose')>();
  return { ...jose, compactDecrypt: vi.fn(jose.compactDecrypt) };
});

const joseSpy = vi.mocked(compactDecrypt);
const nodeSpy = vi.spyOn(NodeEngine.prototype, 'open');
// Either engine's decryption, whichever the suite runs on.
const decryptSpy = {
  mockClear(): void {
    joseSpy.mockClear();
    nodeSpy.mockClear();
  },
  get calls(): number {
    return joseSpy.mock.calls.length + nodeSpy.mock.calls.length;
  },
};
const KID = `k1.${WINDOW}`;

let store: SessionStore;
let body: string[];

async function expectRefusedBeforeCrypto(
  token: string,
  detail: RegExp,
  target: SessionStore = store,
): Promise<void> {
  decryptSpy.mockClear();
  const result = await target.unseal(token);
  expect(result).toBeInstanceOf(SessionRejectedError);
  const rejection = result as SessionRejectedError;
  expect(rejection.reason).toBe('malformed');
  expect(rejection.detail).toMatch(detail);
  expect(decryptSpy.calls).toBe(0);
  // And through the Cookie header.
  const session = await target.load(`${target.cookieName}=${token}`);
  expect(session.rejection?.reason).toBe('malformed');
  expect(session.isNew).toBe(true);
  expect(decryptSpy.calls).toBe(0);
}

/** A token with this header over a real token's iv, ciphertext and tag. */
function withHeader(header: Record<string, unknown>, encryptedKey = ''): string {
  return [b64(header), encryptedKey, body[2], body[3], body[4]].join('.');
}

beforeAll(async () => {
  store = makeStore({}, new Clock());
  body = (await store.seal({ user: 'alice' })).split('.');
});

afterEach(() => {
  decryptSpy.mockClear();
});

describe('alg', () => {
  it('reaches jose for a good token (so the spy is live)', async () => {
    const token = await store.seal({ user: 'alice' });
    decryptSpy.mockClear();
    expect(await store.unseal(token)).toEqual({ user: 'alice' });
    expect(decryptSpy.calls).toBe(1);
  });

  it('refuses alg "none"', async () => {
    await expectRefusedBeforeCrypto(
      withHeader({ alg: 'none', enc: 'A256GCM', kid: KID }),
      /alg "none" is not allowed/,
    );
  });

  it('refuses a missing, empty or non-string alg', async () => {
    await expectRefusedBeforeCrypto(withHeader({ enc: 'A256GCM', kid: KID }), /alg undefined/);
    await expectRefusedBeforeCrypto(withHeader({ alg: '', enc: 'A256GCM', kid: KID }), /alg ""/);
    await expectRefusedBeforeCrypto(
      withHeader({ alg: ['dir'], enc: 'A256GCM', kid: KID }),
      /alg \["dir"\]/,
    );
    await expectRefusedBeforeCrypto(withHeader({ alg: 'DIR', enc: 'A256GCM', kid: KID }), /alg/);
  });

  for (const alg of [
    'RSA-OAEP',
    'RSA-OAEP-256',
    'RSA1_5',
    'ECDH-ES',
    'ECDH-ES+A256KW',
    'A256KW',
    'A256GCMKW',
    'PBES2-HS256+A128KW',
    'HS256',
  ]) {
    it(`refuses alg ${alg} with an empty encrypted key, on the alg check alone`, async () => {
      await expectRefusedBeforeCrypto(
        withHeader({ alg, enc: 'A256GCM', kid: KID }),
        new RegExp(`alg "${alg.replace('+', '\\+')}" is not allowed`),
      );
    });
  }

  it('refuses a real RSA-OAEP-256 JWE (an encrypted key, public-key alg)', async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const token = await new CompactEncrypt(new TextEncoder().encode(plaintext()))
      .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: KID })
      .encrypt(publicKey);
    await expectRefusedBeforeCrypto(token, /encrypted key segment must be empty/);
  });

  it('refuses a real ECDH-ES JWE (epk in the header)', async () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const token = await new CompactEncrypt(new TextEncoder().encode(plaintext()))
      .setProtectedHeader({ alg: 'ECDH-ES', enc: 'A256GCM', kid: KID })
      .encrypt(publicKey);
    expect(segment(token, 1)).toBe('');
    await expectRefusedBeforeCrypto(token, /header member "epk" is not allowed/);
  });
});

describe('enc', () => {
  it('refuses dir with A128GCM, even sealed under a 128-bit key', async () => {
    const key = new Uint8Array(16).fill(7);
    const token = await new CompactEncrypt(new TextEncoder().encode(plaintext()))
      .setProtectedHeader({ alg: 'dir', enc: 'A128GCM', kid: KID })
      .encrypt(key);
    await expectRefusedBeforeCrypto(token, /enc "A128GCM" is not allowed/);
  });

  it('refuses dir with A256CBC-HS512 keyed by the secret bytes', async () => {
    const secret = Buffer.from(secretOf('k1'), 'base64url');
    const key = createHash('sha512').update(secret).digest();
    const token = await new CompactEncrypt(new TextEncoder().encode(plaintext()))
      .setProtectedHeader({ alg: 'dir', enc: 'A256CBC-HS512', kid: KID })
      .encrypt(key);
    await expectRefusedBeforeCrypto(token, /enc "A256CBC-HS512" is not allowed/);
  });

  it('refuses a missing enc', async () => {
    await expectRefusedBeforeCrypto(withHeader({ alg: 'dir', kid: KID }), /enc undefined/);
  });
});

describe('PBES2', () => {
  it('refuses a huge p2c before any key derivation', async () => {
    const header = {
      alg: 'PBES2-HS512+A256KW',
      enc: 'A256GCM',
      kid: KID,
      p2s: b64('saltsaltsaltsalt'),
      p2c: 2 ** 31 - 1,
    };
    // As an attacker would send it (with a wrapped key) and with the key segment emptied.
    await expectRefusedBeforeCrypto(withHeader(header, b64('x'.repeat(40))), /encrypted key/);
    await expectRefusedBeforeCrypto(withHeader(header), /header member "p2s" is not allowed/);
  });

  it('refuses a PBES2 header whose alg is the only thing wrong', async () => {
    await expectRefusedBeforeCrypto(
      withHeader({ alg: 'PBES2-HS512+A256KW', enc: 'A256GCM', kid: KID }),
      /alg "PBES2-HS512\+A256KW" is not allowed/,
    );
  });
});

describe('JWS in place of a JWE', () => {
  it('refuses a JWS signed with HS256 under the same secret bytes', async () => {
    const secret = Buffer.from(secretOf('k1'), 'base64url');
    const jws = await new CompactSign(new TextEncoder().encode(plaintext()))
      .setProtectedHeader({ alg: 'HS256', kid: KID })
      .sign(secret);
    await expectRefusedBeforeCrypto(jws, /expected 5 compact JWE segments, got 3/);
  });

  it('refuses a JWS header padded out to five segments', async () => {
    await expectRefusedBeforeCrypto(withHeader({ alg: 'HS256', kid: KID }), /alg "HS256"/);
  });
});

describe('header members', () => {
  it('refuses crit, even in a token sealed under the real window key', async () => {
    const token = await forge(store, plaintext(), {
      header: { crit: ['x'], x: true },
      encryptOptions: { crit: { x: true } },
    });
    await expectRefusedBeforeCrypto(token, /header member "crit" is not allowed/);
  });

  it('refuses any other member (jku, jwk, x5u, cty, typ, iv, tag, __proto__)', async () => {
    for (const member of ['jku', 'jwk', 'x5u', 'cty', 'typ', 'iv', 'tag', 'exp']) {
      await expectRefusedBeforeCrypto(
        withHeader({ alg: 'dir', enc: 'A256GCM', kid: KID, [member]: 'x' }),
        new RegExp(`header member "${member}" is not allowed`),
      );
    }
    const proto = `{"alg":"dir","enc":"A256GCM","kid":"${KID}","__proto__":{"alg":"dir"}}`;
    await expectRefusedBeforeCrypto(
      [b64(proto), '', body[2], body[3], body[4]].join('.'),
      /header member "__proto__"/,
    );
  });

  it('refuses a header that is not a JSON object, or is too long', async () => {
    for (const header of ['[]', 'null', '"dir"', '{', '']) {
      await expectRefusedBeforeCrypto(
        [b64(header), '', body[2], body[3], body[4]].join('.'),
        /protected header/,
      );
    }
    await expectRefusedBeforeCrypto(
      withHeader({ alg: 'dir', enc: 'A256GCM', kid: `${'a'.repeat(300)}.1` }),
      /too long/,
    );
  });

  it('refuses a kid that is not <key id>.<window>', async () => {
    for (const kid of [undefined, 5, '', 'k1', `k1.${WINDOW}.1`, 'k1.-1', 'k.1.x', 'k1.1e3']) {
      await expectRefusedBeforeCrypto(
        withHeader({ alg: 'dir', enc: 'A256GCM', ...(kid !== undefined && { kid }) }),
        /kid is missing or not <key id>.<window>/,
      );
    }
  });

  it('keeps a hostile member name out of log lines (escaped, no raw newline)', async () => {
    const result = await store.unseal(
      withHeader({ alg: 'dir', enc: 'A256GCM', kid: KID, 'x\nJWE-SESSION 1: forged': 1 }),
    );
    expect((result as SessionRejectedError).detail).toBe(
      'header member "x\\nJWE-SESSION 1: forged" is not allowed',
    );
  });
});

describe('zip', () => {
  it('refuses zip DEF when compression is off, though sealed under the real key', async () => {
    const token = await forge(store, plaintext(), { header: { zip: 'DEF' } });
    await expectRefusedBeforeCrypto(token, /zip "DEF" is not allowed \(compression is off\)/);
  });

  it('refuses an unknown zip value when compression is on', async () => {
    const zipping = makeStore({ advanced: { compress: true } });
    await expectRefusedBeforeCrypto(
      withHeader({ alg: 'dir', enc: 'A256GCM', kid: KID, zip: 'GZIP' }),
      /zip "GZIP" is not allowed/,
      zipping,
    );
  });

  it('opens its own compressed tokens when compression is on', async () => {
    const zipping = makeStore({ advanced: { compress: true } });
    const token = await zipping.seal({ note: 'a'.repeat(5000) });
    expect(JSON.parse(Buffer.from(segment(token, 0), 'base64url').toString()).zip).toBe('DEF');
    expect(await zipping.unseal(token)).toEqual({ note: 'a'.repeat(5000) });
  });

  it('stops a zip bomb sealed under the real key at the decompression limit', async () => {
    // 40 MB of one byte deflates to about 40 KB: within a 64 KiB cookie budget, so the token
    // reaches inflation, and only jose's maxDecompressedLength (64 × the budget = 4 MiB) stops it.
    const maxTotalBytes = 65536;
    const limit = maxTotalBytes * 64;
    const zipping = makeStore({ advanced: { compress: true }, cookie: { maxTotalBytes } });
    const filler = 'A'.repeat(40 * 1024 * 1024);
    const bomb = await forge(zipping, plaintext({ d: { filler } }), { header: { zip: 'DEF' } });
    expect(bomb.length).toBeLessThan(maxTotalBytes);

    // Count what inflation actually produces, to show memory stays bounded by the limit.
    const Original = globalThis.DecompressionStream;
    let inflated = 0;
    class Counting extends Original {
      constructor(format: CompressionFormat) {
        super(format);
        const counter = new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            inflated += chunk.byteLength;
            controller.enqueue(chunk);
          },
        });
        const readable = super.readable.pipeThrough(counter);
        Object.defineProperty(this, 'readable', { get: () => readable });
      }
    }
    globalThis.DecompressionStream = Counting;
    try {
      decryptSpy.mockClear();
      const result = await zipping.unseal(bomb);
      expect(decryptSpy.calls).toBe(1);
      expect(result).toBeInstanceOf(SessionRejectedError);
      expect((result as SessionRejectedError).reason).toBe('tampered');
      expect(inflated).toBeGreaterThan(limit);
      // One stream chunk past the limit at most, nowhere near 40 MB.
      expect(inflated).toBeLessThan(limit + 1024 * 1024);
    } finally {
      globalThis.DecompressionStream = Original;
    }
  });

  it('refuses a zip bomb too long for the cookie budget without inflating it', async () => {
    const zipping = makeStore({ advanced: { compress: true } });
    const bomb = await forge(zipping, plaintext({ d: { f: 'A'.repeat(8 * 1024 * 1024) } }), {
      header: { zip: 'DEF' },
    });
    decryptSpy.mockClear();
    const result = (await zipping.unseal(bomb)) as SessionRejectedError;
    expect(result.reason).toBe('too-large');
    expect(decryptSpy.calls).toBe(0);
  });

  it('refuses at commit a session that compresses into the cookie but inflates past the limit', async () => {
    // Otherwise it would be written, then rejected by the zip-bomb limit on every request.
    const zipping = makeStore({ advanced: { compress: true } });
    const session = await zipping.load(undefined);
    session.set('x', 'a'.repeat(400_000));
    await expect(zipping.commit(session)).rejects.toThrow(
      expect.objectContaining({ code: 'ERR_SESSION_TOO_LARGE', limit: 6144 * 64 }),
    );
    session.set('x', 'a'.repeat(300_000));
    const lines = await zipping.commit(session);
    expect(lines[0]?.length).toBeLessThan(4096);
    const header = (lines[0] as string).split(';')[0] as string;
    expect(((await zipping.load(header)).get('x') as string).length).toBe(300_000);
  });

  it('still checks claims on a compressed token (a forged-ish payload for another purpose)', async () => {
    const zipping = makeStore({ advanced: { compress: true } });
    const token = await forge(zipping, plaintext({ pur: 'other', iat: NOW }), {
      header: { zip: 'DEF' },
    });
    expect(((await zipping.unseal(token)) as SessionRejectedError).reason).toBe('wrong-purpose');
  });
});
