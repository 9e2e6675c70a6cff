// What the tests of test/runtimes/ share: the pinned binaries, a clean child environment, and
// workerd served from a generated config.
//
// The binaries come from `bash .ci/runtimes.sh` (pinned npm packages under .runtimes/), or from
// PATH. A runtime that is not installed is skipped with a message; under CI=true it must be
// present, and its absence fails the run.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const inCI = process.env.CI === 'true';

/** The pinned binary under .runtimes/, else the one on PATH, else undefined. */
export function binary(name: string, pinned: string, onPath: string): string | undefined {
  const local = join(root, '.runtimes', name, 'node_modules', pinned);
  if (existsSync(local)) return local;
  try {
    return execFileSync('which', [onPath], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export const BUN = binary('bun', 'bun/bin/bun.exe', 'bun');
export const DENO = binary('deno', 'deno/deno', 'deno');
export const WORKERD = binary('workerd', 'workerd/bin/workerd', 'workerd');

/** Deno's arguments to run a script of this repo: the cache only, loopback only, env read. */
export const denoRun = (script: string): string[] => [
  'run',
  '--cached-only',
  '--allow-env',
  '--allow-net=127.0.0.1',
  `--allow-read=${root}`,
  script,
];

export interface Running {
  readonly base: string;
  stop(): Promise<void>;
}

export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    // Neither runtime may look for updates or report anything: loopback only.
    DENO_NO_UPDATE_CHECK: '1',
    DO_NOT_TRACK: '1',
    ...extra,
  };
}

export function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => child.kill('SIGKILL'), 3000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGTERM');
    });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A capnp string literal (keys are base64url and ids [A-Za-z0-9_-], so only quotes matter). */
const capnp = (text: string) => JSON.stringify(text);

export interface WorkerdOptions {
  /** The worker's module: bundled (jose, cookie and all) with Bun, as workerd resolves no node_modules. */
  readonly worker: string;
  readonly compatibilityDate: string;
  readonly compatibilityFlags?: readonly string[];
  /** Text bindings (and, from compatibility date 2026-08-04, `process.env`). */
  readonly bindings?: Readonly<Record<string, string>>;
  /** A path the worker answers once it serves. */
  readonly readyPath: string;
}

/** Serves one module worker with workerd on a free loopback port. */
export async function startWorkerd(options: WorkerdOptions): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'jwe-session-workerd-'));
  execFileSync(
    BUN as string,
    [
      'build',
      options.worker,
      '--target=browser',
      '--format=esm',
      `--outfile=${join(dir, 'worker.mjs')}`,
    ],
    { cwd: root, env: childEnv(), stdio: 'pipe' },
  );
  const port = await freePort();
  const bindings = Object.entries(options.bindings ?? {})
    .map(([name, text]) => `    (name = ${capnp(name)}, text = ${capnp(text)}),`)
    .join('\n');
  const flags = (options.compatibilityFlags ?? []).map(capnp).join(', ');
  writeFileSync(
    join(dir, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "worker", esModule = embed "worker.mjs") ],
  compatibilityDate = ${capnp(options.compatibilityDate)},
  compatibilityFlags = [ ${flags} ],
  bindings = [
${bindings}
  ],
);
`,
  );
  const child = spawn(WORKERD as string, ['serve', join(dir, 'config.capnp')], {
    cwd: dir,
    env: childEnv(),
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = stopper(child);
  const base = `http://127.0.0.1:${port}`;
  // workerd prints nothing when it listens: ask until it answers.
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await fetch(`${base}${options.readyPath}`);
      break;
    } catch {
      if (child.exitCode !== null || Date.now() > deadline) {
        await stop();
        throw new Error(`workerd did not serve on ${base}:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    base,
    async stop() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
