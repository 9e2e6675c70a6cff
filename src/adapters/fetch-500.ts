/** The default answer of the Fetch API wrappers to a failed request: the error logged, a bare 500. */
export function fetch500(error: unknown): Response {
  console.error('jwe-session: request failed:', error);
  return new Response('Internal Server Error\n', {
    status: 500,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}
