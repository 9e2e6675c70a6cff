import { compactDecrypt } from 'jose';
import { SessionRejectedError } from '../errors.js';
import type { KeyRing } from '../keys/key-ring.js';
import { refusalOf } from './claims-check.js';
import { type CodecConfig, maxInflatedBytes } from './codec-config.js';
import { type ReadToken, readHeader } from './header.js';
import { copyRecord, MAX_DEPTH, parseRecord } from './json-value.js';
import type { CachedToken } from './token-cache.js';
import {
  ALG,
  type Claims,
  ENC,
  type PlaintextBody,
  readPlaintext,
  type SessionRecord,
  WINDOW_SECONDS,
} from './token-format.js';

/** What a token opened to: the one name for an opened token, wherever it was opened. */
export interface OpenedToken {
  readonly claims: Claims;
  /** The key id that sealed this token (without the window). */
  readonly keyId: string;
  readonly data: SessionRecord;
  readonly flash: SessionRecord | undefined;
  /** `data` as JSON, for change detection (for a token of ours, what JSON.stringify gives). */
  readonly dataJson: string;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** How many times `char` occurs in `text`, counting no further than `limit`. */
function countUpTo(text: string, char: string, limit: number): number {
  let count = 0;
  for (let i = text.indexOf(char); i !== -1 && count < limit; i = text.indexOf(char, i + 1))
    count++;
  return count;
}

// JSON.parse recurses; a sealed plaintext is ours, but the check costs nothing and keeps a
// future bug from turning into a stack overflow.
// Brackets inside strings are data, not nesting: a session may hold "[[[[" legitimately.
function tooDeep(text: string): boolean {
  // Nesting needs an opening bracket per level: with few of them in the whole text (the
  // usual case, counted with the fast indexOf), no scan is needed.
  if (countUpTo(text, '{', MAX_DEPTH + 3) + countUpTo(text, '[', MAX_DEPTH + 3) <= MAX_DEPTH + 2) {
    return false;
  }
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_DEPTH + 2) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

function parse(plaintext: string): PlaintextBody | undefined {
  return tooDeep(plaintext) ? undefined : readPlaintext(plaintext);
}

type Result = OpenedToken | SessionRejectedError;

/**
 * Opens a token. Never throws for anything a browser can send: every failure comes back as a
 * SessionRejectedError, and no data is returned unless the token was sealed by a key in the
 * ring, for this purpose, and (with `checkTimes`) is still within its lifetimes.
 *
 * The answer comes back at once when no decryption is needed (a token-cache hit, or a token
 * refused by its length or header), and as a promise otherwise: the adapters serve a cached
 * session without waiting on a promise.
 *
 * Without `checkTimes` (an operator holding the key asks whose session it was and why it
 * ended: `decode --ignore-expiry`) the purpose must still match, the cache is neither read
 * nor filled, and the times are the caller's to judge (`refusalOf`): a request never does this.
 */
export function unseal(
  config: CodecConfig,
  ring: KeyRing,
  token: string,
  checkTimes = true,
): Result | Promise<Result> {
  const now = Math.floor(config.now() / 1000);
  if (token.length > config.maxTokenChars) {
    return new SessionRejectedError(
      'too-large',
      `token is longer than ${config.maxTokenChars} characters`,
    );
  }
  // A token seen before passed the header checks and decrypted then; its claims are checked
  // again, now, like any other, and the app gets a copy of its own (it may mutate it).
  const cached = checkTimes ? config.cache?.get(token) : undefined;
  if (cached) {
    const problem = refusalOf(config, cached, now);
    if (problem) return problem;
    const { claims, keyId, dataJson, flashJson } = cached;
    const flash = flashJson === undefined ? undefined : parseRecord(flashJson);
    let data: SessionRecord;
    if (cached.data === undefined) {
      cached.data = null;
      data = parseRecord(dataJson);
    } else {
      cached.data ??= parseRecord(dataJson);
      data = copyRecord(cached.data);
    }
    return { claims, keyId, dataJson, data, flash };
  }

  const header = readHeader(token, config.compress);
  if (header instanceof SessionRejectedError) return header;
  if (!ring.has(header.keyId)) {
    return new SessionRejectedError('unknown-key', `no key with id "${header.keyId}" in the ring`);
  }
  if (checkTimes) {
    // The window bounds the token's issue time, so a token from far outside the lifetimes is
    // turned away before a key is derived or anything decrypted.
    const windowStart = header.window * WINDOW_SECONDS;
    if (windowStart > now + config.clockTolerance) {
      return new SessionRejectedError('not-yet-valid', 'token names a key window in the future');
    }
    if (windowStart + WINDOW_SECONDS + config.idleTimeout + config.clockTolerance < now) {
      return new SessionRejectedError('expired', 'token names a key window past the idle lifetime');
    }
  }
  const { engine } = config;
  // The node:crypto engine opens in the same tick; compressed tokens always go through jose,
  // which inflates them.
  if (engine !== undefined && !header.zip) {
    const key = engine.keyOf(ring, header.keyId, header.window);
    const opened = bodyOf(header, engine.open(key, header.segments));
    return opened instanceof SessionRejectedError
      ? opened
      : accept(config, token, opened, now, checkTimes);
  }
  return decryptAndOpen(config, ring, token, header, now, checkTimes);
}

async function decryptAndOpen(
  config: CodecConfig,
  ring: KeyRing,
  token: string,
  header: ReadToken,
  now: number,
  checkTimes: boolean,
): Promise<Result> {
  const opened = bodyOf(header, await decrypt(config, ring, token, header));
  return opened instanceof SessionRejectedError
    ? opened
    : accept(config, token, opened, now, checkTimes);
}

/** The plaintext of a token whose header passed (opened by jose), or undefined when it does not decrypt. */
async function decrypt(
  config: CodecConfig,
  ring: KeyRing,
  token: string,
  header: ReadToken,
): Promise<string | undefined> {
  try {
    const { keyId, window } = header;
    const key = ring.derivedWindowKey(keyId, window) ?? (await ring.windowKey(keyId, window));
    const result = await compactDecrypt(token, key, {
      keyManagementAlgorithms: [ALG],
      contentEncryptionAlgorithms: [ENC],
      maxDecompressedLength: config.compress ? maxInflatedBytes(config) : 0,
    });
    return decoder.decode(result.plaintext);
  } catch {
    return undefined;
  }
}

/** The token's contents once decrypted (`undefined`: it did not), before any claim check. */
function bodyOf(
  header: ReadToken,
  plaintext: string | undefined,
): (OpenedToken & CachedToken) | SessionRejectedError {
  // Every engine's reasons (bad tag, bad IV length, failed inflate, bad UTF-8) are one thing
  // to us: this token was not sealed by this key as it stands.
  if (plaintext === undefined) return new SessionRejectedError('tampered', 'decryption failed');
  const body = parse(plaintext);
  if (!body) return new SessionRejectedError('malformed', 'plaintext is not a session payload');
  return {
    claims: body.claims,
    data: body.data,
    flash: body.flash,
    keyId: header.keyId,
    dataJson: body.dataJson,
    flashJson: body.flash && JSON.stringify(body.flash),
  };
}

/** The claims checked now; an accepted token is remembered, so its next read skips the AES call. */
function accept(
  config: CodecConfig,
  token: string,
  opened: OpenedToken & CachedToken,
  now: number,
  checkTimes: boolean,
): Result {
  const problem = refusalOf(config, opened, now, checkTimes);
  if (problem) return problem;
  if (!checkTimes) return opened;
  const { claims, keyId, dataJson, flashJson } = opened;
  config.cache?.set(token, { claims, keyId, dataJson, flashJson });
  return opened;
}
