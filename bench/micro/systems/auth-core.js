// Auth.js @auth/core/jwt encode/decode: dir + A256CBC-HS512, HKDF key derivation on every call.
import { randomBytes } from 'node:crypto';
import { decode, encode } from '@auth/core/jwt';

const salt = 'authjs.session-token';

export async function authCore() {
  const secret = randomBytes(32).toString('hex');
  return {
    name: '@auth/core',
    seal: (token) => encode({ token, secret, salt }),
    unseal: (token) => decode({ token, secret, salt }),
    payloadOf: withoutJwtClaims,
  };
}

/** The decoded JWT minus the claims encode adds, so it compares with what was sealed. */
export function withoutJwtClaims(opened) {
  if (!opened) return undefined;
  const { iat: _iat, exp: _exp, jti: _jti, ...rest } = opened;
  return rest;
}
