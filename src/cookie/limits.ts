/**
 * Browsers keep at most 4096 bytes per cookie (RFC 6265 §6.1 asks for at least that; Chrome
 * and Firefox stop there, counting name and value; older Safari counted the attributes too).
 * We count the whole Set-Cookie line, the strictest reading, so no browser drops a chunk.
 */
export const BROWSER_COOKIE_BYTES = 4096;

/**
 * Default budget for all of this session's cookies as the browser sends them back
 * (`name=value; ` for each chunk). nginx refuses a request whose Cookie header line passes
 * 8 KiB (large_client_header_buffers), and Node's whole header block is 16 KiB; 6 KiB leaves
 * room for the app's other cookies under both.
 */
export const DEFAULT_MAX_TOTAL_BYTES = 6144;

/** Never read or write more chunks than this, whatever the configuration (h3 uses 100). */
export const MAX_CHUNKS = 16;

/** Chrome caps Max-Age at 400 days (RFC 6265bis); a longer one would be silently cut. */
export const MAX_AGE_LIMIT_SECONDS = 400 * 24 * 3600;

/** Smallest useful per-cookie budget: a compact JWE of an empty session plus attributes. */
export const MIN_COOKIE_BYTES = 512;
