import { readHeader, type TokenHeader } from '../codec/header.js';
import { ALG, ENC, WINDOW_SECONDS } from '../codec/token-format.js';
import { type Unsealed, unseal } from '../codec/unseal.js';
import { type SealedTimes, SessionConfigError, SessionRejectedError } from '../errors.js';
import { KeyRing } from '../keys/key-ring.js';
import {
  resolveOptions,
  type SessionStoreOptions,
  type StoreConfig,
} from '../session/store-options.js';
import { durationOption, integerOption, parseCommandArgs, stringOption } from './args.js';
import { type CookieSource, readDecodeInput } from './decode-input.js';
import { helpFor } from './help.js';
import { type CliIo, EXIT_FAILED, EXIT_OK, usageError } from './io.js';
import { readKeyList } from './key-list.js';

interface Decoded {
  readonly cookie: CookieSource | undefined;
  readonly header: TokenHeader | undefined;
  /** Undefined without keys: the claims and data stay sealed. */
  readonly opened: Unsealed | undefined;
  readonly rejection: SessionRejectedError | undefined;
  readonly keys: { readonly source: string; readonly primaryId: string } | undefined;
  readonly absoluteTimeout: number;
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

function headerJson(header: TokenHeader) {
  return {
    alg: ALG,
    enc: ENC,
    kid: `${header.keyId}.${header.window}`,
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
      valid: result.rejection === undefined && opened !== undefined,
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
          absoluteExpiry: iso(opened.claims.ori + result.absoluteTimeout),
          keyId: opened.keyId,
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
      `  kid      ${header.keyId}.${header.window} (key "${header.keyId}", sealed between ${window[0]} and ${window[1]})`,
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
      `  created  ${iso(claims.ori)} (the session ends by ${iso(claims.ori + result.absoluteTimeout)})`,
    );
    lines.push(
      opened.keyId === primary
        ? `  key      ${opened.keyId} (the sealing key)`
        : `  key      ${opened.keyId} (an older key: the next response re-seals it with "${primary}")`,
    );
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
  } else if (!result.keys && !result.rejection) {
    lines.push(
      'no keys given (--keys, or SESSION_KEYS in the environment): the claims and session data stay sealed',
    );
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

// resolveOptions names its options as an app writes them; on the command line they are flags.
const FLAGS: Readonly<Record<string, string>> = {
  cookieName: '--cookie-name',
  purpose: '--purpose',
  idleTimeout: '--idle-timeout',
  absoluteTimeout: '--absolute-timeout',
  clockTolerance: '--clock-tolerance',
  maxTotalBytes: '--max-total-bytes',
  notBefore: '--not-before',
};

function storeConfig(options: SessionStoreOptions): StoreConfig {
  try {
    return resolveOptions(options);
  } catch (error) {
    const flag = error instanceof SessionConfigError ? FLAGS[error.setting] : undefined;
    if (!flag || !(error instanceof SessionConfigError)) throw error;
    throw usageError(`${flag} ${error.message.slice(error.setting.length + 2)}`, 'decode');
  }
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
  // with these settings would. Without keys nothing is unsealed; the throwaway ring only
  // satisfies resolveOptions (which would otherwise warn about a missing SESSION_KEYS).
  const config = storeConfig({
    cookieName: stringOption(parsed, 'cookie-name') ?? 'session',
    keys: list?.ring ?? KeyRing.ephemeral(),
    cacheSize: 0,
    env: io.env,
    ...(purpose !== undefined && { purpose }),
    ...(idleTimeout !== undefined && { idleTimeout }),
    ...(absoluteTimeout !== undefined && { absoluteTimeout }),
    ...(clockTolerance !== undefined && { clockTolerance }),
    ...(maxTotalBytes !== undefined && { maxTotalBytes }),
    ...(notBefore !== undefined && { notBefore }),
    ...(parsed.values.compress === true && { compress: true }),
  });
  const input = readDecodeInput(await readInput(argument, io), config.cookie.name);

  let header: TokenHeader | undefined;
  let opened: Unsealed | undefined;
  let rejection = 'rejection' in input ? input.rejection : undefined;
  if ('token' in input) {
    // Compression is allowed here only to show the header; unseal applies --compress.
    const read = readHeader(input.token, true);
    if (read instanceof SessionRejectedError) rejection = read;
    else header = read;
    if (header && list) {
      const result = await unseal(config.codec, input.token);
      if (result instanceof SessionRejectedError) rejection = result;
      else opened = result;
    }
  }
  const result: Decoded = {
    cookie: input.cookie,
    header,
    opened,
    rejection,
    keys: list && { source: list.source, primaryId: list.ring.primaryId },
    absoluteTimeout: config.codec.absoluteTimeout,
  };
  if (parsed.values.json) {
    io.out(toJson(result));
  } else {
    io.out(toText(result));
    if (rejection) {
      const hint =
        header?.zip && !config.codec.compress
          ? ' (pass --compress if the app sets compress: true)'
          : '';
      io.err(`rejected: ${rejection.reason}: ${rejection.detail}${hint}\n`);
    }
  }
  return rejection ? EXIT_FAILED : EXIT_OK;
}
