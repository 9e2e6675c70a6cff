import { authCore } from './auth-core.js';
import { hapiIron } from './hapi-iron.js';
import { ironSession } from './iron-session.js';
import { ironSession9 } from './iron-session-9.js';
import { josePlain } from './jose-plain.js';
import { jweSession } from './jwe-session.js';
import { jweSessionNode } from './jwe-session-node.js';
import { nextAuth } from './next-auth.js';
import { nodeCryptoFloor } from './node-crypto-floor.js';
import { webCryptoFloor } from './webcrypto-floor.js';

/**
 * Every system in the run, ours first; each peer's ratio is taken against ours. A factory may
 * give `{ skipped: reason }` instead (a peer this Node can't run): the run notes it.
 */
export const factories = [
  jweSession,
  jweSessionNode,
  ironSession,
  ironSession9,
  authCore,
  hapiIron,
  nextAuth,
  josePlain,
  webCryptoFloor,
  nodeCryptoFloor,
];
