import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';

/**
 * Waits for the `listening on http://…` line a started server prints on stdout, and resolves
 * with that URL. Rejects if the process exits first, or if `limitMs` passes first (it is then
 * killed with `kill('SIGKILL')`); both messages name `name` and end with `stderr()`.
 */
export function waitForUrl(
  child: ChildProcess & { readonly stdout: Readable },
  name: string,
  limitMs: number,
  stderr: () => string,
  kill: (signal: NodeJS.Signals) => void = (signal) => child.kill(signal),
): Promise<string> {
  let stdout = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      kill('SIGKILL');
      reject(new Error(`${name} did not print its URL within ${limitMs} ms; stderr:\n${stderr()}`));
    }, limitMs);
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with code ${code} before listening; stderr:\n${stderr()}`));
    });
  });
}
