// @hapi/iron: seal/unseal with its defaults (synchronous node:crypto inside async functions).
import { randomBytes } from 'node:crypto';
import Iron from '@hapi/iron';

export async function hapiIron() {
  const password = randomBytes(32).toString('hex');
  return {
    name: '@hapi/iron',
    seal: (data) => Iron.seal(data, password, Iron.defaults),
    unseal: (token) => Iron.unseal(token, password, Iron.defaults),
    payloadOf: (opened) => opened,
  };
}
