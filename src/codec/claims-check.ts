import { type RejectionReason, type SealedTimes, SessionRejectedError } from '../errors.js';
import type { CodecConfig } from './codec-config.js';
import type { CachedToken } from './token-cache.js';
import type { Claims } from './token-format.js';

/** Why claims are refused now, if they are: checked against the configuration and the clock. */
function claimProblem(
  config: CodecConfig,
  claims: Claims,
  now: number,
  checkTimes: boolean,
): readonly [RejectionReason, string] | undefined {
  const tolerance = config.clockTolerance;
  if (claims.pur !== config.purpose) {
    return ['wrong-purpose', 'token was sealed for another cookie or purpose'];
  }
  if (!checkTimes) return undefined;
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

/**
 * What a rejection of an authentic token says it held, so "why was I logged out?" has an
 * answer. The one builder: its end is whichever deadline comes first.
 */
export function sealedTimes(config: CodecConfig, claims: Claims, keyId: string): SealedTimes {
  return {
    keyId,
    issuedAt: new Date(claims.iat * 1000),
    expiresAt: new Date(Math.min(claims.exp, claims.ori + absoluteOf(config, claims)) * 1000),
    createdAt: new Date(claims.ori * 1000),
  };
}

/** Why a request would refuse these claims now (purpose, revocation, times), or undefined. */
export function refusalOf(
  config: CodecConfig,
  opened: Pick<CachedToken, 'claims' | 'keyId'>,
  now: number,
  checkTimes = true,
): SessionRejectedError | undefined {
  const problem = claimProblem(config, opened.claims, now, checkTimes);
  if (!problem) return undefined;
  return new SessionRejectedError(
    problem[0],
    problem[1],
    sealedTimes(config, opened.claims, opened.keyId),
  );
}
