// Issue 6's targets: ours ÷ peer, ops/s, for seal and unseal alike.
export const speedTargets = [
  { system: 'iron-session 8', min: { small: 4, medium: 4, large: 2.5 } },
  { system: '@auth/core', min: { small: 4, medium: 4, large: 2.5 } },
  { system: '@hapi/iron', min: { small: 1, medium: 1 } },
  { system: 'next-auth 4', min: { small: 1, medium: 1 } },
  { system: 'Web Crypto floor', min: { small: 0.5, medium: 0.5, large: 0.4 } },
];

/**
 * Issue 16's targets: `engine: 'node'` ÷ peer for seal and unseal alike. Issue 28's: the
 * default (`'auto'`: node:crypto on Node, Bun and Deno) ÷ the node:crypto floor, one bare
 * AES-GCM call of the same JSON, seal and open each with its own bound (`op`).
 */
export const nodeEngineTargets = [
  { system: 'next-auth 4', min: { small: 2, medium: 2, large: 2 } },
  { system: 'node:crypto floor', min: { small: 0.7, medium: 0.7, large: 0.7 } },
];
export const defaultEngineTargets = [
  { system: 'node:crypto floor', op: 'seal', min: { small: 0.8, medium: 0.8, large: 0.8 } },
  { system: 'node:crypto floor', op: 'unseal', min: { small: 0.6, medium: 0.6, large: 0.6 } },
];

/** Our token may be at most this many times the plain jose token of the same payload. */
export const maxBytesRatio = 1.1;
export const bytesReference = 'jose dir+A256GCM (payload only)';
