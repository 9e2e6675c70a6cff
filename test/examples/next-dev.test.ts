// `next dev` with no SESSION_KEYS, as a developer first runs an app: Next.js bundles the
// library once per layer (proxy, Route Handlers, Server Components), and every copy must seal
// and open with the one made-up key of the process, or the proxy deletes each new cookie as
// `unknown-key` and the result page shows nothing. A copy of examples/next in a folder of its
// own, so this dev server never shares a .next with the production build of next.test.ts.
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { appEnv, signalGroup } from '../helpers/app-process.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
// First requests compile each route: slow on a shared 2-core machine under a parallel run.
const DEV_MS = 150_000;

let dir: string;
let child: ChildProcess | undefined;
let stderr = '';
let base: string;

beforeAll(async () => {
  // Beside examples/next, so its relative imports (../../demo, ../../dist) still resolve.
  dir = mkdtempSync(join(EXAMPLES, 'next-dev-'));
  for (const entry of ['app', 'lib', 'proxy.js', 'instrumentation.js', 'next.config.mjs']) {
    cpSync(join(EXAMPLES, 'next', entry), join(dir, entry), { recursive: true });
  }
  const manifest = JSON.parse(readFileSync(join(EXAMPLES, 'next', 'package.json'), 'utf8'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...manifest, name: 'next-dev-check' }));
  child = spawn(process.execPath, [nextBin, 'dev', '--port', '0', '--hostname', '127.0.0.1'], {
    cwd: dir,
    env: appEnv({ NEXT_TELEMETRY_DISABLED: '1' }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  base = await localUrl(child);
}, DEV_MS);

/** The address `next dev` prints as "- Local: http://…" once it listens. */
function localUrl(started: ChildProcess): Promise<string> {
  let stdout = '';
  return new Promise((resolve, reject) => {
    started.stdout?.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      const match = /Local:\s+(http:\/\/\S+)/.exec(stdout);
      if (match?.[1]) resolve(match[1]);
    });
    started.once('exit', (code) => {
      reject(new Error(`next dev exited with code ${code}; stderr:\n${stderr}`));
    });
  });
}

afterAll(async () => {
  if (child) {
    signalGroup(child, 'SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500));
    signalGroup(child, 'SIGKILL');
  }
  rmSync(dir, { recursive: true, force: true });
});

it(
  'keeps a session from a Route Handler to a page and through the proxy, with no keys set',
  async () => {
    const posted = await fetch(new URL('/calculate', base), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=2&b=3',
    });
    expect(posted.status).toBe(303);
    const cookie = posted.headers
      .getSetCookie()
      .map((line) => line.split(';', 1)[0] as string)
      .join('; ');
    expect(cookie).toMatch(/^session=./);
    const result = await fetch(new URL('/result', base), { headers: { cookie } });
    const page = await result.text();
    expect(result.status).toBe(200);
    expect(page).toContain('For a = <b>2</b>');
    expect(page).not.toContain('was rejected');
    // The proxy opened it too: no deletion, no re-seal, on a read.
    expect(result.headers.getSetCookie()).toEqual([]);
    expect(stderr.match(/JWE_SESSION_EPHEMERAL_KEY/g)).toHaveLength(1);
  },
  DEV_MS,
);
