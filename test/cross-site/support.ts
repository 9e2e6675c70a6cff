import type { CrossSiteRequest } from '../../src/cross-site/cross-site-guard.js';

/** A request as an adapter would describe it: headers by lower-case name. */
export function request(
  method: string,
  headers: Record<string, string | undefined>,
  url = 'https://example.com/account',
  secure?: boolean,
): CrossSiteRequest {
  const lower = Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  return {
    method,
    url,
    ...(secure === undefined ? {} : { secure }),
    header: (name) => lower[name],
  };
}
