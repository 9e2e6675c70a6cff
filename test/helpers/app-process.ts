// The example apps as processes, started as a user starts them and stopped with their whole
// process group, for the tests that drive them over HTTP or in a browser.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { waitForUrl } from './wait-for-url.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The demo as `npm start` runs it; it imports the package by name, so it runs against dist/. */
const DEMO_SERVER = fileURLToPath(new URL('../../examples/demo/server.js', import.meta.url));
/** The contract gives an app 30 s from `npm start` to answer (a framework may build first). */
const STARTUP_MS = 30_000;
/**
 * Next.js and SvelteKit build inside `npm start` when their app changed; on these shared 2-core
 * machines a cold build under a parallel test run takes far longer than on a quiet one.
 */
export const BUILDING_STARTUP_MS: Readonly<Record<string, number>> = {
  next: 150_000,
  astro: 90_000,
  sveltekit: 90_000,
};
const SHUTDOWN_MS = 5_000;

/** A SESSION_KEYS entry: `<id>:<32 random bytes, base64url>`, as `jwe-session keygen` prints. */
export function newKeyEntry(id: string): string {
  return `${id}:${randomBytes(32).toString('base64url')}`;
}

export interface AppProcess {
  /** The URL the app printed, e.g. `http://127.0.0.1:41234/`. */
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** SIGTERM to its process group, then SIGKILL if it has not exited in time; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * The environment an example app starts with, as a user's shell would give it: `env` over
 * this one, without the test run's own settings. SESSION_KEYS and NODE_ENV are kept only when
 * `env` has them, so the ephemeral key is used only on request.
 */
export function appEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!('SESSION_KEYS' in env)) delete childEnv.SESSION_KEYS;
  // The test run's own npm context (npm test sets npm_* for the root package) is not the app's.
  for (const key of Object.keys(childEnv)) if (key.startsWith('npm_')) delete childEnv[key];
  delete childEnv.NODE_DEBUG;
  delete childEnv.SESSION_NOT_BEFORE;
  // Vitest sets NODE_ENV=test; a user's `npm start` has none, and the app decides its own.
  if (!('NODE_ENV' in env)) delete childEnv.NODE_ENV;
  return childEnv;
}

/** Signals a process started with `detached: true` and everything in its group. */
export function signalGroup(target: ChildProcess, name: NodeJS.Signals): void {
  try {
    if (target.pid !== undefined) process.kill(-target.pid, name);
  } catch {
    // The group is gone already.
  }
}

const running = new Set<AppProcess>();

/**
 * Runs `command` in `cwd` on a free loopback port, in a process group of its own (so stopping
 * it stops npm and the server npm started), and waits for the URL it prints.
 */
function startApp(
  name: string,
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<AppProcess> {
  const child = spawn(command, args, {
    cwd,
    env: appEnv({ PORT: '0', HOST: '127.0.0.1', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
  });
  const handle = (url: string): AppProcess => {
    const app: AppProcess = {
      url,
      child,
      stderr: () => stderr,
      async stop() {
        running.delete(app);
        if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
        signalGroup(child, 'SIGTERM');
        const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), SHUTDOWN_MS);
        const code = await exited;
        clearTimeout(timer);
        return code;
      },
    };
    running.add(app);
    return app;
  };
  return waitForUrl(
    child,
    name,
    BUILDING_STARTUP_MS[name] ?? STARTUP_MS,
    () => stderr,
    (signal) => signalGroup(child, signal),
  ).then(handle);
}

/** `node examples/demo/server.js`, as the package's `npm start` runs it once dist/ is built. */
export function startDemo(env: Record<string, string> = {}): Promise<AppProcess> {
  return startApp('demo', process.execPath, [DEMO_SERVER], ROOT, env);
}

/**
 * An example app as a user starts it: `npm start` in `examples/<name>` (its dependencies
 * come from the root's install). `demo` has no folder of its own to start from: it is
 * started as `startDemo` does.
 */
export function startExample(name: string, env: Record<string, string> = {}): Promise<AppProcess> {
  if (name === 'demo') return startDemo(env);
  const cwd = fileURLToPath(new URL(`../../examples/${name}/`, import.meta.url));
  return startApp(name, 'npm', ['start'], cwd, env);
}

export interface Refusal {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Whether a request sent once it printed its URL (if it did) got any answer. */
  readonly answered: boolean;
}

/** How long an app that printed its URL is given to exit after all. */
const REFUSAL_GRACE_MS = 10_000;

/**
 * Runs `npm start` for an app expected to refuse to start, and resolves when it has exited:
 * an example in `examples/<name>`, or the demo as the repository's README starts it, with
 * `npm start` at the root. If it prints its URL after all, one request is sent there (a
 * framework may listen before it finds out) and it is killed if still running
 * REFUSAL_GRACE_MS later; one still running after the start-up limit is killed and rejects.
 */
export function startExpectingRefusal(name: string, env: Record<string, string>): Promise<Refusal> {
  const limit = BUILDING_STARTUP_MS[name] ?? STARTUP_MS;
  const cwd =
    name === 'demo' ? ROOT : fileURLToPath(new URL(`examples/${name}/`, `file://${ROOT}`));
  const child = spawn('npm', ['start'], {
    cwd,
    env: appEnv({ PORT: '0', HOST: '127.0.0.1', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  let answered = false;
  let probe: Promise<void> | undefined;
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
    const url = /listening on (http:\/\/\S+)/.exec(stdout)?.[1];
    if (url && !probe) {
      // Settles when an answer comes or the process dies with the connection.
      probe = fetch(url, { redirect: 'manual' }).then(
        () => {
          answered = true;
        },
        () => {},
      );
      setTimeout(() => signalGroup(child, 'SIGKILL'), REFUSAL_GRACE_MS).unref();
    }
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signalGroup(child, 'SIGKILL');
      reject(
        new Error(`${name} still ran after ${limit} ms; stdout:\n${stdout}\nstderr:\n${stderr}`),
      );
    }, limit);
    child.once('exit', async (code) => {
      clearTimeout(timer);
      // Anything npm started in the group (it should have ended with npm) goes too.
      signalGroup(child, 'SIGKILL');
      await probe;
      resolve({ code, stdout, stderr, answered });
    });
  });
}

/** Stops every app still running: for afterAll, so no test leaves a process behind. */
export async function stopAllApps(): Promise<void> {
  await Promise.all([...running].map((app) => app.stop()));
}
