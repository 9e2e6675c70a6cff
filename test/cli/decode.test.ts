import { describe, expect, it } from 'vitest';
import {
  type AnySessionData,
  createSessionStore,
  type SessionStoreOptions,
} from '../../src/index.js';
import { sealAsCookie } from '../helpers/cookie-oracle.js';
import { runCli, secretOf } from './run-cli.js';

const KEY = 'main1:nFJ3Vu-qS0m4d3yH0k9mLtTq1YUcZ2b8sWx5pEoRgAI';
const OTHER = 'other1:Jm2x0QeYt9B_w4LkVn7sUa3cR1dZp8HgFy6EoXiTqMs';
const SECRET = secretOf(KEY);
const DAY = 86_400_000;
// Session data a test can look for in the output; never in the output without keys.
const DATA = { user: 'ann-7f3a9c', roles: ['admin'] };

async function cookieHeader(
  data: Record<string, unknown>,
  options: SessionStoreOptions = {},
  flash?: [string, string],
): Promise<string> {
  const store = createSessionStore({ keys: KEY, ...options });
  const session = await store.load(undefined);
  for (const [k, v] of Object.entries(data)) session.set(k, v as never);
  if (flash) session.flash(flash[0], flash[1]);
  const lines = await store.commit(session);
  return lines.map((line) => line.split(';')[0]).join('; ');
}

async function token(
  options: SessionStoreOptions = {},
  data: AnySessionData = DATA,
): Promise<string> {
  return sealAsCookie(createSessionStore({ keys: KEY, ...options }), data);
}

/** Changes one character in the middle of the ciphertext: still canonical, no longer authentic. */
function tamper(jwe: string): string {
  const parts = jwe.split('.');
  const ciphertext = parts[3] as string;
  const i = Math.floor(ciphertext.length / 2);
  parts[3] = ciphertext.slice(0, i) + (ciphertext[i] === 'A' ? 'B' : 'A') + ciphertext.slice(i + 1);
  return parts.join('.');
}

function expectNoKey(result: { stdout: string; stderr: string }): void {
  expect(result.stdout).not.toContain(SECRET);
  expect(result.stderr).not.toContain(SECRET);
}

describe('jwe-session decode, with keys', () => {
  it('prints the header, the claims as ISO times, the session and the flash', async () => {
    const before = Math.floor(Date.now() / 1000) * 1000;
    const header = await cookieHeader(DATA, {}, ['notice', 'saved']);
    const r = await runCli(['decode', header, '--keys', KEY]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^ {2}alg +dir$/m);
    expect(r.stdout).toMatch(/^ {2}enc +A256GCM$/m);
    expect(r.stdout).toMatch(/^ {2}kid +main1\.\d+ /m);
    expect(r.stdout).toMatch(/^ {2}purpose +session$/m);
    const issued = /^ {2}issued +(\S+)$/m.exec(r.stdout)?.[1] ?? '';
    expect(Date.parse(issued)).toBeGreaterThanOrEqual(before);
    expect(r.stdout).toMatch(/^ {2}expires +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z/m);
    expect(r.stdout).toMatch(/^ {2}created +\d{4}-\d\d-\d\dT/m);
    expect(r.stdout).toContain('"user": "ann-7f3a9c"');
    expect(r.stdout).toMatch(/^flash\n\{\n {2}"notice": "saved"\n\}$/m);
    expectNoKey(r);
  });

  it('reads the keys from SESSION_KEYS, or from --keys-env', async () => {
    const jwe = await token();
    const env = await runCli(['decode', jwe], { env: { SESSION_KEYS: KEY } });
    expect(env.code).toBe(0);
    expect(env.stdout).toContain('ann-7f3a9c');
    const named = await runCli(['decode', jwe, '--keys-env', 'APP_KEYS'], {
      env: { APP_KEYS: KEY, SESSION_KEYS: OTHER },
    });
    expect(named.code).toBe(0);
    expect(named.stdout).toContain('ann-7f3a9c');
    expectNoKey(env);
    expectNoKey(named);
  });

  it('joins a chunked cookie from a whole Cookie header', async () => {
    const big = { blob: 'q'.repeat(3500), user: 'ann-7f3a9c' };
    const header = await cookieHeader(big);
    expect(header).toMatch(/session=2~.*; session\.1=/);
    const pasted = `theme=dark; Cookie-Consent=yes; ${header}; csrf=abc`;
    const r = await runCli(['decode', `Cookie: ${pasted}`, '--keys', KEY]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^cookie +session: 2 chunks, \d+ bytes$/m);
    expect(r.stdout).toContain(`"blob": "${'q'.repeat(3500)}"`);
    expectNoKey(r);
  });

  it('reads the cookie from stdin with -', async () => {
    const header = await cookieHeader(DATA);
    const r = await runCli(['decode', '-'], { env: { SESSION_KEYS: KEY }, stdin: `${header}\n` });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ann-7f3a9c');
  });

  it('prints JSON with --json', async () => {
    const r = await runCli(['decode', await token(), '--keys', KEY, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      cookie: null,
      header: { alg: 'dir', enc: 'A256GCM', keyId: 'main1' },
      keys: '--keys',
      valid: true,
      claims: { purpose: 'session', keyId: 'main1' },
      session: DATA,
    });
    expect(Date.parse(out.claims.expires) - Date.parse(out.claims.issued)).toBe(7 * DAY);
    expect(out.rejection).toBeUndefined();
  });

  it('says when the cookie was sealed with an older key of the ring', async () => {
    const r = await runCli(['decode', await token(), '--keys', `${OTHER},${KEY}`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('main1 (an older key: the next response re-seals it with "other1")');
  });

  it('applies --cookie-name and --purpose, which are bound into the token', async () => {
    const jwe = await token({ cookie: { name: 'sid' }, advanced: { purpose: 'admin' } });
    const wrong = await runCli(['decode', jwe, '--keys', KEY]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('rejected: wrong-purpose:');
    const right = await runCli([
      'decode',
      `sid=${jwe}`,
      '--keys',
      KEY,
      '--cookie-name',
      'sid',
      '--purpose',
      'admin',
    ]);
    expect(right.code).toBe(0);
    expect(right.stdout).toMatch(/^ {2}purpose +sid\/admin$/m);
  });

  it('escapes control characters in the data instead of sending them to the terminal', async () => {
    const r = await runCli([
      'decode',
      await token({}, { note: '\u001b[2J\u0007x' }),
      '--keys',
      KEY,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).not.toContain('\u0007');
    expect(r.stdout).toContain('\\u001b[2J\\u0007x');
  });
});

describe('jwe-session decode, without keys', () => {
  it('prints the header only, says why on stderr, and exits 1 as its help says', async () => {
    // Exit 0 would tell a script "a request accepts this cookie" of one nobody could open.
    const header = await cookieHeader(DATA, {}, ['notice', 'saved']);
    const r = await runCli(['decode', header]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ {2}kid +main1\.\d+ /m);
    expect(r.stderr).toBe(
      'no keys given (--keys, --keys-env, or SESSION_KEYS in the environment): the claims and ' +
        'session data stay sealed, and whether the cookie is valid is unknown\n',
    );
    for (const absent of ['ann-7f3a9c', 'admin', 'saved', 'issued', 'session\n{']) {
      expect(r.stdout).not.toContain(absent);
    }
    expect((await runCli(['decode', '--help'])).stdout).toContain(
      'Without keys it prints the header only (the rest stays sealed) and\nexits 1',
    );
    const jsonRun = await runCli(['decode', header, '--json']);
    expect(jsonRun.code).toBe(1);
    expect(jsonRun.stderr).toBe('');
    const json = JSON.parse(jsonRun.stdout);
    expect(json).toMatchObject({ keys: null, valid: false, header: { keyId: 'main1' } });
    expect(json.session).toBeUndefined();
    expect(json.claims).toBeUndefined();
  });

  it('still rejects a malformed token, exit 1', async () => {
    const r = await runCli(['decode', 'not-a-token']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('rejected: malformed: expected 5 compact JWE segments, got 1');
  });
});

describe('jwe-session decode, rejections: reason on stderr, exit 1, never the key', () => {
  const cases: [string, () => Promise<string>, string[], RegExp][] = [
    ['tampered', async () => tamper(await token()), [], /rejected: tampered: decryption failed/],
    [
      'expired',
      () => token({ testing: { now: () => Date.now() - 40 * DAY } }),
      [],
      /rejected: expired: /,
    ],
    [
      'not yet valid',
      () => token({ testing: { now: () => Date.now() + DAY } }),
      [],
      /rejected: not-yet-valid: /,
    ],
    [
      'unknown key',
      () => sealAsCookie(createSessionStore({ keys: OTHER }), DATA),
      [],
      /rejected: unknown-key: no key with id "other1" in the ring/,
    ],
    [
      'revoked',
      () => token({ testing: { now: () => Date.now() - DAY } }),
      ['--not-before', new Date(Date.now() - 3_600_000).toISOString()],
      /rejected: revoked: /,
    ],
    [
      'too large',
      async () => token({}, { blob: 'z'.repeat(900) }),
      ['--max-total-bytes', '600'],
      /rejected: too-large: token is longer than 600 characters/,
    ],
  ];
  for (const [name, make, extra, reason] of cases) {
    it(name, async () => {
      const jwe = await make();
      const r = await runCli(['decode', jwe, '--keys', KEY, ...extra]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(reason);
      expect(r.stdout).not.toContain('ann-7f3a9c');
      expect(r.stdout).not.toContain('zzzz');
      expectNoKey(r);
      const json = await runCli(['decode', jwe, '--keys', KEY, '--json', ...extra]);
      expect(json.code).toBe(1);
      const out = JSON.parse(json.stdout);
      expect(out.valid).toBe(false);
      expect(`rejected: ${out.rejection.reason}: ${out.rejection.detail}`).toMatch(reason);
      expect(out.session).toBeUndefined();
    });
  }

  it('revoked through SESSION_NOT_BEFORE, as the app reads it', async () => {
    const jwe = await token({ testing: { now: () => Date.now() - DAY } });
    const r = await runCli(['decode', jwe], {
      env: { SESSION_KEYS: KEY, SESSION_NOT_BEFORE: String(Math.floor(Date.now() / 1000) - 60) },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('rejected: revoked:');
  });

  it('a compressed cookie needs --compress, and says so', async () => {
    const jwe = await token({ advanced: { compress: true } });
    const off = await runCli(['decode', jwe, '--keys', KEY]);
    expect(off.code).toBe(1);
    expect(off.stderr).toContain('rejected: malformed:');
    expect(off.stderr).toContain('pass --compress');
    const on = await runCli(['decode', jwe, '--keys', KEY, '--compress']);
    expect(on.code).toBe(0);
    expect(on.stdout).toMatch(/^ {2}zip +DEF$/m);
    expect(on.stdout).toContain('ann-7f3a9c');
  });

  it('a chunked cookie with a chunk missing', async () => {
    const header = await cookieHeader({ blob: 'q'.repeat(3500) });
    const first = header.split('; ')[0] as string;
    const r = await runCli(['decode', `${first}; other=1`, '--keys', KEY]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('rejected: malformed: chunk 1 of 2 is missing');
  });

  it('the first chunk alone, as a bare value', async () => {
    const header = await cookieHeader({ blob: 'q'.repeat(3500) });
    const value = (header.split('; ')[0] as string).slice('session='.length);
    const r = await runCli(['decode', value, '--keys', KEY]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('first of 2 chunks; pass the whole Cookie header');
  });

  it('a Cookie header without the session cookie names what it has', async () => {
    const r = await runCli(['decode', 'theme=dark; sid=x', '--keys', KEY]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'no cookie named "session" in the Cookie header (it has "theme", "sid")',
    );
  });

  it('quotes and escapes the cookie names it echoes from a pasted header (issue 23, finding 10)', async () => {
    // C1 controls and bidi overrides pass JSON.stringify raw; ESC does not, but is checked too.
    const pasted = 'a\u009b31mb=1; \u202eevil=2; \u001b[2Jc=3; d\u2066\u0085e=4';
    for (const args of [[pasted], ['-']]) {
      const r = await runCli(['decode', ...args, '--keys', KEY], { stdin: pasted });
      expect(r.code).toBe(1);
      for (const c of ['\u009b', '\u202e', '\u001b', '\u2066', '\u0085']) {
        expect(r.stderr).not.toContain(c);
        expect(r.stdout).not.toContain(c);
      }
      expect(r.stderr).toContain(
        '(it has "a\\u009b31mb", "\\u202eevil", "\\u001b[2Jc", "d\\u2066\\u0085e")',
      );
    }
  });

  it('an invalid key list: exit 1, the entry named, no secret shown', async () => {
    const r = await runCli(['decode', await token(), '--keys', `${KEY},bad:abc`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--keys: entry 2 (id "bad")');
    expect(r.stdout).toBe('');
    expectNoKey(r);
  });
});

describe('jwe-session decode, usage errors: exit 2', () => {
  const cases: [string, string[], string][] = [
    ['no argument', ['decode'], 'decode needs a cookie value'],
    ['two arguments', ['decode', 'a', 'b'], 'decode takes at most 1 argument'],
    ['unknown option', ['decode', 'a', '--verbose'], 'unknown option --verbose'],
    ['missing value', ['decode', 'a', '--keys'], "option '--keys <value>' argument missing"],
    [
      'value for a switch',
      ['decode', 'a', '--json=yes'],
      "option '--json' does not take an argument",
    ],
    [
      'bad duration',
      ['decode', 'a', '--idle-timeout', '7 days'],
      '--idle-timeout must be a duration',
    ],
    [
      'bad number',
      ['decode', 'a', '--max-total-bytes', 'lots'],
      '--max-total-bytes must be a whole number',
    ],
    [
      'lifetime out of range',
      ['decode', 'a', '--idle-timeout', '10'],
      '--idle-timeout 10 is invalid',
    ],
    [
      'bad cookie name',
      ['decode', 'a', '--cookie-name', 'a;b'],
      '--cookie-name "a;b" is not a valid cookie name',
    ],
    [
      'bad time',
      ['decode', 'a', '--not-before', 'yesterday'],
      '--not-before "yesterday" is not a date',
    ],
    [
      'bad variable name',
      ['decode', 'a', '--keys-env', 'A-B'],
      '--keys-env must be an environment variable name',
    ],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const r = await runCli(args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`jwe-session: ${message}`);
      expect(r.stderr).toContain('Run "jwe-session help decode" for usage.');
    });
  }
});

describe('jwe-session decode, an authentic token refused now', () => {
  it('shows its key and times, to answer "why was I logged out?"', async () => {
    const jwe = await token({ testing: { now: () => Date.now() - DAY } });
    const cutoff = new Date(Date.now() - 3_600_000).toISOString();
    const r = await runCli(['decode', jwe, '--keys', KEY, '--not-before', cutoff]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/rejected: revoked: /);
    expect(r.stdout).toContain('claims (authentic, but not accepted now)');
    expect(r.stdout).toMatch(/^ {2}created {2}\d{4}-\d\d-\d\dT/m);
    expect(r.stdout).not.toContain('ann-7f3a9c');
    const json = JSON.parse(
      (await runCli(['decode', jwe, '--keys', KEY, '--not-before', cutoff, '--json'])).stdout,
    );
    expect(json.rejection.reason).toBe('revoked');
    expect(json.rejection.sealed.keyId).toBe('main1');
    expect(json.session).toBeUndefined();
  });
});

describe('jwe-session decode, incidents', () => {
  /** The Set-Cookie lines a response carried, as an operator copies them from devtools. */
  async function setCookieLines(data: Record<string, unknown>, options: SessionStoreOptions = {}) {
    const store = createSessionStore({ keys: KEY, ...options });
    const session = await store.load(undefined);
    for (const [k, v] of Object.entries(data)) session.set(k, v as never);
    return (await store.commit(session)).map((line) => `Set-Cookie: ${line}`).join('\n');
  }

  it('reads the Set-Cookie lines of a response, chunks joined', async () => {
    const lines = await setCookieLines({ blob: 'z'.repeat(3500), user: 'ann-7f3a9c' });
    expect(lines.split('\n')).toHaveLength(2);
    const r = await runCli(['decode', '-', '--keys', KEY], { stdin: `${lines}\n` });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^cookie +session: 2 chunks, \d+ bytes$/m);
    expect(r.stdout).toContain('ann-7f3a9c');
    const one = await setCookieLines(DATA);
    const single = await runCli(['decode', one, '--keys', KEY]);
    expect(single.code).toBe(0);
    expect(single.stdout).toContain('ann-7f3a9c');
  });

  it('says a deleting Set-Cookie line holds no session', async () => {
    const r = await runCli([
      'decode',
      'Set-Cookie: session=; Max-Age=0; Path=/; HttpOnly',
      '--keys',
      KEY,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the cookie "session" is empty');
  });

  it('opens a cookie that expired weeks ago with --ignore-expiry, and says when it ended', async () => {
    const sealedAt = Date.now() - 40 * DAY;
    const header = await cookieHeader(DATA, { testing: { now: () => sealedAt } });
    const refused = await runCli(['decode', header, '--keys', KEY]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('rejected: expired: token names a key window');
    expect(refused.stderr).toContain('--ignore-expiry');
    expect(refused.stdout).not.toContain('ann-7f3a9c');

    const r = await runCli(['decode', header, '--keys', KEY, '--ignore-expiry']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('ann-7f3a9c');
    const endedAt = new Date(Math.floor(sealedAt / 1000) * 1000 + 7 * DAY).toISOString();
    expect(r.stdout).toContain(`  ended    ${endedAt} (expired: idle lifetime has passed)`);
    expect(r.stderr).toContain('not accepted now: expired');
    expectNoKey(r);

    const json = JSON.parse(
      (await runCli(['decode', header, '--keys', KEY, '--ignore-expiry', '--json'])).stdout,
    );
    expect(json.valid).toBe(false);
    expect(json.ended).toEqual({
      reason: 'expired',
      detail: 'idle lifetime has passed',
      at: endedAt,
    });
    expect(json.session).toEqual(DATA);
  });

  it('names the absolute lifetime when that is what ended the session', async () => {
    const HOUR = 3_600_000;
    const createdAt = Date.now() - DAY;
    const clock = { now: createdAt };
    const timed = createSessionStore({
      keys: KEY,
      lifetime: { idleTimeout: 3600, absoluteTimeout: 7200 },
      testing: { now: () => clock.now },
    });
    let header = '';
    // Visits every 50 minutes re-seal it, until the last one is capped by the absolute deadline.
    for (const [visit, at] of [0, 50, 100].entries()) {
      clock.now = createdAt + (at / 60) * HOUR;
      const session = await timed.load(header);
      session.set('visits', visit + 1);
      header = (await timed.commit(session)).map((l) => l.split(';')[0]).join('; ');
    }
    const r = await runCli([
      'decode',
      header,
      '--keys',
      KEY,
      '--ignore-expiry',
      '--idle-timeout',
      '1h',
      '--absolute-timeout',
      '2h',
      '--json',
    ]);
    const json = JSON.parse(r.stdout);
    expect(json.ended.reason).toBe('expired');
    expect(json.ended.detail).toBe('absolute lifetime has passed');
    expect(json.ended.at).toBe(
      new Date(Math.floor(createdAt / 1000) * 1000 + 2 * HOUR).toISOString(),
    );
    expect(json.session).toEqual({ visits: 3 });
  });

  it('shows a revoked session with the not-before that ended it', async () => {
    const jwe = await token({ testing: { now: () => Date.now() - DAY } });
    const cutoff = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000).toISOString();
    const r = await runCli([
      'decode',
      jwe,
      '--keys',
      KEY,
      '--not-before',
      cutoff,
      '--ignore-expiry',
      '--json',
    ]);
    const json = JSON.parse(r.stdout);
    expect(json.ended.reason).toBe('revoked');
    expect(json.ended.at).toBe(cutoff);
    expect(json.ended.detail).toContain(`not-before ${cutoff}`);
    expect(json.session).toEqual(DATA);
  });

  it('still refuses with --ignore-expiry what is not authentic or not this purpose', async () => {
    const jwe = await token();
    const forged = await runCli(['decode', tamper(jwe), '--keys', KEY, '--ignore-expiry']);
    expect(forged.code).toBe(1);
    expect(forged.stderr).toContain('rejected: tampered');
    expect(forged.stdout).not.toContain('ann-7f3a9c');
    const other = await runCli(['decode', jwe, '--keys', OTHER, '--ignore-expiry']);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('rejected: unknown-key');
    const purpose = await runCli([
      'decode',
      jwe,
      '--keys',
      KEY,
      '--purpose',
      'admin',
      '--ignore-expiry',
    ]);
    expect(purpose.code).toBe(1);
    expect(purpose.stderr).toContain('rejected: wrong-purpose');
    expect(purpose.stdout).not.toContain('ann-7f3a9c');
  });

  it('escapes C1 controls and bidi overrides, in text and in JSON', async () => {
    const note = 'a\u009b31mb\u202ec\u2066d\u0085e';
    const jwe = await token({}, { note });
    const text = await runCli(['decode', jwe, '--keys', KEY]);
    expect(text.code).toBe(0);
    for (const c of ['\u009b', '\u202e', '\u2066', '\u0085']) {
      expect(text.stdout).not.toContain(c);
      expect(text.stderr).not.toContain(c);
    }
    expect(text.stdout).toContain('a\\u009b31mb\\u202ec\\u2066d\\u0085e');
    const json = await runCli(['decode', jwe, '--keys', KEY, '--json']);
    expect(json.stdout).not.toContain('\u202e');
    expect(JSON.parse(json.stdout).session.note).toBe(note);
  });
});

describe('jwe-session decode, a session with its own lifetimes', () => {
  it("shows the session's own absolute deadline and choices, not the store's", async () => {
    const store = createSessionStore({ keys: KEY });
    const session = await store.load(undefined);
    session.set('user', 'ann-7f3a9c');
    session.options({ absoluteTimeout: 7200, persistent: false });
    const header = (await store.commit(session)).map((l) => l.split(';')[0]).join('; ');
    const r = await runCli(['decode', header, '--keys', KEY, '--json']);
    expect(r.code).toBe(0);
    const { claims } = JSON.parse(r.stdout);
    expect(Date.parse(claims.absoluteExpiry) - Date.parse(claims.created)).toBe(7_200_000);
    expect(claims.absoluteTimeout).toBe(7200);
    expect(claims.persistent).toBe(false);
    const text = await runCli(['decode', header, '--keys', KEY]);
    const ends = new Date(Date.parse(claims.created) + 7_200_000).toISOString();
    expect(text.stdout).toContain(`(the session ends by ${ends})`);
  });
});

describe('jwe-session decode reads a header as the store does', () => {
  it('takes the exact bytes: a percent-encoded copy of the token is refused, as a request would be', async () => {
    const header = await cookieHeader(DATA);
    const ok = await runCli(['decode', header, '--keys', KEY]);
    expect(ok.code).toBe(0);
    const encoded = header.replaceAll('.', '%2E');
    const r = await runCli(['decode', encoded, '--keys', KEY]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('rejected: malformed');
    expect(r.stdout).not.toContain('ann-7f3a9c');
  });
});
