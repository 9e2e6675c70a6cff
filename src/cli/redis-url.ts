import type { Env } from '../keys/from-env.js';
import { failure } from './io.js';

export interface RedisUrl {
  /** The URL as given, password included: for the client only, never printed. */
  readonly url: string;
  /** The URL with its password replaced by `***`: what messages show. */
  readonly shown: string;
  /** Replaces the password (as written and as decoded) and the whole URL in a message. */
  readonly redact: (text: string) => string;
}

const HIDDEN = '***';

/**
 * The Redis a command writes to, from `REDIS_URL`. The URL usually holds the password
 * (`redis://:secret@host`, `rediss://user:secret@host`): no message quotes the text given,
 * only the redacted form, and errors from the client pass through `redact`.
 */
export function readRedisUrl(env: Env): RedisUrl {
  const url = (env.REDIS_URL ?? '').trim();
  if (url === '') {
    throw failure(
      'REDIS_URL is not set: set it to the Redis the app checks revocations in, e.g. REDIS_URL=redis://127.0.0.1:6379 (rediss:// for TLS)',
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not even the scheme is echoed: a mangled URL may still hold the password.
    throw failure('REDIS_URL is not a URL: write it as redis://[user:password@]host[:port][/db]');
  }
  const secrets = [url];
  if (parsed.password !== '') {
    secrets.push(parsed.password);
    try {
      secrets.push(decodeURIComponent(parsed.password));
    } catch {
      // A password with a stray % is used by the client as written; that form is listed.
    }
    parsed.password = HIDDEN;
  }
  const shown = parsed.href;
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    // Its scheme is not echoed either: "host:port" parses with the host as the scheme.
    throw failure('REDIS_URL must start with redis:// or rediss:// (TLS)');
  }
  if (parsed.hostname === '') throw failure(`REDIS_URL names no host (${shown})`);
  // Longest first, so a password that contains another listed form is hidden whole.
  const ordered = [...new Set(secrets)].filter((s) => s !== '').sort((a, b) => b.length - a.length);
  const redact = (text: string) =>
    ordered.reduce((out, secret) => out.replaceAll(secret, HIDDEN), text);
  return { url, shown, redact };
}
