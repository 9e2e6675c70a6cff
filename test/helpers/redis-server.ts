// A real redis-server for a test file: started as a child process on a free loopback port, with
// no persistence (nothing is written to disk), and stopped by the test. Debian's redis-server
// (apt-get install redis-server; .ci/run installs it) or any on PATH; REDIS_SERVER names one.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';

const inCI = process.env.CI === 'true';

function findBinary(): string | undefined {
  const named = process.env.REDIS_SERVER;
  if (named) return existsSync(named) ? named : undefined;
  if (existsSync('/usr/bin/redis-server')) return '/usr/bin/redis-server';
  try {
    return execFileSync('which', ['redis-server'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export const REDIS_SERVER = findBinary();

/**
 * Whether this file's Redis tests can run. Call at the top level of a test file: without a
 * redis-server, it adds a failing test under CI=true (the CI setup installs one) and warns
 * elsewhere, so a missing binary is never a silent pass in CI.
 */
export function redisServerAvailable(what: string): boolean {
  if (REDIS_SERVER !== undefined) return true;
  if (inCI) {
    it('has redis-server installed (required in CI)', () => {
      throw new Error(
        `no redis-server (${process.env.REDIS_SERVER ? `REDIS_SERVER=${process.env.REDIS_SERVER} is missing` : 'none at /usr/bin or on PATH'}): apt-get install redis-server`,
      );
    });
  } else {
    console.warn(`skipping ${what}: no redis-server (apt-get install redis-server)`);
  }
  return false;
}

/** A port nothing listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Freezes the server (SIGSTOP): its socket stays open, nothing answers. */
  pause(): void;
  /** Lets a paused server run again (SIGCONT). */
  resume(): void;
  /** Kills the server at once (SIGKILL), as a crash would; data is gone (no persistence). */
  kill(): Promise<void>;
  /** Starts a new server on the same port, after kill(). */
  restart(): Promise<void>;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

/** Starts redis-server on a free port and resolves once it accepts connections. */
export async function startRedis(): Promise<RedisServer> {
  const binary = REDIS_SERVER;
  if (binary === undefined) throw new Error('no redis-server');
  const port = await freePort();
  // Its working directory, so nothing can land in the repository even if a save happened.
  const dir = mkdtempSync(join(tmpdir(), 'jwe-session-redis-'));
  let child: ChildProcess | undefined;

  const launch = async (): Promise<void> => {
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
    ];
    const started = spawn(binary, [...args, '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        started.kill('SIGKILL');
        reject(new Error(`redis-server did not start within 10 s:\n${output}`));
      }, 10_000);
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      };
      started.stdout?.on('data', read);
      started.stderr?.on('data', read);
      started.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}:\n${output}`));
      });
    });
    // Keep draining its output, or a full pipe would block the server.
    started.stdout?.resume();
    started.stderr?.resume();
  };

  const end = async (signal: NodeJS.Signals): Promise<void> => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGCONT');
    running.kill(signal);
    const timer = setTimeout(() => running.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  // A test run that ends early (a timeout, a crashed worker) must not leave a server behind.
  const orphan = () => child?.kill('SIGKILL');
  process.once('exit', orphan);

  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    pause: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
    kill: () => end('SIGKILL'),
    restart: launch,
    async stop() {
      process.off('exit', orphan);
      await end('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
