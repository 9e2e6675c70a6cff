import { parse } from 'cookie';
import { chunkNames } from '../cookie/attributes.js';
import { announcedChunks, readChunks, sentBytes } from '../cookie/chunking.js';
import { MAX_NAME_HITS, scanCookies } from '../cookie/cookie-scan.js';
import type { SessionRejectedError } from '../errors.js';
import { quote } from '../util/printable.js';
import { failure } from './io.js';

/** Where the token came from: a bare cookie value, or this session's cookies in a header. */
export interface CookieSource {
  readonly name: string;
  readonly chunks: number;
  /** What these cookies add to the Cookie header, as the store counts it. */
  readonly bytes: number;
}

export type DecodeInput =
  | { readonly token: string; readonly cookie: CookieSource | undefined }
  | { readonly rejection: SessionRejectedError; readonly cookie: CookieSource };

// Cookie names come from pasted input: quoted, so a control character shows as an escape.
function names(cookies: Record<string, unknown>): string {
  const list = Object.keys(cookies).slice(0, 10).map(quote);
  return list.length ? list.join(', ') : 'none';
}

const SET_COOKIE = /^\s*set-cookie:\s*/i;

/**
 * Set-Cookie lines as a browser would send them back: each line's `name=value` (what precedes
 * its attributes), joined as one Cookie header. One line per chunk, as copied from a response.
 */
function fromSetCookieLines(text: string): string {
  return text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => (line.replace(SET_COOKIE, '').split(';')[0] as string).trim())
    .join('; ');
}

/**
 * Finds the token in what the operator pasted: a whole Cookie header (with or without the
 * `Cookie:` prefix) or the response's Set-Cookie lines (with their prefix) are parsed and
 * their chunks joined the way the store joins them; anything without `=` or `;` is taken as
 * one cookie's value (a compact JWE has neither).
 */
export function readDecodeInput(input: string, cookieName: string): DecodeInput {
  const trimmed = input.trim();
  const text = SET_COOKIE.test(trimmed)
    ? fromSetCookieLines(trimmed)
    : trimmed.replace(/^cookie:\s*/i, '');
  if (text === '') throw failure('the cookie is empty');
  if (!/[=;]/.test(text)) {
    const value = text.replace(/^"(.*)"$/, '$1');
    const count = announcedChunks(value);
    if (count !== undefined) {
      throw failure(
        `this value is the first of ${count} chunks; pass the whole Cookie header (or every Set-Cookie line) so ${cookieName}.1 and the rest can be joined to it`,
      );
    }
    return { token: value, cookie: undefined };
  }
  // The store's own scan: the exact names and the exact bytes, as a request would be read.
  const cookies = scanCookies(text, chunkNames(cookieName));
  if (cookies === undefined) {
    throw failure(
      `the Cookie header names "${cookieName}" more than ${MAX_NAME_HITS} times; the app rejects it as malformed`,
    );
  }
  const wanted = chunkNames(cookieName);
  const chunks = readChunks(
    wanted.map((name) => cookies[name]),
    wanted,
  );
  if (chunks.present.length === 0) {
    // Only for the message: which names the pasted text does have.
    throw failure(
      `no cookie named "${cookieName}" in the Cookie header (it has ${names(parse(text))}); set --cookie-name`,
    );
  }
  const cookie: CookieSource = {
    name: cookieName,
    chunks: chunks.present.length,
    bytes: chunks.present.reduce((sum, n) => sum + sentBytes(n, cookies[n] ?? ''), 0),
  };
  if (chunks.rejection) return { rejection: chunks.rejection, cookie };
  if (chunks.token === undefined) {
    throw failure(
      `the cookie "${cookieName}" is empty (a Set-Cookie line that deletes the session has no value)`,
    );
  }
  return { token: chunks.token, cookie };
}
