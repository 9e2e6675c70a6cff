import { parse } from 'cookie';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkNames } from '../../src/cookie/attributes.js';
import { MAX_NAME_HITS, scanCookies } from '../../src/cookie/cookie-scan.js';

const NAMES = chunkNames('session');

function scan(header: string, names: readonly string[] = NAMES): Record<string, string> {
  const found = scanCookies(header, names);
  if (found === undefined) throw new Error('header refused as crowded');
  return { ...found };
}

describe('scanCookies', () => {
  it('refuses a header holding the name more than MAX_NAME_HITS times, anywhere', () => {
    const at = (n: number, unit: string) => `${unit.repeat(n)}session=v`;
    for (const unit of ['session;', 'x=session ;', 'session.1=;', 'xsession=1;']) {
      expect(scanCookies(at(MAX_NAME_HITS - 1, unit), NAMES), unit).toBeDefined();
      expect(scanCookies(at(MAX_NAME_HITS, unit), NAMES), unit).toBeUndefined();
    }
  });

  it('finds the base name and its chunk names, and nothing else', () => {
    expect(scan('a=1; session=t0; b=2; session.1=t1; session.15=t15; c=3')).toEqual({
      session: 't0',
      'session.1': 't1',
      'session.15': 't15',
    });
  });

  it('ignores names that only look like ours', () => {
    const header = [
      'Session=a',
      'xsession=b',
      'session.0=c',
      'session.01=d',
      'session.16=e',
      'session.100=f',
      'session.1x=g',
      'session.=h',
      'session..1=i',
      'session.1.1=j',
      'sessions=k',
      'x session=l',
    ].join('; ');
    expect(scan(header)).toEqual({});
  });

  it('takes the exact bytes of a value: no trimming, no percent-decoding', () => {
    expect(scan('session= tok ;x=1')).toEqual({ session: ' tok ' });
    expect(scan('session=%41%2E')).toEqual({ session: '%41%2E' });
    expect(scan('session="quoted"')).toEqual({ session: '"quoted"' });
    expect(scan('session=a=b=c')).toEqual({ session: 'a=b=c' });
    expect(scan('session=')).toEqual({ session: '' });
  });

  it('reads names as cookie.parse does: spaces and tabs around them ignored', () => {
    expect(scan(' \tsession \t=v')).toEqual({ session: 'v' });
    expect(scan('a=1;session.2 =w;  session=v')).toEqual({ session: 'v', 'session.2': 'w' });
  });

  it('keeps the first of duplicate names', () => {
    expect(scan('session=first; session=second; session.1=a; session.1=b')).toEqual({
      session: 'first',
      'session.1': 'a',
    });
    // An empty first value still wins, as in cookie.parse: a planted later cookie never does.
    expect(scan('session=; session=second')).toEqual({ session: '' });
  });

  it('never takes our name out of another cookie value or a pair without "="', () => {
    expect(scan('x=session=evil')).toEqual({});
    expect(scan('x=1 session=evil')).toEqual({});
    expect(scan('session; a=1')).toEqual({});
    expect(scan('session;session.1;=x')).toEqual({});
    expect(scan('x=a;session=tok session=evil;')).toEqual({ session: 'tok session=evil' });
  });

  it('works for names that are Object.prototype members', () => {
    for (const base of ['__proto__', 'constructor', 'toString']) {
      const names = chunkNames(base);
      const found = scanCookies(`x=1; ${base}=v; ${base}.1=w`, names);
      expect(Object.getPrototypeOf(found)).toBeNull();
      expect({ ...found }).toEqual({ [base]: 'v', [`${base}.1`]: 'w' });
      expect(scanCookies('x=1', names)?.[base]).toBeUndefined();
    }
  });

  it('handles pathological headers', () => {
    expect(scan(';'.repeat(100_000))).toEqual({});
    expect(scan(`${'session;'.repeat(MAX_NAME_HITS - 1)}session=v`)).toEqual({ session: 'v' });
    expect(scan(`session${' '.repeat(10_000)}=v`)).toEqual({ session: 'v' });
    expect(scan('a=%;'.repeat(10_000))).toEqual({});
  });
});

// RFC 6265 §4.1.1 grammar, as a browser sends it.
const TCHAR = [..."!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"];
// cookie-octet without "%" (which cookie.parse decodes and we do not).
const OCTET = [
  ..."!#$&'()*+-./0123456789:<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~",
];

describe('scanCookies against cookie.parse on well-formed headers', () => {
  const name = fc.oneof(
    fc.constantFrom(...NAMES, 'session.16', 'session.01', 'Session', 'xsession', 'sessionx'),
    fc.string({ unit: fc.constantFrom(...TCHAR), minLength: 1, maxLength: 12 }),
  );
  const value = fc.string({ unit: fc.constantFrom(...OCTET), maxLength: 30 });
  const blank = fc.constantFrom('', ' ', '\t', '  ');
  const header = fc
    .array(fc.tuple(blank, name, blank, value, fc.constantFrom('; ', ';')), { maxLength: 20 })
    .map((pairs) => pairs.map(([b1, n, b2, v, sep]) => `${b1}${n}${b2}=${v}${sep}`).join(''));

  it('finds exactly what cookie.parse finds under our names', () => {
    fc.assert(
      fc.property(header, (text) => {
        const parsed = parse(text);
        const expected: Record<string, string> = {};
        for (const n of NAMES) {
          const v = parsed[n];
          if (v !== undefined) expected[n] = v;
        }
        expect(scan(text)).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('takes any value byte for byte where cookie.parse would decode or trim it', () => {
    const raw = fc.string({ maxLength: 30 }).filter((v) => !v.includes(';'));
    fc.assert(
      fc.property(header, raw, header, (before, v, after) => {
        const text = `${before}session=${v};${after}`;
        const ours = parse(before).session === undefined;
        if (ours) expect(scan(text).session).toBe(v);
      }),
      { numRuns: 2000 },
    );
  });
});
