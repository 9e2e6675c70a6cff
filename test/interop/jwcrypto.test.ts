// An independent decoder: a Python script written from FORMAT.md alone, on Debian's
// python3-jwcrypto, opens the checked-in vector and cookies sealed here just now. If FORMAT.md
// and the code drift apart, this fails.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Clock } from '../helpers/clock.js';
import { passphraseFor } from '../helpers/keys.js';
import { makeStore, TEST_KEYS, visit } from '../helpers/store.js';

const SCRIPT = new URL('./open_with_jwcrypto.py', import.meta.url).pathname;

// Debian's package lands in the system interpreter, which a version manager (pyenv) may
// shadow on PATH: try each. JWCRYPTO_PYTHON picks one explicitly.
const candidates = [process.env.JWCRYPTO_PYTHON, 'python3', '/usr/bin/python3'].filter(
  (c): c is string => Boolean(c),
);
const python = candidates.find(
  (candidate) => spawnSync(candidate, ['-c', 'import jwcrypto'], { stdio: 'ignore' }).status === 0,
);

// In CI a missing jwcrypto is a failure (the CI setup installs python3-jwcrypto); elsewhere a skip.
it.runIf(!python && process.env.CI === 'true')(
  'has python3-jwcrypto installed (required in CI)',
  () => {
    throw new Error(
      `no Python with jwcrypto (tried ${candidates.join(', ')}): apt-get install python3-jwcrypto`,
    );
  },
);
if (!python && process.env.CI !== 'true') {
  console.warn(
    `skipping the jwcrypto interop test: \`python3 -c 'import jwcrypto'\` fails (tried ${candidates.join(', ')}); apt-get install python3-jwcrypto`,
  );
}

interface Request {
  keys: string;
  cookieHeader: string;
  cookieName: string;
  purpose: string;
  now: number;
  idleTimeout: number;
  absoluteTimeout: number;
  tolerance: number;
}

type Answer =
  | {
      ok: true;
      header: Record<string, string>;
      window: number;
      claims: Record<string, unknown>;
      d: Record<string, unknown>;
      f: Record<string, unknown> | null;
    }
  | { ok: false; reason: string };

function openInPython(request: Request): Answer {
  const out = execFileSync(python as string, [SCRIPT], {
    input: JSON.stringify(request),
    encoding: 'utf8',
  });
  return JSON.parse(out) as Answer;
}

interface Vector {
  keys: string;
  sealedAtMs: number;
  options: { purpose: string; idleTimeout: number; absoluteTimeout: number };
  single: { cookieHeader: string; data: Record<string, unknown>; flash: Record<string, unknown> };
  chunked: { cookieHeader: string; data: Record<string, unknown> };
  compressed: { token: string; data: Record<string, unknown> };
}

const vector = JSON.parse(
  readFileSync(new URL('../vectors/v1.json', import.meta.url), 'utf8'),
) as Vector;

const title = python
  ? 'FORMAT.md followed in Python (jwcrypto)'
  : 'FORMAT.md followed in Python (jwcrypto) (skipped: no python3-jwcrypto)';

describe.skipIf(!python)(title, () => {
  const vectorRequest = (cookieHeader: string): Request => ({
    keys: vector.keys,
    cookieHeader,
    cookieName: 'session',
    purpose: `session/${vector.options.purpose}`,
    now: Math.floor(vector.sealedAtMs / 1000) + 600,
    idleTimeout: vector.options.idleTimeout,
    absoluteTimeout: vector.options.absoluteTimeout,
    tolerance: 30,
  });

  it('opens the checked-in vector: single, chunked and compressed', () => {
    const single = openInPython(vectorRequest(vector.single.cookieHeader));
    expect(single).toMatchObject({ ok: true, d: vector.single.data, f: vector.single.flash });
    if (!single.ok) return;
    expect(single.header).toEqual({ alg: 'dir', enc: 'A256GCM', kid: 'vec1.491244' });
    expect(single.claims).toEqual({
      pur: 'session/vector',
      iat: vector.sealedAtMs / 1000,
      exp: vector.sealedAtMs / 1000 + 3600,
      ori: vector.sealedAtMs / 1000,
    });
    expect(openInPython(vectorRequest(vector.chunked.cookieHeader))).toMatchObject({
      ok: true,
      d: vector.chunked.data,
    });
    const compressed = openInPython(vectorRequest(`session=${vector.compressed.token}`));
    expect(compressed).toMatchObject({ ok: true, d: vector.compressed.data });
    expect(compressed.ok && compressed.header.zip).toBe('DEF');
  });

  it('opens a chunked cookie sealed just now, with a passphrase key, a purpose and every optional claim', async () => {
    const clock = new Clock();
    const keys = `pp:passphrase:${passphraseFor('interop')},${TEST_KEYS}`;
    const store = makeStore<{ items: string[] }, { notice: string }>(
      {
        keys,
        advanced: { purpose: 'shop' },
        cookie: { name: '__Host-sid', maxChunkBytes: 1024, maxTotalBytes: 8192 },
        data: { version: 3, migrate: (data) => data },
      },
      clock,
    );
    const items = Array.from({ length: 60 }, (_, i) => `item-${i}-ключ-🔑`);
    const { header, session } = await visit(store, new Map(), (s) => {
      s.regenerate({ subject: 'user-7' });
      s.set('items', items);
      s.flash('notice', 'saved');
      s.options({ persistent: false, idleTimeout: 1800, absoluteTimeout: 7200 });
    });
    expect(session.cookie?.chunks).toBeGreaterThan(2);
    const answer = openInPython({
      keys,
      cookieHeader: `other=1; ${header}`,
      cookieName: '__Host-sid',
      purpose: '__Host-sid/shop',
      now: clock.seconds + 60,
      idleTimeout: 7 * 24 * 3600,
      absoluteTimeout: 30 * 24 * 3600,
      tolerance: 30,
    });
    expect(answer).toMatchObject({ ok: true, d: { items }, f: { notice: 'saved' } });
    if (!answer.ok) return;
    expect(answer.header.kid).toBe(`pp.${Math.floor(clock.seconds / 3600)}`);
    expect(answer.claims).toEqual({
      pur: '__Host-sid/shop',
      iat: clock.seconds,
      exp: clock.seconds + 1800,
      ori: clock.seconds,
      idl: 1800,
      abs: 7200,
      per: false,
      v: 3,
      sid: session.id,
      sub: 'user-7',
      // The millisecond of its creation second (the test clock stands on a whole second).
      orm: 0,
    });
  });

  it("follows FORMAT.md's checks: a changed byte, another purpose or an expired token is refused", () => {
    const base = vectorRequest(vector.single.cookieHeader);
    const parts = vector.single.cookieHeader.split('.');
    const ciphertext = parts[3] as string;
    parts[3] = (ciphertext[0] === 'A' ? 'B' : 'A') + ciphertext.slice(1);
    expect(openInPython({ ...base, cookieHeader: parts.join('.') })).toEqual({
      ok: false,
      reason: 'decryption failed',
    });
    expect(openInPython({ ...base, purpose: 'session' })).toEqual({
      ok: false,
      reason: 'wrong purpose',
    });
    expect(openInPython({ ...base, now: base.now + 2 * 3600 })).toEqual({
      ok: false,
      reason: 'idle lifetime passed',
    });
  });
});
