// engine: 'node' against jose (engine: 'webcrypto'): the same tokens, both ways, and the same
// refusals. Each engine opens the other's tokens for generated data and keys; every mutated
// token is refused by both.
import * as nodeCrypto from 'node:crypto';
import { createCipheriv, KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { readHeader, type TokenSegments } from '../../src/codec/header.js';
import { NodeEngine } from '../../src/codec/node-engine.js';
import { WINDOW_SECONDS } from '../../src/codec/token-format.js';
import { SessionConfigError, SessionRejectedError } from '../../src/errors.js';
import type { SessionStore } from '../../src/index.js';
import { portOf } from '../../src/session/port.js';
import { Clock } from '../helpers/clock.js';
import { keyEntry } from '../helpers/keys.js';
import { makeStore } from '../helpers/store.js';

const RUNS = 60;
const clock = new Clock();

function pair(keys: string, options: { purpose?: string } = {}) {
  const advanced = { cacheSize: 0, ...options };
  return {
    jose: makeStore({ keys, advanced: { ...advanced, engine: 'webcrypto' } }, clock),
    node: makeStore({ keys, advanced: { ...advanced, engine: 'node' } }, clock),
  };
}

const json = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v)));
const data = fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), json, { maxKeys: 6 });
const keyLabel = fc.string({ minLength: 1, maxLength: 16 });

describe("engine: 'node' and jose", () => {
  it('open each other’s tokens, for generated data and keys', async () => {
    await fc.assert(
      fc.asyncProperty(data, keyLabel, async (value, label) => {
        const { jose, node } = pair(keyEntry('k1', label));
        const fromJose = await jose.seal(value);
        const fromNode = await node.seal(value);
        expect(await node.unseal(fromJose)).toEqual(value);
        expect(await jose.unseal(fromNode)).toEqual(value);
        // The same format: the protected header text is identical, the IV and tag the same size.
        const [jh, jk, jiv, jct, jtag] = fromJose.split('.');
        const [nh, nk, niv, nct, ntag] = fromNode.split('.');
        expect([nh, nk, niv?.length, nct?.length, ntag?.length]).toEqual([
          jh,
          jk,
          jiv?.length,
          jct?.length,
          jtag?.length,
        ]);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuse every mutated token, whichever engine sealed it', async () => {
    const { jose, node } = pair(keyEntry('k1'));
    const stores = [jose, node];
    const tokens = [
      await jose.seal({ user: 'alice', n: 1 }),
      await node.seal({ user: 'alice', n: 1 }),
    ];
    const refusedByBoth = async (token: string, original: string) => {
      if (token === original) return;
      for (const store of stores) {
        const opened = await store.unseal(token);
        expect(opened, `${token} opened`).toBeInstanceOf(SessionRejectedError);
      }
    };
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (const token of tokens) {
      const parts = token.split('.');
      // Each character of each segment, replaced by another.
      for (let s = 0; s < parts.length; s++) {
        const part = parts[s] as string;
        for (let i = 0; i < part.length; i++) {
          const c = part[i] as string;
          const other = alphabet[(alphabet.indexOf(c) + 1 + (i % 63)) % 64] as string;
          const changed = [...parts];
          changed[s] = part.slice(0, i) + other + part.slice(i + 1);
          await refusedByBoth(changed.join('.'), token);
        }
        // Truncations and extensions of the segment.
        for (const cut of [1, 2, 3, 4, 5, 8]) {
          const changed = [...parts];
          changed[s] = part.slice(0, Math.max(0, part.length - cut));
          await refusedByBoth(changed.join('.'), token);
          changed[s] = part + 'AAAAAAAA'.slice(0, cut);
          await refusedByBoth(changed.join('.'), token);
        }
      }
      // The whole token cut short or extended.
      for (let cut = 1; cut < token.length; cut += 7)
        await refusedByBoth(token.slice(0, -cut), token);
      for (const tail of ['.', '..', 'A', '.A', '=']) await refusedByBoth(token + tail, token);
      // Segment swaps.
      for (let a = 0; a < parts.length; a++) {
        for (let b = a + 1; b < parts.length; b++) {
          const swapped = [...parts];
          [swapped[a], swapped[b]] = [swapped[b] as string, swapped[a] as string];
          await refusedByBoth(swapped.join('.'), token);
        }
      }
      // Header re-encodings: the same members, another text (the tag binds the exact text).
      const header = JSON.parse(Buffer.from(parts[0] as string, 'base64url').toString());
      const texts = [
        JSON.stringify(header, null, 1),
        JSON.stringify({ enc: header.enc, alg: header.alg, kid: header.kid }),
        ` ${JSON.stringify(header)}`,
        JSON.stringify(header).replace('"dir"', '"\\u0064ir"'),
      ];
      for (const text of texts) {
        const reencoded = [Buffer.from(text).toString('base64url'), ...parts.slice(1)].join('.');
        await refusedByBoth(reencoded, token);
      }
      // The other engine's token with a segment of this one.
      const other = (tokens[0] === token ? tokens[1] : tokens[0]) as string;
      for (let s = 2; s < 5; s++) {
        const mixed = [...parts];
        mixed[s] = other.split('.')[s] as string;
        await refusedByBoth(mixed.join('.'), token);
      }
    }
  });

  it('refuse a token under a key outside the ring or for another purpose, on both', async () => {
    const sealer = pair(keyEntry('k1'));
    const wrongKey = pair(keyEntry('k1', 'other secret'));
    const wrongPurpose = pair(keyEntry('k1'), { purpose: 'admin' });
    for (const token of [await sealer.jose.seal({ a: 1 }), await sealer.node.seal({ a: 1 })]) {
      for (const store of [wrongKey.jose, wrongKey.node]) {
        expect((await store.unseal(token)) as SessionRejectedError).toMatchObject({
          reason: 'tampered',
        });
      }
      for (const store of [wrongPurpose.jose, wrongPurpose.node]) {
        expect((await store.unseal(token)) as SessionRejectedError).toMatchObject({
          reason: 'wrong-purpose',
        });
      }
    }
  });
});

/** Seals raw bytes as our token format under the store's real window key, outside both engines. */
async function sealRaw(
  store: SessionStore,
  plaintext: Uint8Array,
  { ivBytes = 12, tagBytes = 16 }: { ivBytes?: number; tagBytes?: number } = {},
): Promise<string> {
  const window = Math.floor(clock.now() / 1000 / WINDOW_SECONDS);
  // The key node:crypto derives (the same as Web Crypto's: test/keys/engine-window-keys.test.ts).
  const key = new NodeEngine(nodeCrypto as never).keyOf(
    store.keyRing,
    'k1',
    window,
  ) as nodeCrypto.KeyObject;
  const header = Buffer.from(
    JSON.stringify({ alg: 'dir', enc: 'A256GCM', kid: `k1.${window}` }),
  ).toString('base64url');
  const iv = new Uint8Array(ivBytes).fill(7);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
  cipher.setAAD(Buffer.from(header));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const tag = cipher.getAuthTag().subarray(0, tagBytes);
  return [
    header,
    '',
    Buffer.from(iv).toString('base64url'),
    ct.toString('base64url'),
    tag.toString('base64url'),
  ].join('.');
}

describe("engine: 'node' opening checks what jose checks", () => {
  const { jose, node } = pair(keyEntry('k1'));
  const now = Math.floor(clock.now() / 1000);
  // A store.seal() value: its purpose is the cookie's plus " sealed".
  const body = `{"pur":"session sealed","iat":${now},"exp":${now + 600},"ori":${now},"d":{"a":1}}`;

  it('opens a token sealed outside both engines (the check below is live)', async () => {
    const token = await sealRaw(node, new TextEncoder().encode(body));
    expect(await node.unseal(token)).toEqual({ a: 1 });
    expect(await jose.unseal(token)).toEqual({ a: 1 });
  });

  it('refuses a truncated tag (never authTagLength shorter than 16), like jose', async () => {
    for (const tagBytes of [4, 8, 12, 15]) {
      const token = await sealRaw(node, new TextEncoder().encode(body), { tagBytes });
      for (const store of [jose, node]) {
        expect((await store.unseal(token)) as SessionRejectedError).toMatchObject({
          reason: 'tampered',
        });
      }
    }
  });

  it('refuses an IV that is not 12 bytes, like jose', async () => {
    for (const ivBytes of [8, 11, 13, 16]) {
      const token = await sealRaw(node, new TextEncoder().encode(body), { ivBytes });
      for (const store of [jose, node]) {
        expect((await store.unseal(token)) as SessionRejectedError).toMatchObject({
          reason: 'tampered',
        });
      }
    }
  });

  it('refuses authentic plaintext that is not UTF-8 (strict decoding), like jose', async () => {
    const bytes = new TextEncoder().encode(body.replace('"a":1', '"a":"xx"'));
    const at = bytes.indexOf(0x78);
    bytes[at] = 0xc3;
    bytes[at + 1] = 0x28; // an invalid two-byte sequence
    const token = await sealRaw(node, bytes);
    for (const store of [jose, node]) {
      expect((await store.unseal(token)) as SessionRejectedError).toMatchObject({
        reason: 'tampered',
      });
    }
  });

  it('refuses a non-empty encrypted key segment on its own too (not only through the header check)', async () => {
    const token = await node.seal({ a: 1 });
    const parts = token.split('.');
    parts[1] = 'AAAA';
    const engine = new NodeEngine({
      createCipheriv,
      createDecipheriv: () => {
        throw new Error('reached');
      },
      KeyObject,
    } as never);
    const window = Math.floor(clock.now() / 1000 / WINDOW_SECONDS);
    const key = await node.keyRing.windowKey('k1', window);
    expect(engine.open(key, parts as unknown as TokenSegments)).toBeUndefined();
  });
});

describe('the node engine writes the IV it drew', () => {
  const key = nodeCrypto.createSecretKey(Buffer.alloc(32, 9));
  const header = { alg: 'dir', enc: 'A256GCM', kid: 'k1.7' } as const;

  // Node hands back the Buffer it filled; workerd another view of the same memory, which has
  // no base64url of its own (a Uint8Array's toString ignores its argument).
  for (const [name, giveBack] of [
    ['the Buffer it filled', (buffer: Uint8Array) => buffer],
    [
      'a new view of the same memory',
      (b: Uint8Array) => new Uint8Array(b.buffer, b.byteOffset, 12),
    ],
  ] as const) {
    it(`when randomFillSync gives back ${name}`, () => {
      const drawn: string[] = [];
      const engine = new NodeEngine({
        ...nodeCrypto,
        randomFillSync: (buffer: Uint8Array) => {
          nodeCrypto.randomFillSync(buffer);
          drawn.push(Buffer.from(buffer).toString('base64url'));
          return giveBack(buffer);
        },
      } as never);
      const first = engine.seal(key, header, 'one').split('.');
      const second = engine.seal(key, header, 'two').split('.');
      expect([first[2], second[2]]).toEqual(drawn);
      expect(first[2]).not.toBe(second[2]);
      expect(engine.open(key, first as unknown as TokenSegments)).toBe('one');
      expect(engine.open(key, second as unknown as TokenSegments)).toBe('two');
    });
  }
});

describe("the canonical check is readHeader's, and the node engine is only reached behind it", () => {
  it('refuses every other spelling of a ciphertext before the engine decrypts anything', async () => {
    // Node decodes base64url leniently: were these to reach the engine, each would open.
    const store = makeStore({ advanced: { engine: 'node', cacheSize: 0 } }, clock);
    const token = await store.seal({ a: 1 });
    const parts = token.split('.');
    const open = vi.spyOn(NodeEngine.prototype, 'open');
    try {
      for (const spelling of [`${parts[3]}=`, ` ${parts[3]}`, `${parts[3]}\n`, `${parts[3]}+`]) {
        const spelled = [parts[0], '', parts[2], spelling, parts[4]].join('.');
        expect(readHeader(spelled, false)).toBeInstanceOf(SessionRejectedError);
        expect((await store.unseal(spelled)) as SessionRejectedError).toMatchObject({
          reason: 'malformed',
        });
      }
      expect(open).not.toHaveBeenCalled();
      expect(await store.unseal(token)).toEqual({ a: 1 });
      expect(open).toHaveBeenCalledTimes(1);
    } finally {
      open.mockRestore();
    }
  });
});

describe("engine: 'node' is synchronous end to end", () => {
  it('commits and loads without a promise once the window key is derived', async () => {
    const store = makeStore({ advanced: { engine: 'node', cacheSize: 0 } }, clock);
    await store.seal({ warm: true }); // derives this window's key
    const port = portOf<Record<string, unknown>>(store);
    const handle = port.open({ cookie: undefined });
    expect(handle).not.toBeInstanceOf(Promise);
    (handle as Awaited<typeof handle>).session.set('user', 'alice');
    const commit = (handle as Awaited<typeof handle>).commit();
    expect(commit).not.toBeInstanceOf(Promise);
    const header = (commit as Awaited<typeof commit>).lines.map((l) => l.split(';')[0]).join('; ');
    const loaded = port.open({ cookie: header });
    expect(loaded).not.toBeInstanceOf(Promise);
    expect((loaded as Awaited<typeof loaded>).session.get('user')).toBe('alice');
  });

  it("is the default ('auto') on Node, and says so in store.engine", async () => {
    const store = makeStore({ advanced: { cacheSize: 0 } }, clock);
    expect(store.engine).toBe('node');
    const handle = portOf<Record<string, unknown>>(store).open({ cookie: undefined });
    expect(handle).not.toBeInstanceOf(Promise);
    (handle as Awaited<typeof handle>).session.set('user', 'alice');
    // No window key derived before: node:crypto derives it in the same tick.
    expect((handle as Awaited<typeof handle>).commit()).not.toBeInstanceOf(Promise);
  });

  it("keeps jose (a promise) on engine: 'webcrypto'", async () => {
    const store = makeStore({ advanced: { engine: 'webcrypto', cacheSize: 0 } }, clock);
    expect(store.engine).toBe('webcrypto');
    await store.seal({ warm: true });
    const handle = await portOf<Record<string, unknown>>(store).open({ cookie: undefined });
    handle.session.set('user', 'alice');
    expect(handle.commit()).toBeInstanceOf(Promise);
  });

  it('seals compressed tokens through jose (it does the DEFLATE), and they open on both', async () => {
    const jose = makeStore(
      { advanced: { engine: 'webcrypto', compress: true, cacheSize: 0 } },
      clock,
    );
    const node = makeStore({ advanced: { engine: 'node', compress: true, cacheSize: 0 } }, clock);
    const value = { text: 'a'.repeat(500) };
    const token = await node.seal(value);
    expect(JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString()).zip).toBe(
      'DEF',
    );
    expect(await jose.unseal(token)).toEqual(value);
    expect(await node.unseal(await jose.seal(value))).toEqual(value);
  });
});

describe('the engine option', () => {
  it('rejects an unknown engine, naming the option', () => {
    const error = (() => {
      try {
        makeStore({ advanced: { engine: 'openssl' as never } });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(SessionConfigError);
    expect(error).toMatchObject({ setting: 'advanced.engine' });
  });

  it('is a startup error naming `engine` where node:crypto cannot be reached', () => {
    const spy = vi.spyOn(process, 'getBuiltinModule').mockReturnValue(undefined as never);
    try {
      expect(() => makeStore({ advanced: { engine: 'node' } })).toThrow(SessionConfigError);
      expect(() => makeStore({ advanced: { engine: 'node' } })).toThrow(/^advanced.engine: /);
      expect(() => makeStore({ advanced: { engine: 'webcrypto' } })).not.toThrow();
    } finally {
      spy.mockRestore();
    }
  });
});

describe('NodeEngine IVs', () => {
  it('never repeats an IV across many seals', async () => {
    const store = makeStore({ advanced: { engine: 'node', cacheSize: 0 } }, clock);
    const ivs = new Set<string>();
    const count = 1000;
    for (let i = 0; i < count; i++) ivs.add((await store.seal({ i })).split('.')[2] as string);
    expect(ivs.size).toBe(count);
  });

  it('draws each IV from the CSPRNG when it seals, never from a pool made earlier', async () => {
    // A pool filled before a VM snapshot would hand the same IVs to every restored clone.
    const store = makeStore({ advanced: { engine: 'node', cacheSize: 0 } }, clock);
    await store.seal({ warm: 1 });
    // The module object the engine reached (process.getBuiltinModule), so the spy is on the
    // very function it calls.
    const nodeCrypto = process.getBuiltinModule('node:crypto');
    const real = nodeCrypto.randomFillSync.bind(nodeCrypto);
    let calls = 0;
    const spy = vi.spyOn(nodeCrypto, 'randomFillSync').mockImplementation((buffer) => {
      calls++;
      return real(buffer as Uint8Array) as never;
    });
    try {
      for (let i = 0; i < 5; i++) await store.seal({ i });
    } finally {
      spy.mockRestore();
    }
    expect(calls).toBe(5);
  });
});
