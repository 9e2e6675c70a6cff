import { KEY_BYTES, KEY_ID } from '../keys/key-entry.js';
import { encodeBase64url } from '../util/base64url.js';
import { parseCommandArgs, stringOption } from './args.js';
import { helpFor } from './help.js';
import { type CliIo, EXIT_OK, usageError } from './io.js';

// RFC 4648 base32 alphabet, lower case: 32 symbols, so a byte mod 32 is uniform.
const SUFFIX_CHARS = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * `k20261127x7q2`: the date says when the key was made, which is what an operator wants to
 * know when deciding what to retire; the suffix keeps two keys made the same day apart. Short,
 * because the id is in every cookie.
 */
export function defaultKeyId(now = new Date()): string {
  const date = now.toISOString().slice(0, 10).replaceAll('-', '');
  const random = crypto.getRandomValues(new Uint8Array(4));
  const suffix = Array.from(random, (b) => SUFFIX_CHARS[b % 32]).join('');
  return `k${date}${suffix}`;
}

/** A fresh `<id>:<43 base64url chars>` entry: 32 bytes from the platform's CSPRNG. */
export function newKeyEntry(id: string): string {
  return `${id}:${encodeBase64url(crypto.getRandomValues(new Uint8Array(KEY_BYTES)))}`;
}

/** Checks a key id given on the command line; the message is KeyRing's own rule. */
export function checkKeyId(id: string, command: string): string {
  if (!KEY_ID.test(id)) {
    throw usageError('--id must be 1-32 characters from A-Z a-z 0-9 _ -', command);
  }
  return id;
}

export function keygen(args: readonly string[], io: CliIo): number {
  const parsed = parseCommandArgs('keygen', args, { id: { type: 'string' } }, 0);
  if (parsed.values.help) {
    io.out(helpFor('keygen'));
    return EXIT_OK;
  }
  const given = stringOption(parsed, 'id');
  const id = given === undefined ? defaultKeyId() : checkKeyId(given, 'keygen');
  io.out(`${newKeyEntry(id)}\n`);
  return EXIT_OK;
}
