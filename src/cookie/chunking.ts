import { serialize } from 'cookie';
import { SessionRejectedError } from '../errors.js';
import { BoundedMemo } from '../util/bounded-memo.js';
import { chunkName, type ResolvedCookie } from './attributes.js';
import { MAX_CHUNKS } from './limits.js';

/**
 * A token too long for one cookie is split over `name`, `name.1`, … `name.<n-1>`. The first
 * cookie's value starts with `<n>~`, so the reader knows exactly which names to look up and
 * how many: a missing chunk is detected, not silently joined short. `~` never occurs in a
 * compact JWE. A mixed or reordered set joins to a string that fails authentication, so it is
 * rejected too: it can never be mis-assembled into data.
 */
/** The chunk count a first chunk's value announces (`<n>~…`), or undefined for an unchunked value. */
export function announcedChunks(value: string): number | undefined {
  const count = markedCount(value);
  return count < 0 ? undefined : count;
}

// `^(0|[1-9]\d?)~` by character codes (a regular expression's match object cost a read as much
// as the rest of the cookie's reading). One spelling per count: `02~` is not `2~`, so it is
// read as an (invalid) unchunked token. -1 when the value has no marker.
function markedCount(value: string): number {
  const first = value.charCodeAt(0) - 0x30;
  if (!(first >= 0 && first <= 9)) return -1;
  if (value.charCodeAt(1) === 0x7e /* ~ */) return first;
  const second = value.charCodeAt(1) - 0x30;
  if (first === 0 || !(second >= 0 && second <= 9)) return -1;
  return value.charCodeAt(2) === 0x7e ? first * 10 + second : -1;
}

export interface ReadChunks {
  /** The joined token, or undefined if there is none or it was rejected. */
  readonly token: string | undefined;
  readonly rejection: SessionRejectedError | undefined;
  /** Which of this session's exact cookie names the request carried (for cleanup). */
  readonly present: readonly string[];
  /** Cookie header bytes of the chunks the token was joined from (0 without a token). */
  readonly bytes: number;
  /** How many chunks the token was joined from (0 without a token). */
  readonly count: number;
}

/** What a Cookie header costs per chunk: `name=value` plus the `; ` separator. */
export function sentBytes(name: string, value: string): number {
  return name.length + 1 + value.length + 2;
}

/**
 * Joins this session's chunks. `names` is `chunkNames(base)`; `values[i]` is the value the
 * request carried for `names[i]` (a hole or undefined for none), by exact name.
 */
export function readChunks(
  values: readonly (string | undefined)[],
  names: readonly string[],
): ReadChunks {
  const present: string[] = [];
  for (let i = 0; i < values.length; i++) {
    if (values[i] !== undefined) present.push(names[i] as string);
  }
  const base = names[0] as string;
  const first = values[0];
  if (first === undefined || first === '')
    return { token: undefined, rejection: undefined, present, bytes: 0, count: 0 };
  const count = markedCount(first);
  if (count < 0) {
    return { token: first, rejection: undefined, present, bytes: sentBytes(base, first), count: 1 };
  }
  if (count < 2 || count > MAX_CHUNKS) {
    return {
      token: undefined,
      rejection: new SessionRejectedError('malformed', `chunk count ${count} is out of range`),
      present,
      bytes: 0,
      count: 0,
    };
  }
  const parts = [first.slice(count < 10 ? 2 : 3)];
  // Counted from what was sent (the `<n>~` marker included), as writeChunks counts it.
  let bytes = sentBytes(base, first);
  for (let i = 1; i < count; i++) {
    const name = names[i] as string;
    const part = values[i];
    if (part === undefined || part === '') {
      return {
        token: undefined,
        rejection: new SessionRejectedError('malformed', `chunk ${i} of ${count} is missing`),
        present,
        bytes: 0,
        count: 0,
      };
    }
    parts.push(part);
    bytes += sentBytes(name, part);
  }
  return { token: parts.join(''), rejection: undefined, present, bytes, count };
}

/** One cookie a response sets, as data: rendered to a Set-Cookie line by `renderCookie`. */
export interface CookieWrite {
  readonly name: string;
  readonly value: string;
  /** Seconds, 0 for a deletion; undefined for a browser-session cookie. */
  readonly maxAge: number | undefined;
}

export type WrittenChunks =
  | {
      readonly ok: true;
      readonly cookies: CookieWrite[];
      readonly names: string[];
      readonly bytes: number;
    }
  | { readonly ok: false; readonly bytes: number };

export interface ChunkBudget {
  /** Longest Set-Cookie line for one chunk, in bytes. */
  readonly cookieBytes: number;
  /** Most bytes all chunks may add to the Cookie header. */
  readonly totalBytes: number;
}

// The attributes part of a Set-Cookie line (`; Max-Age=…; Path=/; …`) depends only on the
// cookie's settings and the Max-Age, not on the name or value: it is serialised by the cookie
// package once per Max-Age and reused, instead of serialising (and URI-encoding, and checking)
// every token of every response again. Bounded: near the absolute expiry Max-Age counts down.
const MAX_REMEMBERED_AGES = 16;
const attributeTexts = new WeakMap<ResolvedCookie, BoundedMemo<number | undefined, string>>();

function attributeText(cookie: ResolvedCookie, maxAge: number | undefined): string {
  let texts = attributeTexts.get(cookie);
  if (!texts) {
    texts = new BoundedMemo(MAX_REMEMBERED_AGES);
    attributeTexts.set(cookie, texts);
  }
  let text = texts.get(maxAge);
  if (text === undefined) {
    // Max-Age 0 is a deletion (a live cookie always has a second left): Expires in the past
    // too, for browsers that predate Max-Age.
    const options =
      maxAge === undefined
        ? cookie.attributes
        : maxAge === 0
          ? { ...cookie.attributes, maxAge, expires: new Date(0) }
          : { ...cookie.attributes, maxAge };
    text = serialize(cookie.name, '', options).slice(cookie.name.length + 1);
    texts.set(maxAge, text);
  }
  return text;
}

/**
 * The Set-Cookie lines of cookie writes, exactly as the cookie package's `serialize` writes
 * them. Names are this cookie's chunk names and values are compact JWE text with an optional
 * `<n>~` (or '' for a deletion): all characters that need no encoding, so each line is put
 * together without encoding or scanning the token.
 */
export function renderCookies(cookies: readonly CookieWrite[], cookie: ResolvedCookie): string[] {
  const lines: string[] = [];
  let maxAge: number | undefined = -1;
  let attributes = '';
  for (const write of cookies) {
    if (write.maxAge !== maxAge) {
      maxAge = write.maxAge;
      attributes = attributeText(cookie, maxAge);
    }
    lines.push(`${write.name}=${write.value}${attributes}`);
  }
  return lines;
}

/**
 * Splits a token into as few Set-Cookie lines as fit the budget, or reports the bytes it
 * would need. Tokens are ASCII, so characters are bytes.
 */
export function writeChunks(
  token: string,
  cookie: ResolvedCookie,
  maxAge: number | undefined,
  budget: ChunkBudget,
): WrittenChunks {
  const base = cookie.name;
  const attributes = attributeText(cookie, maxAge);
  // Most sessions fit one cookie.
  if (base.length + 1 + token.length + attributes.length <= budget.cookieBytes) {
    const bytes = sentBytes(base, token);
    if (bytes > budget.totalBytes) return { ok: false, bytes };
    return { ok: true, cookies: [{ name: base, value: token, maxAge }], names: [base], bytes };
  }
  for (let count = 2; count <= MAX_CHUNKS; count++) {
    const prefix = `${count}~`;
    const capacities: number[] = [];
    for (let i = 0; i < count; i++) {
      const overhead = chunkName(base, i).length + 1 + attributes.length;
      const room = budget.cookieBytes - overhead - (i === 0 ? prefix.length : 0);
      capacities.push(Math.max(0, room));
    }
    if (capacities.reduce((a, b) => a + b, 0) < token.length) continue;
    const cookies: CookieWrite[] = [];
    const names: string[] = [];
    let bytes = 0;
    let offset = 0;
    for (let i = 0; i < count; i++) {
      // Spread evenly rather than fill greedily, so no chunk ends up a few bytes long.
      const share = Math.ceil((token.length - offset) / (count - i));
      const part = token.slice(offset, offset + Math.min(share, capacities[i] as number));
      offset += part.length;
      const name = chunkName(base, i);
      const value = i === 0 ? prefix + part : part;
      cookies.push({ name, value, maxAge });
      names.push(name);
      bytes += sentBytes(name, value);
    }
    if (offset !== token.length) continue;
    if (bytes > budget.totalBytes) return { ok: false, bytes };
    return { ok: true, cookies, names, bytes };
  }
  // Not even the chunk cap holds it; report roughly what it would take.
  return { ok: false, bytes: token.length + MAX_CHUNKS * (base.length + 6) };
}

/** The cookies that make the browser forget these names (same path and domain when rendered). */
export function deletions(names: readonly string[]): CookieWrite[] {
  return names.map((name) => ({ name, value: '', maxAge: 0 }));
}
