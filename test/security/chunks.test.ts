// A chunked session is read from exact names only (`session`, `session.1`, … up to the count
// in the first chunk's `<n>~` marker). Mixed, missing, duplicated or reordered chunks never
// assemble into data; chunks beyond the count are never read, and the next commit deletes them.
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SessionStore } from '../../src/index.js';
import { cookiesOf, headerOf, makeStore, sealSession } from './support.js';

let store: SessionStore;
let a: Map<string, string>;
let b: Map<string, string>;

/** Incompressible filler, so the session really spans several cookies. */
function noise(label: string, length: number): string {
  let out = '';
  for (let i = 0; out.length < length; i++) {
    out += createHash('sha256').update(`${label}${i}`).digest('base64url');
  }
  return out.slice(0, length);
}

function joined(cookies: Map<string, string>): string {
  const count = Number((cookies.get('session') as string).split('~')[0]);
  let token = (cookies.get('session') as string).replace(/^\d+~/, '');
  for (let i = 1; i < count; i++) token += cookies.get(`session.${i}`);
  return token;
}

beforeAll(async () => {
  store = makeStore({ cookie: { maxChunkBytes: 600 } });
  a = cookiesOf(await sealSession(store, { user: 'alice', blob: noise('a', 1500) }));
  b = cookiesOf(await sealSession(store, { user: 'bob', blob: noise('b', 1500) }));
  expect(a.size).toBeGreaterThanOrEqual(4);
  expect(b.size).toBe(a.size);
  expect(a.get('session')).toMatch(new RegExp(`^${a.size}~`));
});

// A wrong join fails either the structure check (segment count, canonical base64url) or
// authentication, depending on where the chunk boundaries fall: both mean rejected.
const BAD_JOIN = ['malformed', 'tampered'];

async function expectEmpty(header: string, reason?: string | string[]): Promise<void> {
  const session = await store.load(header);
  expect(session.isNew).toBe(true);
  expect(session.keys()).toEqual([]);
  expect(session.rejection).toBeDefined();
  if (reason) expect([reason].flat()).toContain(session.rejection?.reason);
}

describe('chunked sessions', () => {
  it('opens both sessions as sealed', async () => {
    expect((await store.load(headerOf(a))).get('user')).toBe('alice');
    expect((await store.load(headerOf(b))).get('user')).toBe('bob');
  });

  it("rejects any mix of two sessions' chunks", async () => {
    const names = [...a.keys()];
    for (const name of names) {
      const mixed = new Map(a);
      mixed.set(name, b.get(name) as string);
      await expectEmpty(headerOf(mixed), BAD_JOIN);
    }
  });

  it('rejects each missing chunk as malformed, naming it', async () => {
    for (let i = 1; i < a.size; i++) {
      const missing = new Map(a);
      missing.delete(`session.${i}`);
      const session = await store.load(headerOf(missing));
      expect(session.rejection?.reason).toBe('malformed');
      expect(session.rejection?.detail).toBe(`chunk ${i} of ${a.size} is missing`);
      const emptied = new Map(a);
      emptied.set(`session.${i}`, '');
      await expectEmpty(headerOf(emptied), 'malformed');
    }
  });

  it('rejects a missing first chunk without reading the others', async () => {
    const headless = new Map(a);
    headless.delete('session');
    const session = await store.load(headerOf(headless));
    expect(session.isNew).toBe(true);
    expect(session.keys()).toEqual([]);
    expect(session.rejection).toBeUndefined();
  });

  it('rejects duplicated chunks', async () => {
    for (let i = 1; i < a.size; i++) {
      const duplicated = new Map(a);
      duplicated.set(`session.${i}`, a.get(`session.${i === 1 ? 2 : 1}`) as string);
      await expectEmpty(headerOf(duplicated), BAD_JOIN);
    }
  });

  it('rejects reordered chunks (values swapped between names)', async () => {
    const reordered = new Map(a);
    reordered.set('session.1', a.get('session.2') as string);
    reordered.set('session.2', a.get('session.1') as string);
    await expectEmpty(headerOf(reordered), BAD_JOIN);
  });

  it('opens chunks sent in any header order (names, not positions, count)', async () => {
    const reversed = new Map([...a].reverse());
    expect((await store.load(headerOf(reversed))).get('user')).toBe('alice');
  });

  it('rejects a chunk count marker out of range', async () => {
    const token = joined(a);
    for (const count of [0, 1, 17, 99]) {
      const session = await store.load(`session=${count}~${token}`);
      expect(session.rejection?.reason).toBe('malformed');
      expect(session.rejection?.detail).toBe(`chunk count ${count} is out of range`);
    }
  });

  it('never reads more than 16 chunks, even if 17 are there and would join', async () => {
    const token = joined(a);
    const size = Math.ceil(token.length / 17);
    const parts = Array.from({ length: 17 }, (_, i) => token.slice(i * size, (i + 1) * size));
    const cookies = parts.map((p, i) => (i === 0 ? `session=17~${p}` : `session.${i}=${p}`));
    await expectEmpty(cookies.join('; '), 'malformed');
  });

  it('rejects a lower count than the chunks carry (the join is short)', async () => {
    const short = new Map(a);
    short.set('session', (a.get('session') as string).replace(/^\d+~/, `${a.size - 1}~`));
    await expectEmpty(headerOf(short));
  });

  it('treats a count marker on an unchunked token as a different, rejected token', async () => {
    const single = await store.seal({ user: 'alice' });
    await expectEmpty(`session=1~${single}`, 'malformed');
    await expectEmpty(`session=2~${single}`, 'malformed');
  });

  it('never reads a chunk beyond the count, and the next commit deletes it', async () => {
    const extra = new Map(a);
    extra.set(`session.${a.size}`, b.get('session.1') as string);
    extra.set('session.15', 'stray');
    extra.set('sessionX', 'unrelated');
    extra.set('session.1.1', 'unrelated');
    const session = await store.load(headerOf(extra));
    expect(session.get('user')).toBe('alice');
    session.set('seen', true);
    const lines = await store.commit(session);
    const deleted = lines.filter((l) => /Max-Age=0/.test(l)).map((l) => l.split('=')[0]);
    expect(deleted.sort()).toEqual([`session.${a.size}`, 'session.15'].sort());
  });

  it('deletes `session.1` sent without `session`, on a commit with nothing to keep', async () => {
    const session = await store.load('session.1=leftover; other=1');
    expect(session.isNew).toBe(true);
    expect(session.rejection).toBeUndefined();
    const lines = await store.commit(session);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^session\.1=; Max-Age=0;/);
  });

  it('deletes every chunk of a rejected session on the next commit', async () => {
    const mixed = new Map(a);
    mixed.set('session.1', b.get('session.1') as string);
    const session = await store.load(headerOf(mixed));
    expect(BAD_JOIN).toContain(session.rejection?.reason);
    const deleted = (await store.commit(session)).map((l) => l.split('=')[0]);
    expect(deleted.sort()).toEqual([...a.keys()].sort());
  });

  it('deletes chunks a smaller session no longer needs', async () => {
    const session = await store.load(headerOf(a));
    session.delete('blob');
    const lines = await store.commit(session);
    expect(lines[0]).toMatch(/^session=ey/);
    const deleted = lines.slice(1).map((l) => l.split('=')[0]);
    expect(deleted.sort()).toEqual([...a.keys()].filter((n) => n !== 'session').sort());
  });
});
