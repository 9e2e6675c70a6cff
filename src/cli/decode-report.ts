import type { TokenHeader } from '../codec/header.js';
import { ALG, ENC, kidOf, WINDOW_SECONDS } from '../codec/token-format.js';
import type { OpenedToken } from '../codec/unseal.js';
import type { SealedTimes, SessionRejectedError } from '../errors.js';
import { quote } from '../util/printable.js';
import type { CookieSource } from './decode-input.js';

// What `decode` found, and its two renderings: text for a person, --json for a script.

export interface Decoded {
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

export interface Ending {
  readonly reason: string;
  readonly detail: string;
  /** When it stopped being accepted (undefined when it has not started being accepted yet). */
  readonly at: string | undefined;
}

export const NO_KEYS =
  'no keys given (--keys, --keys-env, or SESSION_KEYS in the environment): the claims and ' +
  'session data stay sealed, and whether the cookie is valid is unknown';

export const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** When the session began, to the millisecond when the token says (`orm`). */
const createdIso = (claims: { ori: number; orm?: number }) =>
  new Date(claims.ori * 1000 + (claims.orm ?? 0)).toISOString();

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

export function toJson(result: Decoded): string {
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
          created: createdIso(opened.claims),
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

export function toText(result: Decoded): string {
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
      `  created  ${createdIso(claims)} (the session ends by ${iso(result.absoluteEnd ?? claims.ori)})`,
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

/** What to pass to see more of a rejected cookie, when a flag would help. */
export function hintFor(result: Decoded, compress: boolean): string {
  if (result.header?.zip && !compress) {
    return ' (pass --compress if the app sets compress: true)';
  }
  const timeBound = ['expired', 'revoked', 'not-yet-valid'];
  if (result.keys && result.rejection && timeBound.includes(result.rejection.reason)) {
    return ' (pass --ignore-expiry to open it anyway and see whose it was)';
  }
  return '';
}
