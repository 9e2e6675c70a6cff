import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { waitForUrl } from '../helpers/wait-for-url.js';

/** The demo as `npm start` runs it; it imports the package by name, so it runs against dist/. */
export const DEMO_SERVER = fileURLToPath(new URL('../../examples/demo/server.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const STARTUP_MS = 15_000;
const SHUTDOWN_MS = 5_000;

/** A SESSION_KEYS entry: `<id>:<32 random bytes, base64url>`, as `jwe-session keygen` prints. */
export function newKeyEntry(id: string): string {
  return `${id}:${randomBytes(32).toString('base64url')}`;
}

export interface DemoProcess {
  /** The URL the demo printed, e.g. `http://127.0.0.1:41234/`. */
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** SIGTERM, then SIGKILL if it has not exited in time; resolves with the exit code. */
  stop(): Promise<number | null>;
}

const running = new Set<DemoProcess>();

/**
 * Starts `node examples/demo/server.js` on a free loopback port and waits for the URL line.
 * `env` is added to a copy of this process's environment without SESSION_KEYS, so a test
 * gets the ephemeral key only when it asks for it.
 */
export function startDemo(env: Record<string, string> = {}): Promise<DemoProcess> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env };
  if (!('SESSION_KEYS' in env)) delete childEnv.SESSION_KEYS;
  delete childEnv.NODE_DEBUG;
  delete childEnv.SESSION_NOT_BEFORE;
  if (childEnv.NODE_ENV === 'production') delete childEnv.NODE_ENV;
  const child = spawn(process.execPath, [DEMO_SERVER], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
  });

  const demo = (url: string): DemoProcess => {
    const handle: DemoProcess = {
      url,
      child,
      stderr: () => stderr,
      async stop() {
        running.delete(handle);
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), SHUTDOWN_MS);
          const code = await exited;
          clearTimeout(timer);
          return code;
        }
        return child.exitCode;
      },
    };
    running.add(handle);
    return handle;
  };

  return waitForUrl(child, 'demo', STARTUP_MS, () => stderr).then(demo);
}

/** Stops every demo still running: for afterAll, so no test leaves a process behind. */
export async function stopAllDemos(): Promise<void> {
  await Promise.all([...running].map((demo) => demo.stop()));
}
