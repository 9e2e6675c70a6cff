// Issue 6's targets: ours ÷ peer, ops/s, for seal and unseal alike.
export const speedTargets = [
  { system: 'iron-session 8', min: { small: 4, medium: 4, large: 2.5 } },
  { system: '@auth/core', min: { small: 4, medium: 4, large: 2.5 } },
  { system: '@hapi/iron', min: { small: 1, medium: 1 } },
  { system: 'next-auth 4', min: { small: 1, medium: 1 } },
  { system: 'Web Crypto floor', min: { small: 0.5, medium: 0.5, large: 0.4 } },
];

/**
 * Issue 16's targets. `engine: 'node'` ÷ peer for seal and unseal alike; and the default engine
 * ÷ plain jose (the ceiling for anything sealing through jose).
 */
export const nodeEngineTargets = [
  { system: 'next-auth 4', min: { small: 2, medium: 2, large: 2 } },
  { system: 'node:crypto floor', min: { small: 0.7, medium: 0.7, large: 0.7 } },
];
export const defaultEngineTargets = [
  { system: 'jose dir+A256GCM (payload only)', min: { small: 0.95, medium: 0.95, large: 0.95 } },
];

/** Our token may be at most this many times the plain jose token of the same payload. */
export const maxBytesRatio = 1.1;
export const bytesReference = 'jose dir+A256GCM (payload only)';
