import type { CrossSiteReason } from '../errors.js';
import { canonicalOrigin, isOwnOrigin } from './origin.js';

/** What the guard reads of a request; an adapter fills it from its framework's request. */
export interface CrossSiteRequest {
  /** As received: upper case, as Node and fetch give the standard methods. */
  readonly method: string;
  /**
   * A header's value by lower-case name; null or undefined when absent. `host` is the request's
   * authority (HTTP/2's `:authority`).
   */
  header(name: string): string | null | undefined;
  /**
   * The request target: Node's `req.url` (`/path?query`) or a fetch Request's absolute `url`.
   * Its path is matched against exempt paths; when absolute, its scheme is this server's.
   */
  readonly url: string;
  /**
   * Whether this server received the request over TLS, for a `url` without a scheme. Unset
   * there, the scheme is unknown and an Origin is compared by host and port only (as Go does).
   */
  readonly secure?: boolean;
}

/** What the parsed `crossSite` option holds (see cross-site-options.ts). */
export interface CrossSiteSettings {
  /** Origins, in the form an Origin header spells them, whose requests pass. */
  readonly trustedOrigins: ReadonlySet<string>;
  /** Requests that pass whatever their headers say; asked only of a request about to be refused. */
  readonly exempt: ((request: CrossSiteRequest) => boolean) | undefined;
  /** Whether a request with neither Sec-Fetch-Site nor Origin must prove itself with a token. */
  readonly token: boolean;
}

/**
 * Why a request was refused. `cross-site` and `same-site` come from Sec-Fetch-Site (an unknown
 * value counts as `cross-site`); `origin-mismatch` and `origin-null` from an Origin header
 * without Sec-Fetch-Site; `token-required` from a request with neither header when `token` is
 * on, which only a valid token lifts (a token never lifts the others). Declared with the error
 * class that carries it (errors.ts).
 */
export type { CrossSiteReason } from '../errors.js';

/** A refused request: `reason` to branch on, `detail` for logs (it quotes the Origin header). */
export interface CrossSiteRefusal {
  readonly reason: CrossSiteReason;
  readonly detail: string;
}

// A header is quoted into `detail`; a long one is cut, so a log line stays a line.
function quote(value: string): string {
  return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
}

function schemeOf(request: CrossSiteRequest): 'http' | 'https' | undefined {
  const url = request.url;
  if (url.startsWith('https://')) return 'https';
  if (url.startsWith('http://')) return 'http';
  return request.secure === undefined ? undefined : request.secure ? 'https' : 'http';
}

const AUTHORITY = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/;

/** The Host header, or the authority of an absolute `url` when a request has none. */
function hostOf(request: CrossSiteRequest): string {
  return request.header('host') || (AUTHORITY.exec(request.url)?.[1] ?? '');
}

function isTrusted(origin: string | null | undefined, settings: CrossSiteSettings): boolean {
  if (!origin || settings.trustedOrigins.size === 0) return false;
  if (settings.trustedOrigins.has(origin)) return true;
  // Browsers send the canonical form, so this only matters for other clients; it keeps one
  // rule (the canonical origin) for both sides of the comparison.
  const canonical = canonicalOrigin(origin);
  return 'origin' in canonical && settings.trustedOrigins.has(canonical.origin);
}

/** Whether a request the headers would refuse passes anyway: a trusted Origin, or exempt. */
function lifted(
  request: CrossSiteRequest,
  settings: CrossSiteSettings,
  origin: string | null | undefined,
): boolean {
  if (isTrusted(origin, settings)) return true;
  // Only `true` exempts: an async function by mistake returns a promise, which is truthy.
  return settings.exempt !== undefined && settings.exempt(request) === true;
}

/**
 * Whether a request may be a cross-site request forgery: undefined to let it through, or the
 * refusal. Synchronous, and on the paths real traffic takes (a safe method, `Sec-Fetch-Site:
 * same-origin`) it reads one or two headers and allocates nothing.
 *
 * The rules, after Go's `net/http.CrossOriginProtection`:
 * - GET, HEAD and OPTIONS always pass: they must not change state.
 * - `Sec-Fetch-Site: same-origin` or `none` (the user typed the address) passes; `same-site`,
 *   `cross-site` and any other value are refused, unless the Origin is trusted or the request
 *   exempt.
 * - Without Sec-Fetch-Site (browsers before 2023, and any browser on a plain-HTTP site other
 *   than localhost, which gets no Fetch metadata), an Origin other than this server's own is
 *   refused, `null` included, unless trusted or exempt. Its own origin is the Host header with
 *   the scheme of `url` (or `secure`): behind a proxy that ends TLS, the app sees `http` where
 *   the browser saw `https`, so such an app lists its public origin in `trustedOrigins`.
 *   X-Forwarded-Host and X-Forwarded-Proto are never read: without a proxy that overwrites
 *   them, the client chooses them.
 * - With neither header (curl, server-to-server calls, browsers older than about 2020) it passes,
 *   or with `token` on is refused as `token-required` until a valid token lifts it.
 */
export function checkCrossSite(
  request: CrossSiteRequest,
  settings: CrossSiteSettings,
): CrossSiteRefusal | undefined {
  const method = request.method;
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return undefined;
  const site = request.header('sec-fetch-site');
  if (site) {
    if (site === 'same-origin' || site === 'none') return undefined;
    const origin = request.header('origin');
    if (lifted(request, settings, origin)) return undefined;
    const from = origin ? `Origin ${quote(origin)}` : 'no Origin';
    if (site === 'same-site' || site === 'cross-site') {
      return { reason: site, detail: `Sec-Fetch-Site: ${site}, ${from}, not trusted` };
    }
    return {
      reason: 'cross-site',
      detail: `Sec-Fetch-Site has a value browsers never send (${quote(site)}), taken as cross-site; ${from}, not trusted`,
    };
  }
  const origin = request.header('origin');
  if (!origin) {
    if (!settings.token || lifted(request, settings, undefined)) return undefined;
    return {
      reason: 'token-required',
      detail:
        'neither Sec-Fetch-Site nor Origin, and crossSite.token is on: the request needs a valid token',
    };
  }
  if (origin === 'null') {
    if (lifted(request, settings, undefined)) return undefined;
    return {
      reason: 'origin-null',
      detail:
        'Origin: null (a sandboxed frame, a file: page or a cross-site redirect) and no Sec-Fetch-Site',
    };
  }
  const scheme = schemeOf(request);
  const host = hostOf(request);
  if (isOwnOrigin(origin, scheme, host) || lifted(request, settings, origin)) return undefined;
  const own = host === '' ? 'unknown: no Host header' : quote(`${scheme ?? 'http(s)'}://${host}`);
  return {
    reason: 'origin-mismatch',
    detail: `Origin ${quote(origin)} is not this server's (${own}) nor trusted, and no Sec-Fetch-Site`,
  };
}
