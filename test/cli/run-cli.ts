import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
};

/** The bin the package declares, as `npx jwe-session` would run it. */
export const binPath = resolve(root, pkg.bin['jwe-session'] as string);

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** The child's whole environment besides PATH: nothing leaks in from the test runner. */
  readonly env?: Record<string, string>;
  readonly stdin?: string;
}

/** Runs the real CLI in a child process: `node <bin> ...args`. */
export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  if (!existsSync(resolve(root, 'dist/cli/main.js'))) {
    throw new Error('dist/cli/main.js is missing: run `npm run build` (npm test does)');
  }
  return new Promise((resolvePromise, reject) => {
    const child = execFile(
      process.execPath,
      [binPath, ...args],
      {
        env: { PATH: process.env.PATH ?? '', ...options.env },
        timeout: 20_000,
        maxBuffer: 1 << 20,
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        resolvePromise({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
    child.stdin?.end(options.stdin ?? '');
  });
}

/** The secret half of a `<id>:<key>` entry. */
export function secretOf(entry: string): string {
  return entry.slice(entry.indexOf(':') + 1);
}
