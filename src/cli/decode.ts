import { absoluteOf, refusalOf } from '../codec/claims-check.js';
import type { CodecConfig } from '../codec/codec-config.js';
import { readHeader, type TokenHeader } from '../codec/header.js';
import { ALG, ENC, kidOf, WINDOW_SECONDS } from '../codec/token-format.js';
import type { OpenedToken } from '../codec/unseal.js';
import { type SealedTimes, SessionRejectedError } from '../errors.js';
import { codecSettings } from '../options/build-store-config.js';
import { parseOptions } from '../options/parse-options.js';
import { openToken } from '../session/open-token.js';
import { quote } from '../util/printable.js';
import { durationOption, integerOption, parseCommandArgs, stringOption } from './args.js';
import { type CookieSource, readDecodeInput } from './decode-input.js';
import { helpFor } from './help.js';
import { type CliIo, EXIT_FAILED, EXIT_OK, usageError } from './io.js';
import { readKeyList } from './key-list.js';
import { withStoreChecks } from './store-flags.js';

interface Decoded {
  readonly cookie: CookieSource | undefined;
  readonly header: TokenHeader | undefined;
  /** Undefined without keys: the claims and data stay sealed. */
  readonly opened: OpenedToken | undefined;
  readonly rejection: SessionRejectedError | undefined;
  readonly keys: { readonly source: string; readonly primaryId: string } | undefined;
  /** When the opened session's absolute lifetime ends (its own, if it chose a shorter one). */
  readonly absoluteEnd: number | undefined;
  /** With --ignore-expiry: why and when a request would refuse this authentic token. */
  readonly ended: Ending | undefined;
}

interface Ending {
  readonly reason: string;
  readonly detail: string;
  /** When it stopped being accepted (undefined when it has not started being accepted yet). */
  readonly at: string | undefined;
}

/** Why and when the session ended, from its claims and the settings a request applies. */
type DecodeCodec = ReturnType<typeof codecSettings>;

/** The codec a store with these settings would open tokens with (the CLI's keys beside it). */
function codecFor(codec: DecodeCodec): CodecConfig {
  return { ...codec, engine: undefined, cache: undefined };
}

function endingOf(opened: OpenedToken, refused: SessionRejectedError, codec: DecodeCodec): Ending {
  const { claims } = opened;
  const absoluteEnd = claims.ori + absoluteOf(codec, claims);
  let at: number | undefined;
  if (refused.reason === 'expired') at = Math.min(claims.exp, absoluteEnd);
  else if (refused.reason === 'revoked') at = codec.notBefore;
  const detail =
    refused.reason === 'revoked' && codec.notBefore !== undefined
      ? `${refused.detail} (created ${iso(claims.ori)}, not-before ${iso(codec.notBefore)})`
      : refused.detail;
  return { reason: refused.reason, detail, at: at === undefined ? undefined : iso(at) };
}

const NO_KEYS =
  'no keys given (--keys, --keys-env, or SESSION_KEYS in the environment): the claims and ' +
  'session data stay sealed, and whether the cookie is valid is unknown';

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

function headerJson(header: TokenHeader) {
  return {
    alg: ALG,
    enc: ENC,
    kid: kidOf(header.keyId, header.window),
    ...(header.zip && { zip: 'DEF' }),
    keyId: header.keyId,
    sealedBetween: [iso(header.window * WINDOW_SECONDS), iso((header.window + 1) * WINDOW_SECONDS)],
  };
}

function sealedJson(sealed: SealedTimes) {
  return {
    keyId: sealed.keyId,
    issued: sealed.issuedAt.toISOString(),
    expires: sealed.expiresAt.toISOString(),
    created: sealed.createdAt.toISOString(),
  };
}

function toJson(result: Decoded): string {
  const { opened } = result;
  return `${JSON.stringify(
    {
      cookie: result.cookie ?? null,
      header: result.header ? headerJson(result.header) : null,
      keys: result.keys ? result.keys.source : null,
      valid: result.rejection === undefined && result.ended === undefined && opened !== undefined,
      ...(result.ended && { ended: result.ended }),
      ...(result.rejection && {
        rejection: {
          reason: result.rejection.reason,
          detail: result.rejection.detail,
          ...(result.rejection.sealed && { sealed: sealedJson(result.rejection.sealed) }),
        },
      }),
      ...(opened && {
        claims: {
          purpose: opened.claims.pur,
          issued: iso(opened.claims.iat),
          expires: iso(opened.claims.exp),
          created: iso(opened.claims.ori),
          absoluteExpiry: iso(result.absoluteEnd ?? opened.claims.ori),
          keyId: opened.keyId,
          ...(opened.claims.sid !== undefined && { sessionId: opened.claims.sid }),
          ...(opened.claims.sub !== undefined && { subject: opened.claims.sub }),
          // The session's own choices (session.options) and data version, when it made any.
          ...(opened.claims.idl !== undefined && { idleTimeout: opened.claims.idl }),
          ...(opened.claims.abs !== undefined && { absoluteTimeout: opened.claims.abs }),
          ...(opened.claims.per !== undefined && { persistent: opened.claims.per }),
          ...(opened.claims.v !== undefined && { dataVersion: opened.claims.v }),
        },
        session: opened.data,
        ...(opened.flash && { flash: opened.flash }),
      }),
    },
    null,
    2,
  )}\n`;
}

function toText(result: Decoded): string {
  const lines: string[] = [];
  const { cookie, header, opened } = result;
  if (cookie) {
    const chunks = cookie.chunks === 1 ? '1 chunk' : `${cookie.chunks} chunks`;
    lines.push(`cookie     ${cookie.name}: ${chunks}, ${cookie.bytes} bytes`);
  }
  if (header) {
    const window = headerJson(header).sealedBetween;
    lines.push('header');
    lines.push(`  alg      ${ALG}`, `  enc      ${ENC}`);
    lines.push(
      `  kid      ${kidOf(header.keyId, header.window)} (key "${header.keyId}", sealed between ${window[0]} and ${window[1]})`,
    );
    if (header.zip) lines.push('  zip      DEF');
  }
  if (opened) {
    const { claims } = opened;
    const primary = result.keys?.primaryId;
    lines.push('claims');
    lines.push(`  purpose  ${claims.pur}`);
    lines.push(`  issued   ${iso(claims.iat)}`);
    lines.push(`  expires  ${iso(claims.exp)} (unless a request comes first)`);
    lines.push(
      `  created  ${iso(claims.ori)} (the session ends by ${iso(result.absoluteEnd ?? claims.ori)})`,
    );
    lines.push(
      opened.keyId === primary
        ? `  key      ${opened.keyId} (the sealing key)`
        : `  key      ${opened.keyId} (an older key: the next response re-seals it with "${primary}")`,
    );
    if (claims.sid !== undefined) lines.push(`  id       ${claims.sid}`);
    if (claims.sub !== undefined) lines.push(`  subject  ${quote(claims.sub)}`);
    if (result.ended) {
      const { reason, detail, at } = result.ended;
      lines.push(`  ended    ${at ?? 'not yet valid'} (${reason}: ${detail})`);
    }
    lines.push('session', JSON.stringify(opened.data, null, 2));
    if (opened.flash) lines.push('flash', JSON.stringify(opened.flash, null, 2));
  } else if (result.rejection?.sealed) {
    // Authentic but refused now: the times answer "why was I logged out?".
    const sealed = sealedJson(result.rejection.sealed);
    lines.push('claims (authentic, but not accepted now)');
    lines.push(`  key      ${sealed.keyId}`);
    lines.push(`  issued   ${sealed.issued}`);
    lines.push(`  expires  ${sealed.expires}`);
    lines.push(`  created  ${sealed.created}`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

function hintFor(result: Decoded, codec: DecodeCodec): string {
  if (result.header?.zip && !codec.compress) {
    return ' (pass --compress if the app sets compress: true)';
  }
  const timeBound = ['expired', 'revoked', 'not-yet-valid'];
  if (result.keys && result.rejection && timeBound.includes(result.rejection.reason)) {
    return ' (pass --ignore-expiry to open it anyway and see whose it was)';
  }
  return '';
}

async function readInput(argument: string, io: CliIo): Promise<string> {
  return argument === '-' ? io.readStdin() : argument;
}

export async function decode(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(
    'decode',
    args,
    {
      'cookie-name': { type: 'string' },
      purpose: { type: 'string' },
      keys: { type: 'string' },
      'keys-env': { type: 'string' },
      'idle-timeout': { type: 'string' },
      'absolute-timeout': { type: 'string' },
      'clock-tolerance': { type: 'string' },
      'max-total-bytes': { type: 'string' },
      'not-before': { type: 'string' },
      compress: { type: 'boolean' },
      'ignore-expiry': { type: 'boolean' },
      json: { type: 'boolean' },
    },
    1,
  );
  if (parsed.values.help) {
    io.out(helpFor('decode'));
    return EXIT_OK;
  }
  const argument = parsed.positionals[0];
  if (argument === undefined) {
    throw usageError(
      'decode needs a cookie value or a whole Cookie header (or - for stdin)',
      'decode',
    );
  }
  const idleTimeout = durationOption(parsed, 'idle-timeout', 'decode');
  const absoluteTimeout = durationOption(parsed, 'absolute-timeout', 'decode');
  const clockTolerance = durationOption(parsed, 'clock-tolerance', 'decode');
  const maxTotalBytes = integerOption(parsed, 'max-total-bytes', 'decode');
  const notBefore = stringOption(parsed, 'not-before');
  const purpose = stringOption(parsed, 'purpose');
  const list = readKeyList(parsed, io, 'decode');
  // The store's own option checks and defaults, so decode judges a cookie exactly as an app
  // with these settings would; the keys are the CLI's own, so none are read or made up here.
  const settings = withStoreChecks('decode', () =>
    parseOptions({
      cookie: {
        name: stringOption(parsed, 'cookie-name') ?? 'session',
        ...(maxTotalBytes !== undefined && { maxTotalBytes }),
      },
      lifetime: {
        ...(idleTimeout !== undefined && { idleTimeout }),
        ...(absoluteTimeout !== undefined && { absoluteTimeout }),
        ...(clockTolerance !== undefined && { clockTolerance }),
        ...(notBefore !== undefined && { notBefore }),
      },
      advanced: {
        ...(purpose !== undefined && { purpose }),
        ...(parsed.values.compress === true && { compress: true }),
      },
      testing: { env: io.env },
    }),
  );
  const codec = codecSettings(settings);
  const input = readDecodeInput(await readInput(argument, io), settings.cookie.name);

  let header: TokenHeader | undefined;
  let opened: OpenedToken | undefined;
  let rejection = 'rejection' in input ? input.rejection : undefined;
  let ended: Ending | undefined;
  if ('token' in input) {
    // Compression is allowed here only to show the header; unseal applies --compress.
    const read = readHeader(input.token, true);
    if (read instanceof SessionRejectedError) rejection = read;
    else header = read;
    if (header && list) {
      // --ignore-expiry: opened whatever its times say, which are then judged here.
      const checkTimes = parsed.values['ignore-expiry'] !== true;
      const result = await openToken({ codec: codecFor(codec) }, list.ring, input.token, {
        checkTimes,
      });
      if (result instanceof SessionRejectedError) rejection = result;
      else {
        opened = result;
        const refused = refusalOf(codecFor(codec), result, Math.floor(codec.now() / 1000));
        ended = refused && endingOf(result, refused, codec);
      }
    }
  }
  const result: Decoded = {
    cookie: input.cookie,
    header,
    opened,
    rejection,
    keys: list && { source: list.source, primaryId: list.ring.primaryId },
    absoluteEnd: opened && opened.claims.ori + absoluteOf(codec, opened.claims),
    ended,
  };
  // Without keys the header may be anybody's: exit 0 must mean "a request would accept it".
  const sealed = !list && !rejection;
  if (parsed.values.json) {
    io.out(toJson(result));
  } else {
    io.out(toText(result));
    if (rejection)
      io.err(`rejected: ${rejection.reason}: ${rejection.detail}${hintFor(result, codec)}\n`);
    else if (ended) io.err(`not accepted now: ${ended.reason}: ${ended.detail}\n`);
    else if (sealed) io.err(`${NO_KEYS}\n`);
  }
  return rejection || ended || sealed ? EXIT_FAILED : EXIT_OK;
}
