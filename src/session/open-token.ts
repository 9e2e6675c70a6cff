import type { CodecConfig } from '../codec/codec-config.js';
import { type OpenedToken, unseal } from '../codec/unseal.js';
import { SessionRejectedError } from '../errors.js';
import type { KeyRing } from '../keys/key-ring.js';
import { type DataShape, type Shaped, shapeData } from './data-shape.js';

/** What opening a token gave: its contents (brought to the store's shape), or why not. */
export type Opening = OpenedToken | Shaped | SessionRejectedError;

/** What openToken reads of a store's config: the codec, and the data's shape if it has one. */
export interface TokenConfig {
  readonly codec: CodecConfig;
  readonly shape?: DataShape | undefined;
}

/**
 * Opens a token (a session cookie's; with the sealed codec, a `seal()` value's) and, if the
 * store has a data shape, brings its data to that shape. The one way in for a request, for
 * `store.unseal` and for the CLI's `decode` (which passes `checkTimes: false` to see a token
 * past its lifetime; see `unseal`). At once when nothing needs waiting for.
 */
export function openToken(
  config: TokenConfig,
  ring: KeyRing,
  token: string,
  options?: { readonly checkTimes?: boolean },
): Opening | Promise<Opening> {
  const opened = unseal(config.codec, ring, token, options?.checkTimes ?? true);
  const shape = config.shape;
  if (!shape) return opened;
  if (opened instanceof Promise) {
    return opened.then((result) =>
      result instanceof SessionRejectedError ? result : shapeData(shape, config.codec, result),
    );
  }
  return opened instanceof SessionRejectedError ? opened : shapeData(shape, config.codec, opened);
}
