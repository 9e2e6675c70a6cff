import { SessionValueError } from '../errors.js';
import { parseLifetime } from '../options/parse-lifetime.js';
import { redisRevocationStore } from '../revocation/redis-store.js';
import { encodeId, ttlSeconds } from '../revocation/revocation-input.js';
import type { RevocationStore } from '../revocation/revocation-store.js';
import { quote } from '../util/printable.js';
import {
  describeDuration,
  durationOption,
  type Parsed,
  parseCommandArgs,
  stringOption,
} from './args.js';
import { cookieSessionId } from './cookie-session-id.js';
import { helpFor } from './help.js';
import { type CliIo, EXIT_OK, usageError } from './io.js';
import { withRedis } from './redis-client.js';
import { readRedisUrl } from './redis-url.js';

/** What to end: one session by its id (`sid`), or every session of a subject (`sub`). */
export type RevocationTarget =
  | { readonly kind: 'session'; readonly id: string }
  | { readonly kind: 'subject'; readonly id: string };

/**
 * How long a revocation is kept by default: the store's default absolute lifetime (30 days),
 * the longest any cookie can be accepted, plus a minute for the clock tolerance (30 s either
 * way) of the processes that judge it.
 */
export const DEFAULT_REVOKE_TTL = parseLifetime({}, 0, undefined).absoluteTimeout + 60;

/**
 * The session or subject named on the command line, checked as the store checks it; with
 * `--cookie`, the session the pasted cookie carries.
 */
async function targetOf(parsed: Parsed, io: CliIo): Promise<RevocationTarget> {
  const subject = stringOption(parsed, 'subject');
  const session = stringOption(parsed, 'session');
  const cookie = stringOption(parsed, 'cookie');
  if ([subject, session, cookie].filter((given) => given !== undefined).length !== 1) {
    throw usageError(
      'revoke needs one of --subject ID, --session ID or --cookie VALUE (- reads stdin)',
      'revoke',
    );
  }
  const target: RevocationTarget =
    subject !== undefined
      ? { kind: 'subject', id: subject }
      : {
          kind: 'session',
          id:
            cookie === undefined ? (session as string) : await cookieSessionId(cookie, parsed, io),
        };
  try {
    encodeId(target.kind === 'subject' ? 'subject' : 'sessionId', target.id);
  } catch (error) {
    if (error instanceof SessionValueError)
      throw usageError(`--${target.kind} ${error.problem}`, 'revoke');
    throw error;
  }
  return target;
}

function ttlOf(parsed: Parsed): number {
  const given = durationOption(parsed, 'ttl', 'revoke');
  if (given === undefined) return DEFAULT_REVOKE_TTL;
  try {
    return ttlSeconds(given);
  } catch (error) {
    if (error instanceof SessionValueError) throw usageError(`--ttl ${error.problem}`, 'revoke');
    throw error;
  }
}

/**
 * Writes one revocation. A subject's sessions are ended if created before `now` (epoch
 * milliseconds, as the store compares them): a sign-in right after stays valid.
 * The target may come from elsewhere than the flags (a session id read from a cookie).
 */
export async function applyRevocation(
  store: RevocationStore,
  target: RevocationTarget,
  ttl: number,
  now: number,
): Promise<number> {
  const before = Math.floor(now);
  if (target.kind === 'subject') await store.revokeSubject(target.id, before, ttl);
  else await store.revokeSession(target.id, ttl);
  return before;
}

/** "30 days 1 minute" rather than "43201 minutes". */
function ttlText(ttl: number): string {
  const rest = ttl % 86400;
  if (rest === 0 || ttl < 86400) return describeDuration(ttl);
  return `${describeDuration(ttl - rest)} ${describeDuration(rest)}`;
}

export async function revoke(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(
    'revoke',
    args,
    {
      subject: { type: 'string' },
      session: { type: 'string' },
      cookie: { type: 'string' },
      'cookie-name': { type: 'string' },
      purpose: { type: 'string' },
      compress: { type: 'boolean' },
      keys: { type: 'string' },
      'keys-env': { type: 'string' },
      ttl: { type: 'string' },
      prefix: { type: 'string' },
      json: { type: 'boolean' },
    },
    0,
  );
  if (parsed.values.help) {
    io.out(helpFor('revoke'));
    return EXIT_OK;
  }
  const target = await targetOf(parsed, io);
  const ttl = ttlOf(parsed);
  const prefix = stringOption(parsed, 'prefix') ?? 'jwe-session:';
  const redis = readRedisUrl(io.env);
  const before = await withRedis(redis, (client) =>
    applyRevocation(redisRevocationStore(client, { prefix }), target, ttl, Date.now()),
  );
  const createdBefore = new Date(before).toISOString();

  if (parsed.values.json) {
    io.out(
      `${JSON.stringify(
        {
          revoked: target.kind,
          [target.kind]: target.id,
          ...(target.kind === 'subject' && { createdBefore }),
          ttlSeconds: ttl,
          prefix,
          redis: redis.shown,
        },
        null,
        2,
      )}\n`,
    );
    return EXIT_OK;
  }
  const what =
    target.kind === 'subject'
      ? `every session of subject ${quote(target.id)} created before ${createdBefore}`
      : `session ${quote(target.id)}`;
  io.out(
    `Revoked ${what}.\n` +
      `  in    ${redis.shown} (key prefix ${quote(prefix)})\n` +
      `  kept  ${ttlText(ttl)} (${ttl} s), then Redis forgets it\n` +
      '  Each process of the app sees it within its recheckInterval (default 1 s).\n',
  );
  return EXIT_OK;
}
