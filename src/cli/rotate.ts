import { parseOptions } from '../options/parse-options.js';
import { terminalSafe } from '../util/printable.js';
import { describeDuration, durationOption, parseCommandArgs, stringOption } from './args.js';
import { helpFor } from './help.js';
import { type CliIo, EXIT_OK, failure, usageError } from './io.js';
import { readKeyList } from './key-list.js';
import { checkKeyId, defaultKeyId, newKeyEntry } from './keygen.js';
import { withStoreChecks } from './store-flags.js';

export interface RotationStage {
  readonly stage: 1 | 2 | 3;
  readonly name: 'stage' | 'promote' | 'retire';
  readonly keys: string;
  readonly does: string;
  readonly next: string;
}

// A value a POSIX shell (and a .env file) takes as it is; anything else is single-quoted.
const SHELL_SAFE = /^[A-Za-z0-9_:,./+=@%-]+$/;

function shellValue(value: string): string {
  return SHELL_SAFE.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

const WIDTH = 96;

/** Word-wraps prose for a terminal; `first` prefixes the first line, `rest` the others. */
function wrap(text: string, rest: string, first = ''): string[] {
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(' ')) {
    if (line.trim() !== '' && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = rest;
    }
    line += line.trim() === '' ? word : ` ${word}`;
  }
  lines.push(line);
  return lines;
}

/**
 * The three values of a no-logout rotation. A cookie holds the id of the key that sealed it,
 * and commit re-seals a cookie whose key is no longer first, so:
 *   1. stage:   old..., new  — new unseals everywhere before anything seals with it;
 *   2. promote: new, old...  — new seals; old cookies still open, and are re-sealed on a visit;
 *   3. retire:  new          — once no cookie sealed with an old key can still be valid.
 * A cookie expires at most idleTimeout after it was issued (and never after its session's
 * absolute deadline), so that is how long step 2 must have been everywhere before step 3.
 */
export function rotationStages(
  old: readonly string[],
  fresh: string,
  variable: string,
  wait: { idle: number; absolute: number },
): RotationStage[] {
  const lifetime = Math.min(wait.idle, wait.absolute);
  return [
    {
      stage: 1,
      name: 'stage',
      keys: [...old, fresh].join(','),
      does: 'adds the new key last: every process can unseal with it, nothing seals with it yet. Users notice nothing.',
      next: `Go on to 2 once every process (every instance, worker and region) runs with this ${variable}. A process without the new key would reject cookies sealed with it.`,
    },
    {
      stage: 2,
      name: 'promote',
      keys: [fresh, ...old].join(','),
      does: 'moves the new key first: it seals every new or changed cookie. Cookies sealed with the old key still open, and are re-sealed with the new key when their user comes back.',
      next: `Go on to 3 once every process has run with this ${variable} for ${describeDuration(lifetime)}: the longest a cookie sealed with the old key stays valid (idle timeout ${describeDuration(wait.idle)}, capped by the absolute timeout ${describeDuration(wait.absolute)}; set --idle-timeout/--absolute-timeout to the app's values). Users who have not come back by then were logged out by expiry anyway.`,
    },
    {
      stage: 3,
      name: 'retire',
      keys: fresh,
      does: `drops the old key${old.length === 1 ? '' : 's'}. A cookie still sealed with ${old.length === 1 ? 'it' : 'one of them'} is rejected (unknown-key) and its user starts a new session.`,
      next: `Done. Remove the old key${old.length === 1 ? '' : 's'} from every secret store ${old.length === 1 ? 'it was' : 'they were'} kept in.`,
    },
  ];
}

export function rotate(args: readonly string[], io: CliIo): number {
  const parsed = parseCommandArgs(
    'rotate',
    args,
    {
      keys: { type: 'string' },
      'keys-env': { type: 'string' },
      id: { type: 'string' },
      'idle-timeout': { type: 'string' },
      'absolute-timeout': { type: 'string' },
      json: { type: 'boolean' },
    },
    0,
  );
  if (parsed.values.help) {
    io.out(helpFor('rotate'));
    return EXIT_OK;
  }
  const idleTimeout = durationOption(parsed, 'idle-timeout', 'rotate');
  const absoluteTimeout = durationOption(parsed, 'absolute-timeout', 'rotate');
  // The store's own defaults: unset, the absolute timeout is max(30 days, the idle timeout).
  const { lifetime: lifetimes } = withStoreChecks('rotate', () =>
    parseOptions({
      lifetime: {
        ...(idleTimeout !== undefined && { idleTimeout }),
        ...(absoluteTimeout !== undefined && { absoluteTimeout }),
      },
      testing: { env: io.env },
    }),
  );
  const idle = lifetimes.idleTimeout;
  const absolute = lifetimes.absoluteTimeout;
  const given = stringOption(parsed, 'id');
  const list = readKeyList(parsed, io, 'rotate');
  if (!list) {
    throw failure(
      `no keys to rotate: ${stringOption(parsed, 'keys-env') ?? 'SESSION_KEYS'} is not set. Pass the current list with --keys, or start with: npx jwe-session keygen`,
    );
  }
  let id = given === undefined ? defaultKeyId() : checkKeyId(given, 'rotate');
  if (list.ring.has(id)) {
    if (given !== undefined) {
      throw usageError(`--id "${id}" is already in ${list.source}; pick a new id`, 'rotate');
    }
    // Two rotations started on the same day with a suffix collision: just draw again.
    while (list.ring.has(id)) id = defaultKeyId();
  }
  const variable = list.source === '--keys' ? 'SESSION_KEYS' : list.source;
  const stages = rotationStages(list.entries, newKeyEntry(id), variable, { idle, absolute });
  const warning =
    list.entries.length > 1
      ? `${list.source} holds ${list.entries.length} keys (${list.ring.ids.join(', ')}). If an earlier rotation is still under way, finish it first: step 3 drops every key but the new one.`
      : undefined;

  if (parsed.values.json) {
    io.out(
      `${JSON.stringify(
        {
          variable,
          current: list.ring.ids,
          newKeyId: id,
          waitSeconds: Math.min(idle, absolute),
          ...(warning && { warning }),
          stages,
        },
        null,
        2,
      )}\n`,
    );
    return EXIT_OK;
  }
  // Everything printed is escaped for the terminal, which would change a passphrase holding
  // a control or bidi character: the value copied would not be the key. JSON escapes it as
  // JSON does, so a parser gets it back.
  const unprintable = list.entries.findIndex((entry) => terminalSafe(entry) !== entry);
  if (unprintable >= 0) {
    throw failure(
      `entry ${unprintable + 1} of ${list.source} holds a control or bidi character, which a terminal would act on: pass --json (its strings escape it) or replace that passphrase`,
    );
  }
  const lines = [
    `Rotating ${variable}: new key "${id}" replaces ${list.ring.ids.map((k) => `"${k}"`).join(', ')}.`,
    'The values below hold secret keys: keep this output out of logs and shared terminals.',
  ];
  if (warning) lines.push('', ...wrap(`Warning: ${warning}`, '  '));
  for (const s of stages) {
    lines.push('', ...wrap(`${s.stage}. ${s.name}: ${s.does}`, '   '));
    // The value stays on one line, however long, so it can be copied whole.
    lines.push(`   ${variable}=${shellValue(s.keys)}`, ...wrap(s.next, '   ', '   '));
  }
  io.out(`${lines.join('\n')}\n`);
  return EXIT_OK;
}
