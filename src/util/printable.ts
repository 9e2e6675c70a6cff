// Text from a browser or an app ends up in error messages, logs and the CLI's output. A
// terminal or log viewer acts on some characters instead of showing them: C0 controls (CR
// and LF forge a log line, ESC starts an escape sequence), DEL and the C1 controls (U+009B
// starts one too), the bidi marks, overrides and isolates (U+202E turns the rest of the line
// around) and the line and paragraph separators. JSON.stringify escapes only the C0 controls.
const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters it finds
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// The same, without line feed and tab: for text that is meant to have lines.
const UNSAFE_IN_LINES =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters it finds
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escaped = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** One line, every unsafe character shown as a `\uXXXX` escape. */
export function oneLine(text: string): string {
  return text.replace(UNSAFE, escaped);
}

/** Text of several lines (the CLI's output): line feeds and tabs stay, the rest as in oneLine. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE_IN_LINES, escaped);
}

/** A name or value from outside, quoted as JSON quotes a string and safe to print. */
export function quote(text: string): string {
  return oneLine(JSON.stringify(text));
}

/**
 * Any value as JSON writes it, quoted, with everything outside printable ASCII escaped: for a
 * token header's values, which no person wrote (a header of ours is ASCII throughout).
 */
export function quoteAscii(value: unknown): string {
  return String(JSON.stringify(value)).replace(/[\u007f-\uffff]/g, escaped);
}

/** A name as messages show it: bare when it is a plain identifier, else quoted. */
export function nameShown(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : quote(name);
}

/** An option's value as a message shows it: a string quoted, so "600" does not read as 600. */
export function valueShown(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'bigint':
      return `${value}n`;
    case 'function':
      return 'a function';
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? 'an array' : 'an object';
    default:
      return oneLine(String(value));
  }
}
