// Every code block of README.md and docs/ (see snippets.ts for how they are found): each page's
// blocks type-check as one project under this repository's strict settings, against the built
// package (`jwe-session` resolves to dist/ from inside the package, as it would from npm); the
// blocks marked `run` run, and those marked `serve` are started and driven over HTTP.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { Browser, sessionLines } from '../adapters/support.js';
import { newKeyEntry } from '../helpers/app-process.js';
import { pages, ROOT, type Snippet, snippetsOf } from './snippets.js';

// .scratch/ is ignored by git.
const SCRATCH = join(ROOT, '.scratch', 'snippets');
const STARTUP_MS = 15_000;
// Pages show TSX for React components; their JSX is checked for syntax and the names it uses,
// with no React types installed at the root.
const JSX_SHIM =
  'declare namespace JSX { interface IntrinsicElements { [name: string]: Record<string, unknown> } type Element = unknown; }\n';

const all = pages().flatMap(snippetsOf);
const byPage = new Map<string, Snippet[]>();
for (const snippet of all) byPage.set(snippet.page, [...(byPage.get(snippet.page) ?? []), snippet]);

const slug = (page: string) => page.replace(/\.md$/, '').replace(/[^\w-]+/g, '_');
const label = (s: Snippet) => `${s.page}:${s.line}`;

function save(snippet: Snippet): string {
  const file = join(SCRATCH, slug(snippet.page), snippet.file);
  mkdirSync(dirname(file), { recursive: true });
  // JavaScript that runs is checked by running it: JS untyped through a framework's context
  // object (Koa's ctx.state, h3's event.context) is fine JavaScript and poor TypeScript.
  const js = snippet.lang === 'js' || snippet.lang === 'mjs';
  writeFileSync(
    file,
    js && snippet.mode !== 'check' ? `// @ts-nocheck\n${snippet.code}` : snippet.code,
  );
  return file;
}

/** The block as a module node runs. */
function runnable(snippet: Snippet): string {
  const file = join(SCRATCH, 'run', `${slug(snippet.page)}-${snippet.line}.mjs`);
  mkdirSync(dirname(file), { recursive: true });
  const js = ts.transpileModule(snippet.code, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  writeFileSync(file, js);
  return file;
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
  rmSync(SCRATCH, { recursive: true, force: true });
});

async function start(snippet: Snippet): Promise<{ url: string; stderr: () => string }> {
  const file = runnable(snippet);
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port) };
  env.SESSION_KEYS = newKeyEntry('docs');
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
    if (child.exitCode !== null) throw new Error(`${label(snippet)} exited: ${stderr}`);
    try {
      await fetch(`${url}/session-probe`, { redirect: 'manual' });
      return { url, stderr: () => stderr };
    } catch {
      if (Date.now() > deadline) throw new Error(`${label(snippet)} did not listen: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe('the code blocks of README.md and docs/', () => {
  it('finds the pages and their blocks, against a build', () => {
    expect(byPage.size).toBeGreaterThanOrEqual(10);
    expect(all.filter((s) => s.mode === 'serve').length).toBeGreaterThanOrEqual(5);
    expect(existsSync(join(ROOT, 'dist/index.js'))).toBe(true);
  });

  it.each([...byPage.keys()])('%s type-checks under the strict settings', (page) => {
    const files = (byPage.get(page) ?? []).map(save);
    const shim = join(SCRATCH, slug(page), 'jsx-shim.d.ts');
    writeFileSync(shim, JSX_SHIM);
    const program = ts.createProgram([...files, shim], {
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
      types: ['node'],
      allowJs: true,
      checkJs: true,
      jsx: ts.JsxEmit.Preserve,
      noEmit: true,
      skipLibCheck: true,
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file
        ? `${d.file.fileName.slice(SCRATCH.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
        : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(problems).toEqual([]);
  });

  const runs = all.filter((s) => s.mode === 'run');
  it.each(runs.map((s) => [label(s), s] as const))('%s runs', (_label, snippet) => {
    // No keys in the environment: the store uses a random one (and says so on stderr).
    execFileSync(process.execPath, [runnable(snippet)], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  });

  const servers = all.filter((s) => s.mode === 'serve');
  it.each(servers.map((s) => [label(s), s] as const))(
    '%s counts visits, logs out by expiring every chunk, and shrugs off a garbage cookie',
    async (_label, snippet) => {
      const { url, stderr } = await start(snippet);
      const user = new Browser(url);
      const first = await user.request('/');
      expect(first.status, stderr()).toBe(200);
      expect(first.body).toBe('visit 1');
      expect(sessionLines(first.setCookies)).toHaveLength(1);
      expect((await user.request('/')).body).toBe('visit 2');

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
    },
  );
});
