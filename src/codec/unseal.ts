import { compactDecrypt } from 'jose';
import { type RejectionReason, SessionRejectedError } from '../errors.js';
import type { CodecConfig } from './codec-config.js';
import { type ReadToken, readHeader } from './header.js';
import { MAX_DEPTH, parseRecord } from './json-value.js';
import type { Opened } from './token-cache.js';
import {
  ALG,
  type Claims,
  dataJsonOf,
  ENC,
  type PlaintextBody,
  readPlaintext,
  type SessionRecord,
  WINDOW_SECONDS,
} from './token-format.js';

export interface Unsealed {
  readonly claims: Claims;
  /** The key id that sealed this token (without the window). */
  readonly keyId: string;
  readonly data: SessionRecord;
  readonly flash: SessionRecord | undefined;
  /** `data` as JSON, for change detection: the same text `JSON.stringify(data)` gives. */
  readonly dataJson: string;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Most bytes a compressed token may inflate to (jose stops a zip bomb there). Commit refuses
 * a session whose plaintext is larger, since it could be written but never read back.
 */
export function maxInflatedBytes(config: CodecConfig): number {
  return config.maxTokenChars * 64;
}

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
  if (tooDeep(plaintext)) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(plaintext);
  } catch {
    return undefined;
  }
  return readPlaintext(body);
}

/** Why claims are refused now, if they are: checked against the configuration and the clock. */
function claimProblem(
  config: CodecConfig,
  claims: Claims,
  now: number,
): readonly [RejectionReason, string] | undefined {
  const tolerance = config.clockTolerance;
  if (claims.pur !== config.purpose) {
    return ['wrong-purpose', 'token was sealed for another cookie or purpose'];
  }
  if (config.notBefore !== undefined && claims.ori < config.notBefore) {
    return ['revoked', 'session began before the configured not-before time'];
  }
  if (claims.iat > now + tolerance) return ['not-yet-valid', 'token was issued in the future'];
  // Whichever deadline came first ended it (a token's exp may already be the absolute one).
  const absoluteEnd = claims.ori + absoluteOf(config, claims);
  if (Math.min(claims.exp, absoluteEnd) + tolerance < now) {
    return [
      'expired',
      absoluteEnd <= claims.exp ? 'absolute lifetime has passed' : 'idle lifetime has passed',
    ];
  }
  return undefined;
}

/** The absolute lifetime that holds for these claims: the store's, or the session's own if shorter. */
export function absoluteOf(config: Pick<CodecConfig, 'absoluteTimeout'>, claims: Claims): number {
  return claims.abs === undefined
    ? config.absoluteTimeout
    : Math.min(claims.abs, config.absoluteTimeout);
}

function checkClaims(
  config: CodecConfig,
  opened: Opened,
  now: number,
): SessionRejectedError | undefined {
  const problem = claimProblem(config, opened.claims, now);
  if (!problem) return undefined;
  const { claims, keyId } = opened;
  // The token is authentic: say what it held, so "why was I logged out?" has an answer.
  return new SessionRejectedError(problem[0], problem[1], {
    keyId,
    issuedAt: new Date(claims.iat * 1000),
    expiresAt: new Date(Math.min(claims.exp, claims.ori + absoluteOf(config, claims)) * 1000),
    createdAt: new Date(claims.ori * 1000),
  });
}

type Result = Unsealed | SessionRejectedError;

/**
 * Opens a token. Never throws for anything a browser can send: every failure comes back as a
 * SessionRejectedError, and no data is returned unless the token was sealed by a key in the
 * ring, for this purpose, and is still within its lifetimes.
 *
 * The answer comes back at once when no decryption is needed (a token-cache hit, or a token
 * refused by its length or header), and as a promise otherwise: the adapters serve a cached
 * session without waiting on a promise.
 */
export function unseal(config: CodecConfig, token: string): Result | Promise<Result> {
  const now = Math.floor(config.now() / 1000);
  if (token.length > config.maxTokenChars) {
    return new SessionRejectedError(
      'too-large',
      `token is longer than ${config.maxTokenChars} characters`,
    );
  }
  // A token seen before passed the header checks and decrypted then; its claims are checked
  // again, now, like any other, and the app gets data parsed afresh (it may mutate it).
  const cached = config.cache?.get(token);
  if (cached) {
    const problem = checkClaims(config, cached, now);
    if (problem) return problem;
    const { claims, keyId, dataJson, flashJson } = cached;
    const flash = flashJson === undefined ? undefined : parseRecord(flashJson);
    return { claims, keyId, dataJson, data: parseRecord(dataJson), flash };
  }

  const header = readHeader(token, config.compress);
  if (header instanceof SessionRejectedError) return header;
  if (!config.ring.has(header.keyId)) {
    return new SessionRejectedError('unknown-key', `no key with id "${header.keyId}" in the ring`);
  }
  // The window bounds the token's issue time, so a token from far outside the lifetimes is
  // turned away before a key is derived or anything decrypted.
  const windowStart = header.window * WINDOW_SECONDS;
  if (windowStart > now + config.clockTolerance) {
    return new SessionRejectedError('not-yet-valid', 'token names a key window in the future');
  }
  if (windowStart + WINDOW_SECONDS + config.idleTimeout + config.clockTolerance < now) {
    return new SessionRejectedError('expired', 'token names a key window past the idle lifetime');
  }
  const { engine } = config;
  // The node:crypto engine opens in the same tick once the window key is derived; compressed
  // tokens always go through jose, which inflates them.
  if (engine !== undefined && !header.zip) {
    const key = config.ring.derivedWindowKey(header.keyId, header.window);
    if (key !== undefined) {
      const opened = bodyOf(header, engine.open(key, header.segments));
      return opened instanceof SessionRejectedError ? opened : accept(config, token, opened, now);
    }
  }
  return decryptAndOpen(config, token, header, now);
}

async function decryptAndOpen(
  config: CodecConfig,
  token: string,
  header: ReadToken,
  now: number,
): Promise<Result> {
  const opened = bodyOf(header, await decrypt(config, token, header));
  return opened instanceof SessionRejectedError ? opened : accept(config, token, opened, now);
}

/** The plaintext of a token whose header passed, or undefined when it does not decrypt. */
async function decrypt(
  config: CodecConfig,
  token: string,
  header: ReadToken,
): Promise<string | undefined> {
  try {
    const { keyId, window } = header;
    const key =
      config.ring.derivedWindowKey(keyId, window) ?? (await config.ring.windowKey(keyId, window));
    if (config.engine !== undefined && !header.zip) return config.engine.open(key, header.segments);
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
): (Unsealed & Opened) | SessionRejectedError {
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
    dataJson: dataJsonOf(plaintext, body),
    flashJson: body.flash && JSON.stringify(body.flash),
  };
}

/** The claims checked now; an accepted token is remembered, so its next read skips the AES call. */
function accept(
  config: CodecConfig,
  token: string,
  opened: Unsealed & Opened,
  now: number,
): Result {
  const problem = checkClaims(config, opened, now);
  if (problem) return problem;
  const { claims, keyId, dataJson, flashJson } = opened;
  config.cache?.set(token, { claims, keyId, dataJson, flashJson });
  return opened;
}

/** What `openPastLifetime` found: the token's contents, and why a request would refuse it. */
export interface PastLifetime {
  readonly opened: Unsealed;
  /** Undefined when a request would accept the token now. */
  readonly refused: SessionRejectedError | undefined;
}

/**
 * Opens an authentic token whatever its times say, for an operator holding the key who asks
 * whose session it was and why it ended (`decode --ignore-expiry`). The purpose must still
 * match, and nothing is cached: a request never takes this path.
 */
export async function openPastLifetime(
  config: CodecConfig,
  token: string,
): Promise<PastLifetime | SessionRejectedError> {
  if (token.length > config.maxTokenChars) {
    return new SessionRejectedError(
      'too-large',
      `token is longer than ${config.maxTokenChars} characters`,
    );
  }
  const header = readHeader(token, config.compress);
  if (header instanceof SessionRejectedError) return header;
  if (!config.ring.has(header.keyId)) {
    return new SessionRejectedError('unknown-key', `no key with id "${header.keyId}" in the ring`);
  }
  const opened = bodyOf(header, await decrypt(config, token, header));
  if (opened instanceof SessionRejectedError) return opened;
  const refused = checkClaims(config, opened, Math.floor(config.now() / 1000));
  if (refused?.reason === 'wrong-purpose') return refused;
  return { opened, refused };
}
