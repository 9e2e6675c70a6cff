// Sessions travel Set-Cookie → browser jar → Cookie header. The jar (test/helpers/browser-jar.ts)
// applies lines as a browser does, so what is checked here is what a browser would send back.
import { parseSetCookie } from 'cookie';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { announcedChunks } from '../../src/cookie/chunking.js';
import { MAX_CHUNKS } from '../../src/cookie/limits.js';
import { SessionTooLargeError } from '../../src/errors.js';
import type { SessionStore, SessionStoreOptions } from '../../src/index.js';
import { cookieHeaderFrom, type Jar } from '../helpers/browser-jar.js';
import { Clock } from '../helpers/clock.js';
import { makeStore, visit } from '../helpers/store.js';

type Data = Record<string, unknown>;

function chunkNames(count: number, base = 'session'): string[] {
  return Array.from({ length: count }, (_, i) => (i === 0 ? base : `${base}.${i}`));
}

/** Checks every line against the per-cookie budget and the browser's limit. */
function checkLines(lines: readonly string[], maxCookieBytes: number): void {
  for (const line of lines) {
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(maxCookieBytes);
    const { name, value } = parseSetCookie(line, { decode: (s) => s });
    expect(name.length + (value ?? '').length).toBeLessThanOrEqual(4096);
  }
}

/** Commits `data` as a new session into `jar`; returns the lines, or the error. */
async function write(store: SessionStore, jar: Jar, data: Data) {
  return visit(store, jar, (s) => {
    s.clear();
    for (const [k, v] of Object.entries(data)) s.set(k, v as never);
  });
}

async function read(store: SessionStore, jar: Jar) {
  return store.load(cookieHeaderFrom([], jar));
}

describe('round trip through a browser jar', () => {
  it('any session that fits comes back unchanged, with exactly its chunks in the jar (property)', async () => {
    const options: SessionStoreOptions = { cookie: { maxChunkBytes: 700, maxTotalBytes: 4000 } };
    const store = makeStore(options, new Clock());
    const value = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 1500 }),
      fc.string({ unit: 'grapheme-ascii', minLength: 200, maxLength: 3000 }),
      fc.array(fc.integer(), { maxLength: 300 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.string({ maxLength: 5 }), value, { minKeys: 1, maxKeys: 3 }),
        async (data) => {
          const jar: Jar = new Map();
          let lines: string[];
          try {
            lines = (await write(store, jar, data)).setCookies;
          } catch (error) {
            expect(error).toBeInstanceOf(SessionTooLargeError);
            expect(jar.size).toBe(0);
            return;
          }
          checkLines(lines, 700);
          const session = await read(store, jar);
          expect(session.rejection).toBeUndefined();
          expect(session.toJSON()).toEqual(data);
          const count = session.cookie?.chunks as number;
          expect([...jar.keys()]).toEqual(chunkNames(count));
          expect(session.cookie?.bytes).toBeLessThanOrEqual(4000);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('every size around every chunk boundary fits or fails cleanly, never half-written', async () => {
    const store = makeStore({ cookie: { maxChunkBytes: 512, maxTotalBytes: 3000 } }, new Clock());
    let lastCount = 0;
    let boundaries = 0;
    let tooLarge = 0;
    for (let n = 0; n <= 2400; n += 3) {
      const jar: Jar = new Map();
      const data = { s: 'x'.repeat(n) };
      try {
        const { setCookies } = await write(store, jar, data);
        checkLines(setCookies, 512);
      } catch (error) {
        expect(error).toBeInstanceOf(SessionTooLargeError);
        expect(jar.size).toBe(0);
        tooLarge++;
        continue;
      }
      // Once too large, larger never fits again.
      expect(tooLarge).toBe(0);
      const session = await read(store, jar);
      expect(session.toJSON()).toEqual(data);
      const count = session.cookie?.chunks as number;
      expect([...jar.keys()]).toEqual(chunkNames(count));
      expect(count).toBeGreaterThanOrEqual(lastCount);
      if (count !== lastCount) boundaries++;
      lastCount = count;
    }
    // The scan really crossed several boundaries and the limit.
    expect(boundaries).toBeGreaterThanOrEqual(4);
    expect(tooLarge).toBeGreaterThan(0);
  });

  it('default budget: sizes around the one-to-two cookie boundary (property)', async () => {
    const store = makeStore({}, new Clock());
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2700, max: 3300 }), async (n) => {
        const jar: Jar = new Map();
        const data = { s: 'y'.repeat(n) };
        const { setCookies } = await write(store, jar, data);
        checkLines(setCookies, 4096);
        const session = await read(store, jar);
        expect(session.toJSON()).toEqual(data);
        expect(jar.size).toBe(setCookies.length);
      }),
      { numRuns: 100 },
    );
  });

  it('growing and shrinking sessions leave exactly the cookies needed (property)', async () => {
    const clock = new Clock();
    const store = makeStore({ cookie: { maxChunkBytes: 600, maxTotalBytes: 6000 } }, clock);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 8 }),
        async (sizes) => {
          // Unrelated cookies in the jar, around ours, must never be touched.
          const jar: Jar = new Map([
            ['theme', 'dark'],
            ['session-other', 'x'],
          ]);
          let expected: Data = {};
          for (const n of sizes) {
            const data: Data = n === 0 ? {} : { s: 'z'.repeat(n) };
            try {
              await write(store, jar, data);
              expected = data;
            } catch (error) {
              expect(error).toBeInstanceOf(SessionTooLargeError);
            }
            const session = await read(store, jar);
            expect(session.rejection).toBeUndefined();
            expect(session.toJSON()).toEqual(expected);
            const ours = [...jar.keys()].filter((k) => k === 'session' || k.startsWith('session.'));
            expect(ours).toEqual(chunkNames(session.cookie?.chunks ?? 0));
            expect(jar.get('theme')).toBe('dark');
            expect(jar.get('session-other')).toBe('x');
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('chunks that do not belong together', () => {
  const options: SessionStoreOptions = {
    cookie: { maxChunkBytes: 512, maxTotalBytes: 8000 },
    advanced: { cacheSize: 0 },
  };

  async function twoSessions() {
    const store = makeStore(options, new Clock());
    const a: Jar = new Map();
    const b: Jar = new Map();
    await write(store, a, { who: 'a', pad: 'A'.repeat(1500) });
    await write(store, b, { who: 'b', pad: 'B'.repeat(1500) });
    expect(a.size).toBe(b.size);
    expect(a.size).toBeGreaterThanOrEqual(4);
    return { store, a, b, count: a.size };
  }

  it('never assembles a mix of two sessions into data (property over every mix)', async () => {
    const { store, a, b, count } = await twoSessions();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.boolean(), { minLength: count, maxLength: count }),
        async (fromA) => {
          const names = chunkNames(count);
          const header = names.map((n, i) => `${n}=${(fromA[i] ? a : b).get(n)}`).join('; ');
          const session = await store.load(header);
          if (fromA.every(Boolean)) expect(session.get('who')).toBe('a');
          else if (fromA.every((x) => !x)) expect(session.get('who')).toBe('b');
          else {
            expect(session.rejection?.reason).toBe('tampered');
            expect(session.keys()).toEqual([]);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('rejects a missing chunk as malformed, naming it', async () => {
    const { store, a, count } = await twoSessions();
    for (let i = 1; i < count; i++) {
      const jar = new Map(a);
      jar.delete(`session.${i}`);
      const session = await read(store, jar);
      expect(session.rejection?.reason).toBe('malformed');
      expect(session.rejection?.detail).toBe(`chunk ${i} of ${count} is missing`);
      expect(session.isNew).toBe(true);
    }
    const jar = new Map(a);
    jar.delete('session');
    expect((await read(store, jar)).isNew).toBe(true);
  });

  it('rejects chunks whose values were reordered between names', async () => {
    const { store, a } = await twoSessions();
    const jar = new Map(a);
    jar.set('session.1', a.get('session.2') as string);
    jar.set('session.2', a.get('session.1') as string);
    const session = await read(store, jar);
    expect(session.rejection?.reason).toBe('tampered');
    expect(session.keys()).toEqual([]);
  });

  it('reads chunks by name, whatever order the header lists them in', async () => {
    const { store, a } = await twoSessions();
    const header = [...a]
      .reverse()
      .map(([n, v]) => `${n}=${v}`)
      .join('; ');
    expect((await store.load(header)).get('who')).toBe('a');
  });

  it('takes the first of duplicate names, and never falls back to a later one', async () => {
    const { store, a, b } = await twoSessions();
    const header = (first: Jar, second: Jar) =>
      [...first, ...second].map(([n, v]) => `${n}=${v}`).join('; ');
    expect((await store.load(header(a, b))).get('who')).toBe('a');
    expect((await store.load(header(b, a))).get('who')).toBe('b');
    // A bad first copy of one chunk: rejected, not repaired from the good copy after it.
    const bad = `session.1=AAAA; ${header(a, new Map())}`;
    const session = await store.load(bad);
    expect(['malformed', 'tampered']).toContain(session.rejection?.reason);
    expect(session.keys()).toEqual([]);
  });

  it('rejects a chunk count out of range', async () => {
    const { store, a } = await twoSessions();
    for (const count of ['0', '1', '17', '99']) {
      const value = (a.get('session') as string).replace(/^\d+~/, `${count}~`);
      const session = await store.load(`session=${value}`);
      expect(session.rejection?.reason).toBe('malformed');
      expect(session.rejection?.detail).toBe(`chunk count ${Number(count)} is out of range`);
    }
    expect(MAX_CHUNKS).toBe(16);
  });

  it('rejects a count lower than the chunks sent (a short join)', async () => {
    const { store, a, count } = await twoSessions();
    const jar = new Map(a);
    jar.set('session', (a.get('session') as string).replace(/^\d+~/, `${count - 1}~`));
    const session = await read(store, jar);
    expect(['malformed', 'tampered']).toContain(session.rejection?.reason);
    expect(session.keys()).toEqual([]);
  });
});

describe('hostile Cookie headers never throw', () => {
  const store = makeStore({ advanced: { cacheSize: 0 } }, new Clock());

  it('arbitrary strings (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc
            .array(
              fc.constantFrom(
                'session',
                'session.1',
                '=',
                ';',
                ' ',
                '%',
                '%ZZ',
                '2~',
                'eyJ',
                '.',
                '\u0000',
                'é',
                '"',
              ),
              { maxLength: 40 },
            )
            .map((p) => p.join('')),
        ),
        async (header) => {
          const session = await store.load(header);
          expect(session.isNew).toBe(true);
          expect(await store.commit(session)).toEqual(expect.any(Array));
        },
      ),
      { numRuns: 300 },
    );
  });

  it.each([
    ['empty', ''],
    ['only separators', ';;;; ;=;='],
    ['no value', 'session'],
    ['empty value', 'session='],
    ['quoted', 'session="abc"'],
    ['bad percent-encoding', 'session=%E0%A4%A'],
    ['non-ASCII', 'session=sessión; ключ=значение'],
    ['NUL and controls', 'session=\u0000\u0001\u007f'],
    ['a chunk marker alone', 'session=2~'],
    ['a huge value', `session=${'A'.repeat(200_000)}`],
  ])('%s', async (_, header) => {
    const session = await store.load(header);
    expect(session.isNew).toBe(true);
    expect(session.keys()).toEqual([]);
  });

  it('finds the session among 5000 other cookies', async () => {
    const jar: Jar = new Map();
    await write(store, jar, { user: 'ada' });
    const others = Array.from({ length: 5000 }, (_, i) => `c${i}=v${i}`).join('; ');
    const session = await store.load(`${others}; ${cookieHeaderFrom([], jar)}; more=1`);
    expect(session.get('user')).toBe('ada');
  });

  it('clears a rejected cookie and all its chunks on the next commit', async () => {
    const session = await store.load('session=2~junk; session.1=junk; session.3=x; theme=dark');
    expect(session.rejection?.reason).toBe('malformed');
    const lines = await store.commit(session);
    const deleted = lines
      .map((l) => parseSetCookie(l))
      .filter((c) => c.maxAge === 0)
      .map((c) => c.name);
    expect(deleted.sort()).toEqual(['session', 'session.1', 'session.3']);
    expect(lines).toHaveLength(3);
  });
});

describe('chunk marker spelling', () => {
  it('reads only the canonical count: a zero-padded marker is rejected, not joined', async () => {
    const store = makeStore(
      { cookie: { maxChunkBytes: 512, maxTotalBytes: 8000 }, advanced: { cacheSize: 0 } },
      new Clock(),
    );
    const jar: Jar = new Map();
    await write(store, jar, { pad: 'P'.repeat(900) });
    const first = jar.get('session') as string;
    expect(first).toMatch(/^[2-9]~/);
    expect((await read(store, jar)).get('pad')).toBe('P'.repeat(900));
    jar.set('session', `0${first}`);
    const session = await read(store, jar);
    expect(session.rejection?.reason).toBe('malformed');
    expect(session.keys()).toEqual([]);
  });
});

describe('announcedChunks', () => {
  // The marker's grammar, as a regular expression: the reader checks it by character codes.
  const MARKER = /^(0|[1-9]\d?)~/;
  it('reads `<n>~` exactly as ^(0|[1-9]\\d?)~ does: one spelling per count', () => {
    const starts = ['0~', '1~', '9~', '10~', '16~', '99~', '02~', '00~', '100~', '1', '12', '~'];
    const more = ['a~', '1a~', '-1~', ' 1~', '1 ~', '١~', '', '0', '9~~', '19~x'];
    for (const start of [...starts, ...more]) {
      for (const value of [start, `${start}eyJhbGciOiJkaXIifQ..x.y.z`]) {
        const marker = MARKER.exec(value);
        expect(announcedChunks(value), value).toBe(marker ? Number(marker[1]) : undefined);
      }
    }
  });
});
