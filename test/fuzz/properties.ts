// The fuzz properties, shared by `npm run fuzz` (test/fuzz, 100,000 runs each by default)
// and by `npm test` (test/security/fuzz-smoke.test.ts, a few hundred runs).
//
// Inputs are mostly mutations of real sealed cookies, chunked ones included, and of tokens
// that must never open here (another secret under the same key id, another purpose or cookie
// name, expired, compressed): the two properties are that load() and unseal() never throw,
// and that whatever they accept is exactly one of the sessions this ring sealed.
import { createHash } from 'node:crypto';
import { parse } from 'cookie';
import fc from 'fast-check';
import { expect } from 'vitest';
import { chunkNames } from '../../src/cookie/attributes.js';
import { scanCookies } from '../../src/cookie/cookie-scan.js';
import { SessionRejectedError } from '../../src/errors.js';
import type { Session, SessionStore } from '../../src/index.js';
import { openAsCookie } from '../helpers/cookie-oracle.js';
import {
  b64,
  Clock,
  cookiesOf,
  headerOf,
  KEYS,
  keyEntry,
  makeStore,
  WINDOW,
} from '../security/support.js';

/** Runs per property: FUZZ_RUNS from the environment, else the caller's default. */
export function fuzzRuns(fallback: number): number {
  const fromEnv = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : fallback;
}

/** fast-check parameters: FUZZ_SEED reproduces a run that failed. */
export function fuzzParameters(numRuns: number): fc.Parameters<unknown> {
  const seed = Number(process.env.FUZZ_SEED);
  return { numRuns, ...(Number.isInteger(seed) && { seed }), endOnFailure: false };
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const REASONS = [
  'malformed',
  'too-large',
  'unknown-key',
  'tampered',
  'wrong-purpose',
  'expired',
  'not-yet-valid',
  'revoked',
];

interface Sealed {
  /** The joined token. */
  readonly token: string;
  /** The cookies a browser holds for it (one, or a chunk set). */
  readonly cookies: Map<string, string>;
}

export interface FuzzFixture {
  /** The store under test: cache on, chunking at 1 KiB per cookie. */
  readonly store: SessionStore;
  /** Sealed by the store's ring, for the store: each must open, to its data. */
  readonly originals: readonly Sealed[];
  /** Sealed some other way: none may ever open in `store`. */
  readonly foreign: readonly Sealed[];
  /** originals + foreign, for picking sources and splicing. */
  readonly all: readonly Sealed[];
  /** Exact tokens the ring sealed, and the JSON of the data each holds. */
  readonly accepted: ReadonlyMap<string, string>;
  readonly acceptedData: ReadonlySet<string>;
}

function noise(label: string, length: number): string {
  let out = '';
  for (let i = 0; out.length < length; i++) {
    out += createHash('sha256').update(`${label}${i}`).digest('base64url');
  }
  return out.slice(0, length);
}

/** JSON with sorted keys, so equal data compares equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}

async function sealed(store: SessionStore, data: Record<string, unknown>): Promise<Sealed> {
  const session = (await store.load(undefined)) as Session<Record<string, unknown>>;
  for (const [key, value] of Object.entries(data)) session.set(key, value);
  const cookies = cookiesOf(await store.commit(session as Session));
  const first = cookies.get(store.cookieName) as string;
  const count = /^\d+~/.test(first) ? Number(first.split('~')[0]) : 1;
  let token = first.replace(/^\d+~/, '');
  for (let i = 1; i < count; i++) token += cookies.get(`${store.cookieName}.${i}`);
  // Present every set under the store's cookie name, so foreign ones are tried as ours.
  const renamed = new Map(
    [...cookies].map(([name, value]) => [name.replace(store.cookieName, 'session'), value]),
  );
  return { token, cookies: renamed };
}

export async function makeFixture(): Promise<FuzzFixture> {
  const options = { cookie: { maxChunkBytes: 1024 }, advanced: { cacheSize: 1000 } };
  const ring = `${KEYS},${keyEntry('k0')}`;
  const store = makeStore({ ...options, keys: ring });
  const olderKey = makeStore({ ...options, keys: `${keyEntry('k0')},${KEYS}` });
  const originals = [
    await sealed(store, { user: 'alice' }),
    await sealed(store, { user: 'bob', roles: ['admin', 'ops'], n: 1.5, ok: true, nil: null }),
    await sealed(store, { cart: [{ sku: 'a', qty: 1 }], __proto__: { x: 1 }, ünï: '😀' }),
    await sealed(store, { user: 'carol', blob: noise('c', 2500) }),
    await sealed(store, { user: 'dave', blob: noise('d', 3500) }),
    await sealed(olderKey, { user: 'erin' }),
  ];
  const past = new Clock();
  past.advance(-40 * 24 * 3600);
  const foreign = [
    await sealed(makeStore({ ...options, keys: keyEntry('k1', 'impostor') }), { user: 'm1' }),
    await sealed(makeStore({ ...options, keys: ring, advanced: { purpose: 'admin' } }), {
      user: 'm2',
    }),
    await sealed(makeStore({ ...options, keys: ring, cookie: { name: 'other' } }), { user: 'm3' }),
    await sealed(makeStore({ ...options, keys: ring }, past), { user: 'm4' }),
    await sealed(makeStore({ ...options, keys: ring, advanced: { compress: true } }), {
      user: 'm5',
    }),
    await sealed(makeStore({ ...options, keys: keyEntry('gone') }), { user: 'm6' }),
    await sealed(makeStore({ ...options, keys: keyEntry('k1', 'impostor') }), {
      user: 'm7',
      blob: noise('m', 2500),
    }),
  ];
  const accepted = new Map<string, string>();
  for (const original of originals) {
    const opened = await openAsCookie(store, original.token);
    if (opened instanceof SessionRejectedError) throw opened;
    accepted.set(original.token, canonical(opened));
  }
  for (const f of foreign) {
    if (!((await openAsCookie(store, f.token)) instanceof SessionRejectedError)) {
      throw new Error('fixture: a foreign token opened');
    }
  }
  if (!originals.some((o) => o.cookies.size >= 3)) throw new Error('fixture: nothing chunked');
  return {
    store,
    originals,
    foreign,
    all: [...originals, ...foreign],
    accepted,
    acceptedData: new Set(accepted.values()),
  };
}

// ---------------------------------------------------------------------------------------
// Arbitraries

const position = fc.nat({ max: 100_000 });
const segmentIndex = fc.integer({ min: 0, max: 4 });
const oddChars = fc.constantFrom(
  '=',
  '==',
  ' ',
  '\t',
  '\n',
  '+',
  '/',
  '.',
  '~',
  '%',
  '%2E',
  ';',
  ',',
  '"',
  '\0',
  'é',
  '😀',
  '\uD800',
  '2~',
);
const b64Char = fc.constantFrom(...ALPHABET);
const b64String = (max: number, min = 0) =>
  fc.string({ unit: b64Char, minLength: min, maxLength: max });

/** Protected headers near ours and far from it. */
const headerJson = fc.oneof(
  fc.record(
    {
      alg: fc.constantFrom('dir', 'none', 'A256KW', 'PBES2-HS256+A128KW', 'RSA-OAEP', 'HS256'),
      enc: fc.constantFrom('A256GCM', 'A128GCM', 'A256CBC-HS512'),
      kid: fc.oneof(
        fc.constantFrom(`k1.${WINDOW}`, `k0.${WINDOW}`, `k9.${WINDOW}`, `k1.${WINDOW + 5}`, 'k1'),
        fc.string({ maxLength: 12 }),
      ),
      zip: fc.constantFrom('DEF', 'GZ'),
      crit: fc.constant(['exp']),
      p2c: fc.constant(2 ** 31),
    },
    { requiredKeys: [] },
  ),
  fc.json({ maxDepth: 2 }),
);

type Mutation =
  | { kind: 'char'; pos: number; delta: number }
  | { kind: 'bits'; pos: number }
  | { kind: 'insert'; pos: number; text: string }
  | { kind: 'delete'; pos: number; length: number }
  | { kind: 'truncate'; pos: number }
  | { kind: 'extend'; text: string }
  | { kind: 'swap'; a: number; b: number }
  | { kind: 'duplicate'; from: number; to: number }
  | { kind: 'splice'; other: number; segment: number }
  | { kind: 'empty'; segment: number }
  | { kind: 'header'; json: unknown }
  | { kind: 'pad'; segment: number; pad: string };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('char'), pos: position, delta: fc.integer({ min: 1, max: 63 }) }),
  fc.record({ kind: fc.constant('bits'), pos: position }),
  fc.record({
    kind: fc.constant('insert'),
    pos: position,
    text: fc.oneof(oddChars, b64String(4)),
  }),
  fc.record({ kind: fc.constant('delete'), pos: position, length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('truncate'), pos: position }),
  fc.record({ kind: fc.constant('extend'), text: fc.oneof(oddChars, b64String(8)) }),
  fc.record({ kind: fc.constant('swap'), a: segmentIndex, b: segmentIndex }),
  fc.record({ kind: fc.constant('duplicate'), from: segmentIndex, to: segmentIndex }),
  fc.record({ kind: fc.constant('splice'), other: fc.nat(), segment: segmentIndex }),
  fc.record({ kind: fc.constant('empty'), segment: segmentIndex }),
  fc.record({ kind: fc.constant('header'), json: headerJson }),
  fc.record({ kind: fc.constant('pad'), segment: segmentIndex, pad: fc.constantFrom('=', '==') }),
) as fc.Arbitrary<Mutation>;

function applyMutation(token: string, m: Mutation, all: readonly Sealed[]): string {
  const at = (pos: number) => (token.length === 0 ? 0 : pos % (token.length + 1));
  const parts = token.split('.');
  const seg = (i: number) => i % Math.max(parts.length, 1);
  switch (m.kind) {
    case 'char': {
      if (token.length === 0) return token;
      const i = m.pos % token.length;
      const index = ALPHABET.indexOf(token[i] as string);
      const next = index < 0 ? 'A' : ALPHABET[(index + m.delta) % 64];
      return token.slice(0, i) + next + token.slice(i + 1);
    }
    case 'bits': {
      // Stray low bits in a segment's last character: same bytes under a lenient decoder.
      const i = seg(m.pos);
      const part = parts[i] ?? '';
      const index = ALPHABET.indexOf(part.at(-1) ?? '');
      if (index < 0) return token;
      parts[i] = part.slice(0, -1) + ALPHABET[index | (1 + (m.pos % 15))];
      return parts.join('.');
    }
    case 'insert':
      return token.slice(0, at(m.pos)) + m.text + token.slice(at(m.pos));
    case 'delete':
      return token.slice(0, at(m.pos)) + token.slice(at(m.pos) + m.length);
    case 'truncate':
      return token.slice(0, at(m.pos));
    case 'extend':
      return token + m.text;
    case 'swap': {
      const a = seg(m.a);
      const b = seg(m.b);
      [parts[a], parts[b]] = [parts[b] as string, parts[a] as string];
      return parts.join('.');
    }
    case 'duplicate':
      parts[seg(m.to)] = parts[seg(m.from)] as string;
      return parts.join('.');
    case 'splice': {
      const other = (all[m.other % all.length] as Sealed).token.split('.');
      parts[seg(m.segment)] = other[m.segment % other.length] as string;
      return parts.join('.');
    }
    case 'empty':
      parts[seg(m.segment)] = '';
      return parts.join('.');
    case 'header':
      parts[0] = b64(m.json);
      return parts.join('.');
    case 'pad':
      parts[seg(m.segment)] += m.pad;
      return parts.join('.');
  }
}

/** A token: a real one (ours or foreign) with 0-4 mutations. */
export function mutatedToken(fixture: FuzzFixture): fc.Arbitrary<string> {
  return fc
    .tuple(fc.nat(), fc.array(mutation, { maxLength: 4 }))
    .map(([source, mutations]) =>
      mutations.reduce(
        (token, m) => applyMutation(token, m, fixture.all),
        (fixture.all[source % fixture.all.length] as Sealed).token,
      ),
    );
}

/** A token built from scratch: five segments, a header near ours, GCM-sized iv and tag. */
export const generatedToken: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(
      fc.oneof(headerJson.map(b64), b64String(40)),
      fc.oneof(fc.constant(''), b64String(8)),
      fc.oneof(b64String(16, 16), b64String(20)),
      b64String(200),
      fc.oneof(b64String(22, 22), b64String(24)),
    )
    .map((parts) => parts.join('.')),
  fc.string({ maxLength: 300 }),
  fc.string({ unit: fc.constantFrom(...`${ALPHABET}.~=; `), maxLength: 300 }),
);

/** A Cookie header: pairs of our names and others, with real, mutated or random values. */
export function cookieHeader(fixture: FuzzFixture): fc.Arbitrary<string> {
  const name = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.integer({ min: 0, max: 17 }).map((i) => (i ? `session.${i}` : 'session')),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'Session',
        'session.01',
        'session.',
        'session.1.1',
        ' session',
        'other',
        '',
      ),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
  );
  const chunkValue = fc
    .tuple(fc.nat(), fc.nat(), fc.array(mutation, { maxLength: 2 }))
    .map(([source, index, mutations]) => {
      const values = [...(fixture.all[source % fixture.all.length] as Sealed).cookies.values()];
      const value = values[index % values.length] as string;
      return mutations.reduce((v, m) => applyMutation(v, m, fixture.all), value);
    });
  const value = fc.oneof(
    { weight: 4, arbitrary: chunkValue },
    { weight: 2, arbitrary: mutatedToken(fixture) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 0, max: 20 }), b64String(60))
        .map(([n, rest]) => `${n}~${rest}`),
    },
  );
  const separator = fc.constantFrom('; ', ';', '; ', ';;', ' ; ', ', ', '');
  const pairs = fc.array(
    fc.tuple(name, fc.constantFrom('=', '=', '=', '', '=='), value, separator),
    {
      maxLength: 12,
    },
  );
  // A real cookie set of ours or a foreign one, shuffled in among the other pairs.
  const real = fc
    .tuple(fc.nat(), fc.boolean(), fc.array(fc.nat(), { maxLength: 3 }))
    .map(([source, whole, drop]) => {
      const cookies = new Map((fixture.all[source % fixture.all.length] as Sealed).cookies);
      if (!whole)
        for (const d of drop) cookies.delete([...cookies.keys()][d % cookies.size] as string);
      return headerOf(cookies);
    });
  return fc
    .tuple(
      pairs,
      fc.option(real, { nil: undefined }),
      fc.nat(),
      fc.array(mutation, { maxLength: 2 }),
    )
    .map(([list, realHeader, where, headerMutations]) => {
      const rendered = list.map(([n, eq, v, sep]) => `${n}${eq}${v}${sep}`);
      if (realHeader !== undefined)
        rendered.splice(where % (rendered.length + 1), 0, `${realHeader}; `);
      // Occasionally mutate the header string as a whole, separators included.
      return headerMutations.reduce(
        (h, m) =>
          m.kind === 'header' || m.kind === 'splice' ? h : applyMutation(h, m, fixture.all),
        rendered.join(''),
      );
    });
}

// ---------------------------------------------------------------------------------------
// Properties

function expectRejectionShape(rejection: SessionRejectedError): void {
  expect(REASONS).toContain(rejection.reason);
  expect(rejection.code).toBe('ERR_SESSION_REJECTED');
  // Details go to logs: printable ASCII only (no line breaks, no terminal controls),
  // whatever the token held.
  expect(rejection.message).toMatch(/^[\x20-\x7e]*$/);
}

/** unseal() never throws, and opens only the exact tokens the ring sealed, to their data. */
export function tokenProperty(fixture: FuzzFixture, tokens: fc.Arbitrary<string>) {
  return fc.asyncProperty(tokens, async (token) => {
    const result = await openAsCookie(fixture.store, token);
    if (result instanceof SessionRejectedError) {
      expectRejectionShape(result);
      return;
    }
    const data = fixture.accepted.get(token);
    expect(data, 'accepted a token the ring did not seal').toBeDefined();
    expect(canonical(result)).toBe(data);
  });
}

/**
 * load() never throws, and gives either an empty session or one holding exactly the data of
 * a session the ring sealed; commit() then writes only this session's exact cookie names.
 */
export function cookieHeaderProperty(fixture: FuzzFixture, headers: fc.Arbitrary<string>) {
  return fc.asyncProperty(headers, async (header) => {
    const session = await fixture.store.load(header);
    if (session.rejection) expectRejectionShape(session.rejection);
    if (session.isNew) {
      expect(session.keys()).toEqual([]);
    } else {
      expect(session.rejection).toBeUndefined();
      expect(fixture.acceptedData.has(canonical(session.toJSON())), 'accepted foreign data').toBe(
        true,
      );
    }
    const lines = await fixture.store.commit(session);
    for (const line of lines) expect(line).toMatch(/^session(\.([1-9]|1[0-5]))?=[^;]*;/);
  });
}

// ---------------------------------------------------------------------------------------
// The Cookie-header scan (src/cookie/cookie-scan.ts) against cookie.parse

const SCAN_NAMES = chunkNames('session');
const TCHAR = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/**
 * A Cookie header as a browser could send it, with our names, near names and others, blanks
 * around names; `escapes` lets values of other cookies hold "%" (cookie.parse decodes those).
 */
export const wellFormedHeader: fc.Arbitrary<string> = fc
  .array(
    fc.tuple(
      fc.constantFrom('', ' ', '\t'),
      fc.oneof(
        fc.constantFrom(
          ...SCAN_NAMES,
          'session.16',
          'session.01',
          'Session',
          'xsession',
          'session.',
        ),
        fc.string({ unit: fc.constantFrom(...TCHAR), minLength: 1, maxLength: 12 }),
      ),
      fc.constantFrom('', ' '),
      fc.oneof(
        fc.string({ unit: fc.constantFrom(...`${ALPHABET}.~`), maxLength: 40 }),
        fc.string({
          unit: fc.constantFrom(...`${ALPHABET}.~!#$&'()*+/:<=>?@[]^\`{|}`),
          maxLength: 20,
        }),
      ),
      fc.constantFrom('; ', ';'),
    ),
    { maxLength: 30 },
  )
  .map((pairs) => pairs.map(([b1, n, b2, v, sep]) => `${b1}${n}${b2}=${v}${sep}`).join(''));

/**
 * On well-formed headers the scan finds exactly what cookie.parse finds under our names; on
 * any string it never throws and takes each value exactly as it stands after its "=".
 */
export function scanProperty(headers: fc.Arbitrary<string>) {
  return fc.property(fc.oneof(headers, fc.string({ maxLength: 200 })), (header) => {
    const scanned = scanCookies(header, SCAN_NAMES);
    // Crowded headers (more than MAX_NAME_HITS names) are refused whole; none generated here.
    expect(scanned).toBeDefined();
    const found = scanned as Record<string, string>;
    const parsed = parse(header);
    for (const name of SCAN_NAMES) {
      const value = found[name];
      if (value === undefined) continue;
      expect(header.includes(`=${value}`)).toBe(true);
      expect(value.includes(';')).toBe(false);
      // cookie.parse trims and decodes; without blanks or "%", it must agree.
      if (!/[%\s]/.test(value)) expect(parsed[name]).toBe(value);
    }
    for (const name of SCAN_NAMES) {
      const value = parsed[name];
      if (value !== undefined && !/[%\s]/.test(header)) expect(found[name]).toBe(value);
    }
  });
}
