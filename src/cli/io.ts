import type { Env } from '../keys/from-env.js';
import { terminalSafe } from '../util/printable.js';

/** Where a command reads and writes; a parameter so `main` never touches globals directly. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: Env;
  readonly readStdin: () => Promise<string>;
}

/**
 * What the CLI prints quotes pasted cookies, their names and session data: every write goes
 * through the library's one escaping, so a control or bidi character shows as `\uXXXX`
 * instead of acting on the terminal. JSON stays valid JSON (its strings get the escapes).
 */
export function terminalIo(io: CliIo): CliIo {
  return {
    ...io,
    out: (text) => io.out(terminalSafe(text)),
    err: (text) => io.err(terminalSafe(text)),
  };
}

/** Exit codes, as documented in `jwe-session --help`. */
export const EXIT_OK = 0;
/** The command ran and the answer is "no": a rejected cookie, a missing or invalid key list. */
export const EXIT_FAILED = 1;
/** The command line itself is wrong: unknown command or flag, missing or extra argument. */
export const EXIT_USAGE = 2;

/**
 * A failure the CLI reports in one line on stderr. Messages are written here, by us, so they
 * never echo a key or a cookie back.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: typeof EXIT_FAILED | typeof EXIT_USAGE,
    /** The command whose help a usage error points to. */
    readonly command?: string,
  ) {
    super(message);
  }
}

export function usageError(message: string, command?: string): CliError {
  return new CliError(message, EXIT_USAGE, command);
}

export function failure(message: string): CliError {
  return new CliError(message, EXIT_FAILED);
}
