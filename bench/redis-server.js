// A redis-server for the benchmarks that need one: on a free loopback port, no persistence, in
// a temporary directory (the flags of test/helpers/redis-server.ts), up within 10 s or an
// error, and killed with the benchmark, even one ended by Ctrl-C or a kill.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A free loopback port (the OS picks it). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts `binary`; resolves to its `redis://` URL and a `stop()` once it accepts connections. */
export async function startRedisServer(binary = process.env.REDIS_SERVER ?? 'redis-server') {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'jwe-session-bench-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn(binary, [...args, '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const orphan = () => child.kill('SIGKILL');
  const interrupted = () => process.exit(130);
  process.once('exit', orphan);
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const stop = async () => {
    process.off('exit', orphan);
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  let output = '';
  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`redis-server did not start within 10 s:\n${output}`)),
        10_000,
      );
      const read = (chunk) => {
        output += chunk;
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`redis-server (${binary}) could not start: ${error.message}`));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}:\n${output}`));
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  child.stdout.resume();
  child.stderr.resume();
  return { url: `redis://127.0.0.1:${port}`, stop };
}
