import { SessionRejectedError } from '../errors.js';
import { codecSettings } from '../options/build-store-config.js';
import { parseOptions } from '../options/parse-options.js';
import { openToken } from '../session/open-token.js';
import { type Parsed, stringOption } from './args.js';
import { readDecodeInput } from './decode-input.js';
import { type CliIo, failure, usageError } from './io.js';
import { readKeyList } from './key-list.js';
import { withStoreChecks } from './store-flags.js';

/**
 * The session id (`sid`) of a pasted cookie (a value, a Cookie header, or Set-Cookie lines,
 * as `decode` reads them), opened with the app's keys. Its times are not checked: a cookie
 * an incident turned up may be revoked whatever they say.
 */
export async function cookieSessionId(value: string, parsed: Parsed, io: CliIo): Promise<string> {
  const text = value === '-' ? await io.readStdin() : value;
  const list = readKeyList(parsed, io, 'revoke');
  if (list === undefined) {
    throw usageError(
      "--cookie needs the app's keys to open the cookie: set SESSION_KEYS (or --keys-env NAME)",
      'revoke',
    );
  }
  const purpose = stringOption(parsed, 'purpose');
  const settings = withStoreChecks('revoke', () =>
    parseOptions({
      cookie: { name: stringOption(parsed, 'cookie-name') ?? 'session' },
      advanced: {
        ...(purpose !== undefined && { purpose }),
        ...(parsed.values.compress === true && { compress: true }),
      },
      testing: { env: io.env },
    }),
  );
  const input = readDecodeInput(text, settings.cookie.name);
  if ('rejection' in input) throw failure(`cookie not read: ${input.rejection.detail}`);
  const codec = { ...codecSettings(settings), engine: undefined, cache: undefined };
  const opened = await openToken({ codec }, list.ring, input.token, { checkTimes: false });
  if (opened instanceof SessionRejectedError) {
    throw failure(`cookie not opened: ${opened.reason}: ${opened.detail}`);
  }
  const sid = opened.claims.sid;
  if (sid === undefined) {
    throw failure(
      'this cookie carries no session id (sealed before ids existed): it cannot be revoked alone; revoke its subject, or set SESSION_NOT_BEFORE',
    );
  }
  return sid;
}
