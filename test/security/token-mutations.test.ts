// Every class of change to a sealed token is rejected: nothing but the exact string sealed
// opens. Bit flips and splices are stopped by AES-GCM (the header is its AAD); the spelling
// variants jose's lenient base64url would accept (padding, whitespace, stray bits) are stopped
// by the canonical-segment check in readHeader.
import { beforeAll, describe, expect, it } from 'vitest';
import { SessionRejectedError } from '../../src/errors.js';
import type { SessionStore } from '../../src/index.js';
import { openAsCookie, sealAsCookie } from '../helpers/cookie-oracle.js';
import {
  Clock,
  forge,
  keyEntry,
  makeStore,
  NOW,
  plaintext,
  segment,
  WINDOW,
  withSegment,
} from './support.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

let store: SessionStore;
let token: string;
let other: string;

async function expectRejected(candidate: string, reason?: string, detail?: RegExp): Promise<void> {
  const result = await openAsCookie(store, candidate);
  expect(result, `accepted ${JSON.stringify(candidate)}`).toBeInstanceOf(SessionRejectedError);
  const rejection = result as SessionRejectedError;
  expect(rejection.code).toBe('ERR_SESSION_REJECTED');
  if (reason) expect(rejection.reason).toBe(reason);
  if (detail) expect(rejection.detail).toMatch(detail);
}

function flipBit(encoded: string, bit: number): string {
  const bytes = Buffer.from(encoded, 'base64url');
  bytes[bit >> 3] = (bytes[bit >> 3] as number) ^ (1 << (bit & 7));
  return bytes.toString('base64url');
}

beforeAll(async () => {
  store = makeStore({}, new Clock());
  token = await sealAsCookie(store, { user: 'alice', role: 'admin' });
  other = await sealAsCookie(store, { user: 'mallory', role: 'guest' });
  // Sanity: the originals open, so every rejection below is due to the mutation.
  expect(await openAsCookie(store, token)).toEqual({ user: 'alice', role: 'admin' });
  expect(await openAsCookie(store, other)).toEqual({ user: 'mallory', role: 'guest' });
});

describe('bit flips', () => {
  for (const [index, name] of [
    [0, 'protected header'],
    [2, 'iv'],
    [3, 'ciphertext'],
    [4, 'tag'],
  ] as const) {
    it(`rejects every single-bit flip in the ${name}`, async () => {
      const bits = Buffer.from(segment(token, index), 'base64url').length * 8;
      for (let bit = 0; bit < bits; bit++) {
        await expectRejected(withSegment(token, index, flipBit(segment(token, index), bit)));
      }
    });
  }

  it('rejects a flip in iv, ciphertext or tag as tampered (authentication failed)', async () => {
    for (const index of [2, 3, 4]) {
      await expectRejected(
        withSegment(token, index, flipBit(segment(token, index), 5)),
        'tampered',
        /decryption failed/,
      );
    }
  });
});

describe('truncation and extension', () => {
  it('rejects every proper prefix of the token', async () => {
    for (let length = 0; length < token.length; length++) {
      await expectRejected(token.slice(0, length));
    }
  });

  it('rejects every drop of a single character', async () => {
    for (let i = 0; i < token.length; i++) {
      await expectRejected(token.slice(0, i) + token.slice(i + 1));
    }
  });

  it('rejects extra characters appended to each segment', async () => {
    for (const index of [0, 1, 2, 3, 4]) {
      for (const extra of ['A', 'AA', 'AAA', 'AAAA', 'Zm9v']) {
        await expectRejected(withSegment(token, index, segment(token, index) + extra));
      }
    }
  });

  it('rejects extra segments', async () => {
    await expectRejected(`${token}.`, 'malformed', /got 6/);
    await expectRejected(`${token}.${segment(token, 4)}`, 'malformed', /got 6/);
    await expectRejected(`${token}${token}`);
    await expectRejected(`${token}.${token}`);
  });
});

describe('swapped and duplicated segments', () => {
  it('rejects every swap of two segments', async () => {
    const parts = token.split('.');
    for (let a = 0; a < parts.length; a++) {
      for (let b = a + 1; b < parts.length; b++) {
        if (parts[a] === parts[b]) continue;
        const swapped = [...parts];
        swapped[a] = parts[b] as string;
        swapped[b] = parts[a] as string;
        await expectRejected(swapped.join('.'));
      }
    }
  });

  it('rejects a segment duplicated over another', async () => {
    const parts = token.split('.');
    for (let from = 0; from < parts.length; from++) {
      for (let to = 0; to < parts.length; to++) {
        if (parts[from] === parts[to]) continue;
        const copy = [...parts];
        copy[to] = parts[from] as string;
        await expectRejected(copy.join('.'));
      }
    }
  });
});

describe('re-encoded header with the same meaning', () => {
  // The protected header is the AAD, byte for byte: a different spelling of the same JSON is
  // a different token, so AES-GCM refuses it even though every member is allowed.
  const kid = `k1.${WINDOW}`;
  for (const [label, json] of [
    ['members reordered', `{"kid":"${kid}","alg":"dir","enc":"A256GCM"}`],
    ['spaces added', `{"alg": "dir", "enc": "A256GCM", "kid": "${kid}"}`],
    ['escaped characters', `{"alg":"\\u0064ir","enc":"A256GCM","kid":"${kid}"}`],
    ['trailing newline', `{"alg":"dir","enc":"A256GCM","kid":"${kid}"}\n`],
  ] as const) {
    it(`rejects the header with ${label}`, async () => {
      const reencoded = withSegment(token, 0, Buffer.from(json).toString('base64url'));
      await expectRejected(reencoded, 'tampered', /decryption failed/);
    });
  }
});

describe('splices between tokens', () => {
  it('rejects the header of a token from another window on this body', async () => {
    const clock = new Clock();
    clock.advance(-3600);
    const earlier = await sealAsCookie(makeStore({}, clock), { user: 'alice', role: 'admin' });
    expect(segment(earlier, 0)).not.toBe(segment(token, 0));
    await expectRejected(withSegment(token, 0, segment(earlier, 0)), 'tampered');
  });

  it('rejects the header of a token sealed by another key id on this body', async () => {
    const both = makeStore({ keys: `${keyEntry('k2')},${keyEntry('k1')}` });
    const byK2 = await sealAsCookie(both, { user: 'alice', role: 'admin' });
    const spliced = withSegment(token, 0, segment(byK2, 0));
    expect(await openAsCookie(both, spliced)).toBeInstanceOf(SessionRejectedError);
  });

  it('rejects the iv, ciphertext or tag of another token', async () => {
    for (const index of [2, 3, 4]) {
      await expectRejected(withSegment(token, index, segment(other, index)), 'tampered');
    }
    // iv and tag from one, ciphertext from the other.
    await expectRejected(withSegment(other, 3, segment(token, 3)), 'tampered');
  });

  it('rejects a token sealed with the same key id but another secret', async () => {
    const impostor = makeStore({ keys: keyEntry('k1', 'not the real k1') });
    const forged = await sealAsCookie(impostor, { user: 'alice', role: 'admin' });
    await expectRejected(forged, 'tampered', /decryption failed/);
  });
});

describe('empty segments and foreign characters', () => {
  it('rejects each segment emptied', async () => {
    for (const index of [0, 2, 3, 4]) await expectRejected(withSegment(token, index, ''));
    await expectRejected('');
    await expectRejected('....');
  });

  it('rejects a non-base64url character in any segment, wherever it is', async () => {
    for (const index of [0, 2, 3, 4]) {
      const part = segment(token, index);
      for (const bad of ['+', '/', '!', '%', '~', '"', 'é', '\0']) {
        await expectRejected(withSegment(token, index, bad + part), 'malformed');
        await expectRejected(withSegment(token, index, part.slice(0, 3) + bad + part.slice(3)));
      }
    }
  });

  it('rejects standard base64 (+ and /) for a segment spelt in base64url', async () => {
    const tag = segment(token, 4);
    const std = Buffer.from(tag, 'base64url').toString('base64').replace(/=+$/, '');
    if (std !== tag) {
      await expectRejected(withSegment(token, 4, std), 'malformed', /not canonical/);
    }
  });

  it("rejects '=' padding on the iv, ciphertext or tag", async () => {
    for (const index of [2, 3, 4]) {
      for (const pad of ['=', '==', '===']) {
        await expectRejected(
          withSegment(token, index, segment(token, index) + pad),
          'malformed',
          /not canonical base64url/,
        );
      }
    }
    await expectRejected(withSegment(token, 0, `${segment(token, 0)}=`), 'malformed');
  });

  it('rejects whitespace inside the iv, ciphertext or tag', async () => {
    for (const index of [2, 3, 4]) {
      const part = segment(token, index);
      for (const space of [' ', '\t', '\n', '\r\n', '\f']) {
        await expectRejected(
          withSegment(token, index, part.slice(0, 4) + space + part.slice(4)),
          'malformed',
          /not canonical base64url/,
        );
        await expectRejected(withSegment(token, index, part + space), 'malformed');
      }
    }
  });

  it('rejects leading or trailing whitespace around the whole token', async () => {
    for (const space of [' ', '\t', '\n']) {
      await expectRejected(space + token, 'malformed');
      await expectRejected(token + space, 'malformed');
    }
  });

  it('rejects a last character with stray low bits (a second spelling of the same bytes)', async () => {
    // 16-byte tag: 22 characters, the last carrying 2 data bits and 4 unused ones. atob
    // ignores the unused bits, so without the canonical check these all decrypt.
    const tag = segment(token, 4);
    const last = ALPHABET.indexOf(tag.at(-1) as string);
    for (let stray = 1; stray < 16; stray++) {
      const respelt = tag.slice(0, -1) + ALPHABET[last | stray];
      if (respelt === tag) continue;
      expect(Buffer.from(respelt, 'base64url')).toEqual(Buffer.from(tag, 'base64url'));
      await expectRejected(withSegment(token, 4, respelt), 'malformed', /not canonical/);
    }
  });

  it('rejects a non-empty encrypted key segment (alg dir has none)', async () => {
    for (const key of ['A', 'AAAA', segment(token, 2)]) {
      await expectRejected(withSegment(token, 1, key), 'malformed', /encrypted key/);
    }
  });
});

describe('through the Cookie header', () => {
  it('opens the exact cookie and rejects an inner space, padding, or stray bits', async () => {
    const cookieStore = makeStore();
    const sealed = await sealAsCookie(cookieStore, { user: 'alice' });
    expect((await cookieStore.load(`session=${sealed}`)).get('user')).toBe('alice');
    const tag = segment(sealed, 4);
    const stray = tag.slice(0, -1) + ALPHABET[ALPHABET.indexOf(tag.at(-1) as string) | 1];
    for (const variant of [
      withSegment(sealed, 3, `${segment(sealed, 3).slice(0, 5)} ${segment(sealed, 3).slice(5)}`),
      withSegment(sealed, 4, `${tag}==`),
      withSegment(sealed, 4, stray),
    ]) {
      if (variant === sealed) continue;
      const session = await cookieStore.load(`session=${variant}`);
      expect(session.isNew).toBe(true);
      expect(session.get('user')).toBeUndefined();
      expect(session.rejection?.reason).toBe('malformed');
    }
  });
});

describe('forged payloads under the real key', () => {
  it('rejects a plaintext that is not a session payload', async () => {
    for (const text of [
      '',
      'null',
      '[]',
      '"x"',
      '{}',
      '{"pur":"session","iat":1,"exp":1}',
      plaintext({ d: [] }),
      plaintext({ d: 'x' }),
      plaintext({ f: 5 }),
      plaintext({ iat: -1 }),
      plaintext({ exp: 1.5 }),
      plaintext({ ori: '0' as unknown as number }),
      `${plaintext()}garbage`,
      `${'['.repeat(300)}${']'.repeat(300)}`,
    ]) {
      await expectRejected(await forge(store, text), 'malformed', /not a session payload/);
    }
  });

  it('rejects an origin millisecond (orm) that is not a whole number from 0 to 999', async () => {
    const signedIn = { sid: 'AAAAAAAAAAAAAAAAAAAAAA', sub: 'u1' };
    for (const orm of [1000, -1, 1.5, '5', null, true]) {
      const text = JSON.stringify({ ...JSON.parse(plaintext()), ...signedIn, orm });
      await expectRejected(await forge(store, text), 'malformed', /not a session payload/);
    }
    for (const orm of [0, 999]) {
      const text = JSON.stringify({ ...JSON.parse(plaintext({ iat: NOW })), ...signedIn, orm });
      expect(await openAsCookie(store, await forge(store, text))).toEqual({ user: 'forged' });
    }
  });

  it('rejects a plaintext that is not UTF-8', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode(plaintext()), 0xff]);
    await expectRejected(await forge(store, bytes), 'tampered');
  });

  it('accepts a well-formed forged payload (so the rejections above are not vacuous)', async () => {
    expect(await openAsCookie(store, await forge(store, plaintext({ iat: NOW })))).toEqual({
      user: 'forged',
    });
  });
});
