import { type ParseArgsConfig, parseArgs } from 'node:util';
import { usageError } from './io.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  readonly values: Record<string, string | boolean | undefined>;
  readonly positionals: string[];
}

// An option name is echoed back only if it looks like one: someone who pastes a key where a
// flag goes must not see it again in the error (or in a CI log).
const OPTION_NAME = /^--?[A-Za-z][A-Za-z0-9-]{0,30}$/;

/**
 * parseArgs in strict mode, with its errors rewritten: Node's messages quote the offending
 * argument, and the offending argument may be a key or a cookie.
 */
export function parseCommandArgs(
  command: string,
  args: readonly string[],
  options: Options,
  maxPositionals: number,
): Parsed {
  let parsed: Parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: maxPositionals > 0,
    }) as Parsed;
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = error instanceof Error ? error.message : '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const name = /'([^']*)'/.exec(message)?.[1] ?? '';
      throw usageError(
        OPTION_NAME.test(name) ? `unknown option ${name}` : 'unknown option',
        command,
      );
    }
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      throw usageError(`${command} takes no arguments`, command);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      // "Option '--keys <value>' argument missing" / "Option '--json' does not take an
      // argument": Node names the option, never the value.
      throw usageError(message.charAt(0).toLowerCase() + message.slice(1), command);
    }
    throw error;
  }
  if (parsed.positionals.length > maxPositionals) {
    throw usageError(`${command} takes at most ${maxPositionals} argument`, command);
  }
  return parsed;
}

export function stringOption(parsed: Parsed, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
}

const DURATION = /^(\d{1,9})(s|m|h|d)?$/;
const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const;

/** `3600`, `90m`, `12h`, `30d` -> seconds. */
export function durationOption(parsed: Parsed, name: string, command: string): number | undefined {
  const text = stringOption(parsed, name);
  if (text === undefined) return undefined;
  const match = DURATION.exec(text.trim());
  if (!match) {
    throw usageError(
      `--${name} must be a duration: seconds, or a number with s, m, h or d (e.g. 30d)`,
      command,
    );
  }
  return Number(match[1]) * UNIT_SECONDS[(match[2] ?? 's') as keyof typeof UNIT_SECONDS];
}

export function integerOption(parsed: Parsed, name: string, command: string): number | undefined {
  const text = stringOption(parsed, name);
  if (text === undefined) return undefined;
  if (!/^\d{1,9}$/.test(text.trim())) throw usageError(`--${name} must be a whole number`, command);
  return Number(text.trim());
}

/** "7 days", "36 hours", "90 minutes", "45 seconds". */
export function describeDuration(seconds: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (seconds % 86400 === 0) return plural(seconds / 86400, 'day');
  if (seconds % 3600 === 0) return plural(seconds / 3600, 'hour');
  if (seconds % 60 === 0) return plural(seconds / 60, 'minute');
  return plural(seconds, 'second');
}
