// iron-session 9 (the current major, Node ≥ 22.13 only): sealData/unsealData, as for 8. Pinned
// as the aliased devDependency `iron-session-9`; on an older Node, or if it fails to load, the
// system is skipped and the run says why.
import { randomBytes } from 'node:crypto';
import { ironSession9Skip, loadIronSession9 } from '../../iron-session-9.js';

export async function ironSession9() {
  const iron = await loadIronSession9();
  if (!iron) return { skipped: `iron-session 9: ${ironSession9Skip()}` };
  const password = randomBytes(32).toString('hex');
  return {
    name: 'iron-session 9',
    seal: (data) => iron.sealData(data, { password }),
    unseal: (token) => iron.unsealData(token, { password }),
    payloadOf: (opened) => (Object.keys(opened).length === 0 ? undefined : opened),
  };
}
