/** A mutable copy of a response: the same body, status, status text and headers. */
function copyOf(response: Response): Response {
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/**
 * Adds Set-Cookie lines to a response. Responses from `Response.redirect()` or `fetch()` have
 * immutable headers: the first append throws (adding nothing), and a copy made by `copy`
 * (by default a new Response with the same body, status and headers) takes them instead.
 * A network error (`Response.error()`) has no headers to carry cookies; it stays an error.
 */
export function withCookies(
  response: Response,
  lines: readonly string[],
  copy: (response: Response) => Response = copyOf,
): Response {
  if (lines.length === 0 || response.type === 'error') return response;
  try {
    for (const line of lines) response.headers.append('Set-Cookie', line);
    return response;
  } catch {
    const copied = copy(response);
    for (const line of lines) copied.headers.append('Set-Cookie', line);
    return copied;
  }
}
