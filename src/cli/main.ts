import { readFileSync } from 'node:fs';
import { SessionConfigError } from '../errors.js';
import { decode } from './decode.js';
import { helpFor, isCommand } from './help.js';
import {
  CliError,
  type CliIo,
  EXIT_FAILED,
  EXIT_OK,
  EXIT_USAGE,
  terminalIo,
  usageError,
} from './io.js';
import { keygen } from './keygen.js';
import { revoke } from './revoke.js';
import { rotate } from './rotate.js';

// A cookie is a few kilobytes; anything much larger on stdin is a mistake, not a cookie.
const MAX_STDIN_BYTES = 1 << 20;
// Echo a mistyped command only if it looks like one (it might be a pasted key).
const COMMAND_NAME = /^[A-Za-z][A-Za-z0-9-]{0,30}$/;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_STDIN_BYTES) throw new CliError('stdin holds more than 1 MiB', EXIT_FAILED);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
    readStdin,
  };
}

function version(): string {
  // dist/cli/main.js and src/cli/main.ts are both two levels below package.json.
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  return `${pkg.version}\n`;
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    io.err(helpFor());
    return EXIT_USAGE;
  }
  switch (command) {
    case '-h':
    case '--help':
      io.out(helpFor());
      return EXIT_OK;
    case '-v':
    case '--version':
      io.out(version());
      return EXIT_OK;
    case 'keygen':
      return keygen(rest, io);
    case 'rotate':
      return rotate(rest, io);
    case 'decode':
      return decode(rest, io);
    case 'revoke':
      return revoke(rest, io);
    case 'help': {
      const [topic, ...extra] = rest;
      if (extra.length > 0) throw usageError('help takes at most one command', 'help');
      if (topic !== undefined && !isCommand(topic)) throw unknownCommand(topic);
      io.out(helpFor(topic));
      return EXIT_OK;
    }
    default:
      throw command.startsWith('-') ? usageError('unknown option') : unknownCommand(command);
  }
}

function unknownCommand(name: string): CliError {
  return usageError(COMMAND_NAME.test(name) ? `unknown command "${name}"` : 'unknown command');
}

/**
 * The `jwe-session` command line. Returns the exit code rather than exiting, so buffered
 * output is flushed; `bin/jwe-session.js` sets `process.exitCode` from it.
 */
export async function main(argv: string[], given: CliIo = processIo()): Promise<number> {
  const io = terminalIo(given);
  try {
    return await run(argv, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.err(`jwe-session: ${error.message}\n`);
      if (error.exitCode === EXIT_USAGE) {
        io.err(`Run "jwe-session help${error.command ? ` ${error.command}` : ''}" for usage.\n`);
      }
      return error.exitCode;
    }
    // Key list and option errors: their messages name the setting and the entry's position,
    // never a secret (KeyRing and resolveOptions are written that way, and tested for it).
    if (error instanceof SessionConfigError) {
      io.err(`jwe-session: ${error.message}\n`);
      return EXIT_FAILED;
    }
    io.err(
      `jwe-session: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return EXIT_FAILED;
  }
}
