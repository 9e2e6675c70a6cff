// next-auth 4 `next-auth/jwt` encode/decode: dir + A256GCM under an HKDF-derived key (jose 4 on
// node:crypto), derivation on every call.
import { randomBytes } from 'node:crypto';
import { decode, encode } from 'next-auth/jwt';
import { withoutJwtClaims } from './auth-core.js';

export async function nextAuth() {
  const secret = randomBytes(32).toString('hex');
  return {
    name: 'next-auth 4',
    seal: (token) => encode({ token, secret }),
    unseal: (token) => decode({ token, secret }),
    payloadOf: withoutJwtClaims,
  };
}
