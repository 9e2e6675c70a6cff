// Starting and stopping members of the fleet: real Node processes running fleet-server.js from
// the built dist/, each on its own loopback port, keyed only by the SESSION_KEYS they are given.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('./fleet-server.js', import.meta.url));
const STARTUP_MS = 15_000;
const SHUTDOWN_MS = 5_000;

export interface FleetNode {
  readonly name: string;
  readonly url: string;
  readonly keys: string;
  readonly child: ChildProcess;
  /** What the process wrote to stderr: an error response is logged there. */
  stderr(): string;
  /** Counts a request sent to this node; call `end()` once it is answered or failed. */
  begin(): void;
  end(): void;
  /** Resolves once no request is in flight (at once if none is). */
  drained(): Promise<void>;
  /** SIGTERM (the server finishes what it has), then SIGKILL if it lingers. */
  stop(): Promise<void>;
}

const running = new Set<FleetNode>();

export function startNode(name: string, keys: string): Promise<FleetNode> {
  const env: NodeJS.ProcessEnv = { ...process.env, SESSION_KEYS: keys, FLEET_NODE: name };
  delete env.NODE_DEBUG;
  delete env.SESSION_NOT_BEFORE;
  // execArgv: [] runs it as a plain `node` app, without the test runner's loader flags.
  const child = fork(SERVER, [], { env, execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`fleet node ${name} did not start within ${STARTUP_MS} ms: ${stderr}`));
    }, STARTUP_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`fleet node ${name} exited (${code}) before listening: ${stderr}`));
    });
    child.on('message', (message: { ready?: boolean; port?: number }) => {
      if (!message.ready || !message.port) return;
      clearTimeout(timer);
      let inFlight = 0;
      let waiters: (() => void)[] = [];
      const node: FleetNode = {
        name,
        url: `http://127.0.0.1:${message.port}`,
        keys,
        child,
        stderr: () => stderr,
        begin() {
          inFlight++;
        },
        end() {
          if (--inFlight > 0) return;
          const ready = waiters;
          waiters = [];
          for (const done of ready) done();
        },
        drained() {
          if (inFlight === 0) return Promise.resolve();
          return new Promise((done) => waiters.push(done));
        },
        async stop() {
          running.delete(node);
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), SHUTDOWN_MS);
          await exited;
          clearTimeout(timer);
        },
      };
      running.add(node);
      resolve(node);
    });
  });
}

/** For afterAll: no process outlives the test file. */
export async function stopAllNodes(): Promise<void> {
  await Promise.all([...running].map((node) => node.stop()));
}
