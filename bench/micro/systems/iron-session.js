// iron-session 8: sealData/unsealData (Web Crypto through iron-webcrypto). A bad seal comes
// back as an empty object rather than an error.
import { randomBytes } from 'node:crypto';
import { sealData, unsealData } from 'iron-session';

export async function ironSession() {
  const password = randomBytes(32).toString('hex');
  return {
    name: 'iron-session 8',
    seal: (data) => sealData(data, { password }),
    unseal: (token) => unsealData(token, { password }),
    payloadOf: (opened) => (Object.keys(opened).length === 0 ? undefined : opened),
  };
}
