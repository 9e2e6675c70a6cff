import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** examples/next, started as its `npm start` does (`node start.mjs`, in its own folder). */
export const NEXT_EXAMPLE = fileURLToPath(new URL('../../examples/next/', import.meta.url));

// The first start of a run builds the app (a few tens of seconds on two busy cores); later
// starts find the build current and only boot.
export const NEXT_STARTUP_MS = 150_000;
const SHUTDOWN_MS = 5_000;

export interface ExampleProcess {
  readonly url: string;
  stderr(): string;
  stop(): Promise<number | null>;
}

const running = new Set<ExampleProcess>();

/** Starts the example on a free loopback port and waits for its "listening on" line. */
export function startNextExample(env: Record<string, string> = {}): Promise<ExampleProcess> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env };
  if (!('SESSION_KEYS' in env)) delete childEnv.SESSION_KEYS;
  delete childEnv.NODE_DEBUG;
  delete childEnv.SESSION_NOT_BEFORE;
  // Vitest sets NODE_ENV=test; the example decides its own.
  delete childEnv.NODE_ENV;
  const child: ChildProcess = spawn(process.execPath, ['start.mjs'], {
    cwd: NEXT_EXAMPLE,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const handle = (url: string): ExampleProcess => {
    const example: ExampleProcess = {
      url,
      stderr: () => stderr,
      async stop() {
        running.delete(example);
        if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), SHUTDOWN_MS);
        const code = await exited;
        clearTimeout(timer);
        return code;
      },
    };
    running.add(example);
    return example;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no URL within ${NEXT_STARTUP_MS} ms; stderr:\n${stderr}`));
    }, NEXT_STARTUP_MS);
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(handle(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with code ${code} before listening; stderr:\n${stderr}`));
    });
  });
}

export async function stopAllNextExamples(): Promise<void> {
  await Promise.all([...running].map((example) => example.stop()));
}
