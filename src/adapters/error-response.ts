import type { ServerResponse } from 'node:http';

/**
 * The default answer to a failed request: logs the error (our errors carry no secrets; the
 * app's are its own) and sends a bare 500, or, when the headers are already out, ends the
 * connection so the client sees a broken response rather than a complete-looking one.
 */
export function sendDefault500(error: unknown, res: ServerResponse): void {
  console.error('jwe-session: request failed:', error);
  if (res.headersSent) {
    if (!res.writableEnded) res.destroy();
    return;
  }
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  const body = 'Internal Server Error\n';
  res.writeHead(500, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}
