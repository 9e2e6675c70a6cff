// NODE_DEBUG=jwe-session tracing, in the format of Node's util.debuglog ("JWE-SESSION <pid>:
// message"), without importing node:util, so the core stays free of Node built-ins. Messages
// never hold a cookie, a token or session data: only reasons, key ids and sizes. Some carry
// text from outside (a hook's error message, a request's path), escaped here, once, so no
// message can forge a line of its own.
import { oneLine } from './util/printable.js';

const SECTION = 'jwe-session';
let enabled: boolean | undefined;

function isEnabled(): boolean {
  if (enabled === undefined) {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
      ?.env;
    const patterns = (env?.NODE_DEBUG ?? '').split(/[\s,]+/).filter(Boolean);
    enabled = patterns.some((p) => {
      const re = new RegExp(
        `^${p.replace(/[|\\{}()[\]^$+?.]/g, '\\$&').replace(/\*/g, '.*')}$`,
        'i',
      );
      return re.test(SECTION);
    });
  }
  return enabled;
}

export function debug(message: string): void {
  if (!isEnabled()) return;
  const pid = (globalThis as { process?: { pid?: number } }).process?.pid ?? 0;
  console.error(`${SECTION.toUpperCase()} ${pid}: ${oneLine(message)}`);
}
