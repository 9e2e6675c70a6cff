import type { CrossSiteRequest } from '../cross-site/cross-site-guard.js';

/**
 * The cross-site request forgery check, on by default. It refuses a request that changes
 * state (any method but GET, HEAD and OPTIONS) when the browser says it came from another
 * site: Sec-Fetch-Site, or an Origin other than this server's where that header is missing.
 * Requests from the app's own pages, and from clients that are not browsers, pass.
 */
export interface CrossSiteOptions {
  /**
   * Other origins allowed to send such requests: a sibling subdomain, a separate front end,
   * a mobile app's web view. Each `scheme://host[:port]`, exactly as an Origin header spells
   * it (no path, no trailing slash, no wildcard). Behind a proxy that ends TLS, list the app's
   * own public origin (`https://app.example.com`): the app sees `http`, and an old browser's
   * Origin would not match it otherwise. Default none.
   */
  readonly trustedOrigins?: readonly string[];
  /**
   * Requests that skip the check, such as webhooks that other sites' servers post to. A list
   * of paths (`/webhooks/` covers every path under it, `/api/ping` that path only), or a
   * function that returns `true` for an exempt request; it is called only for requests the
   * check would refuse. A request path with %-escapes, `\`, `;`, a `.` or `..` segment or `//`
   * is never exempt by the list, since a router may serve it as another path. Default none.
   */
  readonly exempt?: readonly string[] | ((request: CrossSiteRequest) => boolean);
  /**
   * Also require a token (the session's, as a `_csrf` form field or an `x-csrf-token` header)
   * on requests that carry neither Sec-Fetch-Site nor Origin, as a form post from browsers
   * older than about 2020 (Firefox before 70, Internet Explorer) does, from any site. Clients
   * that are not browsers send neither header either, so with this on they need the token
   * too, or an `exempt` entry. A token never lifts a refusal the headers gave. Default false.
   */
  readonly token?: boolean;
}

/**
 * The `crossSite` store option. Left out, the check runs and trusts no other origin. `false`
 * turns it off, and with it the only defence this library gives against a page on a sibling
 * subdomain (same-site, so a `SameSite=Lax` cookie still goes along) or, with
 * `sameSite: 'none'`, on any site, posting forms and requests to the app as the signed-in user.
 * Turn it off only where something else checks every state-changing request.
 */
export type CrossSiteOption = false | CrossSiteOptions;
