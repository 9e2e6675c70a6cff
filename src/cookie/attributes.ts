import type { SerializeOptions } from 'cookie';
import { MAX_CHUNKS } from './limits.js';

export interface ResolvedCookie {
  readonly name: string;
  readonly persistent: boolean;
  readonly attributes: SerializeOptions;
}

/** `session`, `session.1`, `session.2`, …: exact names, never matched by prefix. */
export function chunkName(base: string, index: number): string {
  return index === 0 ? base : `${base}.${index}`;
}

/** Every name a session's chunks can have, in order: built once, looked up on every request. */
export function chunkNames(base: string): readonly string[] {
  return Array.from({ length: MAX_CHUNKS }, (_, i) => chunkName(base, i));
}
