// The README's framework sections, run as written: each section's first ```js block is saved
// as a module inside the package (so `jwe-session` resolves to this build, as it would from
// npm) and started with node on a free loopback port, then driven over HTTP.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Browser, sessionLines } from '../adapters/support.js';
import { newKeyEntry } from '../helpers/app-process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = readFileSync(`${ROOT}README.md`, 'utf8');
const SCRATCH = `${ROOT}.scratch/readme`;
const STARTUP_MS = 15_000;

const RECIPES = ['Fastify', 'Hono', 'Koa', 'h3'];

/** The first ```js block under `### heading`. */
function recipe(heading: string): string {
  const start = README.indexOf(`\n### ${heading}\n`);
  if (start === -1) throw new Error(`README has no section "### ${heading}"`);
  const block = /```js\n([\s\S]*?)```/.exec(README.slice(start));
  if (!block?.[1]) throw new Error(`README section "${heading}" has no js block`);
  return block[1];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const children = new Set<ChildProcess>();
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

async function run(name: string): Promise<{ url: string; stderr: () => string }> {
  mkdirSync(SCRATCH, { recursive: true });
  const file = `${SCRATCH}/${name.toLowerCase()}.mjs`;
  writeFileSync(file, recipe(name));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port) };
  env.SESSION_KEYS = newKeyEntry('readme');
  delete env.NODE_ENV;
  const child = spawn(process.execPath, [file], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.add(child);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + STARTUP_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} recipe exited: ${stderr}`);
    try {
      await fetch(`${url}/session-probe`, { redirect: 'manual' });
      return { url, stderr: () => stderr };
    } catch {
      if (Date.now() > deadline) throw new Error(`${name} recipe did not listen: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe.each(RECIPES)('README recipe: %s', (name) => {
  it('counts visits in the session, logs out by expiring every chunk, and shrugs off a garbage cookie', async () => {
    const { url, stderr } = await run(name);
    const user = new Browser(url);
    const first = await user.request('/');
    expect(first.status, stderr()).toBe(200);
    expect(first.body).toBe('visit 1');
    expect(sessionLines(first.setCookies)).toHaveLength(1);
    const second = await user.request('/');
    expect(second.body).toBe('visit 2');

    const out = await user.request('/logout', { method: 'POST' });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/');
    const lines = sessionLines(out.setCookies);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/Max-Age=0/);
    expect(user.jar.size).toBe(0);
    expect((await user.request('/')).body).toBe('visit 1');

    const garbage = await fetch(`${url}/`, {
      headers: { cookie: 'session=garbage; session.1=%%' },
    });
    expect(garbage.status).toBe(200);
    expect(await garbage.text()).toBe('visit 1');
  });
});
