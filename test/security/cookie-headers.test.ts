// Whatever the Cookie header holds, load() resolves: to the right session, or to an empty one.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { SessionStore } from '../../src/index.js';
import { sealAsCookie } from '../helpers/cookie-oracle.js';
import { makeStore } from './support.js';

let store: SessionStore;
let token: string;
let other: string;

beforeAll(async () => {
  store = makeStore();
  token = await sealAsCookie(store, { user: 'alice' });
  other = await sealAsCookie(store, { user: 'mallory' });
});

async function userOf(header: string | null | undefined): Promise<unknown> {
  const session = await store.load(header);
  return session.get('user');
}

async function expectEmpty(header: string | null | undefined): Promise<void> {
  const session = await store.load(header);
  expect(session.isNew).toBe(true);
  expect(session.keys()).toEqual([]);
}

describe('size', () => {
  it('finds the session in a 1 MB header of other cookies', async () => {
    const big = `junk=${'a'.repeat(1 << 20)}`;
    expect(await userOf(`${big}; session=${token}`)).toBe('alice');
    expect(await userOf(`session=${token}; ${big}`)).toBe('alice');
  });

  it('rejects a 1 MB session cookie as too-large without reading it', async () => {
    const session = await store.load(`session=${token}${'A'.repeat(1 << 20)}`);
    expect(session.rejection?.reason).toBe('too-large');
  });

  it('rejects chunks that together exceed the budget as too-large', async () => {
    const chunks = Array.from({ length: 15 }, (_, i) => `session.${i + 1}=${'A'.repeat(4000)}`);
    const session = await store.load(`session=16~${'A'.repeat(4000)}; ${chunks.join('; ')}`);
    expect(session.rejection?.reason).toBe('too-large');
  });

  it('survives 10,000 cookies and still finds the session among them', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => `c${i}=v${i}`).join('; ');
    expect(await userOf(`${many}; session=${token}`)).toBe('alice');
    await expectEmpty(many);
    const chunkLike = Array.from({ length: 10_000 }, (_, i) => `session.${i}=x`).join('; ');
    await expectEmpty(chunkLike);
  });

  it('refuses a header crowded with the cookie name, whatever else it holds', async () => {
    // Past 128 occurrences a header is crafted; reading on would cost more than a decryption.
    const crowded = `${'session;'.repeat(200)}session=${token}`;
    const session = await store.load(crowded);
    expect(session.isNew).toBe(true);
    expect(session.rejection?.reason).toBe('malformed');
    expect(session.rejection?.detail).toBe('Cookie header names "session" more than 128 times');
    expect(await userOf(`${'session;'.repeat(100)}session=${token}`)).toBe('alice');
  });

  it('survives 100,000 semicolons', async () => {
    const semis = ';'.repeat(100_000);
    await expectEmpty(semis);
    expect(await userOf(`${semis}session=${token}`)).toBe('alice');
    expect(await userOf(`session=${token}${semis}`)).toBe('alice');
    await expectEmpty(`session${semis}`);
  });
});

describe('syntax', () => {
  it('never throws on malformed headers', async () => {
    for (const header of [
      '',
      ';;;',
      '=',
      '==',
      ' = ; = ',
      '"',
      '""',
      'session',
      'session;',
      'session=',
      'session=;',
      '=session',
      '=session=abc',
      'session="',
      `session="${token}`,
      `session="${token}"`,
      'session=a=b=c',
      'session=%',
      'session=%E0%A4%A',
      'session=%00',
      'session=\0',
      'session=\r\n',
      `session= ${token.replace(/\./g, ' . ')}`,
      '\u0000\u0001\u0002',
      'session=.....',
      'session=~',
      'session=16~',
      'session=2~; session.1=',
    ]) {
      await expectEmpty(header);
    }
    await expectEmpty(null);
    await expectEmpty(undefined);
  });

  it('opens the token with tolerable syntax around it', async () => {
    expect(await userOf(`;;; session=${token};;; =; x`)).toBe('alice');
    expect(await userOf(`  session =${token};  `)).toBe('alice');
    expect(await userOf(`a=1;session=${token};b=2`)).toBe('alice');
  });

  it('opens only the exact bytes: spaces around the value are part of it', async () => {
    for (const header of [
      `session= ${token}`,
      `session=${token} `,
      `session=${token}\t; x=1`,
      `session = ${token}  `,
    ]) {
      const session = await store.load(header);
      expect(session.isNew, header).toBe(true);
      expect(session.rejection?.reason).toBe('malformed');
    }
  });
});

describe('duplicate names', () => {
  it('uses the first of duplicate names (browsers send the most specific first)', async () => {
    expect(await userOf(`session=${token}; session=${other}`)).toBe('alice');
    expect(await userOf(`session=${other}; session=${token}`)).toBe('mallory');
  });

  it('does not fall back to a later duplicate when the first is bad', async () => {
    const session = await store.load(`session=garbage; session=${token}`);
    expect(session.isNew).toBe(true);
    expect(session.rejection?.reason).toBe('malformed');
  });
});

describe('encodings', () => {
  it('rejects non-ASCII and UTF-8 values and names without throwing', async () => {
    for (const header of [
      'session=ünïcödé',
      `session=${token}é`,
      `session=é${token}`,
      `session=${token.slice(0, 20)}\u{1F600}${token.slice(20)}`,
      `sessiön=${token}`,
      `session=${token}\uFFFD`,
      `session=\uD800`,
      `\u{1F600}=\u{1F600}; session=${'\u00e9'.repeat(1000)}`,
    ]) {
      await expectEmpty(header);
    }
  });

  it('rejects a percent-encoded value that decodes to something else', async () => {
    await expectEmpty(`session=${encodeURIComponent(`${token} `)}`);
    await expectEmpty(`session=${token.slice(0, 10)}%2E${token.slice(10)}`);
  });

  it('does not percent-decode: an encoded copy of the exact token does not open', async () => {
    // Tokens are base64url, "." and "~", which never need encoding; only the exact bytes
    // that were sealed open (SECURITY.md).
    const encoded = [...token].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('');
    const session = await store.load(`session=${encoded}`);
    expect(session.isNew).toBe(true);
    expect(session.rejection?.reason).toBe('malformed');
    const one = await store.load(
      `session=${token.slice(0, 10)}%${token.charCodeAt(10).toString(16)}${token.slice(11)}`,
    );
    expect(one.rejection?.reason).toBe('malformed');
  });

  it('never decodes the other cookies (a bad escape costs a thrown URIError each)', async () => {
    const decode = vi.spyOn(globalThis, 'decodeURIComponent');
    try {
      const others = Array.from({ length: 50 }, (_, i) => `c${i}=%`).join('; ');
      expect(await userOf(`${others}; a=%41; session=${token}; b=%E0%A4%A`)).toBe('alice');
      expect(decode).not.toHaveBeenCalled();
    } finally {
      decode.mockRestore();
    }
  });
});

describe('cookie names that are Object.prototype members', () => {
  for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
    it(`works with cookie name ${name}`, async () => {
      const named = makeStore({ cookie: { name: name } });
      const sealed = await sealAsCookie(named, { user: 'alice' });
      expect((await named.load(`x=1; ${name}=${sealed}`)).get('user')).toBe('alice');
      const empty = await named.load(`x=1; ${name}.1=abc; ${name}x=1`);
      expect(empty.isNew).toBe(true);
      expect(empty.rejection).toBeUndefined();
    });
  }
});
