import { absoluteOf, refusalOf } from '../codec/claims-check.js';
import type { CodecConfig } from '../codec/codec-config.js';
import { readHeader, type TokenHeader } from '../codec/header.js';
import type { OpenedToken } from '../codec/unseal.js';
import { SessionRejectedError } from '../errors.js';
import { codecSettings } from '../options/build-store-config.js';
import { parseOptions } from '../options/parse-options.js';
import { openToken } from '../session/open-token.js';
import { durationOption, integerOption, parseCommandArgs, stringOption } from './args.js';
import { readDecodeInput } from './decode-input.js';
import {
  type Decoded,
  type Ending,
  hintFor,
  iso,
  NO_KEYS,
  toJson,
  toText,
} from './decode-report.js';
import { helpFor } from './help.js';
import { type CliIo, EXIT_FAILED, EXIT_OK, usageError } from './io.js';
import { readKeyList } from './key-list.js';
import { withStoreChecks } from './store-flags.js';

type DecodeCodec = ReturnType<typeof codecSettings>;

/** The codec a store with these settings would open tokens with (the CLI's keys beside it). */
function codecFor(codec: DecodeCodec): CodecConfig {
  return { ...codec, engine: undefined, cache: undefined };
}

/** Why and when the session ended, from its claims and the settings a request applies. */
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
      io.err(
        `rejected: ${rejection.reason}: ${rejection.detail}${hintFor(result, codec.compress)}\n`,
      );
    else if (ended) io.err(`not accepted now: ${ended.reason}: ${ended.detail}\n`);
    else if (sealed) io.err(`${NO_KEYS}\n`);
  }
  return rejection || ended || sealed ? EXIT_FAILED : EXIT_OK;
}
