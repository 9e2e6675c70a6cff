// The Fetch path outside Node: test/runtimes/app.mjs (the core and `jwe-session/fetch` only)
// served by Bun (Bun.serve), Deno (Deno.serve) and Cloudflare's workerd (a module worker from a
// generated config), each on loopback, all driven over HTTP by the same cases below. The
// binaries and the workerd config come from ./harness.ts.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieHeaderFrom, headerOf, type Jar } from '../helpers/browser-jar.js';
import {
  BUN,
  childEnv,
  DENO,
  denoRun,
  inCI,
  type Running,
  root,
  startWorkerd,
  stopper,
  WORKERD,
} from './harness.js';

const APP = join(root, 'test/runtimes/app.mjs');
const WORKER = join(root, 'test/runtimes/worker.mjs');

const key = (id: string) => `${id}:${randomBytes(32).toString('base64url')}`;
const OLD = key('old');
const NEW = key('new');
// The main ring seals with "new" and still opens "old"; /old/ has the old key alone.
const KEYS = { SESSION_KEYS: `${NEW},${OLD}`, SESSION_KEYS_OLD: OLD };

/** Starts a child that prints `LISTENING <runtime> <port>` once it serves. */
function startPrinting(command: string, args: string[]): Promise<Running> {
  const child = spawn(command, args, { cwd: root, env: childEnv(KEYS) });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('no LISTENING line within 30 s')), 30_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')}: ${error.message}\n${output}`));
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const port = output.match(/LISTENING \w+ (\d+)/)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve({ base: `http://127.0.0.1:${port}`, stop: stopper(child) });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`exited with ${code}`)));
  });
}

// workerd fills `process.env` from the config's text bindings since compatibility date 2026-08-04.
const startApp = () =>
  startWorkerd({
    worker: WORKER,
    compatibilityDate: '2026-11-01',
    bindings: KEYS,
    readyPath: '/session.json',
  });

interface Runtime {
  readonly name: string;
  /** Why it cannot run here, or undefined when it can. */
  readonly missing: string | undefined;
  start(): Promise<Running>;
}

const runtimes: Runtime[] = [
  {
    name: 'bun',
    missing: BUN ? undefined : 'no bun binary',
    start: () => startPrinting(BUN as string, [APP]),
  },
  {
    name: 'deno',
    missing: DENO ? undefined : 'no deno binary',
    start: () => startPrinting(DENO as string, denoRun(APP)),
  },
  {
    name: 'workerd',
    missing: !WORKERD
      ? 'no workerd binary'
      : !BUN
        ? 'no bun binary to bundle the worker'
        : undefined,
    start: startApp,
  },
];

/** A browser for one origin: a cookie jar, Set-Cookie applied after each answer. */
class Browser {
  readonly jar: Jar = new Map();
  constructor(readonly base: string) {}

  async call(method: 'GET' | 'POST', path: string) {
    const headers: Record<string, string> = {};
    if (this.jar.size > 0) headers.cookie = headerOf(this.jar);
    const response = await fetch(`${this.base}${path}`, { method, headers });
    const setCookies = response.headers.getSetCookie();
    cookieHeaderFrom(setCookies, this.jar);
    const body = (await response.json()) as SessionJson & { error?: string };
    return { status: response.status, setCookies, body };
  }

  read(prefix = '') {
    return this.call('GET', `${prefix}/session.json`);
  }
}

interface SessionJson {
  data: { n?: number; notes?: string[] };
  rejection: string | null;
  cookie: { bytes: number; chunks: number; keyId: string } | null;
}

const sessionLines = (lines: readonly string[]) =>
  lines.filter((line) => /^session(\.\d+)?=/.test(line));

/** The JWE protected header of the session cookie in the jar (single-chunk sessions only). */
function headerOfToken(jar: Jar): Record<string, unknown> {
  const token = jar.get('session') ?? '';
  return JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8'));
}

for (const runtime of runtimes) {
  if (runtime.missing !== undefined && inCI) {
    // Under CI a missing runtime is a failure (counted as one), not a skip.
    describe(`the Fetch app on ${runtime.name}`, () => {
      it('has its runtime installed (CI=true)', () => {
        expect.fail(`${runtime.missing}: run \`bash .ci/runtimes.sh\` before the tests`);
      });
    });
    continue;
  }
  const absent = runtime.missing !== undefined;
  if (absent) {
    console.warn(
      `test/runtimes: skipping ${runtime.name} (${runtime.missing}); install the pinned runtimes with \`bash .ci/runtimes.sh\``,
    );
  }

  describe.skipIf(absent)(`the Fetch app on ${runtime.name}`, () => {
    let running: Running | undefined;

    beforeAll(async () => {
      running = await runtime.start();
    });
    afterAll(async () => {
      await running?.stop();
    });

    const browser = () => new Browser((running as Running).base);

    it('seals a session, reads it back, and sends no Set-Cookie for a read', async () => {
      const b = browser();
      const write = await b.call('POST', '/set?n=5');
      expect(write.status).toBe(200);
      expect(sessionLines(write.setCookies)).toHaveLength(1);
      expect(write.setCookies[0]).toMatch(/; HttpOnly/i);
      expect(headerOfToken(b.jar)).toMatchObject({ alg: 'dir', enc: 'A256GCM' });

      const read = await b.read();
      expect(read.body.data).toEqual({ n: 5 });
      expect(read.body.rejection).toBeNull();
      expect(read.setCookies).toEqual([]);
    });

    it('re-seals a cookie of the old key with the new one (rotation without logout)', async () => {
      const b = browser();
      await b.call('POST', '/old/set?n=7');
      expect(String(headerOfToken(b.jar).kid)).toMatch(/^old\./);

      const first = await b.read();
      expect(first.body.data).toEqual({ n: 7 });
      expect(sessionLines(first.setCookies)).toHaveLength(1);
      expect(String(headerOfToken(b.jar).kid)).toMatch(/^new\./);

      const second = await b.read();
      expect(second.body.cookie?.keyId).toBe('new');
      expect(second.setCookies).toEqual([]);
      // Truly re-sealed: the old key alone no longer opens it.
      const oldOnly = await b.read('/old');
      expect(oldOnly.body.data).toEqual({});
      expect(oldOnly.body.rejection).toBe('unknown-key');
    });

    it('chunks a large session, and past the limit answers 413 leaving the cookies as they were', async () => {
      const b = browser();
      await b.call('POST', '/grow?bytes=1800');
      const grown = await b.call('POST', '/grow?bytes=1800');
      expect(grown.status).toBe(200);
      expect(grown.body.cookie).toMatchObject({ chunks: 2 });
      expect([...b.jar.keys()]).toEqual(['session', 'session.1']);
      const before = new Map(b.jar);

      const tooLarge = await b.call('POST', '/grow?bytes=1800');
      expect(tooLarge.status).toBe(413);
      expect(tooLarge.body.error).toBe('ERR_SESSION_TOO_LARGE');
      expect(tooLarge.setCookies).toEqual([]);
      expect(b.jar).toEqual(before);

      const read = await b.read();
      expect(read.body.data.notes).toHaveLength(2);
      expect(read.body.data.notes?.[1]).toHaveLength(1800);
    });

    it('treats a tampered cookie as no session (a 200 with a reason, never an error)', async () => {
      const b = browser();
      await b.call('POST', '/set?n=1');
      const token = b.jar.get('session') as string;
      const at = token.lastIndexOf('.') - 5; // inside the ciphertext
      b.jar.set(
        'session',
        token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1),
      );

      const read = await b.read();
      expect(read.status).toBe(200);
      expect(read.body.data).toEqual({});
      expect(read.body.rejection).toBe('tampered');
    });

    it('destroys a chunked session by expiring every chunk', async () => {
      const b = browser();
      await b.call('POST', '/grow?bytes=1800');
      await b.call('POST', '/grow?bytes=1800');
      expect(b.jar.size).toBe(2);

      const out = await b.call('POST', '/logout');
      const lines = sessionLines(out.setCookies);
      expect(lines.map((line) => line.split('=')[0]).sort()).toEqual(['session', 'session.1']);
      for (const line of lines) expect(line).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
      expect(b.jar.size).toBe(0);
      expect((await b.read()).body.data).toEqual({});
    });

    it('compresses with compress: true (CompressionStream) and reads it back', async () => {
      const b = browser();
      const write = await b.call('POST', '/zip/set?n=9');
      expect(write.status).toBe(200);
      expect(headerOfToken(b.jar)).toMatchObject({ zip: 'DEF' });
      expect((await b.read('/zip')).body.data).toEqual({ n: 9 });
      // A store with compression off refuses it: the zip header was real.
      expect((await b.read()).body.rejection).toBe('malformed');
    });
  });
}
