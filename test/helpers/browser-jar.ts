// A cookie jar that applies Set-Cookie lines the way a browser does (RFC 6265 §5.3), for one
// host and path: enough to check what a real browser would send back, chunk by chunk.
import { parseSetCookie } from 'cookie';

/** Browsers keep at most 4096 bytes of name plus value per cookie and drop larger ones. */
export const BROWSER_MAX_NAME_VALUE = 4096;

/** name → raw value, in creation order (a Map keeps the slot of an updated key, as browsers do). */
export type Jar = Map<string, string>;

/**
 * Applies Set-Cookie values to the jar and returns the Cookie header the browser would send
 * next. Max-Age <= 0 or an Expires in the past deletes; an oversized cookie is dropped.
 * Values are kept raw (not URI-decoded), since browsers send back exactly what they got.
 */
export function cookieHeaderFrom(setCookies: readonly string[], jar: Jar = new Map()): string {
  for (const line of setCookies) {
    const parsed = parseSetCookie(line, { decode: (s) => s });
    const value = parsed.value ?? '';
    if (parsed.name === '') continue;
    const expired =
      parsed.maxAge !== undefined
        ? parsed.maxAge <= 0
        : parsed.expires !== undefined && parsed.expires.getTime() <= Date.now();
    if (expired) {
      jar.delete(parsed.name);
      continue;
    }
    if (parsed.name.length + value.length > BROWSER_MAX_NAME_VALUE) continue;
    jar.set(parsed.name, value);
  }
  return headerOf(jar);
}

/** The Cookie header for a jar's contents. */
export function headerOf(jar: Jar): string {
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}
