// Origins as the Origin header spells them (RFC 6454 §6.2): `scheme://host[:port]`, lower case,
// no default port, nothing after the authority. A browser sends exactly that form, so a
// configured origin is brought into it once and then compared as a plain string.

const ORIGIN = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(.*)$/s;
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)$/;
const PORT = /^[1-9][0-9]{0,4}$/;

const DEFAULT_PORTS: Readonly<Record<string, string>> = { http: '80', https: '443' };

/**
 * `text` in the form an Origin header carries it (scheme and host lower case, a default port
 * dropped), or a problem saying what is wrong with it. Strict: an origin with a path, a
 * trailing slash, a wildcard or user info would never equal a header, so it is an error
 * rather than an entry that silently matches nothing.
 */
export function canonicalOrigin(text: string): { origin: string } | { problem: string } {
  if (text === 'null') {
    return {
      problem:
        'is "null", the Origin of sandboxed frames, file: pages and cross-site redirects: any site can produce it, so it cannot be trusted',
    };
  }
  if (text.includes('*')) {
    return { problem: 'has a wildcard; list every origin in full (https://app.example.com)' };
  }
  const parts = ORIGIN.exec(text);
  if (parts === null) {
    return {
      problem: 'is not an origin: write scheme://host[:port], e.g. https://app.example.com',
    };
  }
  const scheme = (parts[1] as string).toLowerCase();
  const authority = parts[2] as string;
  const rest = parts[3] as string;
  if (rest === '/') {
    return {
      problem: `has a trailing slash, which an Origin header never has: write ${text.slice(0, -1)}`,
    };
  }
  if (rest !== '')
    return { problem: 'has a path, query or fragment; an origin ends after the host and port' };
  if (authority.includes('@')) return { problem: 'has user info (user@); an origin has none' };
  const colon = authority.startsWith('[')
    ? authority.indexOf(':', authority.indexOf(']'))
    : authority.lastIndexOf(':');
  const host = colon < 0 ? authority : authority.slice(0, colon);
  const port = colon < 0 ? undefined : authority.slice(colon + 1);
  if (host === '') return { problem: 'has no host' };
  if (!HOST.test(host)) {
    return {
      problem:
        'has a host with characters an Origin header never carries; write an international name in its ASCII (xn--) form',
    };
  }
  if (port !== undefined && !(PORT.test(port) && Number(port) <= 65535)) {
    return { problem: 'has an invalid port: use 1 to 65535, without leading zeros' };
  }
  const keptPort = port === undefined || port === DEFAULT_PORTS[scheme] ? '' : `:${port}`;
  return { origin: `${scheme}://${host.toLowerCase()}${keptPort}` };
}

function lower(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}

/**
 * Whether an Origin header names this server: the same host and port as `host` (the Host
 * header), and the same scheme when `scheme` is known. Host names compare without case and a
 * default port counts as absent, so `Example.com:443` is `https://example.com`. Walks the
 * strings in place: a request from an old browser takes this path, and it allocates nothing.
 */
export function isOwnOrigin(
  origin: string,
  scheme: 'http' | 'https' | undefined,
  host: string,
): boolean {
  let start: number;
  let defaultPort: string;
  if (origin.startsWith('https://')) {
    if (scheme === 'http') return false;
    start = 8;
    defaultPort = ':443';
  } else if (origin.startsWith('http://')) {
    if (scheme === 'https') return false;
    start = 7;
    defaultPort = ':80';
  } else {
    return false;
  }
  const originEnd = origin.endsWith(defaultPort)
    ? origin.length - defaultPort.length
    : origin.length;
  const hostEnd = host.endsWith(defaultPort) ? host.length - defaultPort.length : host.length;
  // An empty authority on both sides is no match: it names no server at all.
  if (hostEnd === 0 || originEnd - start !== hostEnd) return false;
  for (let i = 0; i < hostEnd; i++) {
    if (lower(origin.charCodeAt(start + i)) !== lower(host.charCodeAt(i))) return false;
  }
  return true;
}
