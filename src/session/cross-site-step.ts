import {
  type CrossSiteRefusal,
  type CrossSiteRequest,
  type CrossSiteSettings,
  checkCrossSite,
} from '../cross-site/cross-site-guard.js';
import { CSRF_HEADER, settleWithToken } from '../cross-site/token-check.js';
import { debug } from '../debug.js';
import { SessionCrossSiteError } from '../errors.js';
import type { KeyRing } from '../keys/key-ring.js';
import { notifyEvent } from './hooks.js';
import type { RequestFacts } from './request-handle.js';
import type { StoreConfig } from './store-config.js';

/**
 * Step (1) of a request's way in: the cross-site check's first verdict, before the cookie is
 * read. Undefined lets it through; on that path (a safe method, `Sec-Fetch-Site: same-origin`)
 * it reads a header or two and allocates nothing. An entry without a request (a cookie jar)
 * gives no method, and is not checked here.
 */
export function crossSiteVerdict(
  settings: CrossSiteSettings | false,
  facts: RequestFacts,
): CrossSiteRefusal | undefined {
  if (settings === false || facts.method === undefined || facts.header === undefined) {
    return undefined;
  }
  return checkCrossSite(facts as CrossSiteRequest, settings);
}

/**
 * A `token-required` verdict settled with the request's token, once its session is open: the
 * `x-csrf-token` header, or else the `_csrf` form field where the adapter can read it without
 * taking the app's body.
 */
export async function settleCrossSite(
  ring: KeyRing,
  verdict: CrossSiteRefusal,
  facts: RequestFacts,
  sessionId: string | undefined,
): Promise<CrossSiteRefusal | undefined> {
  const request = facts as CrossSiteRequest;
  const header = request.header(CSRF_HEADER);
  const field = header ? undefined : await facts.csrfField?.();
  return settleWithToken(verdict, request, { keys: await ring.csrfKeys(), sessionId, field });
}

// A long path is cut, so an event or a log line stays small.
function pathOf(url: string): string {
  const start = url.startsWith('/') ? 0 : url.indexOf('/', url.indexOf('//') + 2);
  if (start < 0) return '/';
  const end = url.indexOf('?', start);
  const path = end < 0 ? url.slice(start) : url.slice(start, end);
  return path.length > 200 ? `${path.slice(0, 200)}…` : path;
}

/** The refusal as the error adapters answer 403 with, traced and reported to `onEvent`. */
export function refusalOf(
  config: StoreConfig,
  facts: RequestFacts,
  verdict: CrossSiteRefusal,
): SessionCrossSiteError {
  const method = facts.method ?? '';
  const path = pathOf(facts.url ?? '');
  const error = new SessionCrossSiteError(verdict.reason, verdict.detail, method, path);
  debug(error.message);
  notifyEvent(config.hooks, { type: 'cross-site-refused', reason: verdict.reason, method, path });
  return error;
}
